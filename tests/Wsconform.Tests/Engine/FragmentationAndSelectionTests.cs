using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Wire;

namespace Wsconform.Tests.Engine;

public class FragmentationAndSelectionTests
{
    [Test]
    public void Split_PayloadNoLongerThanFragment_IsOneFrame()
    {
        var frames = Fragmentation.Split(Opcode.Text, new byte[10], 10).ToList();
        frames.Should().ContainSingle().Which.Fin.Should().BeTrue();
    }

    [Test]
    public void Split_ExactMultiple_AppendsEmptyFinalContinuation()
    {
        // Autobahn's quirk: 65536 octets in 1300-octet fragments is 1 text + 50 continuations; 29 octets in 1-octet
        // fragments is 29 frames plus an empty FIN continuation (case 6.2.3).
        var frames = Fragmentation.Split(Opcode.Text, new byte[29], 1).ToList();
        frames.Should().HaveCount(30);
        frames[0].Opcode.Should().Be((int)Opcode.Text);
        frames.Skip(1).Should().AllSatisfy(f => f.Opcode.Should().Be((int)Opcode.Continuation));
        frames.Take(29).Should().AllSatisfy(f => f.Fin.Should().BeFalse());
        frames[^1].Fin.Should().BeTrue();
        frames[^1].Payload.Length.Should().Be(0);
    }

    [Test]
    public void Split_NotAMultiple_LastFragmentCarriesRemainder()
    {
        var frames = Fragmentation.Split(Opcode.Binary, new byte[65536], 1300).ToList();
        frames.Should().HaveCount(51);
        frames.Count(f => f.Opcode == (int)Opcode.Continuation).Should().Be(50);
        frames[^1].Payload.Length.Should().Be(536);
        frames[^1].Fin.Should().BeTrue();
    }

    [TestCase("1.*", "1.1.1", true)]
    [TestCase("1.*", "12.1.1", false)]
    [TestCase("1*", "12.1.1", true)]
    [TestCase("2.1", "2.1", true)]
    [TestCase("2.1", "2.10", false)]
    [TestCase("*", "7.9.9", true)]
    [TestCase("6.4.*", "6.4.3", true)]
    public void Matches_AutobahnPatternRules(string pattern, string id, bool expected) =>
        CaseIds.Matches(pattern, id).Should().Be(expected);

    [Test]
    public void NumericOrder_SortsAsTuples()
    {
        var ids = new[] { "2.10", "2.9", "10.1.1", "6.10.1", "6.9.4", "2.1" };
        ids.Order(CaseIds.NumericOrder).Should().Equal("2.1", "2.9", "2.10", "6.9.4", "6.10.1", "10.1.1");
    }
}
