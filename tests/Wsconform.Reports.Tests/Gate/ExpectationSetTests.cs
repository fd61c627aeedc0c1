using Wsconform.Model;
using Wsconform.Reports.Gate;
using GateApi = Wsconform.Reports.Gate.Gate;

namespace Wsconform.Reports.Tests.Gate;

[TestFixture]
public sealed class ExpectationSetTests
{
    private static CaseResult Case(string id, Behavior behavior, CloseBehavior close = CloseBehavior.Ok) =>
        SampleRuns.OkCase() with { Id = id, Behavior = behavior, BehaviorClose = close };

    private static ExpectationSet Parse(string json) => ExpectationSet.Parse(json, "exp.json");

    [TestCase(Policy.Strict, Behavior.Ok, true)]
    [TestCase(Policy.Strict, Behavior.Informational, true)]
    [TestCase(Policy.Strict, Behavior.NonStrict, false)]
    [TestCase(Policy.Strict, Behavior.Unimplemented, false)]
    [TestCase(Policy.Strict, Behavior.Failed, false)]
    [TestCase(Policy.Strict, Behavior.Error, false)]
    [TestCase(Policy.Default, Behavior.Ok, true)]
    [TestCase(Policy.Default, Behavior.Informational, true)]
    [TestCase(Policy.Default, Behavior.NonStrict, true)]
    [TestCase(Policy.Default, Behavior.Unimplemented, true)]
    [TestCase(Policy.Default, Behavior.Failed, false)]
    [TestCase(Policy.Default, Behavior.Error, false)]
    [TestCase(Policy.Lenient, Behavior.NonStrict, true)]
    [TestCase(Policy.Lenient, Behavior.Unimplemented, true)]
    [TestCase(Policy.Lenient, Behavior.Failed, false)]
    [TestCase(Policy.Lenient, Behavior.Error, false)]
    public void Policy_JudgesBehavior(Policy policy, Behavior behavior, bool met) =>
        ExpectationSet.ForPolicy(policy).Check(Case("1.1.1", behavior)).Met.Should().Be(met);

    [TestCase(Policy.Strict, CloseBehavior.Ok, true)]
    [TestCase(Policy.Strict, CloseBehavior.Informational, true)]
    [TestCase(Policy.Strict, CloseBehavior.WrongCode, false)]
    [TestCase(Policy.Default, CloseBehavior.Ok, true)]
    [TestCase(Policy.Default, CloseBehavior.Informational, true)]
    [TestCase(Policy.Default, CloseBehavior.WrongCode, false)]
    [TestCase(Policy.Default, CloseBehavior.Unclean, false)]
    [TestCase(Policy.Default, CloseBehavior.FailedByClient, false)]
    [TestCase(Policy.Default, CloseBehavior.Failed, false)]
    [TestCase(Policy.Lenient, CloseBehavior.WrongCode, true)]
    [TestCase(Policy.Lenient, CloseBehavior.Unclean, true)]
    [TestCase(Policy.Lenient, CloseBehavior.FailedByClient, true)]
    [TestCase(Policy.Lenient, CloseBehavior.Failed, false)]
    [TestCase(Policy.Lenient, CloseBehavior.Error, false)]
    public void Policy_JudgesBehaviorClose(Policy policy, CloseBehavior close, bool met) =>
        ExpectationSet.ForPolicy(policy).Check(Case("1.1.1", Behavior.Ok, close)).Met.Should().Be(met);

    [Test]
    public void EmptyObject_IsTheDefaultPolicy()
    {
        var set = Parse("{}");
        set.Policy.Should().Be(Policy.Default);
        set.Entries.Should().BeEmpty();
    }

    [Test]
    public void ArrayForm_ListsAllowedBehaviorAndLeavesCloseToThePolicy()
    {
        var set = Parse("""{ "policy": "strict", "cases": { "6.4.*": ["OK", "NON-STRICT"] } }""");
        set.Check(Case("6.4.3", Behavior.NonStrict)).Met.Should().BeTrue();
        set.Check(Case("6.4.3", Behavior.Failed)).Met.Should().BeFalse();
        set.Check(Case("6.4.3", Behavior.Ok, CloseBehavior.WrongCode)).Met.Should().BeFalse();
        set.Check(Case("6.5.1", Behavior.NonStrict)).Met.Should().BeFalse("6.5.1 has no entry and the policy is strict");
    }

    [Test]
    public void SingleVerdictString_IsAOneElementList()
    {
        var set = Parse("""{ "cases": { "2.10": "FAILED" } }""");
        set.Check(Case("2.10", Behavior.Failed)).Met.Should().BeTrue();
        set.Check(Case("2.10", Behavior.Ok)).Met.Should().BeFalse();
    }

