using System.Text;
using Wsconform.Cases;
using Wsconform.Engine.Handshake;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Model;

// Not "Wsconform.Tests.Catalogue": that namespace would shadow the Catalogue class for every test under Wsconform.Tests.*.
namespace Wsconform.Tests.HandshakeJudging;

/// <summary>
/// The category-0 judges fed with hand-written exchanges: each kind of judge against valid upgrades, broken upgrades,
/// refusals and silence, so the verdict model (MUST = FAILED, SHOULD and open behaviour = NON-STRICT) is pinned
/// without a server. Also checks the catalogue's request shapers against the reference server's request checks.
/// </summary>
[TestFixture]
public class HandshakeJudgeTests
{
    /// <summary>RFC 6455's sample key and its accept value (§1.3, §4.2.2).</summary>
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string Accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static readonly Uri Url = new("ws://h.test/");

    private static HandshakeRequest Request(IReadOnlyList<string>? extensionOffers = null) =>
        ClientHandshake.StandardRequest(Url, new TargetOptions { Url = Url }, Key, extensionOffers);

    private static HttpHead Head(string statusLine, params string[] headers) =>
        HttpHead.Parse(Encoding.Latin1.GetBytes(statusLine + "\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n"));

    private static HandshakeExchange Exchange(HttpHead? response, HandshakeRequest? sent = null, string? noResponse = null)
    {
        var request = sent ?? Request();
        return new HandshakeExchange(request.Render(), response, response is null ? noResponse ?? "the peer closed the connection without answering the opening handshake" : null, request);
    }

    private static HttpHead Upgrade(params string[] extra) =>
        Head("HTTP/1.1 101 Switching Protocols", ["Upgrade: websocket", "Connection: Upgrade", $"Sec-WebSocket-Accept: {Accept}", .. extra]);

    private static readonly HttpHead WrongAccept =
        Head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==");
    private static readonly HttpHead BadRequest = Head("HTTP/1.1 400 Bad Request", "Content-Length: 0");
    private static readonly HttpHead UpgradeRequired13 = Head("HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13");
    private static readonly HttpHead UpgradeRequiredBare = Head("HTTP/1.1 426 Upgrade Required");
    private static readonly HttpHead ServerError = Head("HTTP/1.1 500 Internal Server Error");

    private static Func<HandshakeExchange, HandshakeVerdict> ValidUpgradeJudge => HandshakeJudges.MustUpgrade(HandshakeJudges.ValidUpgrade);

    private static void Expect(HandshakeVerdict verdict, Behavior behavior, bool continues = false)
    {
        verdict.Verdict.Should().Be(behavior, verdict.Result);
        verdict.ContinueWithScript.Should().Be(continues, verdict.Result);
        verdict.Result.Should().NotBeNullOrWhiteSpace();
    }

    [Test]
    public void SampleKey_HasTheRfcAcceptValue()
    {
        WebSocketAccept.Compute(Key).Should().Be(Accept);
        Exchange(Upgrade()).IsValidUpgrade().Should().BeTrue();
    }

    // ---------------------------------------------------------------- MustUpgrade

    [Test]
    public void MustUpgrade_ValidUpgrade_IsOkAndContinues()
    {
        Expect(ValidUpgradeJudge(Exchange(Upgrade())), Behavior.Ok, continues: true);
    }

    [Test]
    public void MustUpgrade_EverySingleRule_IsOkOnAValidUpgrade()
    {
        Func<HandshakeExchange, RuleFinding>[] rules =
        [
            HandshakeJudges.ValidUpgrade, HandshakeJudges.Status101, HandshakeJudges.UpgradeIsWebSocket, HandshakeJudges.ConnectionHasUpgrade,
            HandshakeJudges.AcceptMatchesKey, HandshakeJudges.AcceptSentOnce, HandshakeJudges.UpgradeAndConnectionSentOnce,
            HandshakeJudges.NoUnofferedExtension, HandshakeJudges.NoSubprotocolSelected,
        ];
        foreach (var rule in rules) Expect(HandshakeJudges.MustUpgrade(rule)(Exchange(Upgrade())), Behavior.Ok, continues: true);
    }

    [Test]
    public void MustUpgrade_WrongAccept_IsFailedAndStops()
    {
        var verdict = ValidUpgradeJudge(Exchange(WrongAccept));
        Expect(verdict, Behavior.Failed);
        verdict.Result.Should().Contain(Accept);
        Expect(HandshakeJudges.MustUpgrade(HandshakeJudges.AcceptMatchesKey)(Exchange(WrongAccept)), Behavior.Failed);
    }

