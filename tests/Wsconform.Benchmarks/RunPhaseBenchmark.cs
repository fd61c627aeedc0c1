using System.Diagnostics;
using Wsconform.Benchmarks.Support;
using Wsconform.Cases;
using Wsconform.Echo;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Model;

namespace Wsconform.Benchmarks;

/// <summary>
/// In process, against the built-in echo server, two scopes side by side, each with its own goal: the 101 cases of
/// categories 1–5 and 7 (the categories of Autobahn's published 2.35 s) and every Autobahn category outside compression (301 cases, with the
/// 16 MiB transfers of category 9). Times the run phase (first case start to last case end,
/// <see cref="TargetResult.RunPhaseMs"/>) at the default concurrency; the 101 scope also once one case at a time,
/// which is how Autobahn|Testsuite runs. For the full scope: CPU time per run and the process's peak working set.
/// </summary>
internal sealed class RunPhaseBenchmark : IBenchmark
{
    /// <summary>Categories 1–5 and 7: what Autobahn's published 2.35 s covers.</summary>
    public static readonly IReadOnlyList<string> CorePatterns = ["1.*", "2.*", "3.*", "4.*", "5.*", "7.*"];

    /// <summary>The scope of categories 1–5 and 7: goal of the issue and Autobahn's published time for them.</summary>
    public static readonly Scope Core = new(
        "categories 1-5, 7", CaseIds.Select(Catalogue.All, CorePatterns, []), ExpectedCount: 101,
        GoalMs: 1500, AutobahnMs: 2350, AutobahnNote: "Autobahn|Testsuite, published, fast server, one case at a time");

    /// <summary>Every Autobahn category (1–7, 9, 10): what the 4 s goal and Autobahn's ~21 s cover. The catalogue's own
    /// categories beyond Autobahn (0, 14) have no Autobahn figure to compare with.</summary>
    public static readonly IReadOnlyList<string> AutobahnPatterns = ["1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*"];

    /// <summary>The scope of every Autobahn category outside compression.</summary>
    public static readonly Scope Full = new(
        "Autobahn categories 1-10", CaseIds.Select(Catalogue.All, AutobahnPatterns, []), ExpectedCount: 301,
        GoalMs: 4000, AutobahnMs: 21000, AutobahnNote: "Autobahn|Testsuite against ws, same categories: about 21 s");

    /// <summary>Goal of the issue: peak working set with the 16 MiB cases in flight.</summary>
    public const long PeakWorkingSetGoalBytes = 400L * 1024 * 1024;

    /// <summary>
    /// Verdicts the built-in server (Kestrel's managed WebSocket) is known to get besides OK/INFORMATIONAL (README,
    /// "Known results"; the interop tests hold the same table): UTF-8 is checked per completed frame, not fail-fast.
    /// </summary>
    private static readonly Dictionary<string, Behavior> KnownNotOk = new(StringComparer.Ordinal)
    {
        ["6.4.3"] = Behavior.NonStrict,
        ["6.4.4"] = Behavior.NonStrict,
    };

    public const int DefaultIterations = 5;

    public string Name => "run-phase";

    public string Description =>
        "in process vs the built-in echo server: categories 1-5, 7 (101 cases, goal 1.5 s, Autobahn 2.35 s) and Autobahn categories 1-10 (301, goal 4 s, Autobahn ~21 s)";

    public string OptionsHelp =>
        $"--iterations N (default {DefaultIterations} per scope, plus one warm-up)  --parallel N (default {RunOptions.DefaultParallel})  " +
        "--sequential-full (also run the 301 cases at parallel 1; the 101 always get one)";

