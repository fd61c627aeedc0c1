using Wsconform.Cases;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Model;
using Wsconform.Tests.Peers;

namespace Wsconform.Tests.Conformance;

/// <summary>
/// The "can fail" half: a peer that breaks exactly one rule is caught by the cases that check that rule, asserted by
/// case ID. Where Autobahn's verdict rules only flag the close (a peer that ignores a violation but echoes nothing
/// still gets behavior OK), the close verdict is asserted instead, as Autobahn would report it.
/// </summary>
[TestFixture]
public class FaultyPeerTests
{
    /// <summary>One expectation: with this fault, this case gets this verdict.</summary>
    public sealed record Caught(ServerFault Fault, string Id, Behavior? Behavior = null, CloseBehavior? Close = null)
    {
        public override string ToString() => $"{Fault} caught by {Id}";
    }

    private static IEnumerable<Caught> Failing(ServerFault fault, params string[] ids) => ids.Select(id => new Caught(fault, id, Behavior.Failed));

    private static IEnumerable<Caught> Closing(ServerFault fault, CloseBehavior close, params string[] ids) => ids.Select(id => new Caught(fault, id, Close: close));

    public static IEnumerable<Caught> Expectations =>
    [
        // RFC 6455 §5.2: RSV bits without an extension must fail the connection; the faulty peer echoes instead.
        .. Failing(ServerFault.IgnoresReservedBits, "3.1", "3.2", "3.3", "3.4", "3.5", "3.6"),
        // §5.2 reserved opcodes: echoing nothing but not failing shows in the close verdict (the harness had to close);
        // when a valid frame and a ping follow, the extra pong fails the behaviour.
        .. Closing(ServerFault.AcceptsReservedOpcodes, CloseBehavior.Failed, "4.1.1", "4.1.2", "4.2.1", "4.2.2"),
        .. Failing(ServerFault.AcceptsReservedOpcodes, "4.1.3", "4.1.4", "4.1.5", "4.2.3", "4.2.4", "4.2.5"),
        // §5.5.3 the Pong must carry the Ping's payload.
        .. Failing(ServerFault.PongsWithWrongPayload, "2.1", "2.2", "2.3", "2.4", "2.6", "2.9", "2.10", "2.11", "5.6", "5.7", "5.8", "5.19", "5.20"),
        // §5.5 control frames of 126 octets: the oversized pong is itself a violation the harness fails on (2.5),
        // and an oversized Close answered normally is the wrong code (7.3.6).
        .. Closing(ServerFault.AcceptsOversizedControlFrames, CloseBehavior.Failed, "2.5"),
        new(ServerFault.AcceptsOversizedControlFrames, "7.3.6", Behavior.Failed, CloseBehavior.WrongCode),
        // §5.5 fragmented ping answered as if complete.
        .. Failing(ServerFault.AcceptsFragmentedControlFrames, "5.1"),
        // §5.4 a continuation that continues nothing.
        .. Failing(ServerFault.AcceptsOrphanContinuation, "5.9", "5.10", "5.11", "5.12", "5.13", "5.14", "5.15", "5.16", "5.17"),
        // §7.4 invalid close codes and §5.5.1 a 1-octet close body must be answered with 1002, not 1000.
        .. new[] { "7.3.2", "7.9.1", "7.9.2", "7.9.3", "7.9.4", "7.9.5", "7.9.6", "7.9.7", "7.9.8", "7.9.9" }
            .Select(id => new Caught(ServerFault.SkipsCloseValidation, id, Behavior.Failed, CloseBehavior.WrongCode)),
        // §5.5.1 a Close must be answered; without an answer the closing handshake is never clean.
        .. Closing(ServerFault.NeverAnswersClose, CloseBehavior.Unclean, "1.1.1", "2.7", "2.8", "7.1.1", "7.1.2", "7.3.1", "7.3.3", "7.3.4", "7.3.5"),
        // §1.4/§5.5.1 nothing is processed after a Close; §7.1.1 the server closes TCP after the closing handshake.
        .. Failing(ServerFault.EchoesAfterClose, "7.1.3", "7.1.4", "7.1.5"),
        .. Closing(ServerFault.EchoesAfterClose, CloseBehavior.Unclean, "7.1.1", "7.3.1"),
        // §8.1 invalid UTF-8 must fail the connection (1007): every invalid vector of category 6 catches a peer that echoes it.
        .. Failing(ServerFault.SkipsUtf8Validation, InvalidUtf8Cases),
        // Autobahn 6.4.x: failing only once the whole message is in is NON-STRICT, not OK.
        .. new[] { "6.4.1", "6.4.2", "6.4.3", "6.4.4" }.Select(id => new Caught(ServerFault.ValidatesUtf8AtMessageEnd, id, Behavior.NonStrict)),
        // §10.4 allows a size limit, but category 9 expects messages up to 16 MiB to come back.
        .. Failing(ServerFault.LimitsMessagesTo1MiB, "9.1.4", "9.1.5", "9.1.6", "9.2.4", "9.2.5", "9.2.6",
            "9.3.1", "9.3.5", "9.3.9", "9.4.1", "9.4.5", "9.4.9"),
        // Category 9.7/9.8 checks every one of the 1000 echoes for type and length.
        .. Failing(ServerFault.TruncatesTenthEcho, "9.7.2", "9.7.6", "9.8.2", "9.8.6"),
        // §5.6 an echo must keep the message type: every case that expects an echo, and every trial, catches the swap.
        .. Failing(ServerFault.SwapsMessageType, EchoCases),
        // §5.4 fragments form one message.
        .. Failing(ServerFault.EchoesFragmentsSeparately, "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "5.19", "5.20",
            "6.1.2", "6.1.3", "6.2.2", "6.2.3", "6.2.4", "9.3.1", "9.4.1", "10.1.1"),
        // §5.4 a new message while one is open must fail the connection, not start over.
        .. Failing(ServerFault.RestartsMessageOnNewDataFrame, "5.18"),
        // §5.2 RSV bits must fail the connection; silently dropping the frame shows in the close verdict (or the extra pong).
        .. Closing(ServerFault.DropsFramesWithReservedBits, CloseBehavior.Failed, "3.1", "3.5", "3.6", "3.7"),
        .. Failing(ServerFault.DropsFramesWithReservedBits, "3.2", "3.3", "3.4"),
        // §5.5 a fragmented ping joined with its continuation is answered; a fragmented pong joined is never failed.
        .. Failing(ServerFault.AcceptsFragmentedControlFrames, "5.1"),
        .. Closing(ServerFault.AcceptsFragmentedControlFrames, CloseBehavior.Failed, "5.2"),
        // §5.6 a code point may span fragments (6.2.3, 6.2.4, 6.4.2 split one inside a frame boundary).
        .. Failing(ServerFault.ValidatesUtf8PerFragment, "6.2.3", "6.2.4", "6.4.2"),
        // RFC 3629: non-characters and 4-octet sequences are valid UTF-8 and must be echoed.
        .. Failing(ServerFault.RejectsNonCharacters, [.. Group("6.22"), "6.23.6", "6.23.7"]),
        .. Failing(ServerFault.RejectsFourOctetUtf8, [.. Group("6.22").Skip(2), "6.5.4", "6.7.4", "6.9.4", "6.11.4"]),
        // §5.5.1 an invalid close reason must be answered with 1007 (or 1002), not 1000.
        new(ServerFault.SkipsCloseValidation, "7.5.1", Behavior.Failed, CloseBehavior.WrongCode),
        // §5.5.1 every valid close code must get its answer.
        .. Closing(ServerFault.NeverAnswersClose, CloseBehavior.Unclean, Group("7.7")),

        // ---- Category 0, opening handshake (RFC 6455 §4). A client checks the 101 (§4.1); each broken response
        // header is caught by the case that checks it and by 0.1.1, which applies every client check at once.
        // §4.2.2 step 5.4: the accept is computed with the RFC's GUID; every case that needs a valid upgrade fails.
        .. Failing(ServerFault.WrongAccept, ["0.1.1", "0.1.5", .. Group("0.2"), .. Group("0.7")]),
        // §4.2.2 step 5.3: Connection: Upgrade.
        .. Failing(ServerFault.OmitsConnectionHeader, ["0.1.1", "0.1.4", "0.1.7", .. Group("0.2")]),
        // §4.2.2 step 5.2: Upgrade: websocket.
        .. Failing(ServerFault.OmitsUpgradeHeader, ["0.1.1", "0.1.3", "0.1.7", .. Group("0.2")]),
        // §11.3.3: Sec-WebSocket-Accept at most once.
        .. Failing(ServerFault.RepeatsAcceptHeader, "0.1.1", "0.1.6"),
        // §4.2.2: the response comes first; octets before the status line make it unreadable as HTTP.
        .. Failing(ServerFault.GreetsBeforeUpgrade, "0.1.1", "0.1.2", "0.1.3", "0.7.2"),
        // §4.1, §9.1: no extension the client did not offer.
        .. Failing(ServerFault.SendsUnofferedExtension, "0.1.1", "0.1.8"),
        // §4.2.1: header names in any case, Upgrade/Connection as case-insensitive tokens, any order, the key's
        // surrounding whitespace not part of it, a query in the target, unknown headers and Origin ignored.
        .. Failing(ServerFault.MatchesHeaderNamesCaseSensitively, "0.2.1", "0.2.2"),
        .. Failing(ServerFault.MatchesUpgradeValuesExactly, "0.2.3", "0.2.4"),
        .. Failing(ServerFault.RequiresHostFirst, "0.2.5"),
        .. Failing(ServerFault.KeepsKeyWhitespace, "0.2.6"),
        .. Failing(ServerFault.RejectsQueryString, "0.2.7"),
        .. Failing(ServerFault.RejectsUnknownHeaders, "0.2.8", "0.2.9"),
        // §4.2.1: requests a server must refuse; upgrading them is FAILED.
        .. Failing(ServerFault.AcceptsBadKeys, "0.3.1", "0.3.2", "0.3.3", "0.3.4", "0.3.5"),
        .. Failing(ServerFault.AcceptsMissingUpgradeTokens, "0.3.6", "0.3.7", "0.3.8", "0.3.9"),
        .. Failing(ServerFault.AcceptsAnyRequestLine, "0.3.10", "0.3.11"),
        .. Failing(ServerFault.AcceptsMissingHost, "0.3.12"),
        // §4.2.1 item 6, §4.2.2, §4.4, §11.3.5: only version 13, given once.
        // Version 8 is a draft a server may still speak (§4.4), so upgrading it is only informational.
        .. Failing(ServerFault.AcceptsEveryVersion, [.. Group("0.4").Where(id => id != "0.4.2")]),
        new(ServerFault.AcceptsEveryVersion, "0.4.2", Behavior.Informational),
        // §4.2.2, §4.4: a refused version comes with Sec-WebSocket-Version naming the versions spoken; without it, NON-STRICT.
        .. new[] { "0.4.2", "0.4.3", "0.4.4" }.Select(id => new Caught(ServerFault.RefusesVersionsWithoutListingThem, id, Behavior.NonStrict)),
        // §4.2.2 step 5.5, §11.3.4: no subprotocol unless offered, and then one of those offered (0.1.1 checks it too).
        .. Failing(ServerFault.SelectsUnofferedSubprotocol, ["0.1.1", .. Group("0.5")]),
        // §9.1: only extensions the server implements; RFC 7692 §5: a bad permessage-deflate offer is declined.
        .. Failing(ServerFault.AcceptsUnknownExtensions, Group("0.6")),
        .. Failing(ServerFault.Answers500ToBadDeflateParameters, "0.6.2", "0.6.3", "0.6.4", "0.6.5", "0.6.6"),
        // §4.2.2: once the 101 is sent the connection is open; frames pipelined with the request are read.
        .. Failing(ServerFault.DropsEarlyData, "0.7.1", "0.7.2"),

        // ---- Category 14, frame encoding (RFC 6455 §5.1-§5.3).
        // §5.1: an unmasked client frame must fail the connection; the faulty peer echoes it or answers the ping.
        .. Failing(ServerFault.AcceptsUnmaskedClientFrames, "14.1.1", "14.1.2"),
        // §5.3: any 32-bit key, all zeros and all ones included.
        .. Failing(ServerFault.RejectsDegenerateMaskKeys, "14.1.3", "14.1.4"),
        // §5.2: a 64-bit length with the top bit set must fail the connection; the peer that waits for the payload
        // never closes, so the harness's kill timer has to (the close verdict shows it; nothing was echoed).
        .. Closing(ServerFault.AcceptsLengthWithTopBitSet, CloseBehavior.Failed, "14.2.3"),
        // §5.1 / §5.2 broken by the server's own frames: the harness checks every frame the peer sends on every case,
        // so any case that expects an echo fails (see ServerFrameViolation_IsReportedOnTheCase for the details).
        .. Failing(ServerFault.MasksItsFrames, "1.1.1", "14.1.3", "14.1.4", "0.7.1"),
        .. Failing(ServerFault.UsesNonMinimalLengths, "1.1.1", "14.1.3", "14.1.4", "0.7.1"),

        // ---- Categories 12, 13 (Autobahn's compression trials) and 15 (compression framing), RFC 7692.
        // Declining permessage-deflate is allowed: every compression case is UNIMPLEMENTED, never FAILED.
        .. CompressionCases.Select(id => new Caught(ServerFault.NoDeflate, id, Behavior.Unimplemented)),
        // §7.2.1: an echo that is not the DEFLATE data of the message cannot be decompressed, or decompresses to other
        // octets. It fails at the first echo, so this is the cheap row that shows every trial of 12 and 13, and every
        // case of 15 that expects an echo, able to fail.
        .. Failing(ServerFault.CorruptCompressedEcho, CompressionEchoCases),
        // §6.1: RSV1 on the first frame of a message only; the echo sent in two frames with RSV1 on both fails at once.
        // Rows 1 and 11 of every trial group (unfragmented and fragmented sends) and the echo cases of 15.
        .. Failing(ServerFault.Rsv1OnContinuation, [.. TrialGroups.SelectMany(g => new[] { $"{g}.1", $"{g}.11" }), .. CompressionFramingEchoCases]),
        // §7.1.1.1: with server_no_context_takeover agreed the harness inflates every echo with a fresh window, so an
        // echo that refers back into the previous one cannot be decompressed. Every case whose accepted offer asks for it
        // (13.7's first offer does).
        .. Failing(ServerFault.KeepsContextDespiteNoContextTakeover, [.. Group("13.2"), .. Group("13.5"), .. Group("13.6"), .. Group("13.7"), "15.3.2"]),
        // §7.1.2.1: with server_max_window_bits=9 agreed, an echo compressed with a 15-bit window is caught as soon as it
        // refers back more than 512 octets. With context takeover (13.3) earlier echoes are in reach, so every size
        // shows it; with server_no_context_takeover (13.5, and 13.7, whose first offer is (True, 9)) only a message
        // longer than the window can, so rows 1-3 (16, 64 and 256 characters) cannot show the fault and are left to the
        // rows above.
        .. Failing(ServerFault.LargerWindowThanAgreed, [.. Group("13.3"), .. Group("13.5").Skip(3), .. Group("13.7").Skip(3)]),
        // §7.1.2.2: client_max_window_bits in a response only when the offer had it.
        .. Failing(ServerFault.ClientWindowBitsNotOffered, OffersWithoutClientWindowBits),
        // §6.1: RSV1 on a continuation or a control frame must fail the connection; echoing or answering it is FAILED.
        .. Failing(ServerFault.AcceptsRsv1OnContinuation, "15.1.1"),
        .. Failing(ServerFault.AcceptsRsv1OnControl, "15.1.2"),
        // §6.2, §7.2.3.6: an empty fragment and the empty block 00 are valid compressed data.
        .. Failing(ServerFault.RejectsEmptyCompressedFragments, "15.2.1", "15.2.2", "15.2.3"),
        // §7.1.1.2: without client_no_context_takeover the client may refer back to its previous message.
        .. Failing(ServerFault.ResetsInflaterDespiteContextTakeover, "15.3.1"),
        // RFC 6455 §10.4: a size limit on the inflated message is allowed when refused cleanly with 1009; a crash is not.
        new(ServerFault.LimitsMessagesTo1MiB, "15.4.1", Behavior.Informational, CloseBehavior.Informational),
        .. Failing(ServerFault.DropsConnectionOnOversizedMessage, "15.4.1"),
    ];

