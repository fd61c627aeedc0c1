using Wsconform.Cases;
using Wsconform.Engine.Scripting;
using Wsconform.Model;
using Wsconform.Wire;

// Not "Wsconform.Tests.Catalogue": that namespace would shadow the Catalogue class for every test under Wsconform.Tests.*.
namespace Wsconform.Tests.CatalogueShape;

/// <summary>
/// Pins the shape of the Autobahn categories 1–7, 9 and 10 in the catalogue: counts, IDs, plain-text documentation,
/// bounded scripts, the close-code tables, category 9's trial tables and a few exact stimuli that are easy to get
/// subtly wrong. The UTF-8 payloads of category 6 are checked against the harness's validator in Utf8CatalogueTests.
/// Categories 0 (opening handshake) and 14 (frame encoding) go beyond Autobahn; their shape is pinned at the end. The
/// compression categories (Autobahn's 12 and 13, our 15) and their corpora are pinned in CompressionCatalogueTests.
/// </summary>
[TestFixture]
public class CatalogueShapeTests
{
    private static IReadOnlyList<ConformanceCase> All => Catalogue.All;

    private static IEnumerable<TestCaseData> EveryCase() =>
        Catalogue.All.Select(c => new TestCaseData(c).SetName($"{{m}}({c.Id})").SetCategory(c.Category));

    private static string CategoryOf(string id) => id.Split('.')[0];

    private static T Single<T>(ConformanceCase c) where T : Step => c.Script.OfType<T>().Should().ContainSingle().Subject;

    /// <summary>No payload the catalogue stores may exceed this: it is built once at startup, large payloads are patterns.</summary>
    private const int MaxStoredPayload = 300 * 1024;

    /// <summary>The categories that reproduce Autobahn (everything but 0, 14 and 15).</summary>
    private static bool IsAutobahn(ConformanceCase c) => CategoryOf(c.Id) is not ("0" or "14" or "15");

    /// <summary>Categories whose cases are trials that set the behaviour verdict themselves (Autobahn's expected = {}).</summary>
    private static bool IsTrial(ConformanceCase c) => CategoryOf(c.Id) is "9" or "12" or "13";

    /// <summary>Cases that end with the opening handshake: a probe, no script, nothing to match.</summary>
    private static bool IsHandshakeOnly(ConformanceCase c) => c.Handshake is not null && c.Script.Count == 0;

    [Test]
    public void All_Has517AutobahnCasesPlusTheNewCategories()
    {
        All.Where(IsAutobahn).Should().HaveCount(301 + 216);
        All.Should().HaveCount(517 + All.Count(c => CategoryOf(c.Id) is "0" or "14" or "15"));
        All.Should().HaveCount(354 + 216 + 8 + 16,
            "354 before compression, Autobahn's 216 compression cases, our 8 of category 15 and our 16 client handshake cases (0.8, 0.9)");
        Catalogue.ForServers.Should().HaveCount(578, "all but the 16 client handshake cases");
        Catalogue.ForClients.Should().HaveCount(All.Count - 46 - 4, "all but the 46 server handshake cases and the 4 client-masking cases (14.1)");
    }

    [TestCase("1", "Framing", 16)]
    [TestCase("2", "Pings/Pongs", 11)]
    [TestCase("3", "Reserved Bits", 7)]
    [TestCase("4", "Opcodes", 10)]
    [TestCase("5", "Fragmentation", 20)]
    [TestCase("6", "UTF-8 Handling", 145)]
    [TestCase("7", "Close Handling", 37)]
    [TestCase("9", "Limits/Performance", 54)]
    [TestCase("10", "Misc", 1)]
    [TestCase("12", "WebSocket Compression (different payloads)", 90)]
    [TestCase("13", "WebSocket Compression (different parameters)", 126)]
    public void Category_HasAutobahnCountAndTitle(string category, string title, int count)
    {
        var cases = All.Where(c => CategoryOf(c.Id) == category).ToList();
        cases.Should().HaveCount(count);
        cases.Should().OnlyContain(c => c.Category == title);
    }

    [Test]
    public void Categories_AreTheAutobahnOnesPlusOurs()
    {
        All.Select(c => CategoryOf(c.Id)).Distinct().Should().Equal("0", "1", "2", "3", "4", "5", "6", "7", "9", "10", "12", "13", "14", "15");
        FluentActions.Invoking(() => Catalogue.Get("11.1.1")).Should().Throw<KeyNotFoundException>().WithMessage("*11.1.1*");
    }

    [TestCase("6.1", 3), TestCase("6.2", 4), TestCase("6.3", 2), TestCase("6.4", 4), TestCase("6.5", 5), TestCase("6.6", 11)]
    [TestCase("6.7", 4), TestCase("6.8", 2), TestCase("6.9", 4), TestCase("6.10", 3), TestCase("6.11", 5), TestCase("6.12", 8)]
    [TestCase("6.13", 5), TestCase("6.14", 10), TestCase("6.15", 1), TestCase("6.16", 3), TestCase("6.17", 5), TestCase("6.18", 5)]
    [TestCase("6.19", 5), TestCase("6.20", 7), TestCase("6.21", 8), TestCase("6.22", 34), TestCase("6.23", 7)]
    [TestCase("9.1", 6), TestCase("9.2", 6), TestCase("9.3", 9), TestCase("9.4", 9), TestCase("9.5", 6), TestCase("9.6", 6)]
    [TestCase("9.7", 6), TestCase("9.8", 6), TestCase("10.1", 1)]
    public void Group_HasAutobahnCount(string prefix, int count)
    {
        var ids = All.Where(c => c.Id.StartsWith(prefix + ".", StringComparison.Ordinal)).Select(c => c.Id).ToList();
        ids.Should().Equal(Enumerable.Range(1, count).Select(i => $"{prefix}.{i}"));
    }

