using System.Diagnostics;
using System.Text.Json;
using Wsconform.Cases;
using Wsconform.Cli;
using Wsconform.Reports;
using Wsconform.Reports.Journal;

namespace Wsconform.Tests.Cli;

/// <summary>
/// Issue 9, "nothing lost": the real CLI as a child process against its built-in echo server, killed hard (SIGKILL) or
/// stopped (SIGINT, SIGTERM) in the middle of a run, then finished with <c>--resume</c>.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class InterruptAndResumeTests
{
    /// <summary>
    /// Categories 1-7 and six category-9 transfers: 252 cases of every scheduling class but compression. Two at a time the
    /// run takes 5 to 10 s on this 2-core machine, and its first seconds belong to the cases with scripted waits (5.19,
    /// 5.20, 6.4.x), which finish a few at a time, so a run stopped after its first few cases still has most to do.
    /// Against the built-in server every verdict of this selection is the same from run to run (checked over ten runs,
    /// 6.4.3/6.4.4 NON-STRICT each time), so nothing needs to be left out of the comparison.
    /// </summary>
    private const string Selection = "1.*,2.*,3.*,4.*,5.*,6.*,7.*,9.1.1,9.1.2,9.1.3,9.2.1,9.2.2,9.2.3";

    private const int Parallel = 2;

    /// <summary>Finished cases the journal must hold before the run is stopped.</summary>
    private const int FinishedBeforeStop = 4;

    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private static readonly int Selected = SelectedCount();

    private string _root = null!;

    [SetUp]
    public void CreateRoot() => _root = Path.Combine(Path.GetTempPath(), "wsconform-resume-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static string[] RunArgs(string output, params string[] more) =>
        ["run", "--cases", Selection, "--parallel", Parallel.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", output, .. more];

    [Test]
    public async Task KilledRun_FinishedWithResume_HasTheCasesAndVerdictsOfAnUninterruptedRun()
    {
        var reference = Path.Combine(_root, "reference");
        var resumed = Path.Combine(_root, "resumed");
        var journal = RunJournal.PathIn(resumed);

        var (referenceExit, referenceRun) = await CliProcess.RunAsync(RunDeadline, RunArgs(reference));
        using (referenceRun)
            referenceExit.Should().Be(ExitCodes.Ok, referenceRun.Output);

        using (var killed = CliProcess.Start(RunArgs(resumed)))
        {
            await killed.WaitForLinesAsync(journal, 1 + FinishedBeforeStop, StartDeadline);
            await killed.KillHardAsync(TimeSpan.FromSeconds(30));
        }
        var left = JournalReader.Read(journal);
        var kept = left.Entries.Count;
        kept.Should().BeGreaterThanOrEqualTo(FinishedBeforeStop).And.BeLessThan(Selected, "the run was killed before its end");
        File.Exists(Path.Combine(resumed, JsonReportWriter.FileName)).Should().BeFalse("a killed run writes no report; the journal is what is left");

        TestContext.Out.WriteLine($"killed after {kept} of {Selected} cases{(left.TornLastLine ? " (and a torn last line)" : "")}; --resume runs {Selected - kept}");
        var (resumeExit, resume) = await CliProcess.RunAsync(RunDeadline, RunArgs(resumed, "--resume"));
        using (resume)
        {
            resumeExit.Should().Be(ExitCodes.Ok, resume.Output);
            var toRun = Selected - kept;
            resume.Stdout.Should().Contain($"  resumed: {kept} case(s) kept from results.jsonl, {toRun} to run\n", "only the missing cases run")
                .And.Contain($"  {toRun}/{toRun} cases (100%)");
        }

        var expected = ResultsJson.ReadFile(Path.Combine(reference, JsonReportWriter.FileName));
        var actual = ResultsJson.ReadFile(Path.Combine(resumed, JsonReportWriter.FileName));
        actual.Interrupted.Should().BeNull();
        Verdicts(actual).Should().Equal(Verdicts(expected), "a resumed run ends where an uninterrupted one does");
        Verdicts(actual).Should().HaveCount(Selected);
        actual.StartedAt.Should().Be(left.Header.StartedAt, "the run started when its journal did");
        actual.Targets[0].Target.BuiltIn.Should().BeTrue();

        var final = JournalReader.Read(journal);
        final.Entries.Take(kept).Should().BeEquivalentTo(left.Entries, o => o.WithStrictOrdering(), "the resumed run appended to the same journal");
        final.Entries.Select(e => e.Result.Id).Should().OnlyHaveUniqueItems().And.HaveCount(Selected);
    }

    [TestCase("INT")]
    [TestCase("TERM")]
    public async Task Stopped_WritesPartialReportsOfTheFinishedCases_SaysHowToResume_AndExits130(string signal)
    {
        var output = Path.Combine(_root, "stopped");
        var journal = RunJournal.PathIn(output);
        using var run = CliProcess.Start(RunArgs(output, "--junit", Path.Combine(output, "junit.xml")));

        await run.WaitForLinesAsync(journal, 1 + FinishedBeforeStop, StartDeadline);
        var finishedAtSignal = CliProcess.CountLines(journal) - 1;
        var clock = Stopwatch.StartNew();
        await run.SignalAsync(signal);
        var exit = await run.ExitCodeAsync(RunDeadline);
        clock.Stop();

        exit.Should().Be(ExitCodes.Cancelled, run.Output);
        TestContext.Out.WriteLine($"SIG{signal} after {finishedAtSignal} finished case(s); exit 130 after {clock.ElapsedMilliseconds} ms");
        var partial = ResultsJson.ReadFile(Path.Combine(output, JsonReportWriter.FileName));
        var finished = partial.CaseCount;
        partial.Interrupted.Should().NotBeNull().And.Be(new Wsconform.Model.RunInterruption(Selected));
        // The cases in flight are abandoned: at most those that were running when the signal came can have finished since.
        finished.Should().BeInRange(finishedAtSignal, finishedAtSignal + Parallel, $"the run stops at once ({clock.ElapsedMilliseconds} ms to exit)");
        partial.Targets.SelectMany(t => t.Cases).Where(c => c.Behavior == Wsconform.Model.Behavior.Error).Select(c => $"{c.Id}: {c.Result}")
            .Should().BeEmpty("an abandoned case is not recorded, least of all as ERROR");
        JournalReader.Read(journal).Entries.Select(e => e.Result.Id).Should().BeEquivalentTo(partial.Targets[0].Cases.Select(c => c.Id),
            "the report holds exactly what the journal holds");

        run.Stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Be(
            $"wsconform: interrupted: {finished} of {Selected} cases finished; the reports in {output} are partial: " +
            $"run the same command with --resume to run the other {Selected - finished}");
        (await File.ReadAllTextAsync(Path.Combine(output, "index.html"))).Should().Contain($"Interrupted: {finished} of {Selected} cases finished;");
        using (var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "index.json"))))
            index.RootElement.EnumerateObject().Single().Value.EnumerateObject().Should().HaveCount(finished);
        File.Exists(Path.Combine(output, "junit.xml")).Should().BeTrue("--junit is written for the finished cases too");
    }

    private static Dictionary<string, (Wsconform.Model.Behavior, Wsconform.Model.CloseBehavior)> Verdicts(Wsconform.Model.RunResult run) =>
        run.Targets.Single().Cases.ToDictionary(c => c.Id, c => (c.Behavior, c.BehaviorClose), StringComparer.Ordinal);

    private static int SelectedCount()
    {
        var patterns = Selection.Split(',');
        return Catalogue.All.Count(c => patterns.Any(p => Wsconform.Model.CasePatterns.Matches(p, c.Id)));
    }
}
