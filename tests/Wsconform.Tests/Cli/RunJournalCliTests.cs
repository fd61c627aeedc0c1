using Wsconform.Cli;
using Wsconform.Reports;
using Wsconform.Reports.Journal;

namespace Wsconform.Tests.Cli;

/// <summary><c>wsconform run</c>'s journal (results.jsonl) and the checks of <c>--resume</c>, in-process.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RunJournalCliTests
{
    private string _out = null!;

    [SetUp]
    public void CreateOutputDirectory() => _out = Path.Combine(Path.GetTempPath(), "wsconform-journal-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOutputDirectory()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    private string Journal => RunJournal.PathIn(_out);

    [Test]
    public async Task Run_WritesAJournal_HeaderThenEveryCaseOfTheReport()
    {
        var outcome = await CliRunner.RunAsync("run", "--cases", "1.1.*,2.1", "--out", _out);

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        var journal = JournalReader.Read(Journal);
        var report = ResultsJson.ReadFile(Path.Combine(_out, JsonReportWriter.FileName));
        journal.Header.Targets.Should().ContainSingle().Which.Should().Match<JournalTarget>(t => t.BuiltIn && t.Agent == null);
        journal.Header.Targets[0].CaseIds.Should().Equal(report.Targets[0].Cases.Select(c => c.Id));
        journal.Header.StartedAt.Should().Be(report.StartedAt);
        journal.Entries.Select(e => e.Result).Should().BeEquivalentTo(report.Targets[0].Cases,
            o => o.ComparingRecordsByMembers().WithoutStrictOrdering(), "every finished case is in the journal as in results.json");
        journal.TornLastLine.Should().BeFalse();
    }

    [Test]
    public async Task Run_WithoutResume_StartsAFreshJournal()
    {
        (await CliRunner.RunAsync("run", "--cases", "1.1.1,1.1.2", "--out", _out)).ExitCode.Should().Be(ExitCodes.Ok);

        var outcome = await CliRunner.RunAsync("run", "--cases", "2.1", "--out", _out);

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        var journal = JournalReader.Read(Journal);
        journal.Header.Targets[0].CaseIds.Should().Equal("2.1");
        journal.Entries.Select(e => e.Result.Id).Should().Equal("2.1");
    }

    [Test]
    public async Task Resume_OfACompleteRun_RunsNothingAndRewritesTheSameReport()
    {
        (await CliRunner.RunAsync("run", "--cases", "1.1.1,1.1.2", "--out", _out)).ExitCode.Should().Be(ExitCodes.Ok);
        var first = ResultsJson.ReadFile(Path.Combine(_out, JsonReportWriter.FileName));

        var outcome = await CliRunner.RunAsync("run", "--cases", "1.1.1,1.1.2", "--out", _out, "--resume");

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        outcome.Stdout.Should().Contain("  resumed: 2 case(s) kept from results.jsonl, 0 to run\n");
        var second = ResultsJson.ReadFile(Path.Combine(_out, JsonReportWriter.FileName));
        second.Targets[0].Cases.Should().BeEquivalentTo(first.Targets[0].Cases, o => o.ComparingRecordsByMembers().WithStrictOrdering());
        second.StartedAt.Should().Be(first.StartedAt);
        JournalReader.Read(Journal).Entries.Should().HaveCount(2, "nothing ran, nothing was appended");
    }

    [Test]
    public async Task Resume_WithoutAJournal_IsOneLineAndExit2()
    {
        var outcome = await CliRunner.RunAsync("run", "--cases", "1.1.1", "--out", _out, "--resume");

        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().Be(
            $"wsconform: --resume: no results.jsonl in '{_out}' to resume from (a run writes it into its --out directory; without --resume a new run starts)");
        Directory.Exists(_out).Should().BeFalse("nothing ran, nothing was written");
    }

    [Test]
    public async Task Resume_OfAnotherSelection_NamesTheDifferenceInOneLine_AndLeavesTheJournal()
    {
        (await CliRunner.RunAsync("run", "--cases", "1.1.1,1.1.2", "--out", _out)).ExitCode.Should().Be(ExitCodes.Ok);
        var before = await File.ReadAllBytesAsync(Journal);

        var outcome = await CliRunner.RunAsync("run", "--cases", "1.1.1,2.1", "--out", _out, "--resume");

        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().Be(
            $"wsconform: --resume: {Journal} is of another run: the case selection differs: " +
            "1 case(s) of the journal are not selected now (1.1.2); 1 case(s) selected now are not in the journal (2.1)");
        (await File.ReadAllBytesAsync(Journal)).Should().Equal(before);
    }

    [Test]
    public async Task Resume_OfAnotherTarget_IsRefusedBeforeTheTargetIsTried()
    {
        (await CliRunner.RunAsync("run", "--cases", "1.1.1", "--out", _out)).ExitCode.Should().Be(ExitCodes.Ok);

        // Port 1 on loopback refuses: a run that probed it would exit 3, so exit 2 shows that nothing was tried.
        var outcome = await CliRunner.RunAsync("run", "ws://127.0.0.1:1/", "--cases", "1.1.1", "--out", _out, "--resume");

        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().Be(
            $"wsconform: --resume: {Journal} is of another run: the journal's run tested the built-in echo server, this run tests ws://127.0.0.1:1/");
    }

    [Test]
    public async Task Resume_OfADamagedJournal_IsOneLineNamingTheLine()
    {
        (await CliRunner.RunAsync("run", "--cases", "1.1.1,1.1.2", "--out", _out)).ExitCode.Should().Be(ExitCodes.Ok);
        var lines = await File.ReadAllLinesAsync(Journal);
        await File.WriteAllTextAsync(Journal, string.Join('\n', lines[0], "{\"target\":0}", lines[2]) + "\n");

        var outcome = await CliRunner.RunAsync("run", "--cases", "1.1.1,1.1.2", "--out", _out, "--resume");

        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().StartWith($"wsconform: --resume: {Journal}: line 2: not a case line");
    }

    [Test]
    public async Task Resume_WithSeveralTargets_KeepsAndRunsTargetByTarget()
    {
        await using var first = await Wsconform.Echo.EchoServer.StartAsync();
        await using var second = await Wsconform.Echo.EchoServer.StartAsync();
        var spec = Path.Combine(Path.GetTempPath(), "wsconform-journal-spec-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(spec, $$"""
            { "servers": [ { "agent": "first", "url": "{{first.Url}}" }, { "agent": "second", "url": "{{second.Url}}" } ], "cases": ["1.1.1", "1.1.2"] }
            """);
        try
        {
            (await CliRunner.RunAsync("run", "--spec", spec, "--out", _out)).ExitCode.Should().Be(ExitCodes.Ok);
            // The targets run one after the other, so the last line is the second target's: as if the run stopped there.
            var lines = await File.ReadAllLinesAsync(Journal);
            lines.Should().HaveCount(1 + 4);
            await File.WriteAllLinesAsync(Journal, lines[..^1]);

            var outcome = await CliRunner.RunAsync("run", "--spec", spec, "--out", _out, "--resume");

            outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
            outcome.Stdout.Should().Contain("Target first:\n  resumed: 2 case(s) kept from results.jsonl, 0 to run\n")
                .And.Contain("Target second:\n  resumed: 1 case(s) kept from results.jsonl, 1 to run\n");
            var run = ResultsJson.ReadFile(Path.Combine(_out, JsonReportWriter.FileName));
            run.Targets.Select(t => (t.Target.Agent, string.Join(",", t.Cases.Select(c => c.Id)))).Should().Equal(("first", "1.1.1,1.1.2"), ("second", "1.1.1,1.1.2"));
            JournalReader.Read(Journal).Entries.Select(e => e.Target).Should().Equal(0, 0, 1, 1);
        }
        finally
        {
            File.Delete(spec);
        }
    }
}