    /// <summary>The prefixes of Autobahn's compression trial groups (12.1-12.5, 13.1-13.7).</summary>
    private static string[] TrialGroups =>
        Catalogue.ForServers.Where(c => c.Script.Any(step => step is CompressedRoundTrips)).Select(c => c.Id[..c.Id.LastIndexOf('.')]).Distinct().ToArray();

    /// <summary>Every case that offers permessage-deflate (categories 12, 13 and 15).</summary>
    private static string[] CompressionCases => Catalogue.ForServers.Where(c => c.DeflateOffers is not null).Select(c => c.Id).ToArray();

    /// <summary>The compression cases that expect an echo: the trials and the echo cases of category 15.</summary>
    private static string[] CompressionEchoCases =>
        Catalogue.ForServers.Where(c => c.DeflateOffers is not null && c.Rule != VerdictRule.Informational)
            .Where(c => c.Expected.Any(o => o.Events.Any(e => e.Kind == EventKind.Message)) || c.Script.Any(step => step is CompressedRoundTrips))
            .Select(c => c.Id)
            .ToArray();

    /// <summary>The cases of category 15 that expect an echo.</summary>
    private static string[] CompressionFramingEchoCases =>
        CompressionEchoCases.Where(id => Catalogue.Get(id).Category == CompressionFraming.Category).ToArray();

