using Wsconform.Benchmarks.Support;

namespace Wsconform.Benchmarks;

/// <summary>
/// The real CLI as a user runs it: <c>dotnet wsconform.dll run --out DIR</c> (built-in echo server, reports
/// written), timed from spawn to exit, so runtime startup, JIT, server start and report writing all count. Two scopes:
/// every Autobahn category outside compression (<c>--cases 1.*,…,10.*</c>, 301 cases), and <c>--cases 1.*,2.*,3.*,4.*,5.*,7.*</c> (101 cases, goal 5 s). The peak
/// RSS of each child is measured too (GNU time's %M when /usr/bin/time exists, else VmHWM polled every 50 ms).
/// </summary>
internal sealed class ProcessBenchmark : IBenchmark
{
    /// <summary>Goal of the issue for the whole process, startup included, on categories 1–5 and 7.</summary>
    public const double GoalMs = 5000;

    public const int DefaultIterations = 3;

    /// <summary>A child still running after this is killed and the iteration counts as failed.</summary>
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The two scopes: arguments after <c>run --out DIR</c>, expected case count, goal (null: reported only).</summary>
    private static readonly ProcessScope[] Scopes =
    [
        new("Autobahn categories 1-10", ["--cases", string.Join(',', RunPhaseBenchmark.AutobahnPatterns)], RunPhaseBenchmark.Full.Cases.Count, GoalMs: null, RssGoalBytes: RunPhaseBenchmark.PeakWorkingSetGoalBytes),
        new("categories 1-5, 7", ["--cases", string.Join(',', RunPhaseBenchmark.CorePatterns)], RunPhaseBenchmark.Core.Cases.Count, GoalMs, RssGoalBytes: null),
    ];

    public string Name => "process";

    public string Description =>
        "`dotnet wsconform.dll run --out DIR` as a child process, Autobahn categories 1-10 and 1-5, 7: wall clock (goal 5 s for the 101) and peak RSS";

    public string OptionsHelp => $"--iterations N (default {DefaultIterations} per scope)  --build (rebuild the CLI first; otherwise only built when missing)";

