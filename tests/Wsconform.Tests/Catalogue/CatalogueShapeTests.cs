using Wsconform.Cases;
using Wsconform.Engine.Scripting;
using Wsconform.Model;
using Wsconform.Wire;

// Not "Wsconform.Tests.Catalogue": that namespace would shadow the Catalogue class for every test under Wsconform.Tests.*.
namespace Wsconform.Tests.CatalogueShape;

/// <summary>
/// Pins the shape of the Autobahn categories 1–5 and 7 in the catalogue: counts, IDs, plain-text documentation,
/// bounded scripts, the close-code tables and a few exact stimuli that are easy to get subtly wrong.
/// </summary>
[TestFixture]
public class CatalogueShapeTests
{
    private static IReadOnlyList<ConformanceCase> All => Catalogue.All;

    private static IEnumerable<TestCaseData> EveryCase() =>
        Catalogue.All.Select(c => new TestCaseData(c).SetName($"{{m}}({c.Id})").SetCategory(c.Category));

    private static string CategoryOf(string id) => id.Split('.')[0];

    private static T Single<T>(ConformanceCase c) where T : Step => c.Script.OfType<T>().Should().ContainSingle().Subject;

    [Test]
    public void All_Has101Cases()
    {
        All.Should().HaveCount(101);
    }

    [TestCase("1", "Framing", 16)]
    [TestCase("2", "Pings/Pongs", 11)]
    [TestCase("3", "Reserved Bits", 7)]
    [TestCase("4", "Opcodes", 10)]
    [TestCase("5", "Fragmentation", 20)]
    [TestCase("7", "Close Handling", 37)]
    public void Category_HasAutobahnCountAndTitle(string category, string title, int count)
    {
        var cases = All.Where(c => CategoryOf(c.Id) == category).ToList();
        cases.Should().HaveCount(count);
        cases.Should().OnlyContain(c => c.Category == title);
    }

    [Test]
    public void Category6_IsAbsent()
    {
        All.Should().NotContain(c => CategoryOf(c.Id) == "6");
        FluentActions.Invoking(() => Catalogue.Get("6.1.1")).Should().Throw<KeyNotFoundException>().WithMessage("*6.1.1*");
    }

    [Test]
    public void Ids_AreUniqueAndInNumericOrder()
    {
        var ids = All.Select(c => c.Id).ToList();
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().Equal(ids.OrderBy(id => id, CaseIds.NumericOrder));
        ids.IndexOf("2.10").Should().Be(ids.IndexOf("2.9") + 1);
        ids.IndexOf("7.7.10").Should().Be(ids.IndexOf("7.7.9") + 1);
    }

    [Test]
    public void Get_ReturnsTheCaseWithThatId()
    {
        Catalogue.Get("5.19").Id.Should().Be("5.19");
        Catalogue.Get("7.13.2").Should().BeSameAs(All[^1]);
    }

    [TestCase("2"), TestCase("3"), TestCase("5")]
    public void FlatCategories_HaveNoGroup(string category)
    {
        All.Where(c => CategoryOf(c.Id) == category).Should().OnlyContain(c => c.Group == null);
    }

    [TestCase("1.1", "Text Messages")]
    [TestCase("1.2", "Binary Messages")]
    [TestCase("4.1", "Non-control Opcodes")]
    [TestCase("4.2", "Control Opcodes")]
    [TestCase("7.1", "Basic close behavior (fuzzer initiated)")]
    [TestCase("7.3", "Close frame structure: payload length (fuzzer initiated)")]
    [TestCase("7.5", "Close frame structure: payload value (fuzzer initiated)")]
    [TestCase("7.7", "Close frame structure: valid close codes (fuzzer initiated)")]
    [TestCase("7.9", "Close frame structure: invalid close codes (fuzzer initiated)")]
    [TestCase("7.13", "Informational close information (fuzzer initiated)")]
    public void Group_HasAutobahnTitle(string prefix, string title)
    {
        var cases = All.Where(c => c.Id.StartsWith(prefix + ".", StringComparison.Ordinal)).ToList();
        cases.Should().NotBeEmpty();
        cases.Should().OnlyContain(c => c.Group == title);
    }

    [TestCaseSource(nameof(EveryCase))]
    public void Case_IsDocumentedInPlainText(ConformanceCase c)
    {
        c.RfcSections.Should().NotBeEmpty().And.OnlyContain(s => s.StartsWith("RFC ", StringComparison.Ordinal));
        foreach (var text in new[] { c.Requirement, c.Stimulus, c.ExpectedBehaviour }.Concat(c.RfcSections))
        {
            text.Should().NotBeNullOrWhiteSpace();
            text.Should().NotContain("<", "case text is plain text, encoded only by report templates");
        }
    }