    /// <summary>The cases whose every permessage-deflate offer lacks client_max_window_bits.</summary>
    private static string[] OffersWithoutClientWindowBits =>
        Catalogue.ForServers.Where(c => c.DeflateOffers is { Count: > 0 } offers && offers.All(o => !o.ClientMaxWindowBits.Offered)).Select(c => c.Id).ToArray();

    /// <summary>Cases that expect an echo of a message, and the trials (which check every echo's type).</summary>
    private static string[] EchoCases =>
        Catalogue.ForServers
            .Where(c => c.Rule != VerdictRule.Informational)
            .Where(c => c.Expected.Any(o => o.Events.Any(e => e.Kind == EventKind.Message)) || c.Script.Any(step => step is RoundTrips))
            .Select(c => c.Id)
            .ToArray();

    private static string[] Group(string prefix) =>
        Catalogue.ForServers.Where(c => c.Id.StartsWith(prefix + ".", StringComparison.Ordinal)).Select(c => c.Id).ToArray();

    private static string[] InvalidUtf8Cases =>
        Catalogue.ForServers.Where(c => c.ExpectedClose.ClosedByWrongEndpointIsFatal).Select(c => c.Id).ToArray();

    private static readonly Dictionary<ServerFault, Task<IReadOnlyDictionary<string, CaseResult>>> Runs = [];

