using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wsconform.Cases;
using Wsconform.Engine;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Serving;
using Wsconform.Model;
using Wsconform.Reports;

namespace Wsconform.Cli;

/// <summary>
/// <c>wsconform serve</c>: the harness as a WebSocket server for testing clients, driven by Autobahn's fuzzingserver URL
/// protocol, so existing Autobahn client drivers work unchanged.
/// </summary>
internal static class ServeCommand
{
    public const string DefaultOutputDirectory = "./wsconform-client-report";

    internal const string Description =
        "Test WebSocket clients: listen as a server and run the cases a client asks for, with Autobahn's fuzzingserver URL protocol " +
        "(drivers written for Autobahn work unchanged). A driver connects to /getCaseCount (one text message: the number of cases), " +
        "then to /runCase?case=N&agent=NAME for N = 1..count (or /runCase?casetuple=X.Y.Z&agent=NAME), echoing every message, " +
        "then to /updateReports?agent=NAME. Also: /getCaseInfo?case=N, /getCaseStatus?case=N&agent=NAME, /stopServer. " +
        "Cases that only make sense against a server are not applicable and always left out: 0.1-0.7 (the opening handshake as " +
        "a server sees it) and 14.1.x (how a server treats a client's masking); 0.8-0.9 judge the client's own handshake. Not supported: Autobahn's direct command mode " +
        "(any other path gets HTTP 400 naming the valid paths). The client's Host header is not checked against the port. " +
        "Stop with /stopServer or Ctrl+C; both write the reports first. When it stops, every agent's cases are judged against --expect " +
        "(else the 'default' policy), as run judges a server's: exit code 1 when a case does not meet its expectation.";