    [Test]
    public void Category6_Has70ValidAnd75InvalidPayloads()
    {
        var cases = All.Where(c => CategoryOf(c.Id) == "6").ToList();
        var invalid = cases.Where(c => c.ExpectedClose == CloseExpectations.FailFastInvalidUtf8).ToList();
        invalid.Should().HaveCount(75);
        cases.Except(invalid).Should().HaveCount(70).And.OnlyContain(c => c.ExpectedClose == CloseExpectations.EchoThenNormalClose);
        invalid.Should().OnlyContain(c => c.ExpectedClose.ClosedByWrongEndpointIsFatal && c.ExpectedClose.CloseCodes.SequenceEqual(new[] { 1007 }));
        All.Where(c => c.ExpectedClose.ClosedByWrongEndpointIsFatal).Should().OnlyContain(c => CategoryOf(c.Id) == "6");
    }

    [Test]
    public void Ids_AreUniqueAndInNumericOrder()
    {
        var ids = All.Select(c => c.Id).ToList();
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().Equal(ids.OrderBy(id => id, CaseIds.NumericOrder));
        ids.IndexOf("2.10").Should().Be(ids.IndexOf("2.9") + 1);
        ids.IndexOf("7.7.10").Should().Be(ids.IndexOf("7.7.9") + 1);
        ids.IndexOf("6.10.1").Should().Be(ids.IndexOf("6.9.4") + 1);
        ids.IndexOf("6.1.1").Should().Be(ids.IndexOf("5.20") + 1);
        ids.IndexOf("7.1.1").Should().Be(ids.IndexOf("6.23.7") + 1);
        ids.IndexOf("10.1.1").Should().Be(ids.IndexOf("9.8.6") + 1);
        ids.IndexOf("0.1.1").Should().Be(0);
        ids.IndexOf("0.3.10").Should().Be(ids.IndexOf("0.3.9") + 1);
        ids.IndexOf("0.8.1").Should().Be(ids.IndexOf("0.7.2") + 1);
        ids.IndexOf("1.1.1").Should().Be(ids.IndexOf("0.9.8") + 1);
        ids.IndexOf("12.1.1").Should().Be(ids.IndexOf("10.1.1") + 1);
        ids.IndexOf("12.1.10").Should().Be(ids.IndexOf("12.1.9") + 1);
        ids.IndexOf("13.1.1").Should().Be(ids.IndexOf("12.5.18") + 1);
        ids.IndexOf("14.1.1").Should().Be(ids.IndexOf("13.7.18") + 1);
        ids.IndexOf("15.1.1").Should().Be(ids.IndexOf("14.2.3") + 1);
    }

    [Test]
    public void Get_ReturnsTheCaseWithThatId()
    {
        Catalogue.Get("5.19").Id.Should().Be("5.19");
        Catalogue.Get("6.4.3").Id.Should().Be("6.4.3");
        Catalogue.Get("0.1.1").Should().BeSameAs(All[0]);
        Catalogue.Get("15.4.1").Should().BeSameAs(All[^1]);
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
    [TestCase("6.1", "Valid UTF-8 with zero payload fragments")]
    [TestCase("6.2", "Valid UTF-8 unfragmented, fragmented on code-points and within code-points")]
    [TestCase("6.3", "Invalid UTF-8 differently fragmented")]
    [TestCase("6.4", "Fail-fast on invalid UTF-8")]
    [TestCase("6.5", "Some valid UTF-8 sequences")]
    [TestCase("6.6", "All prefixes of a valid UTF-8 string that contains multi-byte code points")]
    [TestCase("6.7", "First possible sequence of a certain length")]
    [TestCase("6.8", "First possible sequence length 5/6 (invalid codepoints)")]
    [TestCase("6.9", "Last possible sequence of a certain length")]
    [TestCase("6.10", "Last possible sequence length 4/5/6 (invalid codepoints)")]
    [TestCase("6.11", "Other boundary conditions")]
    [TestCase("6.12", "Unexpected continuation bytes")]
    [TestCase("6.13", "Lonely start characters")]
    [TestCase("6.14", "Sequences with last continuation byte missing")]
    [TestCase("6.15", "Concatenation of incomplete sequences")]
    [TestCase("6.16", "Impossible bytes")]
    [TestCase("6.17", "Examples of an overlong ASCII character")]
    [TestCase("6.18", "Maximum overlong sequences")]
    [TestCase("6.19", "Overlong representation of the NUL character")]
    [TestCase("6.20", "Single UTF-16 surrogates")]
    [TestCase("6.21", "Paired UTF-16 surrogates")]
    [TestCase("6.22", "Non-character code points (valid UTF-8)")]
    [TestCase("6.23", "Unicode specials (i.e. replacement char)")]
    [TestCase("9.1", "Text Message (increasing size)")]
    [TestCase("9.2", "Binary Message (increasing size)")]
    [TestCase("9.3", "Fragmented Text Message (fixed size, increasing fragment size)")]
    [TestCase("9.4", "Fragmented Binary Message (fixed size, increasing fragment size)")]
    [TestCase("9.5", "Text Message (fixed size, increasing chop size)")]
    [TestCase("9.6", "Binary Text Message (fixed size, increasing chop size)")]
    [TestCase("9.7", "Text Message Roundtrip Time (fixed number, increasing size)")]
    [TestCase("9.8", "Binary Message Roundtrip Time (fixed number, increasing size)")]
    [TestCase("10.1", "Auto-Fragmentation")]
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
        if (IsHandshakeOnly(c)) return; // ends with the server's answer: there is no script to bound
        c.Script.Should().Contain(s => s is KillAfter || s is CloseAfter || s is SendClose,
            "every case must end by a timer or by the harness's own Close");
        // Autobahn arms the timer after the last frame, except in trials (categories 9, 12, 13), which block the script.
        if (!c.Script.Any(s => s is RoundTrips or CompressedRoundTrips))
            c.Script[^1].Should().Match<Step>(s => s is KillAfter || s is CloseAfter, "Autobahn arms the timer after the last frame");
    }