    /// <summary>One run per fault, shared by that fault's rows, covering only the cases those rows name.</summary>
    private static Task<IReadOnlyDictionary<string, CaseResult>> RunFor(ServerFault fault)
    {
        lock (Runs)
        {
            if (!Runs.TryGetValue(fault, out var run))
            {
                var ids = Expectations.Where(e => e.Fault == fault).Select(e => e.Id).ToHashSet();
                run = RunWithServerAsync(fault, ids);
                Runs[fault] = run;
            }
            return run;
        }
    }

    private static async Task<IReadOnlyDictionary<string, CaseResult>> RunWithServerAsync(ServerFault fault, IReadOnlyCollection<string> ids)
    {
        await using var server = FaultyServer.Start(fault);
        return await CatalogueRuns.RunAsync(server.Url, ids);
    }

    [TestCaseSource(nameof(Expectations))]
    public async Task Fault_IsCaughtByTheCaseThatChecksIt(Caught expectation)
    {
        var result = (await RunFor(expectation.Fault))[expectation.Id];
        var explanation = CatalogueRuns.Explain(result);
        if (expectation.Behavior is { } behavior) result.Behavior.Should().Be(behavior, explanation);
        if (expectation.Close is { } close) result.BehaviorClose.Should().Be(close, explanation);
    }