    [TestCaseSource(nameof(EveryCase))]
    public void Case_IsBounded(ConformanceCase c)
    {
        c.Script.Should().Contain(s => s is KillAfter || s is CloseAfter || s is SendClose,
            "every case must end by a timer or by the harness's own Close");
        c.Script[^1].Should().Match<Step>(s => s is KillAfter || s is CloseAfter, "Autobahn arms the timer after the last frame");
    }

    [TestCaseSource(nameof(EveryCase))]
    public void Case_ListsOkFirst(ConformanceCase c)
    {
        c.Expected.Should().NotBeEmpty();
        c.Expected[0].Verdict.Should().Be(Behavior.Ok);
        c.Expected.Skip(1).Should().NotContain(o => o.Verdict != Behavior.NonStrict || o.Events.Count != 0,
            "the only second list Autobahn uses in these categories is NON-STRICT = []");
    }

    [Test]
    public void NonStrictEmptyList_OnlyWhereAutobahnHasOne()
    {
        All.Where(c => c.Expected.Count == 2).Select(c => c.Id).Should().BeEquivalentTo(
            "3.2", "3.3", "3.4", "4.1.3", "4.1.4", "4.1.5", "4.2.3", "4.2.4", "4.2.5", "5.15", "7.1.6");
    }

    [Test]
    public void ValidCloseCodes_Are7_7Table()
    {
        var cases = All.Where(c => c.Id.StartsWith("7.7.", StringComparison.Ordinal)).ToList();
        cases.Select(c => Single<SendClose>(c).Code).Should().Equal(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999);
        cases.Should().OnlyContain(c =>
            c.ExpectedClose.ClosedByHarness && c.ExpectedClose.RequireClean && c.Rule == VerdictRule.WrongCodeFailsBehavior);
        cases.Select(c => c.ExpectedClose.CloseCodes).Should().OnlyContain(codes => codes.Count == 2 && codes[0] == 1000);
        cases.Should().OnlyContain(c => c.ExpectedClose.CloseCodes[1] == Single<SendClose>(c).Code);
    }

    [Test]
    public void InvalidCloseCodes_Are7_9Table()
    {
        var cases = All.Where(c => c.Id.StartsWith("7.9.", StringComparison.Ordinal)).ToList();
        cases.Select(c => Single<SendClose>(c).Code).Should().Equal(0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999);
        cases.Should().OnlyContain(c =>
            c.ExpectedClose.ClosedByHarness && !c.ExpectedClose.RequireClean && c.Rule == VerdictRule.WrongCodeFailsBehavior);
        cases.Select(c => c.ExpectedClose.CloseCodes).Should().OnlyContain(codes => codes.SequenceEqual(new[] { 1002 }));
    }

    [Test]
    public void Ping2_5_Sends126OctetPingAndExpectsFailure()
    {
        var c = Catalogue.Get("2.5");
        var frame = Single<SendFrame>(c).Frame;
        frame.Opcode.Should().Be((int)Opcode.Ping);
        frame.Payload.Length.Should().Be(126);
        frame.LengthEncoding.Should().Be(LengthEncoding.Minimal);
        c.Expected.Should().ContainSingle().Which.Events.Should().BeEmpty();
        c.ExpectedClose.Should().Be(CloseExpectations.FailFastProtocolError);
    }

    [TestCase("1.1.8", Opcode.Text, (byte)0x2A)]
    [TestCase("1.2.8", Opcode.Binary, (byte)0xFE)]
    public void Framing_x8_Chops64KiBFrameAt997(string id, Opcode opcode, byte filler)
    {
        var c = Catalogue.Get(id);
        var send = Single<SendFrame>(c);
        send.ChopSize.Should().Be(997);
        send.Frame.Opcode.Should().Be((int)opcode);
        send.Frame.Payload.Length.Should().Be(65536);
        send.Frame.Payload.ToArray().Should().OnlyContain(b => b == filler);
        Single<KillAfter>(c).After.Should().Be(TimeSpan.FromSeconds(10));
        c.Expected[0].Events.Should().ContainSingle().Which.Payload.ToArray().Should().Equal(send.Frame.Payload.ToArray());
    }

    [Test]
    public void Framing_LengthsAndTimers_MatchAutobahn()
    {
        var text = Enumerable.Range(1, 8).Select(i => Catalogue.Get($"1.1.{i}")).ToList();
        text.Select(c => Single<SendFrame>(c).Frame.Payload.Length).Should().Equal(0, 125, 126, 127, 128, 65535, 65536, 65536);
        text.Select(c => Single<KillAfter>(c).After.TotalSeconds).Should().Equal(1, 1, 1, 1, 1, 10, 10, 10);
        text.Take(7).Should().OnlyContain(c => Single<SendFrame>(c).ChopSize == null);
    }