    [Test]
    public void MustUpgrade_OtherRuleHoldingOnABrokenUpgrade_IsOkButDoesNotContinue()
    {
        var verdict = HandshakeJudges.MustUpgrade(HandshakeJudges.UpgradeIsWebSocket)(Exchange(WrongAccept));
        Expect(verdict, Behavior.Ok);
        verdict.Result.Should().Contain("invalid all the same").And.Contain("Sec-WebSocket-Accept");
    }

    [Test]
    public void MustUpgrade_UpgradeAndConnectionCaseInsensitive_AreOk()
    {
        var head = Head("HTTP/1.1 101 Switching Protocols", "upgrade: WebSocket", "connection: keep-alive, UPGRADE", $"sec-websocket-accept: {Accept}");
        Expect(ValidUpgradeJudge(Exchange(head)), Behavior.Ok, continues: true);
    }

    [Test]
    public void MustUpgrade_MissingUpgradeOrConnection_IsFailed()
    {
        var noUpgrade = Head("HTTP/1.1 101 Switching Protocols", "Connection: Upgrade", $"Sec-WebSocket-Accept: {Accept}");
        var noConnection = Head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", $"Sec-WebSocket-Accept: {Accept}");
        Expect(HandshakeJudges.MustUpgrade(HandshakeJudges.UpgradeIsWebSocket)(Exchange(noUpgrade)), Behavior.Failed);
        Expect(HandshakeJudges.MustUpgrade(HandshakeJudges.ConnectionHasUpgrade)(Exchange(noConnection)), Behavior.Failed);
    }

    [Test]
    public void MustUpgrade_AcceptTwice_IsFailed_UpgradeTwice_IsNonStrict()
    {
        Expect(HandshakeJudges.MustUpgrade(HandshakeJudges.AcceptSentOnce)(Exchange(Upgrade($"Sec-WebSocket-Accept: {Accept}"))), Behavior.Failed);
        Expect(HandshakeJudges.MustUpgrade(HandshakeJudges.UpgradeAndConnectionSentOnce)(Exchange(Upgrade("Upgrade: websocket"))), Behavior.NonStrict, continues: true);
    }

    [Test]
    public void MustUpgrade_Refusals_AndSilence_AreFailed()
    {
        Expect(ValidUpgradeJudge(Exchange(BadRequest)), Behavior.Failed);
        Expect(ValidUpgradeJudge(Exchange(ServerError)), Behavior.Failed);
        var silent = ValidUpgradeJudge(Exchange(null));
        Expect(silent, Behavior.Failed);
        silent.Result.Should().Contain("closed the connection");
    }

    [Test]
    public void MustUpgrade_OctetsBeforeTheStatusLine_AreFailed()
    {
        // A pong sent ahead of the 101: the head no longer starts with a status line.
        var head = HttpHead.Parse(Encoding.Latin1.GetBytes("\u008a\u0004pingHTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {Accept}\r\n\r\n"));
        var verdict = ValidUpgradeJudge(Exchange(head));
        Expect(verdict, Behavior.Failed);
        verdict.Result.Should().Contain("status line");
    }

    [Test]
    public void MustUpgradeUnlessOriginPolicy_403_IsNonStrict_400_IsFailed()
    {
        var sent = RequestShapes.WithOrigin(Request());
        Expect(HandshakeJudges.MustUpgradeUnlessOriginPolicy(Exchange(Head("HTTP/1.1 403 Forbidden"), sent)), Behavior.NonStrict);
        Expect(HandshakeJudges.MustUpgradeUnlessOriginPolicy(Exchange(BadRequest, sent)), Behavior.Failed);
        Expect(HandshakeJudges.MustUpgradeUnlessOriginPolicy(Exchange(Upgrade(), sent)), Behavior.Ok, continues: true);
    }

    [Test]
    public void MustUpgrade_KeyWithWhitespace_AcceptIsComputedOnTheKeyItself()
    {
        var sent = RequestShapes.KeyWithWhitespace(Request());
        sent.Render().Should().Contain($"Sec-WebSocket-Key:    {Key}   \r\n");
        Expect(ValidUpgradeJudge(Exchange(Upgrade(), sent)), Behavior.Ok, continues: true);
    }

    // ---------------------------------------------------------------- MustRefuse / MustRefuseVersion