    [TestCaseSource(nameof(EveryCase))]
    public void Case_ListsOkFirst(ConformanceCase c)
    {
        if (IsTrial(c))
        {
            c.Expected.Should().BeEmpty("the trials of categories 9, 12 and 13 set the behaviour verdict themselves (Autobahn's expected = {})");
            return;
        }
        if (IsHandshakeOnly(c))
        {
            c.Expected.Should().BeEmpty("only the handshake judge decides a handshake-only case");
            return;
        }
        c.Expected.Should().NotBeEmpty();
        c.Expected[0].Verdict.Should().Be(Behavior.Ok);
        c.Expected.Skip(1).Should().NotContain(o => o.Verdict != Behavior.NonStrict, "the only second list Autobahn uses is NON-STRICT");
        if (!c.Id.StartsWith("6.4.", StringComparison.Ordinal))
        {
            c.Expected.Skip(1).Should().NotContain(o => o.Events.Count != 0,
                "apart from 6.4.x, the only second list Autobahn uses in these categories is NON-STRICT = []");
        }
    }

    [Test]
    public void NonStrictList_OnlyWhereAutobahnHasOne()
    {
        All.Where(c => c.Expected.Count == 2).Select(c => c.Id).Should().BeEquivalentTo(
            "3.2", "3.3", "3.4", "4.1.3", "4.1.4", "4.1.5", "4.2.3", "4.2.4", "4.2.5", "5.15",
            "6.4.1", "6.4.2", "6.4.3", "6.4.4", "7.1.6", "14.2.1", "14.2.2");
    }

    /// <summary>
    /// Payloads backed by an array exist from the moment the catalogue loads; payloads over a memory manager (15.4.1's
    /// 16 MiB) are only made when something reads their octets, so they do not count as stored.
    /// </summary>
    private static bool IsStoredAtLoad(ReadOnlyMemory<byte> payload) =>
        !System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager<byte, System.Buffers.MemoryManager<byte>>(payload, out _);