    [Test]
    public async Task DroppedEcho_InRoundTripTrial_FailsWhenTheCaseTimerFires()
    {
        // 9.7.2 waits 60 s before giving up; the same case with a 2 s timer shows the rule without the wait.
        var original = Catalogue.Get("9.7.2");
        var shortened = original with { Script = [.. original.Script.Select(step => step is CloseAfter ? new CloseAfter(TimeSpan.FromSeconds(2)) : step)] };
        await using var server = FaultyServer.Start(ServerFault.DropsTenthEcho);
        var result = await CaseRunner.RunAsync(shortened, new TargetOptions { Url = server.Url }, ProtocolTimeouts.Autobahn);

        result.Behavior.Should().Be(Behavior.Failed, CatalogueRuns.Explain(result));
        result.Result.Should().Contain("Case did not finish within 60 seconds").And.Contain("9 of 1000");
        result.RoundTrips!.Completed.Should().Be(9, "the 10th echo never came");
    }

    [Test]
    public async Task ClientWindowBitsNotOffered_FailsTheNegotiation_AndTheSameOfferPassesWithoutTheFault()
    {
        // RFC 7692 §7.1.2.2: a response carries client_max_window_bits only when the offer did. Every offer of the
        // catalogue may carry it (Autobahn's always do), in which case the rows above name no case for this fault; the
        // rule is shown on 15.3.1 with an offer that leaves it out, against the faulty server and, as a control, the
        // faultless one.
        var original = Catalogue.Get("15.3.1");
        var withoutClientBits = original with { DeflateOffers = [new Wsconform.Wire.Deflate.DeflateOffer()] };
        var target = async (ServerFault fault) =>
        {
            await using var server = FaultyServer.Start(fault);
            return await CaseRunner.RunAsync(withoutClientBits, new TargetOptions { Url = server.Url }, ProtocolTimeouts.Autobahn);
        };

        var caught = await target(ServerFault.ClientWindowBitsNotOffered);
        caught.Behavior.Should().Be(Behavior.Failed, CatalogueRuns.Explain(caught));
        caught.Result.Should().Contain("invalid (RFC 7692 §7.1.2.2)").And.Contain("client_max_window_bits=15");

        var passed = await target(ServerFault.None);
        (passed.Behavior, passed.BehaviorClose).Should().Be((Behavior.Ok, CloseBehavior.Ok), CatalogueRuns.Explain(passed));
    }

