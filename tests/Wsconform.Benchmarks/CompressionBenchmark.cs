using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wsconform.Benchmarks.Support;
using Wsconform.Cases;
using Wsconform.Engine.Scripting;

namespace Wsconform.Benchmarks;

/// <summary>
/// Autobahn's compression categories 12 and 13 (permessage-deflate, 216 cases) against Node <c>ws</c> with
/// permessage-deflate, all in one run with the figures side by side: (1) the wall clock of
/// <c>wsconform run URL --cases 12.*,13.*</c> as a child process; (2) over that same run, the harness's CPU time
/// (user+sys of the child) beside the server's (utime+stime delta of the node process from <c>/proc/PID/stat</c>), the
/// harness's to be the smaller; (3) the wall clock of the full catalogue against the same server; (4) a bare Node
/// <c>ws</c> client doing 12.1's round trips (bare-client/bare_client.js) and the harness on <c>--cases 12.1.*</c>,
/// the harness to be within 1.3× of it. Goals are printed, never asserted.
/// </summary>
/// <remarks>
/// The server is the one <c>../shared/targets/node-ws-deflate.sh</c> starts (<c>node_ws_echo.js PORT WS_DIR deflate 0</c>,
/// ws from <c>ws-npm-install.sh</c>), but started by this benchmark on a free port as its own child and stopped at the
/// end, so that its CPU delta holds only this run's traffic even when the shared instance on 9103 is in use.
/// </remarks>
internal sealed class CompressionBenchmark : IBenchmark
{
    /// <summary>Autobahn|Testsuite's time for categories 12 and 13 against ws 8.18.3, one case at a time.</summary>
    public const double AutobahnMs = 872_000;

    /// <summary>Goal of the issue: the harness on one sub-category within this factor of a bare client's wall clock.</summary>
    public const double BareClientGoal = 1.3;

    /// <summary>Compression cases the harness runs at once (TargetRunner.CompressionParallel); the bare client does the same.</summary>
    private const int CompressionParallel = 4;

    private const string BareClientScript = "tests/Wsconform.Benchmarks/bare-client/bare_client.js";
    private const string BareClientResultPrefix = "BARE-CLIENT-RESULT ";

    /// <summary>Overrides where the shared target scripts are (default: <c>../shared/targets</c> beside the repository).</summary>
    private const string TargetsVariable = "WSCONFORM_TARGETS_DIR";

    private static readonly string[] CompressionPatterns = ["12.*", "13.*"];
    private const string SubcategoryPattern = "12.1.*";

    private static readonly TimeSpan SubcategoryTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan CompressionTimeout = TimeSpan.FromMinutes(45);
    private static readonly TimeSpan FullTimeout = TimeSpan.FromMinutes(60);

    public string Name => "compression";

    public string Description =>
        "categories 12, 13 against Node ws with permessage-deflate as a child process: wall clock (Autobahn 872 s), harness CPU vs server CPU, " +
        "full catalogue wall clock, and 12.1 vs a bare ws client (goal <= 1.3x)";

    public string OptionsHelp =>
        $"--build (rebuild the CLI first)  needs node and ../shared/targets (or ${TargetsVariable}); one run of each, several minutes";

    public bool InDefaultSet => false;