    public async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options, TextWriter output, CancellationToken ct)
    {
        var iterations = options.Iterations ?? DefaultIterations;
        var root = RepoPaths.FindRoot();
        if (await WsconformCli.EnsureBuiltAsync(root, options.Build, output, ct).ConfigureAwait(false) is { } buildError)
        {
            output.WriteLine("  " + buildError);
            return new BenchmarkOutcome([new SummaryRow(Name, "wsconform run, wall clock", "-", "<= " + Format.MsUnit(GoalMs), "INVALID")], false);
        }
        var dll = WsconformCli.DllPath(root);
        var built = File.GetLastWriteTimeUtc(dll);
        var rssMethod = ChildProcess.BestMeasure;
        output.WriteLine($"{WsconformCli.DotnetHost()} {dll} run --out <temp dir> [--cases ...]   ({iterations} run(s) per scope; CLI built {built:yyyy-MM-dd HH:mm:ss}Z)");
        output.WriteLine("Peak RSS of the child: " + ChildProcess.Describe(rssMethod));
        output.WriteLine();

        var rows = new List<SummaryRow>();
        var allValid = true;
        var side = new TextTable("scope", ">cases", ">median wall ms", ">min ms", ">max ms", ">child run phase ms", "goal", "verdict", ">peak RSS", "RSS goal");
        foreach (var scope in Scopes)
        {
            var result = await RunScopeAsync(scope, dll, root, iterations, rssMethod, output, ct).ConfigureAwait(false);
            allValid &= result.Valid;
            var verdict = !result.Valid ? "INVALID" : scope.GoalMs is { } goal ? Format.AgainstGoal(result.Wall.Median, goal) : "reference";
            var rssText = result.PeakRssBytes is { } rss ? Format.MiB(rss) : "-";
            var rssVerdict = !result.Valid || result.PeakRssBytes is null ? "INVALID"
                : result.PeakRssBytes < scope.RssGoalBytes ? "met" : "MISSED";
            side.Add(scope.Label, Format.Int(scope.ExpectedCases), Format.Ms(result.Wall.Median), Format.Ms(result.Wall.Min), Format.Ms(result.Wall.Max),
                result.RunPhaseMedian is { } phase ? Format.Ms(phase) : "-",
                scope.GoalMs is { } g ? "<= " + Format.MsUnit(g) : "-", verdict,
                rssText, scope.RssGoalBytes is { } rg ? $"< {Format.MiB(rg)}: {rssVerdict}" : "-");
            rows.Add(new SummaryRow(Name, $"wsconform run, {scope.Label} ({Format.Int(scope.ExpectedCases)}): wall clock, median of {iterations}",
                Format.MsUnit(result.Wall.Median), scope.GoalMs is { } goalMs ? "<= " + Format.MsUnit(goalMs) : "", verdict));
            if (scope.RssGoalBytes is { } rssGoal)
            {
                rows.Add(new SummaryRow(Name, $"wsconform run, {scope.Label}: child peak RSS, max of {iterations} ({(rssMethod == ChildMeasure.GnuTime ? "GNU time" : "VmHWM polled")})",
                    rssText, "< " + Format.MiB(rssGoal), rssVerdict));
            }
        }
        output.WriteLine("== process: the two scopes side by side");
        side.Write(output);
        output.WriteLine("  (peak RSS: the largest of the runs; the child holds the harness and the built-in echo server)");
        output.WriteLine();
        if (!allValid)
            output.WriteLine("  INVALID: some run failed (exit code, missing report, unreadable results.json, wrong case count); see above.");
        return new BenchmarkOutcome(rows, allValid);
    }

    private async Task<ScopeResult> RunScopeAsync(ProcessScope scope, string dll, string root, int iterations, ChildMeasure rssMethod, TextWriter output,
        CancellationToken ct)
    {
        output.WriteLine($"-- {scope.Label}: run --out <temp dir>{(scope.Arguments.Count == 0 ? "" : " " + string.Join(' ', scope.Arguments))}");
        string[] headers = ["run", ">wall ms", ">child run phase ms", ">outside run phase ms", ">peak RSS", ">exit", ">cases", "reports", "verdicts (behavior)", "valid"];
        var table = new TextTable(headers);
        var walls = new List<double>();
        var phases = new List<double>();
        long? peak = null;
        var allValid = true;
        for (var i = 1; i <= iterations; i++)
        {
            var outDir = Directory.CreateTempSubdirectory("wsconform-bench-");
            try
            {
                string[] arguments = [dll, "run", "--out", outDir.FullName, .. scope.Arguments];
                var run = await ChildProcess.RunAsync(WsconformCli.DotnetHost(), arguments, root, ChildTimeout, rssMethod, ct).ConfigureAwait(false);
                var reports = File.Exists(Path.Combine(outDir.FullName, "index.html")) && File.Exists(Path.Combine(outDir.FullName, "results.json"));
                var (runPhase, cases, verdicts, _, _) = reports
                    ? WsconformCli.ReadResults(Path.Combine(outDir.FullName, "results.json"))
                    : WsconformCli.Results.None("-");
                var valid = run.ExitCode == 0 && reports && runPhase is not null && cases == scope.ExpectedCases && run.PeakRssBytes is not null;
                allValid &= valid;
                walls.Add(run.WallMs);
                if (runPhase is { } ph) phases.Add(ph);
                if (run.PeakRssBytes is { } rss) peak = Math.Max(peak ?? 0, rss);
                table.Add(Format.Int(i), Format.Ms(run.WallMs),
                    runPhase is { } phase ? Format.Ms(phase) : "-",
                    runPhase is { } p ? Format.Ms(run.WallMs - p) : "-",
                    run.PeakRssBytes is { } r ? Format.MiB(r) : "-",
                    run.TimedOut ? "timeout" : Format.Int(run.ExitCode),
                    Format.Int(cases), reports ? "index.html, results.json" : "MISSING", verdicts, valid ? "yes" : "NO");
                if (!valid)
                {
                    table.Write(output);
                    output.WriteLine($"  run {i} failed; the child's last output:");
                    output.WriteLine(WsconformCli.Indent(run.Tail));
                    table = new TextTable(headers);
                }
            }
            finally
            {
                try { outDir.Delete(recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        table.Write(output);
        output.WriteLine("  (outside run phase = runtime startup, JIT, echo server start, probe, report writing, shutdown)");
        output.WriteLine();
        return new ScopeResult(Stats.Of(walls), phases.Count == 0 ? null : Stats.Of(phases).Median, peak, allValid);
    }

    private sealed record ProcessScope(string Label, IReadOnlyList<string> Arguments, int ExpectedCases, double? GoalMs, long? RssGoalBytes);

    private sealed record ScopeResult(Stats Wall, double? RunPhaseMedian, long? PeakRssBytes, bool Valid);
}
