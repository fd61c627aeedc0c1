using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Wsconform.Cases;
using Wsconform.Engine;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Serving;
using Wsconform.Model;
using Wsconform.Reports;

namespace Wsconform.Cli;

/// <summary>
/// <c>wsconform run-client --exec "CMD {url}"</c>: tests a WebSocket client that is not an Autobahn driver. Serves the
/// cases on a free loopback port (as <c>serve</c> does) and launches the client command once per case with
/// <c>{url}</c> replaced by that case's <c>/runCase</c> URL; the client connects, echoes every message and closes.
/// </summary>
internal static class RunClientCommand
{
    public const string DefaultAgent = "client";

    internal const string Description =
        "Test a WebSocket client by launching it once per case: serve the cases on a free 127.0.0.1 port (as serve does) and run " +
        "the --exec command (through /bin/sh -c) with {url} replaced by the case's URL (ws://127.0.0.1:PORT/runCase?case=N&agent=NAME). " +
        "The client connects to it, echoes every text and binary message and answers the close. Each case ends when its result is " +
        "recorded or at its deadline (the case's own deadline plus a margin, or --timeout-per-case), then the client's process tree " +
        "is killed if still alive. The client's stderr tail goes into the wire log of a case that ends ERROR or FAILED. " +
        "Reports are written as serve's /updateReports writes them, and the cases are judged as run judges a server's (--expect, else the " +
        "'default' policy; --policy, --junit): exit code 0 when every case met its expectation, 1 when not.";

    /// <summary>The validated input of run-client.</summary>
    internal sealed record Request
    {
        public required string Exec { get; init; }
        public required string Agent { get; init; }
        public required IReadOnlyList<string> Cases { get; init; }
        public required IReadOnlyList<string> Exclude { get; init; }
        public required IReadOnlyList<ConformanceCase> Selected { get; init; }
        public required IReadOnlyList<(ConformanceCase Case, string Reason)> LeftOut { get; init; }
        public required string OutputDirectory { get; init; }
        public TimeSpan? TimeoutPerCase { get; init; }
    }

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var exec = new Option<string>("--exec")
        {
            Description = "The client command, run once per case through /bin/sh -c; {url} is replaced by the case's URL, quoted for the shell " +
                "(also in the environment as WSCONFORM_URL). A command that cannot start ends the run with exit code 2.",
            HelpName = "COMMAND",
            Required = true,
        };
        var cases = CommonOptions.Cases();
        var exclude = CommonOptions.Exclude();
        var output = new Option<string>("--out")
        {
            Description = "Directory for the reports (results.json, index.html, Autobahn's index.json + per-case JSON); created if missing.",
            HelpName = "DIR",
            DefaultValueFactory = _ => ServeCommand.DefaultOutputDirectory,
        };
        var agent = new Option<string>("--agent")
        {
            Description = "The client's name in the reports (the agent of the runCase URLs).",
            HelpName = "NAME",
            DefaultValueFactory = _ => DefaultAgent,
        };
        var timeout = new Option<double?>("--timeout-per-case")
        {
            Description = "Seconds a case may take from launching the client to its result (default: the case's own deadline plus a margin).",
            HelpName = "S",
        };

        var gate = new GateOptions();