    /// <summary>The validated input of serve.</summary>
    internal sealed record Request
    {
        public required IPAddress Address { get; init; }
        public required string HostText { get; init; }
        public required int Port { get; init; }
        public required IReadOnlyList<string> Cases { get; init; }
        public required IReadOnlyList<string> Exclude { get; init; }
        public required IReadOnlyList<ConformanceCase> Selected { get; init; }
        public required IReadOnlyList<(ConformanceCase Case, string Reason)> LeftOut { get; init; }
        public required string OutputDirectory { get; init; }
        public required IReadOnlyList<string> Protocols { get; init; }
        public X509Certificate2? Certificate { get; init; }
    }

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var port = new Option<int>("--port")
        {
            Description = $"TCP port to listen on (0: any free port, printed on start).",
            HelpName = "N",
            DefaultValueFactory = _ => ServeOptions.DefaultPort,
        };
        var host = new Option<string>("--host")
        {
            Description = "Address to listen on: an IP address or 'localhost'; 0.0.0.0 or :: listens on every interface.",
            HelpName = "ADDRESS",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var cases = CommonOptions.Cases();
        var exclude = CommonOptions.Exclude();
        var output = new Option<string>("--out")
        {
            Description = "Directory for the reports (results.json, index.html, Autobahn's index.json + per-case JSON); created if missing.",
            HelpName = "DIR",
            DefaultValueFactory = _ => DefaultOutputDirectory,
        };
        var cert = new Option<string?>("--cert")
        {
            Description = "Serve wss:// with this PEM certificate (chain); needs --key.",
            HelpName = "PEM",
        };
        var key = new Option<string?>("--key")
        {
            Description = "The PEM private key of --cert.",
            HelpName = "PEM",
        };
        var protocols = new Option<string[]>("--protocol")
        {
            Description = "A subprotocol the server selects when the client offers it (Sec-WebSocket-Protocol); repeatable, in preference order.",
            HelpName = "NAME",
        };

        var gate = new GateOptions();

        var command = new Command("serve", Description) { port, host, cases, exclude, output, cert, key, protocols };
        gate.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var error = Validate(parse.GetValue(port), parse.GetValue(host) ?? "127.0.0.1", parse.GetValue(cases), parse.GetValue(exclude),
                parse.GetValue(output) ?? DefaultOutputDirectory, parse.GetValue(cert), parse.GetValue(key), parse.GetValue(protocols), out var request);
            CommandGate? judged = null;
            if (error is null) error = gate.Load(parse, withoutExpectFile: null, out judged);
            if (error is not null)
            {
                request?.Certificate?.Dispose();
                stderr.WriteLine($"wsconform: {error}");
                return ExitCodes.Usage;
            }
            using (request!.Certificate)
            {
                return await ExecuteAsync(request, judged!, stdout, stderr, ct).ConfigureAwait(false);
            }
        });
        return command;
    }

    internal static string? Validate(int port, string hostText, string[]? casesValues, string[]? excludeValues, string outputDirectory,
        string? certFile, string? keyFile, string[]? protocolValues, out Request? request)
    {
        request = null;
        if (port is < 0 or > 65535) return $"--port must be 0 to 65535 (got {port})";
        IPAddress? address;
        if (string.Equals(hostText.Trim(), "localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
        else if (!IPAddress.TryParse(hostText.Trim().Trim('[', ']'), out address))
            return $"--host '{hostText}' is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0) or localhost";
        if (InputValidation.CheckOutputDirectory(outputDirectory) is { } outError) return outError;

        var protocols = (protocolValues ?? []).ToList();
        foreach (var protocol in protocols)
        {
            if (InputValidation.CheckProtocol(protocol) is { } protocolError) return protocolError;
        }
        if (protocols.Distinct(StringComparer.Ordinal).Count() != protocols.Count) return "--protocol lists the same subprotocol twice";

        var include = InputValidation.SplitPatterns(casesValues);
        var exclude = InputValidation.SplitPatterns(excludeValues);
        if (InputValidation.SelectCasesFor(PeerKind.Client, include, exclude, out var applicable, out var leftOut) is { } selectError) return selectError;

        X509Certificate2? certificate = null;
        if (certFile is not null || keyFile is not null)
        {
            if (certFile is null || keyFile is null) return "--cert and --key go together (a PEM certificate and its PEM private key)";
            if (!File.Exists(certFile)) return $"--cert file '{certFile}' does not exist";
            if (!File.Exists(keyFile)) return $"--key file '{keyFile}' does not exist";
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                return $"cannot load --cert '{certFile}' with --key '{keyFile}': {Program.OneLine(e.Message)}";
            }
        }

        request = new Request
        {
            Address = address,
            HostText = hostText.Trim(),
            Port = port,
            Cases = include,
            Exclude = exclude,
            Selected = applicable,
            LeftOut = leftOut,
            OutputDirectory = outputDirectory,
            Protocols = protocols,
            Certificate = certificate,
        };
        return null;
    }

    private static async Task<int> ExecuteAsync(Request request, CommandGate gate, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var outputDirectory = Path.GetFullPath(request.OutputDirectory);
        if (!CliConsole.TryCreateOutputDirectory(outputDirectory, request.OutputDirectory, stderr)) return ExitCodes.Usage;

        // Connection threads report concurrently; TextWriters are not thread-safe.
        var lines = new LockedLines(stdout, stderr);
        Action<string> Out = lines.Out, Err = lines.Err;

        var other = new Dictionary<string, string>(StringComparer.Ordinal) { ["mode"] = "serve (the harness is the server; the targets are clients)" };
        if (request.Protocols.Count > 0) other["protocols"] = string.Join(", ", request.Protocols);
        var options = new ServeOptions
        {
            Address = request.Address,
            Port = request.Port,
            Cases = request.Selected,
            Protocols = request.Protocols,
            Certificate = request.Certificate,
            Settings = new RunSettings { Cases = request.Cases, Exclude = request.Exclude, Parallel = 1, Other = other },
            WriteReports = (run, token) => WriteReportsAsync(run, outputDirectory, gate, token),
            CaseFinished = served => Out(FormatCase(served)),
            Log = Out,
            Warn = Err,
        };

        CaseServer server;
        try
        {
            server = CaseServer.Start(options);
        }
        catch (ServeException e)
        {
            Err(e.Message);
            return ExitCodes.Unreachable;
        }

        var cancelled = false;
        var reportsFailed = false;
        await using (server.ConfigureAwait(false))
        {
            var count = server.Cases.Count;
            var url = server.Url.GetLeftPart(UriPartial.Authority);
            Out(string.Create(CultureInfo.InvariantCulture, $"wsconform {ToolInfo.Version} serve: {count} case(s) at {url}"));
            if (request.LeftOut.Count > 0) Out(InputValidation.LeftOutLine(PeerKind.Client, request.LeftOut));
            Out(string.Create(CultureInfo.InvariantCulture,
                $"  driver: {url}/getCaseCount, then {url}/runCase?case=N&agent=NAME for N = 1..{count}, then {url}/updateReports?agent=NAME"));
            Out($"  stop with {url}/stopServer or Ctrl+C; reports go to {outputDirectory}");
            try
            {
                await server.StopRequested.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                cancelled = true;
                Out("stopping: interrupted (Ctrl+C or SIGTERM)");
            }
        }
        // The server is down: cases still running when it stopped are not recorded. Write whatever changed since the last
        // report (after /stopServer nothing has).
        try
        {
            await server.WriteReportsAsync(onlyIfChanged: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ReportWriterException or AggregateException or IOException or UnauthorizedAccessException)
        {
            Err($"writing the reports failed: {e.Message}");
            reportsFailed = true;
        }

        // Judged as run judges its targets: each agent's cases against the same expectations. Ctrl+C is how a long-running
        // serve is usually stopped, so it is judged too, though its exit code stays 130.
        var judged = JudgeAndSummarize(server.Snapshot(), gate, clock.Elapsed, stdout, stderr, out var verdictCode);
        if (!judged) Out("no client ran a case: nothing was judged");
        return reportsFailed ? ExitCodes.InternalError : cancelled ? ExitCodes.Cancelled : verdictCode;
    }

    /// <summary>
    /// The end of serve and run-client: a summary per agent as run prints per target, then the gate's part; false (and
    /// exit code 0) when no agent has a result to judge.
    /// </summary>
    internal static bool JudgeAndSummarize(RunResult run, CommandGate gate, TimeSpan elapsed, TextWriter stdout, TextWriter stderr, out int exitCode)
    {
        exitCode = ExitCodes.Ok;
        if (run.Targets.Count == 0) return false;
        var outcome = gate.Evaluate(run);
        var console = CliConsole.Create(stdout);
        foreach (var target in run.Targets)
            ConsoleReport.Write(console, target, elapsed);
        gate.Report(stdout, outcome);
        exitCode = gate.ExitCode(outcome, stderr);
        return true;
    }

    /// <summary>
    /// results.json, index.html and Autobahn's files, as <c>run</c> writes them, and the --junit file: what
    /// <c>/updateReports</c>, <c>/stopServer</c> and the end of serve and run-client write. A failing writer is one
    /// exception naming it.
    /// </summary>
    internal static async Task<IReadOnlyList<string>> WriteReportsAsync(RunResult run, string outputDirectory, CommandGate gate, CancellationToken ct)
    {
        try
        {
            return await ReportSet.WriteAllAsync(run, outputDirectory, gate.WithJUnit(RunCommand.ReportWriters()), ct).ConfigureAwait(false);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is ReportWriterException))
        {
            throw new IOException(string.Join("; ", ex.InnerExceptions.Select(e => Program.OneLine(e.Message))), ex);
        }
    }

    /// <summary>"agent A: 1.1.1 OK / OK" (behavior / behaviorClose), with the result sentence when the case is not OK.</summary>
    internal static string FormatCase(ServedCase served)
    {
        var r = served.Result;
        var line = $"agent {served.Agent}: {r.Id} {r.Behavior.ToAutobahnString()} / {r.BehaviorClose.ToAutobahnString()}";
        var ok = r.Behavior is Behavior.Ok or Behavior.Informational && r.BehaviorClose is CloseBehavior.Ok or CloseBehavior.Informational;
        return ok ? line : $"{line}: {Program.OneLine(r.Behavior is Behavior.Ok or Behavior.Informational ? r.ResultClose : r.Result)}";
    }
}
