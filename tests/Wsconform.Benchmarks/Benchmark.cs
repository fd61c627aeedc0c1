namespace Wsconform.Benchmarks;

/// <summary>One named benchmark of this program, e.g. <c>run-phase</c>.</summary>
internal interface IBenchmark
{
    /// <summary>The name on the command line.</summary>
    string Name { get; }

    /// <summary>One line for <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>Options this benchmark reads, with their defaults, for <c>--help</c>.</summary>
    string OptionsHelp { get; }

    /// <summary>
    /// True when it runs if no benchmark is named. Benchmarks taking more than about a minute (<c>codec</c>) say
    /// false and run only when named (or with <c>all</c>).
    /// </summary>
    bool InDefaultSet => true;

    /// <summary>Runs the benchmark, writes its detailed tables to <paramref name="output"/>, and returns the rows it
    /// contributes to the summary table.</summary>
    Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options, TextWriter output, CancellationToken ct);
}

/// <summary>What a benchmark hands back to the summary.</summary>
/// <param name="Rows">Its headline figures.</param>
/// <param name="Valid">False when the measured runs were not valid (a case ERROR, a child that failed, a missing
/// report): the figures then measure something else and must not be trusted. Missing a goal is not invalid.</param>
internal sealed record BenchmarkOutcome(IReadOnlyList<SummaryRow> Rows, bool Valid);

/// <summary>One line of the summary table.</summary>
/// <param name="Benchmark">Benchmark name.</param>
/// <param name="Measure">What was measured, in words.</param>
/// <param name="Value">The figure, formatted with its unit.</param>
/// <param name="Goal">The goal or reference it is compared with, formatted; empty when none.</param>
/// <param name="Verdict">"met", "MISSED", "reference", or "INVALID".</param>
internal sealed record SummaryRow(string Benchmark, string Measure, string Value, string Goal, string Verdict);

/// <summary>Options shared by the benchmarks; each one reads those that apply to it.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>Measured iterations; null: the benchmark's own default.</summary>
    public int? Iterations { get; init; }

    /// <summary>Concurrency of the in-process runs; null: <c>RunOptions.DefaultParallel</c>.</summary>
    public int? Parallel { get; init; }

    /// <summary>Rebuild the CLI before spawning it, even when a build exists.</summary>
    public bool Build { get; init; }

    /// <summary>Also run the full catalogue one case at a time in <c>run-phase</c> (about 10 s more); off by default.</summary>
    public bool SequentialFull { get; init; }
}