        var command = new Command("run-client", Description) { exec, cases, exclude, output, agent, timeout };
        gate.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var error = Validate(parse.GetValue(exec) ?? "", parse.GetValue(cases), parse.GetValue(exclude),
                parse.GetValue(output) ?? ServeCommand.DefaultOutputDirectory, parse.GetValue(agent) ?? DefaultAgent, parse.GetValue(timeout), out var request);
            CommandGate? judged = null;
            if (error is null) error = gate.Load(parse, withoutExpectFile: null, out judged);
            if (error is not null)
            {
                stderr.WriteLine($"wsconform: {error}");
                return ExitCodes.Usage;
            }
            return await ExecuteAsync(request!, judged!, stdout, stderr, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static string? Validate(string exec, string[]? casesValues, string[]? excludeValues, string outputDirectory, string agent,
        double? timeoutSeconds, out Request? request)
    {
        request = null;
        if (string.IsNullOrWhiteSpace(exec)) return "--exec needs the client command";
        if (!exec.Contains(ClientLauncher.UrlPlaceholder, StringComparison.Ordinal))
            return $"--exec must contain {ClientLauncher.UrlPlaceholder}, replaced by each case's URL (e.g. --exec \"python3 client.py --url {{url}}\")";
        if (exec.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0) return "--exec must be one line";
        if (InputValidation.CheckAgent(agent) is { } agentError) return agentError;
        if (agent.Length > 200 || agent.Any(char.IsControl)) return "--agent must be at most 200 characters, without control characters";
        if (timeoutSeconds is { } s && (double.IsNaN(s) || s <= 0 || s > 24 * 3600))
            return string.Create(CultureInfo.InvariantCulture, $"--timeout-per-case must be a number of seconds above 0 (got {s})");
        if (InputValidation.CheckOutputDirectory(outputDirectory) is { } outError) return outError;

        var include = InputValidation.SplitPatterns(casesValues);
        var exclude = InputValidation.SplitPatterns(excludeValues);
        if (InputValidation.SelectCasesFor(PeerKind.Client, include, exclude, out var applicable, out var leftOut) is { } selectError) return selectError;

        request = new Request
        {
            Exec = exec,
            Agent = agent,
            Cases = include,
            Exclude = exclude,
            Selected = applicable,
            LeftOut = leftOut,
            OutputDirectory = outputDirectory,
            TimeoutPerCase = timeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null,
        };
        return null;
    }

    private static async Task<int> ExecuteAsync(Request request, CommandGate gate, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var outputDirectory = Path.GetFullPath(request.OutputDirectory);
        if (!CliConsole.TryCreateOutputDirectory(outputDirectory, request.OutputDirectory, stderr)) return ExitCodes.Usage;

        var lines = new LockedLines(stdout, stderr);
        Action<string> Out = lines.Out, Err = lines.Err;

        var other = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mode"] = "run-client (the harness is the server; the target is a client launched once per case)",
            ["exec"] = request.Exec,
        };
        var timeouts = ProtocolTimeouts.Autobahn;
        var options = new ServeOptions
        {
            Address = IPAddress.Loopback,
            Port = 0,
            Cases = request.Selected,
            Timeouts = timeouts,
            Settings = new RunSettings { Cases = request.Cases, Exclude = request.Exclude, Parallel = 1, Other = other },
            WriteReports = (run, token) => ServeCommand.WriteReportsAsync(run, outputDirectory, gate, token),
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
        await using (server.ConfigureAwait(false))
        {
            Out(string.Create(CultureInfo.InvariantCulture,
                $"wsconform {ToolInfo.Version} run-client: {server.Cases.Count} case(s), client '{request.Agent}' launched per case against {server.Url.GetLeftPart(UriPartial.Authority)}"));
            if (request.LeftOut.Count > 0) Out(InputValidation.LeftOutLine(PeerKind.Client, request.LeftOut));
            try
            {
                for (var n = 1; n <= server.Cases.Count; n++)
                {
                    var deadline = request.TimeoutPerCase ?? ClientLauncher.DefaultDeadline(server.Cases[n - 1], timeouts);
                    var result = await ClientLauncher.RunCaseAsync(server, n, request.Agent, request.Exec, deadline, ct).ConfigureAwait(false);
                    Out(ServeCommand.FormatCase(new ServedCase(request.Agent, result)));
                }
            }
            catch (ClientStartException e)
            {
                Err(e.Message);
                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                cancelled = true;
                Out("stopping: interrupted (Ctrl+C or SIGTERM)");
            }
        }

        IReadOnlyList<string> paths;
        try
        {
            paths = await server.WriteReportsAsync(onlyIfChanged: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ReportWriterException or AggregateException or IOException or UnauthorizedAccessException)
        {
            Err($"writing the reports failed: {(e is AggregateException a ? string.Join("; ", a.InnerExceptions.Select(i => i.Message)) : e.Message)}");
            return ExitCodes.InternalError;
        }
        if (cancelled) return ExitCodes.Cancelled;

        ServeCommand.JudgeAndSummarize(server.Snapshot(), gate, clock.Elapsed, stdout, stderr, out var exitCode);
        stdout.WriteLine("Reports:");
        foreach (var path in paths)
            stdout.WriteLine("  " + path);
        return exitCode;
    }
}
