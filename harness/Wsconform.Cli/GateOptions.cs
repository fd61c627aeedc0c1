using System.CommandLine;
using System.Globalization;
using Wsconform.Model;
using Wsconform.Reports;
using Wsconform.Reports.Gate;
using Wsconform.Reports.JUnit;

namespace Wsconform.Cli;

/// <summary>
/// <c>--expect</c>, <c>--policy</c> and <c>--junit</c>, defined once for every command that judges its results (run,
/// serve, run-client) so that their help, validation and loading cannot drift apart. A fresh instance per command: an
/// option belongs to one command.
/// </summary>
internal sealed class GateOptions
{
    public Option<string?> Expect { get; } = new("--expect")
    {
        Description = "Expectations file (JSON): the verdicts each case may have; exit code 1 when a case does not meet its expectation. Without it the 'default' policy applies.",
        HelpName = "FILE",
    };

    public Option<string?> Policy { get; } = PolicyOption();

    public Option<string?> JUnit { get; } = new("--junit")
    {
        Description = "Also write a JUnit XML report to this file (one testsuite per category, failures = unmet expectations).",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Expect);
        command.Options.Add(Policy);
        command.Options.Add(JUnit);
    }

    /// <summary>
    /// The gate the command line asks for; null when fine, else the one-line usage error (a malformed or missing
    /// <c>--expect</c>, an unusable <c>--junit</c>). <paramref name="withoutExpectFile"/> replaces the default policy
    /// when no <c>--expect</c> is given.
    /// </summary>
    public string? Load(ParseResult parse, KnownResults? withoutExpectFile, out CommandGate? gate) =>
        CommandGate.TryLoad(parse.GetValue(Expect), parse.GetValue(Policy), parse.GetValue(JUnit), withoutExpectFile, out gate);

    private static Option<string?> PolicyOption()
    {
        var policy = new Option<string?>("--policy")
        {
            Description = "Policy for cases without an entry in --expect (overrides the file's): strict, default or lenient.",
            HelpName = "strict|default|lenient",
        };
        policy.AcceptOnlyFromAmong("strict", "default", "lenient");
        return policy;
    }
}

/// <summary>Expectations that apply instead of the default policy when no <c>--expect</c> is given, and how reports name them.</summary>
internal sealed record KnownResults(string Json, string Source);

/// <summary>
/// What a command judges its results against and where its JUnit XML goes: the loaded form of <see cref="GateOptions"/>.
/// </summary>
/// <param name="Expectations">The --expect file (or <see cref="KnownResults"/>), else the policy alone; --policy applied.</param>
/// <param name="ExpectSource">The --expect file or the known results' name, as the summary shows it; null: the policy alone.</param>
/// <param name="JUnitFile">The --junit file, full path, or null.</param>
internal sealed record CommandGate(ExpectationSet Expectations, string? ExpectSource, string? JUnitFile)
{
    /// <summary>No --expect, --policy or --junit: the default policy, no JUnit.</summary>
    public static CommandGate Default { get; } = new(ExpectationSet.ForPolicy(Reports.Gate.Policy.Default), null, null);

    internal static string? TryLoad(string? expectFile, string? policyText, string? junitFile, KnownResults? withoutExpectFile, out CommandGate? gate)
    {
        gate = null;
        ExpectationSet expectations;
        var source = expectFile;
        try
        {
            if (expectFile is not null)
            {
                expectations = ExpectationSet.Load(expectFile);
            }
            else if (withoutExpectFile is not null)
            {
                expectations = ExpectationSet.Parse(withoutExpectFile.Json, withoutExpectFile.Source);
                source = withoutExpectFile.Source;
            }
            else
            {
                expectations = Default.Expectations;
            }
        }
        catch (ExpectationsException ex)
        {
            return $"--expect {Program.OneLine(ex.Message)}";
        }
        if (policyText is not null)
        {
            var policy = PolicyRules.TryParse(policyText) ?? throw new InvalidOperationException("--policy is validated by the parser");
            expectations = expectations.WithPolicy(policy);
        }
        if (junitFile is not null)
        {
            if (string.IsNullOrWhiteSpace(junitFile)) return "--junit is empty";
            if (Directory.Exists(junitFile)) return $"--junit '{junitFile}' is a directory, not a file";
        }
        gate = new CommandGate(expectations, source, junitFile is null ? null : Path.GetFullPath(junitFile));
        return null;
    }

    /// <summary><paramref name="writers"/>, plus the JUnit file when --junit was given: it is written with the other reports.</summary>
    public IReadOnlyList<IReportWriter> WithJUnit(IReadOnlyList<IReportWriter> writers) =>
        JUnitFile is null ? writers : [.. writers, new JUnitFileWriter(JUnitFile, Expectations)];

    public GateOutcome Evaluate(RunResult run) => Gate.Evaluate(run, Expectations);

    /// <summary>The gate's part of the summary: which expectations applied and every case that did not meet its own.</summary>
    public void Report(TextWriter stdout, GateOutcome outcome) => GateReport.Write(stdout, outcome, Expectations, ExpectSource);

    /// <summary>0 when every case met its expectation; else 1, with one line on stderr saying how many did not.</summary>
    public int ExitCode(GateOutcome outcome, TextWriter stderr)
    {
        if (outcome.Passed) return ExitCodes.Ok;
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wsconform: {outcome.Unmet.Count} case(s) did not meet their expectation{(ExpectSource is null ? $" (policy {Expectations.Policy.ToText()})" : "")}"));
        return ExitCodes.ExpectationsNotMet;
    }
}

/// <summary>
/// The --junit file as one more report writer, so that it is written whenever the other reports are (the end of run and
/// run-client, serve's /updateReports and stop) and a failure is isolated and named as theirs are. Unlike them it writes
/// to its own path, not into the report directory.
/// </summary>
internal sealed class JUnitFileWriter(string path, ExpectationSet expectations) : IReportWriter
{
    public string Name => "junit";

    public async Task<string> WriteAsync(RunResult run, string outputDirectory, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        await JUnitReport.WriteAsync(run, expectations, path, cancellationToken).ConfigureAwait(false);
        return path;
    }
}