    [Test]
    public void PingBursts_SendTenPingsInOrder_2_11OctetWise()
    {
        foreach (var (id, chop) in new[] { ("2.10", (int?)null), ("2.11", 1) })
        {
            var sends = Catalogue.Get(id).Script.OfType<SendFrame>().ToList();
            sends.Should().HaveCount(10);
            sends.Select(s => System.Text.Encoding.UTF8.GetString(s.Frame.Payload.Span))
                .Should().Equal(Enumerable.Range(0, 10).Select(i => $"payload-{i}"));
            sends.Should().OnlyContain(s => s.ChopSize == chop && s.Frame.Opcode == (int)Opcode.Ping);
            Single<CloseAfter>(Catalogue.Get(id)).After.Should().Be(TimeSpan.FromSeconds(3));
            Catalogue.Get(id).Expected[0].Events.Should().HaveCount(10).And.OnlyContain(e => e.Kind == EventKind.Pong);
        }
    }

    [Test]
    public void ReservedBits3_7_IsRawCloseFrameNotClosingHandshake()
    {
        var c = Catalogue.Get("3.7");
        c.Script.OfType<SendClose>().Should().BeEmpty();
        var frame = Single<SendFrame>(c).Frame;
        frame.Opcode.Should().Be((int)Opcode.Close);
        frame.Rsv.Should().Be(7);
        c.ExpectedClose.ClosedByHarness.Should().BeFalse();
    }

    [TestCase("3.3", true, null)]
    [TestCase("3.4", false, 1)]
    public void ReservedBits_DeliveryVariants(string id, bool sync, int? chop)
    {
        var sends = Catalogue.Get(id).Script.OfType<SendFrame>().ToList();
        sends.Should().HaveCount(3).And.OnlyContain(s => s.Sync == sync && s.ChopSize == chop);
    }

    [Test]
    public void Fragmentation5_19_PausesBetweenTwoParts()
    {
        var script = Catalogue.Get("5.19").Script;
        script.Select(s => s.GetType().Name).Should().Equal(
            "SendFrame", "SendFrame", "SendFrame", "Delay", "SendFrame", "SendFrame", "SendFrame", "SendFrame", "CloseAfter");
        script.OfType<Delay>().Single().Should().Be(new Delay(TimeSpan.FromSeconds(1), "A"));
        Catalogue.Get("5.20").Script.OfType<SendFrame>().Should().HaveCount(7).And.OnlyContain(s => s.Sync);
    }

    [Test]
    public void CloseHandling_RulesAndAutoClose_MatchAutobahn()
    {
        Catalogue.Get("7.1.1").AutoCloseOnMatch.Should().BeTrue();
        foreach (var id in new[] { "7.1.2", "7.1.3", "7.1.4", "7.1.5", "7.3.1", "7.3.6", "7.5.1", "7.13.1" })
        {
            Catalogue.Get(id).AutoCloseOnMatch.Should().BeFalse(id);
        }
        var c716 = Catalogue.Get("7.1.6");
        c716.AutoCloseOnMatch.Should().BeFalse();
        c716.Rule.Should().Be(VerdictRule.Informational);
        c716.Script.OfType<SendFrame>().First().Frame.Payload.Length.Should().Be(262144);
        foreach (var id in new[] { "7.13.1", "7.13.2" })
        {
            var c = Catalogue.Get(id);
            c.Rule.Should().Be(VerdictRule.Informational);
            c.ExpectedClose.CloseCodes.Should().Equal(1000, Single<SendClose>(c).Code!.Value, 1002);
        }
        All.Where(c => c.Id.StartsWith("7.1.", StringComparison.Ordinal) && c.Id != "7.1.6")
            .Should().OnlyContain(c => c.Rule == VerdictRule.WrongCodeFailsBehavior);
        All.Where(c => CategoryOf(c.Id) != "7").Should().OnlyContain(c => c.Rule == VerdictRule.Standard);
    }

    [Test]
    public void CloseBodies_7_3_HaveAutobahnLengths()
    {
        int BodyLength(string id)
        {
            var close = Single<SendClose>(Catalogue.Get(id));
            if (close.RawPayload is { } raw) return raw.Length;
            return close.Code is null ? 0 : 2 + close.Reason.Length;
        }

        new[] { "7.3.1", "7.3.2", "7.3.3", "7.3.4", "7.3.5", "7.3.6" }.Select(BodyLength).Should().Equal(0, 1, 2, 14, 125, 126);
        Catalogue.Get("7.3.2").ExpectedClose.Should().Be(CloseExpectations.HarnessClosesWithBadClose);
        Catalogue.Get("7.3.6").ExpectedClose.Should().Be(CloseExpectations.HarnessClosesWithBadClose);
    }

    [Test]
    public void CloseReason7_5_1_IsAutobahnsInvalidUtf8()
    {
        var c = Catalogue.Get("7.5.1");
        var close = Single<SendClose>(c);
        close.Code.Should().Be(1000);
        Convert.ToHexString(close.Reason.Span).Should().BeEquivalentTo("cebae1bdb9cf83cebcceb5eda080656469746564");
        c.ExpectedClose.CloseCodes.Should().Equal(1002, 1007);
    }
}