    [Test]
    public void MustRefuse_400_IsOk()
    {
        var verdict = HandshakeJudges.MustRefuse(Exchange(BadRequest));
        Expect(verdict, Behavior.Ok);
        verdict.Result.Should().Contain("400 Bad Request");
    }

    [Test]
    public void MustRefuse_101_IsFailed_EvenWhenValid()
    {
        Expect(HandshakeJudges.MustRefuse(Exchange(Upgrade())), Behavior.Failed);
        Expect(HandshakeJudges.MustRefuse(Exchange(WrongAccept)), Behavior.Failed);
    }

    [Test]
    public void MustRefuse_500_AndClosedWithoutResponse_AreNonStrict()
    {
        Expect(HandshakeJudges.MustRefuse(Exchange(ServerError)), Behavior.NonStrict);
        Expect(HandshakeJudges.MustRefuse(Exchange(null)), Behavior.NonStrict);
        Expect(HandshakeJudges.MustRefuse(Exchange(null, noResponse: "the peer did not finish its handshake response within 5 s")), Behavior.NonStrict);
        Expect(HandshakeJudges.MustRefuse(Exchange(Head("HTTP/1.1 200 OK"))), Behavior.NonStrict);
    }

    [Test]
    public void MustRefuse_AnswerThatIsNotHttp_IsFailed()
    {
        Expect(HandshakeJudges.MustRefuse(Exchange(Head("SSH-2.0-OpenSSH_9.6"))), Behavior.Failed);
    }

    [Test]
    public void MustRefuseVersion_426WithVersionHeader_IsOk()
    {
        var verdict = HandshakeJudges.MustRefuseVersion(Exchange(UpgradeRequired13));
        Expect(verdict, Behavior.Ok);
        verdict.Result.Should().Contain("13");
        Expect(HandshakeJudges.MustRefuseVersion(Exchange(Head("HTTP/1.1 400 Bad Request", "Sec-WebSocket-Version: 13, 8"))), Behavior.Ok);
        Expect(HandshakeJudges.MustRefuseVersion(Exchange(Head("HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 8", "Sec-WebSocket-Version: 13"))), Behavior.Ok);
    }

    [Test]
    public void MustRefuseVersion_426WithoutVersionHeader_IsNonStrict()
    {
        Expect(HandshakeJudges.MustRefuseVersion(Exchange(UpgradeRequiredBare)), Behavior.NonStrict);
        Expect(HandshakeJudges.MustRefuseVersion(Exchange(BadRequest)), Behavior.NonStrict);
        Expect(HandshakeJudges.MustRefuseVersion(Exchange(Head("HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 8"))), Behavior.NonStrict);
    }

    [Test]
    public void MustRefuseVersion_500_Silence_And101()
    {
        Expect(HandshakeJudges.MustRefuseVersion(Exchange(Head("HTTP/1.1 500 Internal Server Error", "Sec-WebSocket-Version: 13"))), Behavior.NonStrict);
        Expect(HandshakeJudges.MustRefuseVersion(Exchange(null)), Behavior.NonStrict);
        Expect(HandshakeJudges.MustRefuseVersion(Exchange(Upgrade())), Behavior.Failed);
    }

    // ---------------------------------------------------------------- subprotocols

    private static HandshakeRequest Offering(string protocols) => RequestShapes.OfferingSubprotocols(protocols)(Request());

    private static HandshakeVerdict Subprotocol(HandshakeRequest sent, params string[] protocolHeaders) =>
        HandshakeJudges.MustUpgrade(HandshakeJudges.SubprotocolFromOffer)(Exchange(Upgrade([.. protocolHeaders.Select(p => $"Sec-WebSocket-Protocol: {p}")]), sent));

    [Test]
    public void Subprotocol_OneOfThoseOffered_IsOkAndNamed()
    {
        var verdict = Subprotocol(Offering("chat, superchat, x.wsconform"), "superchat");
        Expect(verdict, Behavior.Ok, continues: true);
        verdict.Result.Should().Contain("'superchat'");
        Expect(Subprotocol(Offering("chat, superchat, x.wsconform")), Behavior.Ok, continues: true);
    }

    [Test]
    public void Subprotocol_SelectedButNotOffered_IsFailed()
    {
        Expect(Subprotocol(Offering("chat, superchat"), "x.other"), Behavior.Failed);
        Expect(Subprotocol(Offering("chat"), "Chat"), Behavior.Failed);
        Expect(HandshakeJudges.MustUpgrade(HandshakeJudges.NoSubprotocolSelected)(Exchange(Upgrade("Sec-WebSocket-Protocol: chat"), RequestShapes.NoSubprotocol(Request()))), Behavior.Failed);
    }