    [Test]
    public void ObjectForm_JudgesBothAxesAndCarriesTheReason()
    {
        var set = Parse("""
            { "cases": { "7.9.*": { "behavior": ["OK"], "behaviorClose": ["OK", "WRONG CODE"], "reason": "we answer 1000" } } }
            """);
        var check = set.Check(Case("7.9.1", Behavior.Ok, CloseBehavior.WrongCode));
        check.Met.Should().BeTrue();
        check.Reason.Should().Be("we answer 1000");
        check.Entry.Should().Be("7.9.*");
        set.Check(Case("7.9.1", Behavior.Ok, CloseBehavior.Unclean)).Met.Should().BeFalse();
    }

    [Test]
    public void ObjectForm_WithOnlyBehaviorClose_LeavesBehaviorToThePolicy()
    {
        var set = Parse("""{ "policy": "strict", "cases": { "7.1.*": { "behaviorClose": "UNCLEAN" } } }""");
        set.Check(Case("7.1.2", Behavior.Ok, CloseBehavior.Unclean)).Met.Should().BeTrue();
        set.Check(Case("7.1.2", Behavior.NonStrict, CloseBehavior.Unclean)).Met.Should().BeFalse();
        set.Check(Case("7.1.2", Behavior.Ok, CloseBehavior.Unclean)).Expected.Should().Contain("else policy strict");
    }

    [Test]
    public void Excluded_StringAndObjectForms()
    {
        var set = Parse("""{ "cases": { "12.*": "excluded", "13.*": { "excluded": true, "reason": "no deflate" } } }""");
        set.IsExcluded("12.1.1").Should().BeTrue();
        set.IsExcluded("13.7.18").Should().BeTrue();
        set.IsExcluded("1.1.1").Should().BeFalse();
        var check = set.Check(Case("13.1.1", Behavior.Failed, CloseBehavior.Failed));
        check.Should().Be(new CaseCheck("13.1.1", true, true, "excluded (entry \"13.*\")", "behavior FAILED; behaviorClose FAILED", "no deflate") { Entry = "13.*" });
    }

    [Test]
    public void MostSpecificEntryWins_ExactOverPatternAndLongerOverShorter()
    {
        var set = Parse("""
            { "cases": {
                "6.*": "excluded",
                "6.4.*": ["NON-STRICT"],
                "6.4.1": ["OK"],
                "*": ["FAILED"] } }
            """);
        set.EntryFor("6.4.1")!.Key.Should().Be("6.4.1");
        set.EntryFor("6.4.2")!.Key.Should().Be("6.4.*");
        set.EntryFor("6.5.1")!.Key.Should().Be("6.*");
        set.EntryFor("7.1.1")!.Key.Should().Be("*");
        set.IsExcluded("6.4.2").Should().BeFalse("the longer pattern 6.4.* is more specific than 6.*");
    }

    [Test]
    public void PatternsFollowAutobahnRules_AnchoredAtTheStartOnly()
    {
        var set = Parse("""{ "cases": { "1*": "excluded", "2.1": "excluded" } }""");
        set.IsExcluded("12.1.1").Should().BeTrue("'1*' also matches 12.x, as in Autobahn");
        set.IsExcluded("2.10").Should().BeFalse("a pattern without * must equal the ID");
        set.IsExcluded("2.1").Should().BeTrue();
        CasePatterns.Matches("6.4.*", "16.4.1").Should().BeFalse();
        CasePatterns.Matches("6.*.1", "6.4.1").Should().BeTrue();
    }

    [Test]
    public void VerdictsAreCaseInsensitive_AndCommentsAndTrailingCommasAreAccepted()
    {
        var set = Parse("""
            // frozen on 2025-01-01
            { "policy": "LENIENT", "cases": { "1.1.1": ["ok", "non-strict",], }, }
            """);
        set.Policy.Should().Be(Policy.Lenient);
        set.Check(Case("1.1.1", Behavior.NonStrict)).Met.Should().BeTrue();
    }

    [Test]
    public void Check_DescribesExpectedAndActual()
    {
        var check = ExpectationSet.ForPolicy(Policy.Default).Check(Case("5.1", Behavior.Failed, CloseBehavior.WrongCode));
        check.Met.Should().BeFalse();
        check.Expected.Should().Be("behavior OK|NON-STRICT|INFORMATIONAL|UNIMPLEMENTED; behaviorClose OK|INFORMATIONAL (policy default)");
        check.Actual.Should().Be("behavior FAILED; behaviorClose WRONG CODE");
        check.Reason.Should().BeNull();
        check.ToString().Should().Be("5.1: expected " + check.Expected + ", got " + check.Actual);
    }

