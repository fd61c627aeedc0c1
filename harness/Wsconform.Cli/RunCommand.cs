using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Wsconform.Cases;
using Wsconform.Echo;
using Wsconform.Engine;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Model;
using Wsconform.Reports;
using Wsconform.Reports.Autobahn;
using Wsconform.Reports.Journal;
using Wsconform.Engine.Session;

namespace Wsconform.Cli;

/// <summary><c>wsconform run [URL]</c>: probe the target, run the selected cases, write reports, print a summary.</summary>
internal static class RunCommand
{
    public const string DefaultOutputDirectory = "./wsconform-report";

    /// <summary>The validated input of a run.</summary>
    internal sealed record Request
    {
        /// <summary>Null: test the built-in echo server.</summary>
        public Uri? Url { get; init; }
        public required IReadOnlyList<string> Cases { get; init; }
        public required IReadOnlyList<string> Exclude { get; init; }
        public required IReadOnlyList<ConformanceCase> Selected { get; init; }
        /// <summary>Selected cases that do not apply to servers (the client handshake cases), with why.</summary>
        public IReadOnlyList<(ConformanceCase Case, string Reason)> LeftOut { get; init; } = [];
        public required string OutputDirectory { get; init; }
        public required int Parallel { get; init; }
        public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }
        public string? Origin { get; init; }
        public required IReadOnlyList<string> Protocols { get; init; }
        public bool Insecure { get; init; }
        public string? CaFile { get; init; }
        public string? Agent { get; init; }
        /// <summary>What the gate judges against (--expect, --policy) and where JUnit goes (--junit).</summary>
        public required CommandGate Gate { get; init; }
        /// <summary>The --template-dir folder (the user's own HTML templates), or null for the built-in ones.</summary>
        public string? TemplateDirectory { get; init; }
        /// <summary>Several targets from --spec; null: the one URL (or the built-in server).</summary>
        public IReadOnlyList<SpecTarget>? SpecTargets { get; init; }
        /// <summary>--resume: keep the finished cases of the journal in <see cref="OutputDirectory"/> and run only the others.</summary>
        public bool Resume { get; init; }
    }

    /// <summary>One target of a run: its URL, name, handshake options and its own case selection.</summary>
    internal sealed record SpecTarget(Uri Url, string? Agent, string? Origin, IReadOnlyList<string> Protocols, IReadOnlyList<ConformanceCase> Selected);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var url = new Argument<string?>("URL")
        {
            Description = "ws:// or wss:// URL of the server to test (path and query are kept). Without it, a built-in echo server on a free loopback port is tested.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var cases = CommonOptions.Cases();
        var exclude = CommonOptions.Exclude();
        var output = new Option<string>("--out")
        {
            Description = "Directory for the reports (results.json, index.html); created if missing.",
            HelpName = "DIR",
            DefaultValueFactory = _ => DefaultOutputDirectory,
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "How many cases run at once, each on its own connection (at least 1).",
            HelpName = "N",
            DefaultValueFactory = _ => RunOptions.DefaultParallel,
        };
        var headers = new Option<string[]>("--header")
        {
            Description = "Extra request header for the opening handshake, e.g. \"Authorization: Bearer xyz\"; repeatable.",
            HelpName = "\"Name: value\"",
        };
        var origin = new Option<string?>("--origin") { Description = "Send this Origin header (none by default).", HelpName = "VALUE" };
        var protocols = new Option<string[]>("--protocol")
        {
            Description = "Offer this subprotocol in Sec-WebSocket-Protocol; repeatable, in preference order.",
            HelpName = "NAME",
        };
        var insecure = new Option<bool>("--insecure") { Description = "wss: accept any server certificate (self-signed test servers)." };
        var ca = new Option<string?>("--ca")
        {
            Description = "wss: trust the CA certificate(s) in this PEM or DER file for the server's certificate.",
            HelpName = "FILE",
        };
        var agent = new Option<string?>("--agent")
        {
            Description = "Name of the target in reports (default: the server's Server header, else host:port).",
            HelpName = "NAME",
        };
        var gate = new GateOptions();
        var spec = new Option<string?>("--spec")
        {
            Description = "Autobahn fuzzingclient.json: servers (agent, url, origin, protocols), cases, exclude-cases, exclude-agent-cases, outdir. Replaces URL, --cases, --exclude, --origin, --protocol and --agent.",
            HelpName = "FILE",
        };

        var templateDir = new Option<string?>("--template-dir")
        {
            Description = "Folder with your own HTML report templates (index.hbs, case.hbs, wirelog.hbs, wirestats.hbs, bar.hbs, styles.css, filter.js); files missing there fall back to the built-in ones.",
            HelpName = "DIR",
        };

        var resume = new Option<bool>("--resume")
        {
            Description = $"Finish an interrupted run: keep the cases the journal ({RunJournal.FileName} in --out) has and run only the others. Give the same targets and case selection as the interrupted run.",
        };

        var command = new Command("run", "Run the catalogue (or a selection) against a WebSocket server and write reports.")
        {
            url, cases, exclude, output, parallel, headers, origin, protocols, insecure, ca, agent, gate.Expect, gate.Policy, gate.JUnit, spec, templateDir, resume,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = Validate(
                parse.GetValue(url), parse.GetValue(cases), parse.GetValue(exclude), parse.GetValue(output) ?? DefaultOutputDirectory,
                parse.GetValue(parallel), parse.GetValue(headers), parse.GetValue(origin), parse.GetValue(protocols),
                parse.GetValue(insecure), parse.GetValue(ca), parse.GetValue(agent), out var request);
            if (error is null && parse.GetValue(spec) is { } specFile)
            {
                var conflicting = new Option[] { cases, exclude, origin, protocols, agent }
                    .Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
                if (parse.GetValue(url) is not null) conflicting.Insert(0, "URL");
                var outGiven = parse.GetResult(output) is { Implicit: false };
                error = conflicting.Count > 0
                    ? $"--spec replaces {string.Join(", ", conflicting)}: give them in the spec file instead"
                    : AutobahnSpec.Apply(specFile, request!, outGiven, stdout, out request);
            }
            if (error is null)
            {
                // After --spec: only a run of the built-in server (no URL, no spec) is judged by its known results.
                error = gate.Load(parse, TestsBuiltInServer(request!) ? BuiltInKnownResults : null, out var loaded);
                if (loaded is not null) request = request! with { Gate = loaded };
            }
            if (error is null && parse.GetValue(templateDir) is { } templates)
            {
                if (!Directory.Exists(templates))
                {
                    error = $"--template-dir '{templates}' is not an existing folder";
                }
                else
                {
                    request = request! with { TemplateDirectory = Path.GetFullPath(templates) };
                }
            }
            if (error is not null)
            {
                stderr.WriteLine($"wsconform: {error}");
                return ExitCodes.Usage;
            }
            return await ExecuteAsync(request! with { Resume = parse.GetValue(resume) }, stdout, stderr, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static string? Validate(string? urlText, string[]? casesValues, string[]? excludeValues, string outputDirectory, int parallel,
        string[]? headerValues, string? origin, string[]? protocols, bool insecure, string? caFile, string? agent, out Request? request)
    {
        request = null;
        Uri? url = null;
        if (urlText is not null && InputValidation.ParseUrl(urlText, out url) is { } urlError) return urlError;
        if (InputValidation.CheckParallel(parallel) is { } parallelError) return parallelError;
        if (InputValidation.CheckOutputDirectory(outputDirectory) is { } outError) return outError;

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var text in headerValues ?? [])
        {
            if (InputValidation.ParseHeader(text, out var header) is { } headerError) return headerError;
            headers.Add(header);
        }
        if (origin is not null && InputValidation.CheckOrigin(origin) is { } originError) return originError;
        var protocolList = (protocols ?? []).ToList();
        foreach (var protocol in protocolList)
        {
            if (InputValidation.CheckProtocol(protocol) is { } protocolError) return protocolError;
        }
        if (protocolList.Distinct(StringComparer.Ordinal).Count() != protocolList.Count)
            return "--protocol lists the same subprotocol twice";
        if (caFile is not null && InputValidation.CheckCaFile(caFile) is { } caError) return caError;
        if (agent is not null && InputValidation.CheckAgent(agent) is { } agentError) return agentError;

        var include = InputValidation.SplitPatterns(casesValues);
        var exclude = InputValidation.SplitPatterns(excludeValues);
        if (InputValidation.SelectCasesFor(PeerKind.Server, include, exclude, out var selected, out var leftOut) is { } selectError) return selectError;

        request = new Request
        {
            Url = url,
            Cases = include,
            Exclude = exclude,
            Selected = selected,
            LeftOut = leftOut,
            OutputDirectory = outputDirectory,
            Parallel = parallel,
            Headers = headers,
            Origin = origin,
            Protocols = protocolList,
            Insecure = insecure,
            CaFile = caFile is null ? null : Path.GetFullPath(caFile),
            Agent = agent?.Trim(),
            Gate = CommandGate.Default,
        };
        return null;
    }

    /// <summary>
    /// What testing the built-in server without --expect is judged by: its known results, so a first run passes while
    /// listing each known deviation.
    /// </summary>
    private static readonly KnownResults BuiltInKnownResults = new(EchoServer.KnownResultsJson,
        "the built-in server's known results (harness/Wsconform.EchoServer/known-results.expectations.json)");

    private static bool TestsBuiltInServer(Request request) => request.Url is null && request.SpecTargets is null;

    private static async Task<int> ExecuteAsync(Request request, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var console = CliConsole.Create(stdout);
        var options = new RunOptions { Parallel = request.Parallel };
        var outputDirectory = Path.GetFullPath(request.OutputDirectory);

        await using var echo = TestsBuiltInServer(request) ? await EchoServer.StartAsync(0, ct).ConfigureAwait(false) : null;
        var targets = request.SpecTargets
            ?? [new SpecTarget(request.Url ?? echo!.Url, request.Agent, request.Origin, request.Protocols, request.Selected)];
        var multi = targets.Count > 1;

        var header = JournalHeaderOf(request, targets, builtIn: echo is not null, startedAt);
        JournalContents? resumed = null;
        if (request.Resume)
        {
            if (ReadJournalToResume(outputDirectory, request.OutputDirectory, header, out resumed) is { } resumeError)
            {
                stderr.WriteLine($"wsconform: --resume: {resumeError}");
                return ExitCodes.Usage;
            }
            // The report tells of the run as a whole, which started when the journal did.
            startedAt = resumed!.Header.StartedAt;
            if (resumed.TornLastLine)
                stdout.WriteLine($"note: {RunJournal.PathIn(outputDirectory)}: the last line is incomplete (the run was killed while writing it); that case runs again");
        }

        // Probe every target first: a single unreachable target ends the run with nothing written (exit 3); in a
        // run of several, an unreachable target's cases are recorded as ERROR with the reason and the others run.
        var probes = new List<(SpecTarget Spec, TargetOptions Options, ProbeResult Probe)>();
        foreach (var spec in targets)
        {
            var target = new TargetOptions
            {
                Url = spec.Url,
                Agent = spec.Agent,
                Origin = spec.Origin,
                Protocols = spec.Protocols,
                Headers = request.Headers,
                Insecure = request.Insecure,
                CaFile = request.CaFile,
            };
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wsconform {ToolInfo.Version}: {spec.Selected.Count} case(s) against {spec.Url}{(echo is null ? "" : " (built-in echo server)")}, {request.Parallel} at a time"));
            if (request.LeftOut.Count > 0 && request.SpecTargets is null)
                stdout.WriteLine(InputValidation.LeftOutLine(PeerKind.Server, request.LeftOut));
            var probe = await TargetProbe.CheckAsync(target, options.Timeouts, ct).ConfigureAwait(false);
            if (!probe.Ok)
            {
                stderr.WriteLine(multi
                    ? $"wsconform: cannot test {spec.Url}: {Program.OneLine(probe.Error!)}; its {spec.Selected.Count} case(s) are recorded as ERROR"
                    : $"wsconform: cannot test {spec.Url}: {Program.OneLine(probe.Error!)}");
                if (!multi) return ExitCodes.Unreachable;
            }
            probes.Add((spec, target, probe));
        }

        if (!CliConsole.TryCreateOutputDirectory(outputDirectory, request.OutputDirectory, stderr)) return ExitCodes.Usage;
        RunJournal journal;
        try
        {
            journal = resumed is null
                ? await RunJournal.StartAsync(outputDirectory, header, ct).ConfigureAwait(false)
                : RunJournal.Continue(outputDirectory, resumed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"wsconform: cannot write the journal {RunJournal.PathIn(outputDirectory)}: {Program.OneLine(ex.Message)}");
            return ExitCodes.Usage;
        }

        TargetResult[] results;
        bool interrupted;
        using (journal)
        {
            var finished = new FinishedCases(journal, resumed, targets.Count, stderr);
            (results, interrupted) = await RunTargetsAsync(probes, finished, resumed is not null, options, console, stdout, ct).ConfigureAwait(false);
        }
        if (echo is not null)
            results = [.. results.Select(r => r with { Target = r.Target with { BuiltIn = true } })];

        var run = new RunResult
        {
            ToolVersion = ToolInfo.Version,
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            Settings = new RunSettings
            {
                Cases = request.Cases,
                Exclude = request.Exclude,
                Parallel = request.Parallel,
                Other = OtherSettings(request, echo is not null),
            },
            Targets = results,
            Interrupted = interrupted ? new RunInterruption(targets.Sum(t => t.Selected.Count)) : null,
        };
        var outcome = request.Gate.Evaluate(run);

        // Not cancellable: after Ctrl+C the reports of the finished cases are what is left to do (a second Ctrl+C
        // still ends the process at once, and the journal has every finished case).
        var (paths, failures) = await WriteReportsAsync(run, request, outputDirectory, CancellationToken.None).ConfigureAwait(false);

        foreach (var result in results)
            ConsoleReport.Write(console, result, clock.Elapsed);
        // The gate judges complete runs; a partial one exits 130 whatever its finished cases did.
        if (!interrupted) request.Gate.Report(stdout, outcome);
        if (failures.Count > 0)
        {
            // The results are on the console; the files are what failed (disk full, a broken user template...).
            foreach (var failure in failures)
                stderr.WriteLine($"wsconform: {Program.OneLine(failure)}");
        }
        else
        {
            console.WriteLine("Reports:");
            foreach (var path in paths)
                console.WriteLine("  " + path);
        }

        if (interrupted)
        {
            var selected = run.Interrupted!.SelectedCases;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wsconform: interrupted: {run.CaseCount} of {selected} cases finished; the reports in {request.OutputDirectory} are partial: run the same command with --resume to run the other {selected - run.CaseCount}"));
            return ExitCodes.Cancelled;
        }
        if (failures.Count > 0) return ExitCodes.InternalError;
        if (probes.All(p => !p.Probe.Ok))
            return ExitCodes.Unreachable;
        return request.Gate.ExitCode(outcome, stderr);
    }

    /// <summary>
    /// Runs the probed targets one after the other, each case recorded in <paramref name="finished"/> (and so in the
    /// journal) as it finishes. Ctrl+C or SIGTERM (<paramref name="ct"/>) ends the run: the cases in flight are abandoned
    /// and every target's result holds the cases finished so far (Interrupted = true).
    /// </summary>
    private static async Task<(TargetResult[] Results, bool Interrupted)> RunTargetsAsync(
        IReadOnlyList<(SpecTarget Spec, TargetOptions Options, ProbeResult Probe)> probes, FinishedCases finished, bool resuming,
        RunOptions options, IAnsiConsole console, TextWriter stdout, CancellationToken ct)
    {
        var results = new TargetResult?[probes.Count];
        var current = -1;
        var targetClock = new Stopwatch();
        try
        {
            for (var i = 0; i < probes.Count; i++)
            {
                var (spec, target, probe) = probes[i];
                if (!probe.Ok) continue;
                current = i;
                targetClock.Restart();
                if (probes.Count > 1) stdout.WriteLine($"Target {spec.Agent ?? spec.Url.ToString()}:");
                var kept = finished.Of(i);
                var keptIds = kept.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                var toRun = spec.Selected.Where(c => !keptIds.Contains(c.Id)).ToList();
                if (resuming)
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  resumed: {kept.Count} case(s) kept from {RunJournal.FileName}, {toRun.Count} to run"));
                if (toRun.Count == 0)
                {
                    results[i] = TargetRunner.Assemble(target, kept, runPhaseMs: 0);
                    continue;
                }
                var index = i;
                void Record(CaseResult result) => finished.Add(index, result);
                var fresh = CliConsole.IsTerminal(stdout)
                    ? await RunWithProgressBarAsync(console, target, toRun, options, Record, ct).ConfigureAwait(false)
                    : await RunWithProgressLinesAsync(stdout, target, toRun, options, Record, ct).ConfigureAwait(false);
                results[i] = TargetRunner.Assemble(target, [.. kept, .. fresh.Cases], fresh.RunPhaseMs);
            }
            return (Complete(), false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (Complete(), true);
        }

        // Targets not run to the end (interrupted, or not reached) hold what finished of them, in this session or the
        // resumed one; an unreachable target's cases are ERROR, as in a complete run.
        TargetResult[] Complete() => [.. probes.Select((p, i) =>
            !p.Probe.Ok ? Unreachable(p.Spec, p.Probe.Error!, finished.Of(i))
            : results[i] ?? TargetRunner.Assemble(p.Options, finished.Of(i), i == current ? Math.Round(targetClock.Elapsed.TotalMilliseconds, 3) : 0))];
    }

    /// <summary>The journal's first line for this run: its targets as asked for and the cases selected for each.</summary>
    private static JournalHeader JournalHeaderOf(Request request, IReadOnlyList<SpecTarget> targets, bool builtIn, DateTimeOffset startedAt) => new()
    {
        ToolVersion = ToolInfo.Version,
        StartedAt = startedAt,
        Settings = new RunSettings
        {
            Cases = request.Cases,
            Exclude = request.Exclude,
            Parallel = request.Parallel,
            Other = OtherSettings(request, builtIn),
        },
        Targets = [.. targets.Select(t => new JournalTarget(t.Url.ToString(), t.Agent, builtIn, t.Origin, t.Protocols,
            [.. t.Selected.Select(c => c.Id).Order(CaseIds.NumericOrder)]))],
    };

    /// <summary>
    /// Reads the journal of <paramref name="outputDirectory"/> and checks that it belongs to the run asked for
    /// (<see cref="JournalHeader.DifferenceFrom"/>); null when it does, else the problem in one line.
    /// </summary>
    private static string? ReadJournalToResume(string outputDirectory, string asGiven, JournalHeader requested, out JournalContents? contents)
    {
        contents = null;
        var path = RunJournal.PathIn(outputDirectory);
        if (!File.Exists(path))
            return $"no {RunJournal.FileName} in '{asGiven}' to resume from (a run writes it into its --out directory; without --resume a new run starts)";
        try
        {
            contents = JournalReader.Read(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Program.OneLine(ex.Message);
        }
        if (contents.Header.DifferenceFrom(requested) is { } difference)
        {
            contents = null;
            return $"{path} is of another run: {difference}";
        }
        return null;
    }

    /// <summary>results.json, index.html, the Autobahn files and, with --junit, the JUnit XML; each failure isolated.</summary>
    private static async Task<(IReadOnlyList<string> Paths, IReadOnlyList<string> Failures)> WriteReportsAsync(RunResult run, Request request,
        string outputDirectory, CancellationToken ct)
    {
        try
        {
            var writers = request.Gate.WithJUnit(ReportWriters(request.TemplateDirectory));
            return (await ReportSet.WriteAllAsync(run, outputDirectory, writers, ct).ConfigureAwait(false), []);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is ReportWriterException))
        {
            return ([], ex.InnerExceptions.Select(e => e.Message).ToList());
        }
    }

    /// <summary>The writers of every run: results.json, index.html and Autobahn's index.json + per-case JSON.</summary>
    internal static IReadOnlyList<IReportWriter> ReportWriters(string? templateDirectory = null) =>
        [.. ReportSet.Default(templateDirectory), new AutobahnReportWriter()];

    /// <summary>
    /// A target that could not be reached: every selected case is ERROR with the reason, never left out, except the cases
    /// a resumed journal has (<paramref name="kept"/>), which ran when it could be reached.
    /// </summary>
    private static TargetResult Unreachable(SpecTarget spec, string reason, IReadOnlyList<CaseResult> kept)
    {
        var now = DateTimeOffset.UtcNow;
        var agent = spec.Agent ?? (spec.Url.IsDefaultPort ? spec.Url.Host : $"{spec.Url.Host}:{spec.Url.Port}");
        var keptIds = kept.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return new TargetResult
        {
            Target = new TargetInfo(spec.Url.ToString(), agent, null),
            RunPhaseMs = 0,
            Cases = spec.Selected
                .Where(c => !keptIds.Contains(c.Id))
                .Select(c => ResultBuilder.Error(c, now, $"target unreachable: {Program.OneLine(reason)}", null, null, new WireRecorder()))
                .Concat(kept)
                .OrderBy(c => c.Id, CaseIds.NumericOrder)
                .ToList(),
        };
    }

    /// <summary>Options worth showing in the report. Header values are left out: they often carry credentials.</summary>
    private static Dictionary<string, string> OtherSettings(Request request, bool builtIn)
    {
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        if (builtIn) other["target"] = "built-in echo server";
        if (request.Origin is not null) other["origin"] = request.Origin;
        if (request.Protocols.Count > 0) other["protocols"] = string.Join(", ", request.Protocols);
        if (request.Headers.Count > 0) other["headers"] = string.Join(", ", request.Headers.Select(h => h.Key)) + " (values not recorded)";
        if (request.Insecure) other["insecure"] = "true";
        if (request.CaFile is not null) other["ca"] = request.CaFile;
        if (request.Agent is not null) other["agent"] = request.Agent;
        return other;
    }

    private static async Task<TargetResult> RunWithProgressBarAsync(IAnsiConsole console, TargetOptions target, IReadOnlyList<ConformanceCase> cases,
        RunOptions options, Action<CaseResult> record, CancellationToken ct)
    {
        TargetResult? result = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(0, cases.Count, 0), maxValue: cases.Count);
                var tally = new Tally();
                var progress = new SynchronousProgress(caseResult =>
                {
                    record(caseResult);
                    var (done, notOk) = tally.Add(caseResult);
                    task.Increment(1);
                    task.Description = Describe(done, cases.Count, notOk);
                });
                result = await TargetRunner.RunAsync(target, cases, options, progress, ct).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result!;

        static string Describe(int done, int total, int notOk) =>
            string.Create(CultureInfo.InvariantCulture, $"{done}/{total} cases, {(notOk == 0 ? "[green]0 not OK[/]" : $"[red]{notOk} not OK[/]")}");
    }

    /// <summary>For CI logs: one line each time another tenth of the cases is done.</summary>
    private static Task<TargetResult> RunWithProgressLinesAsync(TextWriter stdout, TargetOptions target, IReadOnlyList<ConformanceCase> cases,
        RunOptions options, Action<CaseResult> record, CancellationToken ct)
    {
        var tally = new Tally();
        var reportedTenths = 0;
        var gate = new object();
        var progress = new SynchronousProgress(caseResult =>
        {
            record(caseResult);
            lock (gate)
            {
                var (done, notOk) = tally.Add(caseResult);
                var tenths = done * 10 / cases.Count;
                if (tenths <= reportedTenths) return;
                reportedTenths = tenths;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done}/{cases.Count} cases ({tenths * 10}%), {notOk} not OK"));
            }
        });
        return TargetRunner.RunAsync(target, cases, options, progress, ct);
    }

    /// <summary>Thread-safe counts of finished and not-OK cases.</summary>
    private sealed class Tally
    {
        private int _done;
        private int _notOk;

        public (int Done, int NotOk) Add(CaseResult result)
        {
            var notOk = ConsoleReport.Classify(result) == ConsoleReport.Outcome.NotOk ? Interlocked.Increment(ref _notOk) : Volatile.Read(ref _notOk);
            return (Interlocked.Increment(ref _done), notOk);
        }
    }

    /// <summary>Calls back on the reporting thread (unlike <see cref="Progress{T}"/>, which posts and may run late).</summary>
    private sealed class SynchronousProgress(Action<CaseResult> report) : IProgress<CaseResult>
    {
        public void Report(CaseResult value) => report(value);
    }
}
