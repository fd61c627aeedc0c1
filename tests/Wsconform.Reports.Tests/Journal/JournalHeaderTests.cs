using Wsconform.Reports.Journal;

namespace Wsconform.Reports.Tests.Journal;

/// <summary>--resume's check that a journal belongs to the run asked for.</summary>
public class JournalHeaderTests
{
    private static JournalHeader Run(params JournalTarget[] targets) => new()
    {
        ToolVersion = "1.0",
        StartedAt = SampleRuns.Start,
        Settings = SampleRuns.Basic().Settings,
        Targets = targets,
    };

    private static JournalTarget Server(string url = "ws://a.test/", params string[] ids) =>
        new(url, "agent", false, "http://o.test", ["chat"], ids.Length > 0 ? ids : ["1.1.1", "1.1.2"]);

    private static JournalTarget BuiltIn(int port) => new($"ws://127.0.0.1:{port}/", null, true, null, [], ["1.1.1"]);

    [Test]
    public void SameRun_HasNoDifference()
    {
        Run(Server(), Server("ws://b.test/")).DifferenceFrom(Run(Server(), Server("ws://b.test/"))).Should().BeNull();
    }

    [Test]
    public void BuiltInServer_OnAnotherPort_IsTheSameTarget()
    {
        Run(BuiltIn(40001)).DifferenceFrom(Run(BuiltIn(40002))).Should().BeNull("the built-in echo server gets a new port each run");
    }

    [Test]
    public void OtherSettings_DoNotMatter()
    {
        var other = Run(Server()) with { StartedAt = SampleRuns.Start.AddHours(1), Settings = SampleRuns.Basic().Settings with { Parallel = 1, Cases = ["1.1.*"] } };

        Run(Server()).DifferenceFrom(other).Should().BeNull("what is compared is the selected cases, not how they were written, nor --parallel");
    }

    [TestCaseSource(nameof(Differences))]
    public void Difference_IsNamedInOneLine(JournalHeader requested, string expected)
    {
        Run(Server()).DifferenceFrom(requested).Should().Be(expected);
    }

    public static IEnumerable<TestCaseData> Differences()
    {
        yield return new TestCaseData(Run(Server()) with { ToolVersion = "2.0" }, "the journal was written by wsconform 1.0, this is wsconform 2.0").SetName("ToolVersion");
        yield return new TestCaseData(Run(Server(), Server()), "the journal's run has 1 target(s), this run 2").SetName("TargetCount");
        yield return new TestCaseData(Run(Server("ws://b.test/")), "the journal's run tested ws://a.test/, this run tests ws://b.test/").SetName("Url");
        yield return new TestCaseData(Run(BuiltIn(1)), "the journal's run tested ws://a.test/, this run tests the built-in echo server").SetName("BuiltIn");
        yield return new TestCaseData(Run(Server() with { Agent = null }), "the agent is 'agent' in the journal, none in this run").SetName("Agent");
        yield return new TestCaseData(Run(Server() with { Origin = "http://p.test" }), "the origin is 'http://o.test' in the journal, 'http://p.test' in this run").SetName("Origin");
        yield return new TestCaseData(Run(Server() with { Protocols = [] }), "the subprotocols are chat in the journal, none in this run").SetName("Protocols");
        yield return new TestCaseData(Run(Server("ws://a.test/", "1.1.1", "2.1", "2.2", "2.3", "2.4")),
            "the case selection differs: 1 case(s) of the journal are not selected now (1.1.2); 4 case(s) selected now are not in the journal (2.1, 2.2, 2.3, ...)").SetName("Cases");
    }

    [Test]
    public void Difference_InOneOfSeveralTargets_NamesTheTarget()
    {
        Run(Server(), Server("ws://b.test/")).DifferenceFrom(Run(Server(), Server("ws://c.test/")))
            .Should().Be("target 2: the journal's run tested ws://b.test/, this run tests ws://c.test/");
    }
}
