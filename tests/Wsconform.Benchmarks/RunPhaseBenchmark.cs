using System.Diagnostics;
using Wsconform.Benchmarks.Support;
using Wsconform.Cases;
using Wsconform.Echo;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Model;

namespace Wsconform.Benchmarks;

/// <summary>
/// In process: the whole catalogue against the built-in echo server, several times, timing the run phase (first case
/// start to last case end, <see cref="TargetResult.RunPhaseMs"/>) at the default concurrency and once one case at a
/// time, which is how Autobahn|Testsuite runs.
/// </summary>
internal sealed class RunPhaseBenchmark : IBenchmark
{
    /// <summary>Goal of the issue: the run phase of the 101 cases against the built-in server.</summary>
    public const double GoalMs = 1500;

    /// <summary>Autobahn|Testsuite's published time for the same categories (1–5, 7) against a fast server, one case at a time.</summary>
    public const double AutobahnMs = 2350;

    public const int DefaultIterations = 5;

    public string Name => "run-phase";

    public string Description => "the catalogue against the in-process echo server: run phase vs the 1.5 s goal and Autobahn's 2.35 s";

    public string OptionsHelp => $"--iterations N (default {DefaultIterations}, plus one warm-up)  --parallel N (default {RunOptions.DefaultParallel}; a run at 1 is always added)";