    [Test]
    public void Subprotocol_EmptyHeader_IsFailed()
    {
        var verdict = Subprotocol(Offering("chat"), "");
        Expect(verdict, Behavior.Failed);
        verdict.Result.Should().Contain("empty");
    }

    [Test]
    public void Subprotocol_RepeatedOrSeveralValues_IsFailed()
    {
        Expect(Subprotocol(Offering("chat, superchat"), "chat", "chat"), Behavior.Failed);
        Expect(Subprotocol(Offering("chat, superchat"), "chat, superchat"), Behavior.Failed);
    }

    // ---------------------------------------------------------------- extensions

    [Test]
    public void NoUnofferedExtension_AcceptedUnknownExtension_IsFailed()
    {
        var verdict = HandshakeJudges.MustUpgrade(HandshakeJudges.NoUnofferedExtension)(Exchange(Upgrade("Sec-WebSocket-Extensions: permessage-deflate")));
        Expect(verdict, Behavior.Failed);
        verdict.Result.Should().Contain("permessage-deflate");
    }

    [Test]
    public void MustDeclineOffer_AcceptedUnknownExtension_IsFailed()
    {
        var sent = Request([HandshakeCases.UnknownExtension]);
        var judge = HandshakeJudges.MustDeclineOffer(HandshakeCases.UnknownExtension);
        Expect(judge(Exchange(Upgrade("Sec-WebSocket-Extensions: x-wsconform-unknown"), sent)), Behavior.Failed);
        Expect(judge(Exchange(Upgrade(), sent)), Behavior.Ok, continues: true);
    }

    [Test]
    public void MustDeclineOffer_DeflateAcceptedWithInvalidOffer_IsFailed()
    {
        const string Offer = "permessage-deflate; server_max_window_bits=7";
        var sent = Request([Offer]);
        var judge = HandshakeJudges.MustDeclineOffer(HandshakeCases.Deflate);
        Expect(judge(Exchange(Upgrade($"Sec-WebSocket-Extensions: {Offer}"), sent)), Behavior.Failed);
        Expect(judge(Exchange(Upgrade("Sec-WebSocket-Extensions: permessage-deflate"), sent)), Behavior.Failed);
    }

    [Test]
    public void MustDeclineOffer_Declined_IsOk_Refused4xx_IsNonStrict_5xxOrSilence_IsFailed()
    {
        var sent = Request(["permessage-deflate; server_max_window_bits=16"]);
        var judge = HandshakeJudges.MustDeclineOffer(HandshakeCases.Deflate);
        Expect(judge(Exchange(Upgrade(), sent)), Behavior.Ok, continues: true);
        Expect(judge(Exchange(BadRequest, sent)), Behavior.NonStrict);
        Expect(judge(Exchange(ServerError, sent)), Behavior.Failed);
        Expect(judge(Exchange(null, sent)), Behavior.Failed);
        Expect(judge(Exchange(WrongAccept, sent)), Behavior.Ok);
    }

    // ---------------------------------------------------------------- the catalogue's probes

    private static IEnumerable<ConformanceCase> Group(string prefix) =>
        Catalogue.All.Where(c => c.Id.StartsWith(prefix + ".", StringComparison.Ordinal));

    private static HandshakeRequest Shaped(ConformanceCase c) =>
        c.Handshake!.Request(ClientHandshake.StandardRequest(Url, new TargetOptions { Url = Url }, Key, c.Handshake.ExtensionOffers));

    [Test]
    public void CatalogueProbes_ThatMustUpgrade_AcceptAValidUpgradeAndContinue()
    {
        foreach (var c in new[] { "0.1", "0.2", "0.5", "0.6", "0.7" }.SelectMany(Group))
        {
            var verdict = c.Handshake!.Judge(Exchange(Upgrade(), Shaped(c)));
            verdict.Verdict.Should().Be(Behavior.Ok, $"{c.Id}: {verdict.Result}");
            verdict.ContinueWithScript.Should().BeTrue(c.Id);
            c.Handshake.Judge(Exchange(null, Shaped(c))).Verdict.Should().Be(Behavior.Failed, c.Id);
        }
    }