    public async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options, TextWriter output, CancellationToken ct)
    {
        var root = RepoPaths.FindRoot();
        if (await WsconformCli.EnsureBuiltAsync(root, options.Build, output, ct).ConfigureAwait(false) is { } buildError)
            return Invalid(output, "the CLI could not be built: " + buildError);
        var dll = WsconformCli.DllPath(root);

        // The target: node, ws from npm, the shared echo server script.
        var targets = Environment.GetEnvironmentVariable(TargetsVariable) is { Length: > 0 } fromEnvironment
            ? Path.GetFullPath(fromEnvironment)
            : Path.GetFullPath(Path.Combine(root, "..", "shared", "targets"));
        var echoScript = Path.Combine(targets, "src", "node_ws_echo.js");
        var installScript = Path.Combine(targets, "ws-npm-install.sh");
        if (!File.Exists(echoScript) || !File.Exists(installScript))
            return Invalid(output, $"the shared target scripts are not in {targets} (src/node_ws_echo.js, ws-npm-install.sh); set {TargetsVariable}");
        string nodeVersion;
        try
        {
            var node = await ChildProcess.RunAsync("node", ["--version"], root, TimeSpan.FromSeconds(30), ChildMeasure.None, ct).ConfigureAwait(false);
            if (node.ExitCode != 0) return Invalid(output, $"`node --version` failed (exit code {node.ExitCode}):{Environment.NewLine}{WsconformCli.Indent(node.Tail)}");
            nodeVersion = node.Output.Trim();
        }
        catch (Win32Exception e)
        {
            return Invalid(output, $"node cannot be started ({e.Message}); install Node.js (node on the PATH)");
        }
        var install = await ChildProcess.RunAsync("bash", [installScript], root, TimeSpan.FromMinutes(5), ChildMeasure.None, ct).ConfigureAwait(false);
        var wsDir = install.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";
        if (install.ExitCode != 0 || !File.Exists(Path.Combine(wsDir, "package.json")))
            return Invalid(output, $"{installScript} did not install ws (exit code {install.ExitCode}):{Environment.NewLine}{WsconformCli.Indent(install.Tail)}");
        var wsVersion = ReadPackageVersion(Path.Combine(wsDir, "package.json"));

        await using var server = await NodeServer.StartAsync(echoScript, wsDir, root, ct).ConfigureAwait(false);
        if (server.Error is { } serverError)
            return Invalid(output, "the target could not be started: " + serverError);

        var measure = ChildProcess.BestMeasure;
        output.WriteLine($"Target: Node {nodeVersion}, ws {wsVersion} ({wsDir}), permessage-deflate threshold 0: " +
                         $"node {echoScript} {server.Port} <ws> deflate 0 (as node-ws-deflate.sh, on a free port), PID {server.Pid}, {server.Url}");
        output.WriteLine($"Harness: {WsconformCli.DotnetHost()} {dll} run {server.Url} [--cases ...] --out <temp dir>   (CLI built {File.GetLastWriteTimeUtc(dll):yyyy-MM-dd HH:mm:ss}Z)");
        output.WriteLine($"Client CPU and peak RSS: {ChildProcess.Describe(measure)}");
        output.WriteLine($"Server CPU: utime+stime of PID {server.Pid} from /proc/{server.Pid}/stat ({Format.Int((long)ProcStat.TicksPerSecond)} ticks/s) before and after each run");
        output.WriteLine($"Load average before: {LoadAverage()}");
        output.WriteLine();

        var corpusFile = Path.Combine(Path.GetTempPath(), $"wsconform-bench-json-{Guid.NewGuid():N}.txt");
        try
        {
            await File.WriteAllBytesAsync(corpusFile, CompressionCorpora.Json.Octets, ct).ConfigureAwait(false);

            // 4. 12.1 first, bare client then harness, so both meet a server in the same state; then 12+13, then everything.
            output.WriteLine($"-- bare ws client, 12.1's round trips: node {BareClientScript} (18 rows x {Format.Int(Compression.MessageCount)} messages, {CompressionParallel} rows at a time)");
            var bare = await RunBareClientAsync(root, wsDir, server, corpusFile, measure, output, ct).ConfigureAwait(false);
            output.WriteLine($"-- wsconform run --cases {SubcategoryPattern}");
            var sub = await RunHarnessAsync("wsconform, 12.1", [SubcategoryPattern], CaseIds.Select(Catalogue.All, [SubcategoryPattern], []).Count,
                allOk: true, dll, root, server, measure, SubcategoryTimeout, output, ct).ConfigureAwait(false);
            var compressionCount = CaseIds.Select(Catalogue.All, CompressionPatterns, []).Count;
            output.WriteLine($"-- wsconform run --cases {string.Join(',', CompressionPatterns)}");
            var compression = await RunHarnessAsync("wsconform, 12 + 13", CompressionPatterns, compressionCount,
                allOk: true, dll, root, server, measure, CompressionTimeout, output, ct).ConfigureAwait(false);
            output.WriteLine("-- wsconform run (the full catalogue, no --cases)");
            var full = await RunHarnessAsync("wsconform, full catalogue", null, Catalogue.All.Count,
                allOk: false, dll, root, server, measure, FullTimeout, output, ct).ConfigureAwait(false);
            output.WriteLine($"Load average after: {LoadAverage()}");
            output.WriteLine();

            return Report(output, bare, sub, compression, full, wsVersion);
        }
        finally
        {
            try { File.Delete(corpusFile); }
            catch (IOException) { }
        }
    }

    /// <summary>One measured child: the bare client or a harness run.</summary>
    /// <param name="Label">For the tables.</param>
    /// <param name="Cases">Cases (or rows) done.</param>
    /// <param name="Run">The child's exit code, wall clock, CPU and peak RSS.</param>
    /// <param name="InnerMs">The child's own time: the harness's run phase (first case start to last case end), the
    /// bare client's first connect to last close.</param>
    /// <param name="ServerCpuMs">The server's utime+stime over the child's life.</param>
    /// <param name="Verdicts">Behaviour counts, or the bare client's echo check.</param>
    /// <param name="DurationsMs">Per case (or row) durations by case ID ("12.1.1").</param>
    /// <param name="Valid">The run did what it should (see <see cref="BenchmarkOutcome.Valid"/>).</param>
    private sealed record Measured(string Label, int Cases, ChildProcess.Outcome Run, double? InnerMs, double? ServerCpuMs, string Verdicts,
        IReadOnlyDictionary<string, double> DurationsMs, bool Valid);

    private static async Task<Measured> RunBareClientAsync(string root, string wsDir, NodeServer server, string corpusFile, ChildMeasure measure,
        TextWriter output, CancellationToken ct)
    {
        var rows = "[" + string.Join(',', Compression.SizeRows.Select(r =>
            $"{{\"size\":{Format.Int(r.MessageSize)},\"fragmentSize\":{Format.Int(r.FragmentSize)}}}")) + "]";
        string[] arguments = [Path.Combine(root, BareClientScript), wsDir, server.Url, corpusFile, rows,
            Format.Int(Compression.MessageCount), Format.Int(CompressionParallel)];
        var before = server.CpuMs();
        var run = await ChildProcess.RunAsync("node", arguments, root, SubcategoryTimeout, measure, ct).ConfigureAwait(false);
        var after = server.CpuMs();
        var line = run.Output.Split('\n').LastOrDefault(l => l.StartsWith(BareClientResultPrefix, StringComparison.Ordinal));
        double? inner = null;
        var durations = new Dictionary<string, double>(StringComparer.Ordinal);
        var verdicts = "no result line";
        var valid = false;
        var rowCount = 0;
        if (line is not null)
        {
            try
            {
                using var json = JsonDocument.Parse(line[BareClientResultPrefix.Length..]);
                var r = json.RootElement;
                inner = r.GetProperty("wallMs").GetDouble();
                var echoes = r.GetProperty("echoes").GetInt32();
                var mismatches = r.GetProperty("mismatches").GetInt32();
                var extensions = r.GetProperty("extensions").GetString() ?? "";
                foreach (var row in r.GetProperty("rows").EnumerateArray())
                {
                    rowCount++;
                    durations["12.1." + Format.Int(row.GetProperty("row").GetInt32())] = row.GetProperty("ms").GetDouble();
                }
                var expected = Compression.SizeRows.Count * Compression.MessageCount;
                verdicts = $"echoes {Format.Int(echoes)}/{Format.Int(expected)}, {Format.Int(mismatches)} different; " +
                           $"{Format.Int(r.GetProperty("fragmentsNotSent").GetInt32())} rows sent whole (not fragmented); agreed \"{extensions}\"";
                valid = run.ExitCode == 0 && echoes == expected && mismatches == 0 && rowCount == Compression.SizeRows.Count
                        && extensions.StartsWith("permessage-deflate", StringComparison.Ordinal);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                verdicts = "unreadable result line: " + e.Message;
            }
        }
        valid &= run.CpuMs is not null && before is not null && after is not null;
        var measured = new Measured("bare ws client, 12.1 rows", rowCount, run, inner, after - before, verdicts, durations, valid);
        Progress(output, measured);
        if (!valid) output.WriteLine($"  the bare client failed or is incomplete (exit code {run.ExitCode}); its last output:{Environment.NewLine}{WsconformCli.Indent(run.Tail)}");
        return measured;
    }

    private static async Task<Measured> RunHarnessAsync(string label, IReadOnlyList<string>? patterns, int expectedCases, bool allOk, string dll,
        string root, NodeServer server, ChildMeasure measure, TimeSpan timeout, TextWriter output, CancellationToken ct)
    {
        var outDir = Directory.CreateTempSubdirectory("wsconform-bench-");
        try
        {
            List<string> arguments = [dll, "run", server.Url, "--out", outDir.FullName];
            if (patterns is not null) arguments.AddRange(["--cases", string.Join(',', patterns)]);
            var before = server.CpuMs();
            var run = await ChildProcess.RunAsync(WsconformCli.DotnetHost(), arguments, root, timeout, measure, ct).ConfigureAwait(false);
            var after = server.CpuMs();
            var resultsFile = Path.Combine(outDir.FullName, "results.json");
            var reports = File.Exists(Path.Combine(outDir.FullName, "index.html")) && File.Exists(resultsFile);
            var results = reports ? WsconformCli.ReadResults(resultsFile) : WsconformCli.Results.None("no report");
            var counts = results.Counts;
            // Exit code 1 is the gate's "some case did not meet the default policy": a verdict, not a failed run.
            var valid = run.ExitCode is 0 or 1 && reports && results.RunPhaseMs is not null && results.Cases == expectedCases
                        && !counts.ContainsKey("ERROR") && run.CpuMs is not null && before is not null && after is not null
                        && (!allOk || counts.GetValueOrDefault("OK") == expectedCases);
            var measured = new Measured(label, results.Cases, run, results.RunPhaseMs, after - before, results.Verdicts, results.DurationsMs, valid);
            Progress(output, measured);
            if (!valid)
                output.WriteLine($"  run failed or unexpected verdicts (exit code {run.ExitCode}, {results.Verdicts}); its last output:{Environment.NewLine}{WsconformCli.Indent(run.Tail)}");
            return measured;
        }
        finally
        {
            try { outDir.Delete(recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>One line as soon as a run ends, the run's figures in full come in the tables at the end.</summary>
    private static void Progress(TextWriter output, Measured m) =>
        output.WriteLine($"   wall {Format.Seconds(m.Run.WallMs)}, own time {(m.InnerMs is { } inner ? Format.Seconds(inner) : "-")}, " +
                         $"client CPU {(m.Run.CpuMs is { } cpu ? Format.Seconds(cpu) : "-")}, server CPU {(m.ServerCpuMs is { } s ? Format.Seconds(s) : "-")}, " +
                         $"{m.Verdicts}{(m.Valid ? "" : "  (NOT VALID)")}");

    private BenchmarkOutcome Report(TextWriter output, Measured bare, Measured sub, Measured compression, Measured full, string wsVersion)
    {
        var runs = new TextTable("run", ">cases", ">wall", ">own time", ">client CPU", ">server CPU", ">client/server CPU", ">client peak RSS", ">exit", "verdicts", "valid");
        foreach (var m in new[] { bare, sub, compression, full })
        {
            runs.Add(m.Label, Format.Int(m.Cases), Format.Seconds(m.Run.WallMs), m.InnerMs is { } inner ? Format.Seconds(inner) : "-",
                m.Run.CpuMs is { } cpu ? Format.Seconds(cpu) : "-", m.ServerCpuMs is { } server ? Format.Seconds(server) : "-",
                m.Run.CpuMs is { } c && m.ServerCpuMs is { } s ? Format.Ratio(c / s) : "-",
                m.Run.PeakRssBytes is { } rss ? Format.MiB(rss) : "-", m.Run.TimedOut ? "timeout" : Format.Int(m.Run.ExitCode), m.Verdicts,
                m.Valid ? "yes" : "NO");
        }
        output.WriteLine("== compression: every run of this benchmark, against the same node ws server");
        runs.Write(output);
        output.WriteLine("  wall = spawn to exit (runtime startup, reports included); own time = the harness's run phase (first case start to last case end),");
        output.WriteLine("  the bare client's first connect to last close; client CPU = user+sys of the child; server CPU = the node server's utime+stime");
        output.WriteLine("  delta over the child's life (it serves only this benchmark's connections).");
        output.WriteLine();

        // 12.1 per row, side by side.
        var perRow = new TextTable("case", ">message size", ">fragment size", ">bare client", ">wsconform", ">wsconform / bare");
        for (var i = 0; i < Compression.SizeRows.Count; i++)
        {
            var id = "12.1." + Format.Int(i + 1);
            var row = Compression.SizeRows[i];
            var b = bare.DurationsMs.TryGetValue(id, out var bareMs) ? bareMs : (double?)null;
            var h = sub.DurationsMs.TryGetValue(id, out var harnessMs) ? harnessMs : (double?)null;
            perRow.Add(id, Format.Int(row.MessageSize), row.FragmentSize == 0 ? "-" : Format.Int(row.FragmentSize) + " (bare: whole)",
                b is { } x ? Format.Ms(x) + " ms" : "-", h is { } y ? Format.Ms(y) + " ms" : "-", b is { } bb && h is { } hh ? Format.Ratio(hh / bb) : "-");
        }
        output.WriteLine($"== compression: 12.1 row by row ({Format.Int(Compression.MessageCount)} round trips each, {CompressionParallel} rows at a time in both)");
        perRow.Write(output);
        output.WriteLine("  The bare client offers ws's default \"permessage-deflate; client_max_window_bits\" (context takeover on its side);");
        output.WriteLine("  wsconform offers Autobahn's \"permessage-deflate; client_no_context_takeover; client_max_window_bits\". Rows 11-18:");
        output.WriteLine("  ws cannot cut a message's compressed octets into frames, so the bare client sends those messages whole while");
        output.WriteLine("  wsconform sends frames of the fragment size.");
        output.WriteLine();

        var rows = new List<SummaryRow>();
        var allValid = bare.Valid && sub.Valid && compression.Valid && full.Valid;

        // 1. Wall clock of 12 + 13, Autobahn as the reference.
        var autobahnRatio = AutobahnMs / compression.Run.WallMs;
        rows.Add(new SummaryRow(Name, $"wsconform run --cases 12.*,13.* ({Format.Int(compression.Cases)}) vs node ws {wsVersion} deflate: wall clock",
            Format.Seconds(compression.Run.WallMs),
            $"Autobahn {Format.Seconds(AutobahnMs)} (ws 8.18.3, one case at a time): {Format.Ratio(autobahnRatio)} faster",
            compression.Valid ? "reference" : "INVALID"));

        // 2. CPU of the harness beside the server's over that same run.
        var cpuVerdict = "INVALID";
        var cpuValue = "-";
        if (compression.Run.CpuMs is { } harnessCpu && compression.ServerCpuMs is { } serverCpu)
        {
            cpuValue = $"{Format.Seconds(harnessCpu)} vs server {Format.Seconds(serverCpu)} = {Format.Ratio(harnessCpu / serverCpu)}";
            if (compression.Valid) cpuVerdict = harnessCpu < serverCpu ? "met" : "MISSED";
        }
        rows.Add(new SummaryRow(Name, "same run: harness CPU (user+sys) vs node server CPU (utime+stime)", cpuValue, "harness < server (< 1.00x)", cpuVerdict));

        // 3. The full catalogue.
        rows.Add(new SummaryRow(Name, $"wsconform run, full catalogue ({Format.Int(full.Cases)}) vs the same server: wall clock",
            Format.Seconds(full.Run.WallMs), "", full.Valid ? "reference" : "INVALID"));

        // 4. 12.1 against a bare client.
        var bareRatio = sub.Run.WallMs / bare.Run.WallMs;
        rows.Add(new SummaryRow(Name, "12.1 (18 x 1000 round trips): wsconform run --cases 12.1.* / bare node ws client, wall clock",
            $"{Format.Seconds(sub.Run.WallMs)} / {Format.Seconds(bare.Run.WallMs)} = {Format.Ratio(bareRatio)}",
            "<= " + Format.Ratio(BareClientGoal),
            sub.Valid && bare.Valid ? Format.AgainstGoal(bareRatio, BareClientGoal) : "INVALID"));
        if (sub.InnerMs is { } subInner && bare.InnerMs is { } bareInner)
        {
            rows.Add(new SummaryRow(Name, "12.1: the same, own time (run phase / first connect to last close; no startup)",
                $"{Format.Seconds(subInner)} / {Format.Seconds(bareInner)} = {Format.Ratio(subInner / bareInner)}",
                "<= " + Format.Ratio(BareClientGoal), sub.Valid && bare.Valid ? Format.AgainstGoal(subInner / bareInner, BareClientGoal) : "INVALID"));
        }

        output.WriteLine("== compression: the issue's figures, one run");
        var headline = new TextTable("measure", ">value", "goal / reference", "verdict");
        foreach (var row in rows)
            headline.Add(row.Measure, row.Value, row.Goal, row.Verdict);
        headline.Write(output);
        output.WriteLine("  (Autobahn's 872 s: categories 12 and 13 against ws 8.18.3, one case at a time; wsconform runs 4 compression cases at a time.)");
        output.WriteLine();
        if (!allValid)
            output.WriteLine("  INVALID: some run failed (exit code, missing report, wrong case count, a non-OK verdict in 12/13, a wrong echo); see above.");
        return new BenchmarkOutcome(rows, allValid);
    }

    private BenchmarkOutcome Invalid(TextWriter output, string why)
    {
        output.WriteLine("  INVALID: " + why);
        output.WriteLine();
        return new BenchmarkOutcome([new SummaryRow(Name, "categories 12, 13 vs node ws deflate", "-", "", "INVALID")], false);
    }

    private static string ReadPackageVersion(string packageJson)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(packageJson));
            return json.RootElement.GetProperty("version").GetString() ?? "?";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return "?";
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages, so a disturbed run shows.</summary>
    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', fields.Take(3)) + $" ({Format.Int(Environment.ProcessorCount)} cores)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>
    /// The node ws echo server with permessage-deflate (threshold 0) as this benchmark's own child, on a free port:
    /// the command <c>node-ws-deflate.sh</c> runs. Disposing kills it (by its own handle).
    /// </summary>
    private sealed class NodeServer : IAsyncDisposable
    {
        private readonly Process? _process;
        private readonly StringBuilder _log = new();

        private NodeServer(Process? process, int port, string? error)
        {
            _process = process;
            Port = port;
            Error = error;
        }

        public int Port { get; }
        public string Url => $"ws://127.0.0.1:{Format.Int(Port)}/";
        public int Pid => _process?.Id ?? 0;

        /// <summary>Why it could not be started; null when it runs.</summary>
        public string? Error { get; }

        /// <summary>The server's utime+stime so far; null when it is gone.</summary>
        public double? CpuMs() => _process is { HasExited: false } ? ProcStat.CpuMs(_process.Id) : null;

        public static async Task<NodeServer> StartAsync(string echoScript, string wsDir, string workingDirectory, CancellationToken ct)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
            }
            var info = new ProcessStartInfo("node")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { echoScript, Format.Int(port), wsDir, "deflate", "0" })
                info.ArgumentList.Add(argument);
            var process = new Process { StartInfo = info };
            NodeServer server;
            try
            {
                process.Start();
                server = new NodeServer(process, port, null);
            }
            catch (Win32Exception e)
            {
                process.Dispose();
                return new NodeServer(null, port, $"node cannot be started: {e.Message}");
            }
            process.OutputDataReceived += (_, e) => server.Log(e.Data);
            process.ErrorDataReceived += (_, e) => server.Log(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                if (process.HasExited)
                {
                    await Task.Delay(100, ct).ConfigureAwait(false); // let the last output lines arrive
                    return server.Failed($"node exited during start-up (exit code {process.ExitCode})");
                }
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
                    return server;
                }
                catch (SocketException)
                {
                    await Task.Delay(100, ct).ConfigureAwait(false);
                }
            }
            return server.Failed($"node did not open port {Format.Int(port)} within 30 s");
        }

        private NodeServer Failed(string why)
        {
            string log;
            lock (_log)
                log = _log.ToString().TrimEnd();
            Stop();
            return new NodeServer(null, Port, why + (log.Length == 0 ? "" : $"; its output:{Environment.NewLine}{WsconformCli.Indent(log)}"));
        }

        private void Log(string? line)
        {
            if (line is null) return;
            lock (_log)
            {
                if (_log.Length < 64 * 1024) _log.Append(line).Append('\n');
            }
        }

        private void Stop()
        {
            if (_process is null) return;
            try
            {
                // Only the process this benchmark started, by its own handle (node_ws_echo.js starts no children).
                if (!_process.HasExited) _process.Kill();
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException) { }
            catch (Win32Exception) { }
            _process.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Stop();
            return ValueTask.CompletedTask;
        }
    }
}