    [TestCaseSource(nameof(EveryCase))]
    public void Case_StoresNoPayloadOver300KiB(ConformanceCase c)
    {
        var stored = new List<ReadOnlyMemory<byte>>();
        foreach (var step in c.Script)
        {
            switch (step)
            {
                case SendFrame send: stored.Add(send.Frame.Payload); break;
                case SendMessage message: stored.Add(message.Payload); break;
                case SendCompressed compressed: stored.Add(compressed.Message); break;
                case SendFrameData data: stored.Add(data.Data); break;
                case SendClose close:
                    stored.Add(close.Reason);
                    if (close.RawPayload is { } raw) stored.Add(raw);
                    break;
                case RoundTrips trips: stored.Add(trips.Payload.Pattern); break;
            }
        }
        stored.AddRange(c.Expected.SelectMany(o => o.Events).Select(e => e.Payload));
        if (c.Handshake is { } probe) stored.AddRange(probe.EarlyFrames.Select(f => f.Payload));
        stored.Should().NotContain(p => p.Length > MaxStoredPayload && IsStoredAtLoad(p)); // handshake-only cases store nothing at all
        if (c.Id != "15.4.1") stored.Should().NotContain(p => !IsStoredAtLoad(p), "only 15.4.1 defers its payload to first use");
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
        All.Where(c => CategoryOf(c.Id) != "7" && c.Id is not ("14.2.1" or "14.2.2" or "15.4.1")).Should().OnlyContain(c => c.Rule == VerdictRule.Standard);
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

    // ---------------------------------------------------------------- category 6

    [Test]
    public void Utf8_Timers_MatchAutobahn()
    {
        foreach (var c in All.Where(c => CategoryOf(c.Id) == "6"))
        {
            var group = int.Parse(c.Id.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
            var timer = c.Script[^1];
            object expected = group switch
            {
                1 or 2 => new CloseAfter(TimeSpan.FromSeconds(1)),
                3 or 4 => new KillAfter(TimeSpan.FromSeconds(1)),
                _ => new KillAfter(TimeSpan.FromSeconds(0.5)),
            };
            timer.Should().Be(expected, c.Id);
            c.Script.Count(s => s is KillAfter or CloseAfter).Should().Be(1, c.Id);
        }
    }

    [TestCase("6.2.3", 29, 30)]
    [TestCase("6.2.4", 11, 12)]
    [TestCase("6.3.2", 20, 21)]
    public void Utf8_OctetFragments_UseSendMessageWithItsQuirk(string id, int length, int frames)
    {
        var message = Single<SendMessage>(Catalogue.Get(id));
        message.Opcode.Should().Be(Opcode.Text);
        message.FragmentSize.Should().Be(1);
        message.Payload.Length.Should().Be(length);
        var split = Wsconform.Engine.Session.Fragmentation.Split(message.Opcode, message.Payload, message.FragmentSize).ToList();
        split.Should().HaveCount(frames);
        split[^1].Payload.IsEmpty.Should().BeTrue();
        split[^1].Fin.Should().BeTrue();
        split.Take(frames - 1).Should().OnlyContain(f => !f.Fin && f.Payload.Length == 1);
    }

    [Test]
    public void Utf8_ZeroPayloadFragments_6_1()
    {
        Catalogue.Get("6.1.1").Script.OfType<SendFrame>().Select(s => (s.Frame.Opcode, s.Frame.Fin, s.Frame.Payload.Length))
            .Should().Equal((1, true, 0));
        Catalogue.Get("6.1.2").Script.OfType<SendFrame>().Select(s => (s.Frame.Opcode, s.Frame.Fin, s.Frame.Payload.Length))
            .Should().Equal((1, false, 0), (0, false, 0), (0, true, 0));
        var c613 = Catalogue.Get("6.1.3");
        c613.Script.OfType<SendFrame>().Select(s => (s.Frame.Opcode, s.Frame.Fin, s.Frame.Payload.Length))
            .Should().Equal((1, false, 0), (0, false, 20), (0, true, 0));
        c613.Expected[0].Events.Should().ContainSingle().Which.Payload.ToArray()
            .Should().Equal(System.Text.Encoding.UTF8.GetBytes("middle frame payload"));
    }

    [TestCase("6.4.1", 11, 4, 6)]
    [TestCase("6.4.2", 12, 1, 8)]
    public void Utf8_FailFast_ThreeFrames(string id, int first, int second, int third)
    {
        var c = Catalogue.Get(id);
        c.Script.Select(s => s.GetType().Name).Should().Equal(
            "SendFrame", "Delay", "Mark", "SendFrame", "Delay", "Mark", "SendFrame", "KillAfter");
        c.Script.OfType<SendFrame>().Select(s => (s.Frame.Opcode, s.Frame.Fin, s.Frame.Payload.Length))
            .Should().Equal((1, false, first), (0, false, second), (0, true, third));
        AssertFailFastTimersAndVerdicts(c);
    }

    [TestCase("6.4.3", 11, 4, 6)]
    [TestCase("6.4.4", 12, 1, 8)]
    public void Utf8_FailFast_OneFrameInTimedPieces(string id, int first, int second, int third)
    {
        var c = Catalogue.Get(id);
        c.Script.Select(s => s.GetType().Name).Should().Equal(
            "SendFrameHeader", "SendFrameData", "Delay", "Mark", "SendFrameData", "Delay", "Mark", "SendFrameData", "SendFrame", "KillAfter");
        Single<SendFrameHeader>(c).Should().Be(new SendFrameHeader(Opcode.Text, false, 21));
        c.Script.OfType<SendFrameData>().Select(d => d.Data.Length).Should().Equal(first, second, third);
        var end = Single<SendFrame>(c).Frame;
        (end.Opcode, end.Fin, end.Payload.Length).Should().Be((0, true, 0));
        AssertFailFastTimersAndVerdicts(c);
    }

    private static void AssertFailFastTimersAndVerdicts(ConformanceCase c)
    {
        c.Script.OfType<Delay>().Should().Equal(new Delay(TimeSpan.FromSeconds(1), "A"), new Delay(TimeSpan.FromSeconds(1), "B"));
        c.Script.OfType<Mark>().Should().Equal(new Mark("A"), new Mark("B"));
        Single<KillAfter>(c).After.Should().Be(TimeSpan.FromSeconds(1));
        c.Expected.Select(o => o.Verdict).Should().Equal(Behavior.Ok, Behavior.NonStrict);
        c.Expected[0].Events.Should().Equal(ExpectedEvent.Timeout("A"));
        c.Expected[1].Events.Should().Equal(ExpectedEvent.Timeout("A"), ExpectedEvent.Timeout("B"));
        c.ExpectedClose.Should().Be(CloseExpectations.FailFastInvalidUtf8);
    }

    // ---------------------------------------------------------------- category 9

    private static RoundTrips Trial(string id) => Single<RoundTrips>(Catalogue.Get(id));

    private static IEnumerable<ConformanceCase> Group(string prefix) => All.Where(c => c.Id.StartsWith(prefix + ".", StringComparison.Ordinal));

    [Test]
    public void Limits_EveryCaseArmsItsCloseTimerThenRunsOneTrial()
    {
        foreach (var c in All.Where(c => CategoryOf(c.Id) == "9"))
        {
            c.Script.Should().HaveCount(2, c.Id);
            c.Script[0].Should().BeOfType<CloseAfter>(c.Id);
            c.Script[1].Should().BeOfType<RoundTrips>(c.Id);
            c.Expected.Should().BeEmpty(c.Id);
            c.AutoCloseOnMatch.Should().BeFalse(c.Id);
            c.ExpectedClose.Should().Be(CloseExpectations.EchoThenNormalClose, c.Id);
            var trial = (RoundTrips)c.Script[1];
            var seconds = (int)((CloseAfter)c.Script[0]).After.TotalSeconds;
            trial.TimeoutResult.Should().Be(c.Id.StartsWith("9.7.", StringComparison.Ordinal) || c.Id.StartsWith("9.8.", StringComparison.Ordinal)
                ? $"Case did not finish within {seconds} seconds."
                : $"Did not receive message within {seconds} seconds.", c.Id);
        }
        All.Where(c => c.Script.OfType<RoundTrips>().Any()).Should().OnlyContain(c => CategoryOf(c.Id) == "9");
    }

    [Test]
    public void Limits_OnlyRoundTripTimeCasesRunApart()
    {
        All.Where(c => c.RunsApart).Select(c => c.Id).Should().Equal(
            "9.7.1", "9.7.2", "9.7.3", "9.7.4", "9.7.5", "9.7.6", "9.8.1", "9.8.2", "9.8.3", "9.8.4", "9.8.5", "9.8.6");
    }

    [TestCase("9.1", Opcode.Text, new[] { 10, 10, 100, 100, 100, 100 })]
    [TestCase("9.2", Opcode.Binary, new[] { 10, 10, 10, 10, 100, 100 })]
    public void Limits_IncreasingSizes(string prefix, Opcode opcode, int[] timeouts)
    {
        var cases = Group(prefix).ToList();
        cases.Select(c => Trial(c.Id).Payload.Length).Should().Equal(64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20);
        cases.Select(c => Single<CloseAfter>(c).After.TotalSeconds).Should().Equal(timeouts.Select(t => (double)t));
        cases.Select(c => Trial(c.Id)).Should().OnlyContain(t =>
            t.Opcode == opcode && t.Count == 1 && t.FragmentSize == null && t.ChopSize == null);
        var pattern = opcode == Opcode.Text ? "BAsd7&jh23"u8.ToArray() : new byte[] { 0x00, 0xFE, 0x23, 0xFA, 0xF0 };
        cases.Select(c => Trial(c.Id).Payload.Pattern.ToArray()).Should().AllSatisfy(p => p.Should().Equal(pattern));
    }

    [TestCase("9.3", Opcode.Text)]
    [TestCase("9.4", Opcode.Binary)]
    public void Limits_FixedSizeIncreasingFragments(string prefix, Opcode opcode)
    {
        var trials = Group(prefix).Select(c => Trial(c.Id)).ToList();
        trials.Select(t => t.FragmentSize).Should().Equal(64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20);
        trials.Should().OnlyContain(t => t.Opcode == opcode && t.Count == 1 && t.ChopSize == null && t.Payload.Length == 4 << 20);
        Group(prefix).Should().OnlyContain(c => Single<CloseAfter>(c).After == TimeSpan.FromSeconds(100));
        var patterns = trials.Select(t => t.Payload.Pattern.ToArray()).ToList();
        patterns.Skip(1).Should().OnlyContain(p => p.SequenceEqual(new byte[] { 0x2A }), "9.3.x and 9.4.2–9 send '*' octets");
        patterns[0].Should().Equal(opcode == Opcode.Text ? (byte)0x2A : (byte)0xFE);
    }

    [Test]
    public void Limits_FragmentCountsIncludeAutobahnsEmptyFinalFrame()
    {
        int Frames(RoundTrips t) =>
            Wsconform.Engine.Session.Fragmentation.Split(t.Opcode, new byte[t.Payload.Length], t.FragmentSize!.Value).Count();

        Group("9.3").Select(c => Frames(Trial(c.Id))).Should().Equal(65537, 16385, 4097, 1025, 257, 65, 17, 5, 1);
    }

    [TestCase("9.5", Opcode.Text)]
    [TestCase("9.6", Opcode.Binary)]
    public void Limits_FixedSizeIncreasingChops(string prefix, Opcode opcode)
    {
        var trials = Group(prefix).Select(c => Trial(c.Id)).ToList();
        trials.Select(t => t.ChopSize).Should().Equal(64, 128, 256, 512, 1024, 2048);
        trials.Should().OnlyContain(t => t.Opcode == opcode && t.Count == 1 && t.FragmentSize == null && t.Payload.Length == 1 << 20);
        trials.Should().OnlyContain(t => t.Payload.Pattern.Length == (opcode == Opcode.Text ? 10 : 5));
        Group(prefix).Should().OnlyContain(c => Single<CloseAfter>(c).After == TimeSpan.FromSeconds(1000));
    }

    [TestCase("9.7", Opcode.Text, (byte)0x2A)]
    [TestCase("9.8", Opcode.Binary, (byte)0xFE)]
    public void Limits_RoundTripTimes(string prefix, Opcode opcode, byte filler)
    {
        var trials = Group(prefix).Select(c => Trial(c.Id)).ToList();
        trials.Select(t => t.Payload.Length).Should().Equal(0, 16, 64, 256, 1024, 4096);
        trials.Should().OnlyContain(t => t.Opcode == opcode && t.Count == 1000 && t.FragmentSize == null && t.ChopSize == null);
        trials.Select(t => t.Payload.Pattern.ToArray()).Should().AllSatisfy(p => p.Should().Equal(filler));
        Group(prefix).Select(c => Single<CloseAfter>(c).After.TotalSeconds).Should().Equal(60, 60, 60, 120, 240, 480);
    }

    // ---------------------------------------------------------------- category 10

    [Test]
    public void Misc10_1_1_AutoFragmentsAndChecksItsOwnFrameCounts()
    {
        var c = Catalogue.Get("10.1.1");
        var message = Single<SendMessage>(c);
        message.Opcode.Should().Be(Opcode.Text);
        message.FragmentSize.Should().Be(1300);
        message.Payload.Length.Should().Be(65536);
        message.Payload.ToArray().Should().OnlyContain(b => b == 0x2A);
        Single<KillAfter>(c).After.Should().Be(TimeSpan.FromSeconds(10));
        c.Expected.Should().ContainSingle().Which.Events.Should().ContainSingle().Which.Payload.ToArray().Should().Equal(message.Payload.ToArray());
        c.ExpectedClose.Should().Be(CloseExpectations.EchoThenNormalClose);
        c.ExpectedSentFrames.Should().BeEquivalentTo(new Dictionary<int, int> { [0] = 50, [1] = 1 });

        var frames = Wsconform.Engine.Session.Fragmentation.Split(message.Opcode, message.Payload, message.FragmentSize).ToList();
        frames.GroupBy(f => f.Opcode).ToDictionary(g => g.Key, g => g.Count()).Should().BeEquivalentTo(c.ExpectedSentFrames);
        frames[^1].Payload.Length.Should().Be(536);
    }

    // ---------------------------------------------------------------- category 0 (opening handshake, beyond Autobahn)

    private static List<ConformanceCase> Category(string category) => [.. All.Where(c => CategoryOf(c.Id) == category)];

    /// <summary>0.1–0.7: the cases that probe a server's handshake.</summary>
    private static List<ConformanceCase> ServerHandshakeCases => [.. Category("0").Where(c => c.Handshake != null)];

    [Test]
    public void Handshake_HasAtLeast40CasesTitledOpeningHandshake()
    {
        var cases = Category("0");
        cases.Should().HaveCountGreaterThanOrEqualTo(40);
        cases.Should().OnlyContain(c => c.Category == "Opening Handshake");
    }

    [Test]
    public void Handshake_EveryCaseHasAProbeOrAClientCheck_AndNoOtherCaseDoes()
    {
        // 0.1-0.7 probe a server's handshake; 0.8 and 0.9 check a client's (the harness is the server).
        Category("0").Should().OnlyContain(c => (c.Handshake != null) != (c.ClientHandshake != null));
        Category("0").Where(c => c.ClientHandshake != null).Select(c => c.Id[..3]).Distinct().Should().BeEquivalentTo("0.8", "0.9");
        All.Where(c => c.Handshake != null || c.ClientHandshake != null).Should().OnlyContain(c => CategoryOf(c.Id) == "0");
        Category("0").Where(c => c.ClientHandshake != null)
            .Should().OnlyContain(c => (c.ClientHandshake!.RequestJudge != null) != (c.ClientHandshake.BrokenResponse != null));
    }

    [TestCase("0.1", "Valid upgrade", 8)]
    [TestCase("0.2", "Request variations a server must accept", 9)]
    [TestCase("0.3", "Requests a server must refuse", 12)]
    [TestCase("0.4", "Protocol versions", 6)]
    [TestCase("0.5", "Subprotocols", 3)]
    [TestCase("0.6", "Extensions", 6)]
    [TestCase("0.7", "Early data", 2)]
    [TestCase("0.8", "Client's upgrade request", 8)]
    [TestCase("0.9", "Responses a client must refuse", 8)]
    [TestCase("14.1", "Masking", 4)]
    [TestCase("14.2", "Payload length encoding", 3)]
    [TestCase("15.1", "Per-message compressed bit", 2)]
    [TestCase("15.2", "Empty fragments and blocks", 3)]
    [TestCase("15.3", "Context takeover", 2)]
    [TestCase("15.4", "Decompression limits", 1)]
    public void NewGroup_HasTitleAndConsecutiveIds(string prefix, string title, int count)
    {
        var cases = All.Where(c => c.Id.StartsWith(prefix + ".", StringComparison.Ordinal)).ToList();
        cases.Select(c => c.Id).Should().Equal(Enumerable.Range(1, count).Select(i => $"{prefix}.{i}"));
        cases.Should().OnlyContain(c => c.Group == title);
    }

    [Test]
    public void Handshake_RfcSectionsAreFromTheHandshakeAndNegotiationChapters()
    {
        string[] allowed = ["RFC 6455 §4", "RFC 6455 §9", "RFC 6455 §10.2", "RFC 6455 §11", "RFC 7692 §"];
        foreach (var c in Category("0"))
        {
            // A client refusing a broken 101 fails the connection (§7.1.7).
            string[] also = c.Id.StartsWith("0.9.", StringComparison.Ordinal) ? ["RFC 6455 §7.1.7"] : [];
            c.RfcSections.Should().OnlyContain(s => allowed.Concat(also).Any(a => s.StartsWith(a, StringComparison.Ordinal)), c.Id);
            c.RfcSections.Should().Contain(s => s.StartsWith("RFC 6455 §4", StringComparison.Ordinal)
                || s.StartsWith("RFC 6455 §9", StringComparison.Ordinal) || s.StartsWith("RFC 7692", StringComparison.Ordinal), c.Id);
        }
        All.Where(c => c.Id.StartsWith("0.6.", StringComparison.Ordinal) && c.Id != "0.6.1")
            .Should().OnlyContain(c => c.RfcSections[0] == "RFC 7692 §5");
    }

    [Test]
    public void Handshake_VerdictModelIsSpelledOutPerCase()
    {
        foreach (var c in Category("0"))
        {
            c.ExpectedBehaviour.Should().MatchRegex("MUST|SHOULD|INFORMATIONAL", c.Id);
            c.ExpectedBehaviour.Should().Contain("FAILED", c.Id);
            c.ExpectedBehaviour.Should().Contain(" OK", c.Id);
        }
        foreach (var c in Category("0").Where(c => c.Id.StartsWith("0.3.", StringComparison.Ordinal)))
        {
            c.ExpectedBehaviour.Should().Contain("101 here is FAILED").And.Contain("4xx refusal").And.Contain("NON-STRICT", c.Id);
        }
    }

    [Test]
    public void Handshake_OnlyCasesEndWithTheJudge_OthersEcho()
    {
        foreach (var c in ServerHandshakeCases)
        {
            // The close pattern is required by the model; handshake-only cases never reach a closing handshake.
            c.ExpectedClose.Should().Be(CloseExpectations.EchoThenNormalClose, c.Id);
            var group = string.Join('.', c.Id.Split('.').Take(2));
            if (group is "0.3" or "0.4")
            {
                IsHandshakeOnly(c).Should().BeTrue(c.Id);
                c.Expected.Should().BeEmpty(c.Id);
            }
            else if (group == "0.7")
            {
                c.Handshake!.EarlyFrames.Should().ContainSingle(c.Id);
                c.Script.Should().Equal([new KillAfter(TimeSpan.FromSeconds(1))], c.Id);
            }
            else
            {
                c.Script.Should().HaveCount(2, c.Id);
                Single<SendFrame>(c).Frame.Payload.ToArray().Should().Equal(System.Text.Encoding.UTF8.GetBytes(Payloads.HelloWorld), c.Id);
                Single<KillAfter>(c).After.Should().Be(TimeSpan.FromSeconds(1), c.Id);
                c.Expected.Should().ContainSingle(c.Id).Which.Verdict.Should().Be(Behavior.Ok);
                var expected = c.Expected[0].Events.Should().ContainSingle(c.Id).Subject;
                expected.Kind.Should().Be(EventKind.Message);
                expected.Payload.ToArray().Should().Equal(System.Text.Encoding.UTF8.GetBytes(Payloads.HelloWorld), c.Id);
            }
        }
    }

    [Test]
    public void ClientHandshake_RequestCasesEcho_ResponseCasesWatchTheClientFail()
    {
        foreach (var c in Category("0").Where(c => c.ClientHandshake?.RequestJudge != null))
        {
            c.Id.Should().StartWith("0.8.");
            c.ExpectedClose.Should().Be(CloseExpectations.EchoThenNormalClose, c.Id);
            Single<SendFrame>(c).Frame.Payload.ToArray().Should().Equal(System.Text.Encoding.UTF8.GetBytes(Payloads.HelloWorld), c.Id);
            c.Expected.Should().ContainSingle(c.Id).Which.Events.Should().ContainSingle(c.Id);
            c.ClientHandshake!.HoldResponse.Should().Be(c.Id == "0.8.8" ? ClientHandshakeCases.EarlyDataHold : TimeSpan.Zero, c.Id);
        }
        foreach (var c in Category("0").Where(c => c.ClientHandshake?.BrokenResponse != null))
        {
            c.Id.Should().StartWith("0.9.");
            Single<KillAfter>(c).After.Should().Be(ClientHandshakeCases.FailWindow, c.Id);
            c.Expected.Should().Equal(Outcomes.Nothing, c.Id);
            c.AutoCloseOnMatch.Should().BeFalse("an empty expected list matches at once; the harness must wait for the client, {0}", c.Id);
            c.ExpectedBehaviour.Should().Contain("NON-STRICT").And.Contain("FAILED").And.Contain("OK", c.Id);
        }
    }

    [Test]
    public void Handshake_EarlyFrameIsEchoedAfterTheUpgrade()
    {
        var c = Catalogue.Get("0.7.1");
        var early = c.Handshake!.EarlyFrames.Single();
        early.Opcode.Should().Be((int)Opcode.Text);
        early.Masked.Should().NotBe(false, "a client frame is masked");
        c.Expected.Should().ContainSingle().Which.Events.Should().ContainSingle()
            .Which.Payload.ToArray().Should().Equal(early.Payload.ToArray());
        Catalogue.Get("0.7.2").Handshake!.EarlyFrames.Single().Opcode.Should().Be((int)Opcode.Ping);
        Catalogue.Get("0.7.2").Expected[0].Events.Single().Kind.Should().Be(EventKind.Pong);
    }

    [Test]
    public void Handshake_ExtensionCasesOfferWhatTheirStimulusSays()
    {
        var offers = All.Where(c => c.Id.StartsWith("0.6.", StringComparison.Ordinal)).Select(c => c.Handshake!.ExtensionOffers.Single()).ToList();
        offers.Should().Equal(
            "x-wsconform-unknown",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=08",
            "permessage-deflate; x_wsconform_unknown_parameter",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover");
        All.Where(c => c.Id.StartsWith("0.6.", StringComparison.Ordinal)).Should().OnlyContain(c => c.Stimulus.Contains(c.Handshake!.ExtensionOffers[0]));
        All.Where(c => c.Handshake != null && !c.Id.StartsWith("0.6.", StringComparison.Ordinal)).Should().OnlyContain(c => c.Handshake!.ExtensionOffers.Count == 0);
    }

    // ---------------------------------------------------------------- category 14 (frame encoding, beyond Autobahn)

    [Test]
    public void FrameEncoding_HasSevenScriptedCasesWithoutProbe()
    {
        var cases = Category("14");
        cases.Should().HaveCount(7);
        cases.Should().OnlyContain(c => c.Category == "Frame Encoding" && c.Handshake == null);
        cases.Should().OnlyContain(c => c.Script.Count == 2 && c.Script[0] is SendFrame && c.Script[1].Equals(new KillAfter(TimeSpan.FromSeconds(1))));
        cases.Should().OnlyContain(c => c.RfcSections.All(s => s.StartsWith("RFC 6455 §5", StringComparison.Ordinal) || s.StartsWith("RFC 6455 §7", StringComparison.Ordinal)));
    }

    [TestCase("14.1.1", Opcode.Text)]
    [TestCase("14.1.2", Opcode.Ping)]
    public void FrameEncoding_UnmaskedFrameMustFail(string id, Opcode opcode)
    {
        var c = Catalogue.Get(id);
        var frame = Single<SendFrame>(c).Frame;
        frame.Opcode.Should().Be((int)opcode);
        frame.Masked.Should().BeFalse();
        c.Expected.Should().Equal(Outcomes.Nothing);
        c.ExpectedClose.Should().Be(CloseExpectations.FailFastProtocolError);
        c.Rule.Should().Be(VerdictRule.Standard);
    }

    [TestCase("14.1.3", 0x0000_0000u)]
    [TestCase("14.1.4", 0xFFFF_FFFFu)]
    public void FrameEncoding_AnyMaskKeyIsEchoed(string id, uint key)
    {
        var c = Catalogue.Get(id);
        var frame = Single<SendFrame>(c).Frame;
        frame.MaskKey.Should().Be(key);
        frame.Masked.Should().NotBe(false);
        c.Expected.Should().ContainSingle().Which.Events.Should().ContainSingle().Which.Payload.ToArray().Should().Equal(frame.Payload.ToArray());
        c.ExpectedClose.Should().Be(CloseExpectations.EchoThenNormalClose);
        c.Rule.Should().Be(VerdictRule.Standard);
    }

    [TestCase("14.2.1", LengthEncoding.Extended16, 100)]
    [TestCase("14.2.2", LengthEncoding.Extended64, 200)]
    public void FrameEncoding_NonMinimalLengthIsInformational(string id, LengthEncoding encoding, int length)
    {
        var c = Catalogue.Get(id);
        var frame = Single<SendFrame>(c).Frame;
        frame.LengthEncoding.Should().Be(encoding);
        frame.Payload.Length.Should().Be(length);
        frame.DeclaredLength.Should().BeNull();
        c.Rule.Should().Be(VerdictRule.Informational);
        c.Expected.Select(o => o.Verdict).Should().Equal(Behavior.Ok, Behavior.NonStrict);
        c.Expected[0].Events.Should().ContainSingle().Which.Payload.ToArray().Should().Equal(frame.Payload.ToArray());
        c.Expected[1].Events.Should().BeEmpty();
    }

    [Test]
    public void FrameEncoding_64BitLengthWithTopBitMustFail()
    {
        var c = Catalogue.Get("14.2.3");
        var frame = Single<SendFrame>(c).Frame;
        frame.LengthEncoding.Should().Be(LengthEncoding.Extended64);
        frame.DeclaredLength.Should().Be(0x8000_0000_0000_0005UL);
        frame.Payload.Length.Should().Be(5);
        c.Expected.Should().Equal(Outcomes.Nothing);
        c.ExpectedClose.Should().Be(CloseExpectations.FailFastProtocolError);
        var encoded = FrameEncoder.Encode(frame, masked: true, maskKey: 0);
        encoded[1].Should().Be(0x80 | 127);
        encoded[2].Should().Be(0x80, "the most significant bit of the 64-bit length is set");
    }
}