    /// <summary>A fault in the frames the server itself sends, the rule it breaks and how its frame shows in the wire log.</summary>
    public sealed record SenderFault(ServerFault Fault, string Id, string RfcSection, string Describes, Func<WireLogEntry, bool> OffendingFrame)
    {
        public override string ToString() => $"{Fault} on {Id}";
    }

    public static IEnumerable<SenderFault> SenderFaults =>
    [
        .. new[] { "1.1.1", "14.1.3" }.Select(id => new SenderFault(ServerFault.MasksItsFrames, id, "RFC 6455 §5.1", "masked frame",
            e => e.Masked == true && e.MaskKey is not null)),
        // 1.1.1 echoes an empty text message, 14.1.3 the 5 octets "Hello": both are written as 127 + 8 octets of length.
        new SenderFault(ServerFault.UsesNonMinimalLengths, "1.1.1", "RFC 6455 §5.2", "encoded in the 64-bit form", e => e.DeclaredLength == 0),
        new SenderFault(ServerFault.UsesNonMinimalLengths, "14.1.3", "RFC 6455 §5.2", "encoded in the 64-bit form", e => e.DeclaredLength == 5),
    ];

    [TestCaseSource(nameof(SenderFaults))]
    public async Task ServerFrameViolation_IsReportedOnTheCase_WithTheFrameShown(SenderFault expectation)
    {
        // A violation by the peer is reported on the case where it happened, naming the rule, with the frame in the wire log.
        var result = (await RunFor(expectation.Fault))[expectation.Id];
        var explanation = CatalogueRuns.Explain(result);
        result.Behavior.Should().Be(Behavior.Failed, explanation);
        result.Violations.Should().Contain(v => v.RfcSection == expectation.RfcSection && v.Description.Contains(expectation.Describes, StringComparison.Ordinal), explanation);
        var log = result.WireLog.ToList();
        var echo = log.Where(e => e.Kind == WireEntryKind.FrameIn && e.Opcode == (int)Wsconform.Wire.Opcode.Text).ToList();
        echo.Should().ContainSingle("the echo arrives once, and is logged although it breaks the rule")
            .Which.Should().Match<WireLogEntry>(e => expectation.OffendingFrame(e));
        var violation = log.FindIndex(e => e.Kind == WireEntryKind.Violation && e.Text!.StartsWith(expectation.RfcSection, StringComparison.Ordinal));
        violation.Should().BeGreaterThan(log.IndexOf(echo[0]), "the violation is logged right after the frame that broke the rule");
    }

    [Test]
    public void EveryCase_IsShownAbleToFail()
    {
        // The quality bar: every case, informational ones aside, is run against a peer that breaks its rule: a faulty
        // server here, or a faulty client for the cases about a client's handshake.
        var caught = Expectations.Select(e => e.Id).Append("9.7.2").Concat(Serving.ClientHandshakeTests.CaughtCaseIds).ToHashSet();
        Catalogue.All.Where(c => c.Rule != VerdictRule.Informational).Select(c => c.Id)
            .Should().OnlyContain(id => caught.Contains(id), "every case must be shown able to fail");
    }

    [Test]
    public void EveryFault_IsCaughtBySomeCase()
    {
        var covered = Expectations.Select(e => e.Fault).Append(ServerFault.DropsTenthEcho).Append(ServerFault.ClientWindowBitsNotOffered).ToHashSet();
        Enum.GetValues<ServerFault>().Where(f => f != ServerFault.None).Should().OnlyContain(f => covered.Contains(f));
    }
}