    [TestCase("", "the file is empty")]
    [TestCase("[]", "expected a JSON object at the top level, found an array")]
    [TestCase("{ \"policy\": ", "malformed JSON")]
    [TestCase("""{ "policy": "harsh" }""", "\"policy\" must be \"strict\", \"default\" or \"lenient\", found \"harsh\"")]
    [TestCase("""{ "polcy": "strict" }""", "unknown key \"polcy\"")]
    [TestCase("""{ "cases": [] }""", "\"cases\" must be an object")]
    [TestCase("""{ "cases": { "1.1.1": ["PASSED"] } }""", "cases \"1.1.1\": 'PASSED' is not a behavior verdict")]
    [TestCase("""{ "cases": { "1.1.1": { "behaviorClose": ["NON-STRICT"] } } }""", "cases \"1.1.1\" behaviorClose: 'NON-STRICT' is not a close verdict")]
    [TestCase("""{ "cases": { "1.1.1": [] } }""", "cases \"1.1.1\": the verdict list is empty")]
    [TestCase("""{ "cases": { "1.1.1": [1] } }""", "verdicts are strings, found a number")]
    [TestCase("""{ "cases": { "1.1.1": 3 } }""", "cases \"1.1.1\": expected a verdict list, \"excluded\" or an object, found a number")]
    [TestCase("""{ "cases": { "1.1.1": {} } }""", "lists neither \"behavior\" nor \"behaviorClose\"")]
    [TestCase("""{ "cases": { "1.1.1": { "reason": "x" } } }""", "lists neither")]
    [TestCase("""{ "cases": { "1.1.1": { "behaviour": ["OK"] } } }""", "unknown key \"behaviour\"")]
    [TestCase("""{ "cases": { "1.1.1": { "excluded": "yes" } } }""", "\"excluded\" must be true or false")]
    [TestCase("""{ "cases": { "1.1.1": { "excluded": true, "behavior": ["OK"] } } }""", "an excluded entry cannot also list verdicts")]
    [TestCase("""{ "cases": { "1.1.1": { "behavior": "OK", "reason": 5 } } }""", "\"reason\" must be a string")]
    [TestCase("""{ "cases": { "1.1.1": "OK", "1.1.1": "FAILED" } }""", "cases \"1.1.1\" appears twice")]
    [TestCase("""{ "policy": "strict", "policy": "lenient" }""", "key \"policy\" appears twice")]
    [TestCase("""{ "cases": { "1.1 .1": "OK" } }""", "must not be empty or contain spaces")]
    [TestCase("""{ "cases": { "": "OK" } }""", "must not be empty or contain spaces")]
    public void Malformed_ThrowsOneLineNamingTheFileAndTheProblem(string json, string problem)
    {
        var act = () => ExpectationSet.Parse(json, "exp.json");
        var error = act.Should().Throw<ExpectationsException>().Which;
        error.Message.Should().StartWith("exp.json: ").And.Contain(problem).And.NotContain("\n");
    }

    [Test]
    public void Load_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "wsconform-no-such-" + Guid.NewGuid().ToString("N") + ".json");
        var act = () => ExpectationSet.Load(path);
        act.Should().Throw<ExpectationsException>().WithMessage($"{path}: file not found");
    }

    [Test]
    public void Load_ReadsAFileWithABom()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("e.json");
        File.WriteAllText(path, """{ "policy": "strict" }""", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        ExpectationSet.Load(path).Policy.Should().Be(Policy.Strict);
    }

    [Test]
    public void Gate_EvaluatesEveryTargetAndListsTheUnmet()
    {
        var run = SampleRuns.Basic();
        run = run with { Targets = [run.Targets[0], run.Targets[0] with { Target = run.Targets[0].Target with { Agent = "Second" } }] };
        var outcome = GateApi.Evaluate(run, ExpectationSet.ForPolicy(Policy.Default));

        outcome.Checks.Should().HaveCount(2 * run.Targets[0].Cases.Count);
        outcome.Passed.Should().BeFalse();
        outcome.Unmet.Select(c => (c.Target, c.Id)).Should().Equal(
            ("EchoServer/1.0", "2.5"), ("EchoServer/1.0", "7.1.1"), ("Second", "2.5"), ("Second", "7.1.1"));
    }

    [Test]
    public void Gate_PassesWhenTheFailuresAreExpected()
    {
        var set = Parse("""{ "cases": { "2.5": { "behavior": "FAILED", "behaviorClose": "WRONG CODE" }, "7.1.*": "excluded" } }""");
        var run = SampleRuns.Basic();
        var outcome = GateApi.Evaluate(run, set);
        outcome.Passed.Should().BeTrue(string.Join("; ", outcome.Unmet));
        outcome.ExcludedChecks.Select(c => c.Id).Should().Equal("7.1.1");
    }

    [Test]
    public void Freeze_WritesAFileThatPassesTheSameRunAndFailsAnyChange()
    {
        var run = SampleRuns.Basic();
        var json = ExpectationsFile.Freeze(run, Policy.Strict, "results.json");
        var set = Parse(json);

        set.Policy.Should().Be(Policy.Strict);
        set.Entries.Should().HaveCount(run.Targets[0].Cases.Count);
        GateApi.Evaluate(run, set).Passed.Should().BeTrue();

        var better = run with { Targets = [run.Targets[0] with { Cases = run.Targets[0].Cases.Select(c => c with { Behavior = Behavior.Ok, BehaviorClose = CloseBehavior.Ok }).ToList() }] };
        GateApi.Evaluate(better, set).Passed.Should().BeFalse("a frozen file reports every change, improvements too");
    }
}