    public async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options, TextWriter output, CancellationToken ct)
    {
        var iterations = options.Iterations ?? DefaultIterations;
        var parallel = options.Parallel ?? RunOptions.DefaultParallel;

        await using var server = await EchoServer.StartAsync(0, ct).ConfigureAwait(false);
        var target = new TargetOptions { Url = server.Url };
        output.WriteLine($"Built-in echo server at {server.Url}, in this process; parallel {parallel}, {iterations} measured run(s) per scope after 1 warm-up");
        output.WriteLine();

        using var self = Process.GetCurrentProcess();
        var core = await MeasureScopeAsync(Core, target, parallel, iterations, sequential: true, self, output, ct).ConfigureAwait(false);
        var full = await MeasureScopeAsync(Full, target, parallel, iterations, options.SequentialFull, self, output, ct).ConfigureAwait(false);

        // PeakWorkingSet64 is VmHWM on Linux: the high-water mark of the whole process since it started. It covers both
        // scopes and their warm-ups, and the echo server (Kestrel, its sockets and chunk buffers: it echoes in chunks,
        // never a whole message), which runs in this process. The full scope holds the largest messages, so the peak is
        // reached there.
        self.Refresh();
        var peak = self.PeakWorkingSet64;
        var largest = Full.Cases.Max(c => MemoryBudget.WeightOf(c)) / 2;
        var largestCases = Full.Cases.Where(c => MemoryBudget.WeightOf(c) / 2 == largest).Select(c => c.Id).ToList();

        output.WriteLine("== run-phase: the two scopes side by side");
        var side = new TextTable("", ">" + Core.Label, ">" + Full.Label);
        side.Add("cases", Format.Int(Core.Cases.Count), Format.Int(Full.Cases.Count));
        side.Add($"run phase, parallel {parallel}, median", Format.MsUnit(core.Stats.Median), Format.MsUnit(full.Stats.Median));
        side.Add("  min / max", $"{Format.Ms(core.Stats.Min)} / {Format.Ms(core.Stats.Max)} ms", $"{Format.Ms(full.Stats.Min)} / {Format.Ms(full.Stats.Max)} ms");
        side.Add("goal", "<= " + Format.MsUnit(Core.GoalMs), "<= " + Format.MsUnit(Full.GoalMs));
        side.Add("  verdict", core.Verdict, full.Verdict);
        side.Add("Autobahn|Testsuite", Format.MsUnit(Core.AutobahnMs), "~" + Format.MsUnit(Full.AutobahnMs));
        side.Add("  Autobahn / wsconform (median)", Format.Ratio(Core.AutobahnMs / core.Stats.Median), Format.Ratio(Full.AutobahnMs / full.Stats.Median));
        side.Add("run phase, parallel 1", Sequential(core), Sequential(full));
        side.Add("  parallel 1 / parallel median", SequentialRatio(core), SequentialRatio(full));
        side.Add("CPU time per measured run", Format.MsUnit(core.CpuMsPerRun), Format.MsUnit(full.CpuMsPerRun));
        side.Add("  wall time per measured run", Format.MsUnit(core.WallMsPerRun), Format.MsUnit(full.WallMsPerRun));
        side.Add("slowest case (last measured run)", core.Measured[^1].Slowest, full.Measured[^1].Slowest);
        side.Write(output);
        output.WriteLine($"  Autobahn references: {Core.Label}: {Core.AutobahnNote}; {Full.Label}: {Full.AutobahnNote}.");
        output.WriteLine("  CPU time is the whole process (harness and the in-process echo server), per measured run, from Process.TotalProcessorTime.");
        output.WriteLine();
        output.WriteLine($"  Peak working set of the process: {Format.MiB(peak)} (goal: below {Format.MiB(PeakWorkingSetGoalBytes)} with 16 MiB cases in flight: " +
                         $"{(peak < PeakWorkingSetGoalBytes ? "met" : "MISSED")})");
        output.WriteLine("    Process.PeakWorkingSet64 (VmHWM) since this program started: both scopes, warm-ups included. It includes the built-in echo");
        output.WriteLine("    server (Kestrel, which runs in this process; it echoes in chunks), so the harness alone uses less.");
        output.WriteLine($"    Largest message in the full scope: {Format.MiB(largest)} ({string.Join(", ", largestCases)}).");
        output.WriteLine();

        var valid = core.Valid && full.Valid;
        if (!valid)
            output.WriteLine("  INVALID: some run had an unexpected verdict or lost a case (see the per-run tables); the times above are not comparable.");

        var rows = new List<SummaryRow>
        {
            new(Name, $"{Core.Label} ({Format.Int(Core.Cases.Count)}): run phase, parallel {parallel}, median of {iterations}",
                Format.MsUnit(core.Stats.Median), "<= " + Format.MsUnit(Core.GoalMs), core.Verdict),
            new(Name, $"{Core.Label}: Autobahn / wsconform (median)", Format.Ratio(Core.AutobahnMs / core.Stats.Median),
                $"Autobahn {Format.MsUnit(Core.AutobahnMs)}", core.Valid ? "reference" : "INVALID"),
            new(Name, $"{Core.Label}: run phase, parallel 1", Sequential(core), $"Autobahn {Format.MsUnit(Core.AutobahnMs)}", core.Valid ? "reference" : "INVALID"),
            new(Name, $"{Full.Label} ({Format.Int(Full.Cases.Count)}): run phase, parallel {parallel}, median of {iterations}",
                Format.MsUnit(full.Stats.Median), "<= " + Format.MsUnit(Full.GoalMs), full.Verdict),
            new(Name, $"{Full.Label}: Autobahn / wsconform (median)", Format.Ratio(Full.AutobahnMs / full.Stats.Median),
                $"Autobahn ~{Format.MsUnit(Full.AutobahnMs)}", full.Valid ? "reference" : "INVALID"),
            new(Name, $"{Full.Label}: CPU time per run (harness + echo server)", Format.MsUnit(full.CpuMsPerRun), "", "reference"),
            new(Name, "peak working set (process, incl. echo server)", Format.MiB(peak), "< " + Format.MiB(PeakWorkingSetGoalBytes),
                valid ? (peak < PeakWorkingSetGoalBytes ? "met" : "MISSED") : "INVALID"),
        };
        if (full.Sequential is not null)
            rows.Insert(5, new(Name, $"{Full.Label}: run phase, parallel 1", Sequential(full), "", full.Valid ? "reference" : "INVALID"));
        return new BenchmarkOutcome(rows, valid);

        static string Sequential(ScopeResult r) => r.Sequential is { } s ? Format.MsUnit(s.RunPhaseMs) : "not run (--sequential-full)";
        static string SequentialRatio(ScopeResult r) => r.Sequential is { } s ? Format.Ratio(s.RunPhaseMs / r.Stats.Median) : "-";
    }

    /// <summary>Warm-up, measured runs (with the process's CPU time around them), and optionally one run at parallel 1.</summary>
    private static async Task<ScopeResult> MeasureScopeAsync(Scope scope, TargetOptions target, int parallel, int iterations, bool sequential,
        Process self, TextWriter output, CancellationToken ct)
    {
        output.WriteLine($"-- {scope.Label}: {Format.Int(scope.Cases.Count)} cases" +
                         (scope.Cases.Count == scope.ExpectedCount ? "" : $" (EXPECTED {Format.Int(scope.ExpectedCount)}: the catalogue changed)"));
        var table = new TextTable("run", ">parallel", ">run phase ms", ">wall ms", "slowest case", "verdicts (behavior / close)", "valid");
        var warmUp = await MeasureAsync(target, scope, parallel, ct).ConfigureAwait(false);
        AddRow(table, "warm-up", parallel, warmUp);

        self.Refresh();
        var cpuBefore = self.TotalProcessorTime;
        var measured = new List<Measurement>();
        for (var i = 1; i <= iterations; i++)
        {
            var run = await MeasureAsync(target, scope, parallel, ct).ConfigureAwait(false);
            measured.Add(run);
            AddRow(table, Format.Int(i), parallel, run);
        }
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;

        Measurement? sequentialRun = null;
        if (sequential)
        {
            sequentialRun = await MeasureAsync(target, scope, 1, ct).ConfigureAwait(false);
            AddRow(table, "sequential", 1, sequentialRun);
        }
        table.Write(output);
        output.WriteLine("  (warm-up and sequential runs are not in the statistics)");
        foreach (var problem in measured.Append(warmUp).Concat(sequentialRun is null ? [] : [sequentialRun]).SelectMany(m => m.Problems).Distinct().Take(10))
            output.WriteLine($"  unexpected: {problem}");
        output.WriteLine();

        var valid = scope.Cases.Count == scope.ExpectedCount && measured.Append(warmUp).All(m => m.Valid) && sequentialRun?.Valid != false;
        var stats = Stats.Of(measured.Select(m => m.RunPhaseMs).ToArray());
        return new ScopeResult(measured, sequentialRun, stats, cpu.TotalMilliseconds / iterations, measured.Average(m => m.WallMs), valid,
            valid ? Format.AgainstGoal(stats.Median, scope.GoalMs) : "INVALID");
    }

    private static void AddRow(TextTable table, string label, int parallel, Measurement m) =>
        table.Add(label, Format.Int(parallel), Format.Ms(m.RunPhaseMs), Format.Ms(m.WallMs), m.Slowest, m.Verdicts, m.Valid ? "yes" : "NO");

    private static async Task<Measurement> MeasureAsync(TargetOptions target, Scope scope, int parallel, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var result = await TargetRunner.RunAsync(target, scope.Cases, new RunOptions { Parallel = parallel }, progress: null, ct).ConfigureAwait(false);
        wall.Stop();
        return Measurement.Of(result, scope.Cases.Count, wall.Elapsed.TotalMilliseconds);
    }

    /// <summary>A set of cases with its goal and Autobahn's time for the same categories.</summary>
    internal sealed record Scope(string Label, IReadOnlyList<ConformanceCase> Cases, int ExpectedCount, double GoalMs, double AutobahnMs, string AutobahnNote);

    private sealed record ScopeResult(IReadOnlyList<Measurement> Measured, Measurement? Sequential, Stats Stats, double CpuMsPerRun, double WallMsPerRun,
        bool Valid, string Verdict);

    /// <summary>One run of a scope.</summary>
    private sealed record Measurement(double RunPhaseMs, double WallMs, string Slowest, string Verdicts, IReadOnlyList<string> Problems)
    {
        /// <summary>Every case ran and got OK/INFORMATIONAL (or its known verdict): otherwise the time measured a different run.</summary>
        public bool Valid => Problems.Count == 0;

        public static Measurement Of(TargetResult result, int expectedCases, double wallMs)
        {
            var behavior = Counts(result.Cases.Select(c => c.Behavior.ToAutobahnString()));
            var close = Counts(result.Cases.Select(c => c.BehaviorClose.ToAutobahnString()));
            var problems = new List<string>();
            if (result.Cases.Count != expectedCases)
                problems.Add($"{Format.Int(result.Cases.Count)} results for {Format.Int(expectedCases)} cases");
            foreach (var c in result.Cases)
            {
                var behaviorExpected = c.Behavior is Behavior.Ok or Behavior.Informational
                                       || (KnownNotOk.TryGetValue(c.Id, out var known) && c.Behavior == known);
                if (!behaviorExpected || c.BehaviorClose is not (CloseBehavior.Ok or CloseBehavior.Informational))
                    problems.Add($"{c.Id} {c.Behavior.ToAutobahnString()} / {c.BehaviorClose.ToAutobahnString()}");
            }
            var slowest = result.Cases.MaxBy(c => c.DurationMs);
            var slowestText = slowest is null ? "-" : $"{slowest.Id} {Format.MsUnit(slowest.DurationMs)}";
            return new Measurement(result.RunPhaseMs, wallMs, slowestText, $"{behavior} / {close}", problems);
        }

        private static string Counts(IEnumerable<string> verdicts) =>
            string.Join(" ", verdicts.CountBy(v => v).OrderByDescending(p => p.Value).Select(p => $"{p.Key}={Format.Int(p.Value)}"));
    }
}
