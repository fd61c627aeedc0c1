using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Wsconform.Benchmarks.Support;

namespace Wsconform.Benchmarks;

/// <summary>
/// The real CLI as a user runs it: <c>dotnet wsconform.dll run --out DIR</c> (built-in echo server, every case,
/// reports written), timed from spawn to exit, so runtime startup, JIT, server start and report writing all count.
/// </summary>
internal sealed class ProcessBenchmark : IBenchmark
{
    /// <summary>Goal of the issue for the whole process, startup included.</summary>
    public const double GoalMs = 5000;

    public const int DefaultIterations = 3;

    private const string CliProject = "harness/Wsconform.Cli";
    private const string CliAssembly = "wsconform.dll";

    /// <summary>A child still running after this is killed and the iteration counts as failed.</summary>
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(60);

    public string Name => "process";

    public string Description => "`dotnet wsconform.dll run --out DIR` as a child process: wall clock, startup included, vs the 5 s goal";

    public string OptionsHelp => $"--iterations N (default {DefaultIterations})  --build (rebuild the CLI first; otherwise only built when missing)";

    public async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options, TextWriter output, CancellationToken ct)
    {
        var iterations = options.Iterations ?? DefaultIterations;
        var root = RepoPaths.FindRoot();
        var dll = Path.Combine(root, CliProject, "bin", "Release", "net10.0", CliAssembly);
        if (options.Build || !File.Exists(dll))
        {
            output.WriteLine($"Building the CLI: dotnet build {CliProject} -c Release");
            var build = await ChildProcess.RunAsync(DotnetHost(), ["build", CliProject, "-c", "Release", "-nologo", "-v", "q"], root,
                TimeSpan.FromMinutes(5), ct).ConfigureAwait(false);
            if (build.ExitCode != 0 || !File.Exists(dll))
            {
                output.WriteLine($"  build failed (exit code {build.ExitCode}):");
                output.WriteLine(Indent(build.Tail));
                return new BenchmarkOutcome([new SummaryRow(Name, "wsconform run, wall clock", "-", "<= " + Format.MsUnit(GoalMs), "INVALID")], false);
            }
        }
        var built = File.GetLastWriteTimeUtc(dll);
        output.WriteLine($"{DotnetHost()} {dll} run --out <temp dir>   ({iterations} run(s); CLI built {built:yyyy-MM-dd HH:mm:ss}Z)");
        output.WriteLine();

        var table = new TextTable("run", ">wall ms", ">child run phase ms", ">outside run phase ms", ">exit", "reports", "verdicts (behavior)", "valid");
        var walls = new List<double>();
        var allValid = true;
        for (var i = 1; i <= iterations; i++)
        {
            var outDir = Directory.CreateTempSubdirectory("wsconform-bench-");
            try
            {
                var run = await ChildProcess.RunAsync(DotnetHost(), [dll, "run", "--out", outDir.FullName], root, ChildTimeout, ct).ConfigureAwait(false);
                var reports = File.Exists(Path.Combine(outDir.FullName, "index.html")) && File.Exists(Path.Combine(outDir.FullName, "results.json"));
                var (runPhase, verdicts) = reports ? ReadResults(Path.Combine(outDir.FullName, "results.json")) : (null, "-");
                var valid = run.ExitCode == 0 && reports && runPhase is not null;
                allValid &= valid;
                walls.Add(run.WallMs);
                table.Add(Format.Int(i), Format.Ms(run.WallMs),
                    runPhase is { } phase ? Format.Ms(phase) : "-",
                    runPhase is { } p ? Format.Ms(run.WallMs - p) : "-",
                    run.TimedOut ? "timeout" : Format.Int(run.ExitCode),
                    reports ? "index.html, results.json" : "MISSING", verdicts, valid ? "yes" : "NO");
                if (!valid)
                {
                    table.Write(output);
                    output.WriteLine($"  run {i} failed; the child's last output:");
                    output.WriteLine(Indent(run.Tail));
                    table = new TextTable("run", ">wall ms", ">child run phase ms", ">outside run phase ms", ">exit", "reports", "verdicts (behavior)", "valid");
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

        var stats = Stats.Of(walls);
        new TextTable("wsconform run, wall clock", ">min ms", ">median ms", ">max ms", ">goal ms", "goal")
            .Add("", Format.Ms(stats.Min), Format.Ms(stats.Median), Format.Ms(stats.Max), Format.Ms(GoalMs), Format.AgainstGoal(stats.Median, GoalMs))
            .Write(output);
        output.WriteLine();
        if (!allValid)
            output.WriteLine("  INVALID: some run failed (exit code, missing report, unreadable results.json); see above.");

        return new BenchmarkOutcome(
        [
            new SummaryRow(Name, $"wsconform run, wall clock, median of {iterations}", Format.MsUnit(stats.Median), "<= " + Format.MsUnit(GoalMs),
                allValid ? Format.AgainstGoal(stats.Median, GoalMs) : "INVALID"),
        ], allValid);
    }

    /// <summary>The run phase and behaviour counts from the child's results.json; null when it cannot be read.</summary>
    private static (double? RunPhaseMs, string Verdicts) ReadResults(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var target = document.RootElement.GetProperty("targets")[0];
            var verdicts = target.GetProperty("cases").EnumerateArray()
                .Select(c => c.GetProperty("behavior").GetString() ?? "?")
                .CountBy(v => v)
                .OrderByDescending(p => p.Value)
                .Select(p => $"{p.Key}={Format.Int(p.Value)}");
            return (target.GetProperty("runPhaseMs").GetDouble(), string.Join(" ", verdicts));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or IOException)
        {
            return (null, "unreadable: " + e.Message);
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

    /// <summary>Runs a child to completion with its output captured (so it never sees a terminal), timing spawn to exit.</summary>
    private static class ChildProcess
    {
        public sealed record Outcome(int ExitCode, double WallMs, bool TimedOut, string Tail);

        public static async Task<Outcome> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout,
            CancellationToken ct)
        {
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

            string tail;
            lock (captured)
                tail = string.Join('\n', captured.ToString().Split('\n').TakeLast(20));
            return new Outcome(timedOut ? -1 : process.ExitCode, clock.Elapsed.TotalMilliseconds, timedOut, tail.TrimEnd());

            void Append(string? line)
            {
                if (line is null) return;
                lock (captured)
                    captured.Append(line).Append('\n');
            }
        }
    }
}
