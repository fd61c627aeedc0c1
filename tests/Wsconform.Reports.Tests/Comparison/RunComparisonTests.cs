using Wsconform.Model;
using Wsconform.Reports.Comparison;

namespace Wsconform.Reports.Tests.Comparison;

[TestFixture]
public sealed class RunComparisonTests
{
    private static CaseResult Case(string id, Behavior b, CloseBehavior c = CloseBehavior.Ok) => SampleRuns.OkCase() with { Id = id, Behavior = b, BehaviorClose = c };

    [TestCase(Behavior.Ok, CloseBehavior.Ok, Behavior.NonStrict, CloseBehavior.Ok, ChangeKind.Regression)]
    [TestCase(Behavior.Ok, CloseBehavior.Ok, Behavior.Ok, CloseBehavior.Unclean, ChangeKind.Regression)]
    [TestCase(Behavior.Failed, CloseBehavior.Ok, Behavior.Ok, CloseBehavior.Ok, ChangeKind.Improvement)]
    [TestCase(Behavior.Failed, CloseBehavior.Ok, Behavior.Ok, CloseBehavior.WrongCode, ChangeKind.Regression)]
    [TestCase(Behavior.Ok, CloseBehavior.Ok, Behavior.Informational, CloseBehavior.Ok, ChangeKind.Changed)]
    [TestCase(Behavior.Failed, CloseBehavior.Failed, Behavior.Error, CloseBehavior.Error, ChangeKind.Changed)]
    public void Classify(Behavior b1, CloseBehavior c1, Behavior b2, CloseBehavior c2, ChangeKind kind) =>
        RunComparison.Classify(Case("1", b1, c1), Case("1", b2, c2)).Should().Be(kind);

    [Test]
    public void Classify_Unchanged_IsNull() => RunComparison.Classify(Case("1", Behavior.Ok), Case("1", Behavior.Ok)).Should().BeNull();

    [Test]
    public void Compare_MatchesTargetsByAgentThenUrl_AndListsNewAndRemoved()
    {
        var old = SampleRuns.WithCases(Case("1.1.1", Behavior.Ok), Case("1.1.2", Behavior.Ok), Case("2.10", Behavior.Ok));
        var renamed = old.Targets[0] with { Target = old.Targets[0].Target with { Agent = "Renamed" }, Cases = [Case("1.1.1", Behavior.Failed), Case("2.9", Behavior.Ok), Case("2.10", Behavior.Ok)] };
        var extra = old.Targets[0] with { Target = new TargetInfo("ws://other/", "Other", null) };
        var result = RunComparison.Compare(old, old with { Targets = [renamed, extra] });

        result.Should().HaveCount(2);
        result[0].Old!.Agent.Should().Be("EchoServer/1.0", "matched by URL when the agent changed");
        result[0].Changes.Select(c => (c.Id, c.Kind)).Should().Equal(("1.1.1", ChangeKind.Regression), ("1.1.2", ChangeKind.Removed), ("2.9", ChangeKind.New));
        result[1].Old.Should().BeNull();
        result[1].Changes.Should().OnlyContain(c => c.Kind == ChangeKind.New);
    }

    [Test]
    public void Merge_JoinsTargetsAndTheCasesOfOneTargetSplitOverRuns()
    {
        var a = SampleRuns.WithCases(Case("1.1.1", Behavior.Ok), Case("2.10", Behavior.Ok));
        var b = SampleRuns.WithCases(Case("2.9", Behavior.Ok));
        var c = a with { Targets = [a.Targets[0] with { Target = new TargetInfo("ws://other/", "Other", null) }] };
        var merged = RunComparison.Merge([a, b, c]);
        merged.Targets.Select(t => t.Target.Agent).Should().Equal("EchoServer/1.0", "Other");
        merged.Targets[0].Cases.Select(x => x.Id).Should().Equal("1.1.1", "2.9", "2.10");
        FluentActions.Invoking(() => RunComparison.Merge([a, a])).Should().Throw<InvalidDataException>().WithMessage("case 1.1.1 of target*more than one file");
    }

    [Test]
    public void Merge_OfAnInterruptedPart_IsInterruptedWithEveryPartsSelection()
    {
        var complete = SampleRuns.WithCases(Case("1.1.1", Behavior.Ok), Case("2.10", Behavior.Ok));
        var partial = complete with
        {
            Targets = [complete.Targets[0] with { Target = new TargetInfo("ws://other/", "Other", null), Cases = [Case("1.1.1", Behavior.Ok)] }],
            Interrupted = new RunInterruption(SelectedCases: 5),
        };

        RunComparison.Merge([complete, partial]).Interrupted.Should().Be(new RunInterruption(2 + 5));
        RunComparison.Merge([complete, complete with { Targets = partial.Targets }]).Interrupted.Should().BeNull();
    }
}
