using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
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

    private const string CliProject = "harness/Wsconform.Cli";
    private const string CliAssembly = "wsconform.dll";

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
        var dll = Path.Combine(root, CliProject, "bin", "Release", "net10.0", CliAssembly);
        if (options.Build || !File.Exists(dll))
        {
            output.WriteLine($"Building the CLI: dotnet build {CliProject} -c Release");
            var build = await ChildProcess.RunAsync(DotnetHost(), ["build", CliProject, "-c", "Release", "-nologo", "-v", "q"], root,
                TimeSpan.FromMinutes(5), PeakRss.None, ct).ConfigureAwait(false);
            if (build.ExitCode != 0 || !File.Exists(dll))
            {
                output.WriteLine($"  build failed (exit code {build.ExitCode}):");
                output.WriteLine(Indent(build.Tail));
                return new BenchmarkOutcome([new SummaryRow(Name, "wsconform run, wall clock", "-", "<= " + Format.MsUnit(GoalMs), "INVALID")], false);
            }
        }
        var built = File.GetLastWriteTimeUtc(dll);
        var rssMethod = File.Exists(ChildProcess.GnuTimePath) ? PeakRss.GnuTime : PeakRss.PollVmHwm;
        output.WriteLine($"{DotnetHost()} {dll} run --out <temp dir> [--cases ...]   ({iterations} run(s) per scope; CLI built {built:yyyy-MM-dd HH:mm:ss}Z)");
        output.WriteLine("Peak RSS of the child: " + (rssMethod == PeakRss.GnuTime
            ? $"{ChildProcess.GnuTimePath} -f %M (the kernel's ru_maxrss at exit; the wrapper adds about a millisecond to the wall time)"
            : "VmHWM from /proc/<pid>/status polled every 50 ms, the largest value kept (a peak in the last 50 ms before exit can be missed)"));
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
                rows.Add(new SummaryRow(Name, $"wsconform run, {scope.Label}: child peak RSS, max of {iterations} ({(rssMethod == PeakRss.GnuTime ? "GNU time" : "VmHWM polled")})",
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

    private async Task<ScopeResult> RunScopeAsync(ProcessScope scope, string dll, string root, int iterations, PeakRss rssMethod, TextWriter output,
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
                var run = await ChildProcess.RunAsync(DotnetHost(), arguments, root, ChildTimeout, rssMethod, ct).ConfigureAwait(false);
                var reports = File.Exists(Path.Combine(outDir.FullName, "index.html")) && File.Exists(Path.Combine(outDir.FullName, "results.json"));
                var (runPhase, cases, verdicts) = reports ? ReadResults(Path.Combine(outDir.FullName, "results.json")) : (null, 0, "-");
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
                    output.WriteLine(Indent(run.Tail));
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

    /// <summary>The run phase, case count and behaviour counts from the child's results.json; null when it cannot be read.</summary>
    private static (double? RunPhaseMs, int Cases, string Verdicts) ReadResults(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var target = document.RootElement.GetProperty("targets")[0];
            var behaviors = target.GetProperty("cases").EnumerateArray()
                .Select(c => c.GetProperty("behavior").GetString() ?? "?")
                .ToList();
            var verdicts = behaviors
                .CountBy(v => v)
                .OrderByDescending(p => p.Value)
                .Select(p => $"{p.Key}={Format.Int(p.Value)}");
            return (target.GetProperty("runPhaseMs").GetDouble(), behaviors.Count, string.Join(" ", verdicts));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or IOException)
        {
            return (null, 0, "unreadable: " + e.Message);
        }
    }

    private static string Indent(string text) =>
        string.Join(Environment.NewLine, text.Split('\n').Select(l => "    " + l.TrimEnd('\r')));

    /// <summary>
    /// The <c>dotnet</c> host: the one the SDK names in DOTNET_HOST_PATH, else the one that owns the runtime this
    /// program runs on, else whatever <c>dotnet</c> is on the PATH.
    /// </summary>
    private static string DotnetHost()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
            return hostPath;
        // RuntimeEnvironment directory: <root>/shared/Microsoft.NETCore.App/<version>/
        var runtimeDir = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (runtimeDir.Parent?.Parent?.Parent is { } dotnetRoot && File.Exists(Path.Combine(dotnetRoot.FullName, exe)))
            return Path.Combine(dotnetRoot.FullName, exe);
        return exe;
    }

    /// <summary>How <see cref="ChildProcess"/> measures the child's peak resident set.</summary>
    private enum PeakRss
    {
        /// <summary>Not measured.</summary>
        None,

        /// <summary>The child runs under <c>/usr/bin/time -f %M -o FILE</c>: its ru_maxrss in KiB, exact and race-free.</summary>
        GnuTime,

        /// <summary>VmHWM from <c>/proc/PID/status</c> every 50 ms while it runs, the largest kept.</summary>
        PollVmHwm,
    }

    /// <summary>Runs a child to completion with its output captured (so it never sees a terminal), timing spawn to exit.</summary>
    private static class ChildProcess
    {
        public const string GnuTimePath = "/usr/bin/time";

        public sealed record Outcome(int ExitCode, double WallMs, bool TimedOut, string Tail, long? PeakRssBytes);

        public static async Task<Outcome> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout,
            PeakRss peakRss, CancellationToken ct)
        {
            string? timeFile = null;
            if (peakRss == PeakRss.GnuTime)
            {
                // GNU time waits for the child and writes its maximum resident set size (KiB) to the file; its exit code is
                // the child's. Output goes to a file so it never mixes with the child's stderr.
                timeFile = Path.Combine(Path.GetTempPath(), $"wsconform-bench-{Guid.NewGuid():N}.time");
                arguments = ["-f", "%M", "-o", timeFile, fileName, .. arguments];
                fileName = GnuTimePath;
            }
            var info = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
                info.ArgumentList.Add(argument);

            var captured = new StringBuilder();
            using var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);

            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(timeout);
            var clock = Stopwatch.StartNew();
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var stopPolling = new CancellationTokenSource();
            var polled = peakRss == PeakRss.PollVmHwm ? PollVmHwmAsync(process.Id, stopPolling.Token) : Task.FromResult<long?>(null);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Only the child this method started, by its own handle.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                timedOut = true;
            }
            clock.Stop();
            await stopPolling.CancelAsync().ConfigureAwait(false);
            var peak = peakRss switch
            {
                PeakRss.GnuTime => ReadGnuTime(timeFile!),
                PeakRss.PollVmHwm => await polled.ConfigureAwait(false),
                _ => null,
            };

            string tail;
            lock (captured)
                tail = string.Join('\n', captured.ToString().Split('\n').TakeLast(20));
            return new Outcome(timedOut ? -1 : process.ExitCode, clock.Elapsed.TotalMilliseconds, timedOut, tail.TrimEnd(), peak);

            void Append(string? line)
            {
                if (line is null) return;
                lock (captured)
                    captured.Append(line).Append('\n');
            }
        }

        /// <summary>The last line of GNU time's output file ("Command exited with non-zero status N" may precede it), KiB to bytes.</summary>
        private static long? ReadGnuTime(string file)
        {
            try
            {
                var last = File.ReadAllLines(file).LastOrDefault(l => l.Trim().Length > 0)?.Trim();
                return long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
            }
            catch (IOException)
            {
                return null;
            }
            finally
            {
                try { File.Delete(file); }
                catch (IOException) { }
            }
        }

        /// <summary>Reads VmHWM (the kernel's own high-water mark of the resident set) every 50 ms until stopped or the process is gone.</summary>
        private static async Task<long?> PollVmHwmAsync(int pid, CancellationToken stop)
        {
            long? max = null;
            var status = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status";
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    foreach (var line in await File.ReadAllLinesAsync(status, CancellationToken.None).ConfigureAwait(false))
                    {
                        // "VmHWM:\t  123456 kB"
                        if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                        var digits = line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim();
                        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                            max = Math.Max(max ?? 0, kib * 1024);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    break; // exited (and perhaps reaped) between two polls
                }
                try { await Task.Delay(50, stop).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
            return max;
        }
    }
}