    public async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options, TextWriter output, CancellationToken ct)
    {
        var iterations = options.Iterations ?? DefaultIterations;
        var parallel = options.Parallel ?? RunOptions.DefaultParallel;
        var cases = Catalogue.All;

        await using var server = await EchoServer.StartAsync(0, ct).ConfigureAwait(false);
        var target = new TargetOptions { Url = server.Url };
        output.WriteLine($"{cases.Count} cases against the built-in echo server at {server.Url} (in process), parallel {parallel}, {iterations} measured run(s) after 1 warm-up");
        output.WriteLine();

        var table = new TextTable("run", ">parallel", ">run phase ms", ">wall ms", "slowest case", "verdicts (behavior / close)", "valid");
        var warmUp = await MeasureAsync(target, cases, parallel, ct).ConfigureAwait(false);
        AddRow(table, "warm-up", parallel, warmUp);

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var cpuBefore = self.TotalProcessorTime;
        var measured = new List<Measurement>();
        for (var i = 1; i <= iterations; i++)
        {
            var run = await MeasureAsync(target, cases, parallel, ct).ConfigureAwait(false);
            measured.Add(run);
            AddRow(table, Format.Int(i), parallel, run);
        }
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var measuredWallMs = measured.Sum(m => m.WallMs);

        var sequential = await MeasureAsync(target, cases, 1, ct).ConfigureAwait(false);
        AddRow(table, "sequential", 1, sequential);
        table.Write(output);
        output.WriteLine("  (warm-up and sequential runs are not in the statistics below)");
        output.WriteLine();

        var stats = Stats.Of(measured.Select(m => m.RunPhaseMs).ToArray());
        new TextTable("run phase, parallel " + Format.Int(parallel), ">min ms", ">median ms", ">max ms", ">runs")
            .Add("", Format.Ms(stats.Min), Format.Ms(stats.Median), Format.Ms(stats.Max), Format.Int(stats.Count))
            .Write(output);
        output.WriteLine();

        new TextTable("", ">run phase ms", ">Autobahn / this", "note")
            .Add($"wsconform, parallel {parallel} (median)", Format.Ms(stats.Median), Format.Ratio(AutobahnMs / stats.Median),
                $"goal {Format.AgainstGoal(stats.Median, GoalMs)}")
            .Add("goal", Format.Ms(GoalMs), Format.Ratio(AutobahnMs / GoalMs), "issue target")
            .Add("Autobahn|Testsuite (published)", Format.Ms(AutobahnMs), Format.Ratio(1), "same categories, fast server, one case at a time")
            .Add("wsconform, parallel 1", Format.Ms(sequential.RunPhaseMs), Format.Ratio(AutobahnMs / sequential.RunPhaseMs),
                $"{Format.Ratio(sequential.RunPhaseMs / stats.Median)} the parallel median")
            .Write(output);
        output.WriteLine();

        self.Refresh();
        var peak = self.PeakWorkingSet64;
        output.WriteLine($"  CPU time of the {iterations} measured run(s): {Format.MsUnit(cpu.TotalMilliseconds)} total, " +
                         $"{Format.MsUnit(cpu.TotalMilliseconds / iterations)} per run over {Format.MsUnit(measuredWallMs / iterations)} wall per run " +
                         "(whole process: harness and echo server)");
        output.WriteLine($"  Peak working set of the process: {Format.MiB(peak)}");
        output.WriteLine();

        var valid = measured.Append(warmUp).Append(sequential).All(m => m.Valid);
        if (!valid)
            output.WriteLine("  INVALID: some run had a verdict other than OK/INFORMATIONAL or lost a case; the times above are not comparable.");

        var verdict = valid ? Format.AgainstGoal(stats.Median, GoalMs) : "INVALID";
        return new BenchmarkOutcome(
        [
            new SummaryRow(Name, $"run phase, parallel {parallel}, median of {iterations}", Format.MsUnit(stats.Median), "<= " + Format.MsUnit(GoalMs), verdict),
            new SummaryRow(Name, "run phase, parallel 1", Format.MsUnit(sequential.RunPhaseMs), $"Autobahn {Format.MsUnit(AutobahnMs)}",
                valid ? "reference" : "INVALID"),
            new SummaryRow(Name, "Autobahn / wsconform (median)", Format.Ratio(AutobahnMs / stats.Median), "", valid ? "reference" : "INVALID"),
            new SummaryRow(Name, $"CPU time per run, parallel {parallel}", Format.MsUnit(cpu.TotalMilliseconds / iterations), "", "reference"),
            new SummaryRow(Name, "peak working set", Format.MiB(peak), "", "reference"),
        ], valid);
    }

    private static void AddRow(TextTable table, string label, int parallel, Measurement m) =>
        table.Add(label, Format.Int(parallel), Format.Ms(m.RunPhaseMs), Format.Ms(m.WallMs), m.Slowest, m.Verdicts, m.Valid ? "yes" : "NO");

    private static async Task<Measurement> MeasureAsync(TargetOptions target, IReadOnlyList<ConformanceCase> cases, int parallel, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var result = await TargetRunner.RunAsync(target, cases, new RunOptions { Parallel = parallel }, progress: null, ct).ConfigureAwait(false);
        wall.Stop();
        return Measurement.Of(result, cases.Count, wall.Elapsed.TotalMilliseconds);
    }

    /// <summary>One run of the catalogue.</summary>
    private sealed record Measurement(double RunPhaseMs, double WallMs, string Slowest, string Verdicts, bool Valid)
    {
        public static Measurement Of(TargetResult result, int expectedCases, double wallMs)
        {
            var behavior = Counts(result.Cases.Select(c => c.Behavior.ToAutobahnString()));
            var close = Counts(result.Cases.Select(c => c.BehaviorClose.ToAutobahnString()));
            // Valid: every case ran and the echo server passed it; anything else means the time measured a different run.
            var valid = result.Cases.Count == expectedCases
                && result.Cases.All(c => (c.Behavior is Behavior.Ok or Behavior.Informational)
                                         && (c.BehaviorClose is CloseBehavior.Ok or CloseBehavior.Informational));
            var slowest = result.Cases.MaxBy(c => c.DurationMs);
            var slowestText = slowest is null ? "-" : $"{slowest.Id} {Format.MsUnit(slowest.DurationMs)}";
            return new Measurement(result.RunPhaseMs, wallMs, slowestText, $"{behavior} / {close}", valid);
        }

        private static string Counts(IEnumerable<string> verdicts) =>
            string.Join(" ", verdicts.CountBy(v => v).OrderByDescending(p => p.Value).Select(p => $"{p.Key}={Format.Int(p.Value)}"));
    }
}