    [Test]
    public void CatalogueProbes_ThatMustRefuse_JudgeRefusalsAndUpgrades()
    {
        foreach (var c in new[] { "0.3", "0.4" }.SelectMany(Group))
        {
            var versionCase = c.Id is "0.4.2" or "0.4.3" or "0.4.4";
            c.Handshake!.Judge(Exchange(UpgradeRequired13, Shaped(c))).Verdict.Should().Be(Behavior.Ok, c.Id);
            c.Handshake.Judge(Exchange(BadRequest, Shaped(c))).Verdict.Should().Be(versionCase ? Behavior.NonStrict : Behavior.Ok, c.Id);
            c.Handshake.Judge(Exchange(ServerError, Shaped(c))).Verdict.Should().Be(Behavior.NonStrict, c.Id);
            // Draft version 8 may still be spoken (RFC 6455 §4.4): a valid upgrade for it is informational, not a failure.
            c.Handshake.Judge(Exchange(Upgrade(), Shaped(c))).Verdict.Should().Be(c.Id == "0.4.2" ? Behavior.Informational : Behavior.Failed, c.Id);
            c.Handshake.Judge(Exchange(Upgrade(), Shaped(c))).ContinueWithScript.Should().BeFalse(c.Id);
        }
    }

    [Test]
    public void DraftVersion8_InvalidUpgrade_IsFailed()
    {
        var c = Catalogue.Get("0.4.2");
        var wrongAccept = HttpHead.Parse(Encoding.Latin1.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"));
        c.Handshake!.Judge(Exchange(wrongAccept, Shaped(c))).Verdict.Should().Be(Behavior.Failed);
    }

    [Test]
    public void CatalogueShapers_AreAcceptedOrRefusedByTheReferenceServerChecks()
    {
        string? Check(ConformanceCase c) => ServerHandshake.Validate(HttpHead.Parse(Encoding.Latin1.GetBytes(Shaped(c).Render())));

        foreach (var c in new[] { "0.1", "0.2", "0.5", "0.6", "0.7" }.SelectMany(Group))
            Check(c).Should().BeNull($"{c.Id} sends a request a server must accept");
        foreach (var c in new[] { "0.3", "0.4" }.SelectMany(Group))
            Check(c).Should().NotBeNull($"{c.Id} sends a request a server must refuse");
    }

    [Test]
    public void CatalogueShapers_BendExactlyWhatTheCaseSays()
    {
        Shaped(Catalogue.Get("0.2.7")).Target.Should().Be("/?a=1&b=2");
        Shaped(Catalogue.Get("0.2.1")).Headers.Should().OnlyContain(h => h.Key == h.Key.ToLowerInvariant());
        Shaped(Catalogue.Get("0.2.2")).Headers.Should().OnlyContain(h => h.Key == h.Key.ToUpperInvariant());
        Shaped(Catalogue.Get("0.2.5")).Headers[0].Key.Should().Be("Sec-WebSocket-Version");
        Shaped(Catalogue.Get("0.2.9")).Headers.Should().Contain(new KeyValuePair<string, string>("Origin", "http://h.test"));
        Shaped(Catalogue.Get("0.3.1")).Headers.Should().NotContain(h => h.Key == "Sec-WebSocket-Key");
        Convert.FromBase64String(RequestShapes.Key15Octets).Should().HaveCount(15);
        Convert.FromBase64String(RequestShapes.Key17Octets).Should().HaveCount(17);
        RequestShapes.Key17Octets.Should().HaveLength(24, "as long as a real key, so only decoding tells them apart");
        Shaped(Catalogue.Get("0.3.5")).Headers.Count(h => h.Key == "Sec-WebSocket-Key").Should().Be(2);
        Shaped(Catalogue.Get("0.3.10")).Method.Should().Be("POST");
        Shaped(Catalogue.Get("0.3.11")).Version.Should().Be("HTTP/1.0");
        Shaped(Catalogue.Get("0.3.12")).Headers.Should().NotContain(h => h.Key == "Host");
        Shaped(Catalogue.Get("0.4.5")).Headers.Single(h => h.Key == "Sec-WebSocket-Version").Value.Should().Be("13, 8");
        Shaped(Catalogue.Get("0.4.6")).Headers.Count(h => h.Key == "Sec-WebSocket-Version").Should().Be(2);
        Shaped(Catalogue.Get("0.5.1")).Headers.Should().NotContain(h => h.Key == "Sec-WebSocket-Protocol");
        Shaped(Catalogue.Get("0.5.3")).Headers.Single(h => h.Key == "Sec-WebSocket-Protocol").Value.Should().Be("chat, superchat, x.wsconform");
        foreach (var c in Group("0").Where(c => c.Handshake != null)) Shaped(c).Key.Should().Be(Key, c.Id);
    }
}
