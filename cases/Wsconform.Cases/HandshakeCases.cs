using Wsconform.Engine.Scripting;

namespace Wsconform.Cases;

/// <summary>
/// Category 0, "Opening Handshake" (RFC 6455 §4), which Autobahn left empty: every case carries a
/// <see cref="HandshakeProbe"/> that shapes the request and judges the answer with one of <see cref="HandshakeJudges"/>.
/// Cases where the server must upgrade continue over the connection with an echo (a text message, its echo, a normal
/// close), proving the connection works; cases where it must refuse or decline end with the handshake verdict.
/// </summary>
public static class HandshakeCases
{
    public const string Category = "Opening Handshake";
    public const string ValidUpgradeGroup = "Valid upgrade";
    public const string AcceptGroup = "Request variations a server must accept";
    public const string RefuseGroup = "Requests a server must refuse";
    public const string VersionGroup = "Protocol versions";
    public const string SubprotocolGroup = "Subprotocols";
    public const string ExtensionGroup = "Extensions";
    public const string EarlyDataGroup = "Early data";

    /// <summary>The subprotocol offered alone in 0.5.2.</summary>
    public const string OneSubprotocol = "chat";
    /// <summary>The subprotocols offered together in 0.5.3, in preference order.</summary>
    public const string SeveralSubprotocols = "chat, superchat, x.wsconform";
    /// <summary>An extension no server implements (0.6.1).</summary>
    public const string UnknownExtension = "x-wsconform-unknown";
    public const string Deflate = "permessage-deflate";
    /// <summary>The text message pipelined with the request in 0.7.1.</summary>
    public const string EarlyText = "early data";
    /// <summary>The ping payload pipelined with the request in 0.7.2.</summary>
    public const string EarlyPing = "early ping";

    private const string StandardRequest =
        "the standard upgrade request (GET, HTTP/1.1, Host, Upgrade: websocket, Connection: Upgrade, a fresh " +
        "Sec-WebSocket-Key of 16 random octets, Sec-WebSocket-Version: 13)";

    private static readonly string EchoStimulus =
        $" If the upgrade is valid it then sends a text message \"{Payloads.HelloWorld}\" and arms a {Timers.Kill.TotalSeconds:0} s kill timer.";

    private const string EchoBehaviour =
        " Over the upgraded connection the server echoes \"Hello, world!\"; the harness then closes with 1000 and the " +
        "closing handshake completes cleanly. A missing or different echo is FAILED (the worse of the two verdicts wins).";

    private const string HandshakeOnlyStimulus =
        " The case ends with the server's answer; if the server upgrades anyway, the harness closes with 1000 at once.";

    private const string HandshakeOnlyBehaviour = " The case ends with the handshake; there is no closing handshake to judge.";

    private const string MustUpgradeModel =
        "MUST: anything but a valid 101 upgrade (another status, no answer, a wrong or missing Upgrade, Connection or " +
        "Sec-WebSocket-Accept) is FAILED; a valid upgrade is OK.";

    private const string MustRefuseModel =
        "MUST: 101 here is FAILED. A 4xx refusal (typically 400) is OK; another refusal (5xx, 2xx, 3xx, closing " +
        "without an answer or no answer in time) is NON-STRICT; an answer that is not HTTP is FAILED.";

    /// <summary>The script of every case that continues after the upgrade: one text message to echo, then the kill timer.</summary>
    private static readonly IReadOnlyList<Step> EchoScript =
        [new SendFrame(Frames.Text(Payloads.HelloWorld)), new KillAfter(Timers.Kill)];

    /// <summary>Handshake-only cases: only the judge decides, nothing is matched.</summary>
    private static readonly IReadOnlyList<ExpectedOutcomeSpec> JudgedByProbe = [];

    public static IReadOnlyList<ConformanceCase> Cases { get; } =
    [
        .. ValidUpgrades().Select(r => Upgrading(r, ValidUpgradeGroup)),
        .. Variations().Select(r => Upgrading(r, AcceptGroup)),
        .. Refusals().Select(r => Refusing(r, RefuseGroup, HandshakeJudges.MustRefuse, MustRefuseModel)),
        .. Versions(),
        .. Subprotocols().Select(r => Upgrading(r, SubprotocolGroup)),
        .. Extensions().Select(Declining),
        .. EarlyData(),
    ];

    // ------------------------------------------------------------------ 0.1 and 0.2: the server must upgrade

    /// <summary>A case where the server must upgrade; <paramref name="Judge"/> defaults to <see cref="HandshakeJudges.MustUpgrade"/> with <paramref name="Rule"/>.</summary>
    private sealed record UpgradeRow(
        string Id, IReadOnlyList<string> Rfc, string Requirement, string Stimulus, string Verdicts,
        Func<HandshakeExchange, RuleFinding> Rule, Func<HandshakeRequest, HandshakeRequest>? Shape = null,
        Func<HandshakeExchange, HandshakeVerdict>? Judge = null);

    private static IEnumerable<UpgradeRow> ValidUpgrades()
    {
        var rfc = new[] { HandshakeRfc.ServerHandshake, HandshakeRfc.ClientRequirements };
        var sends = $"Sends {StandardRequest}.";
        yield return new("0.1.1", rfc,
            "A server that accepts the request answers 101 Switching Protocols with Upgrade: websocket, a Connection " +
            "header containing Upgrade and the Sec-WebSocket-Accept computed from the key; a client must fail the " +
            "connection on anything else.",
            sends, MustUpgradeModel + " All client checks of RFC 6455 §4.1 are applied at once.", HandshakeJudges.ValidUpgrade);
        yield return new("0.1.2", rfc,
            "A server that accepts the request answers with status 101; any other status means the connection is not a WebSocket.",
            sends, "MUST: a status other than 101 (or no HTTP answer) is FAILED; status 101 is OK. Only the status is judged here.",
            HandshakeJudges.Status101);
        yield return new("0.1.3", rfc,
            "The 101 response carries an Upgrade header whose value is websocket (compared case-insensitively).",
            sends, "MUST: a 101 without Upgrade: websocket is FAILED, as is any status other than 101; Upgrade: websocket in any letter case is OK.",
            HandshakeJudges.UpgradeIsWebSocket);
        yield return new("0.1.4", rfc,
            "The 101 response carries a Connection header whose tokens include Upgrade (compared case-insensitively).",
            sends, "MUST: a 101 whose Connection header lacks the Upgrade token is FAILED, as is any status other than 101; otherwise OK.",
            HandshakeJudges.ConnectionHasUpgrade);
        yield return new("0.1.5", [HandshakeRfc.ServerHandshake, HandshakeRfc.ClientRequirements, HandshakeRfc.AcceptHeader],
            "Sec-WebSocket-Accept is the base64 of the SHA-1 of the key as sent followed by the GUID " +
            "258EAFA5-E914-47DA-95CA-C5AB0DC85B11; whitespace around the value is ignored.",
            sends, "MUST: a missing or wrong Sec-WebSocket-Accept is FAILED, as is any status other than 101; the correct value is OK.",
            HandshakeJudges.AcceptMatchesKey);
        yield return new("0.1.6", [HandshakeRfc.AcceptHeader, HandshakeRfc.ServerHandshake],
            "Sec-WebSocket-Accept may appear only once in the response.",
            sends, "MUST: Sec-WebSocket-Accept missing or repeated is FAILED, as is any status other than 101; exactly once is OK.",
            HandshakeJudges.AcceptSentOnce);
        yield return new("0.1.7", [HandshakeRfc.ServerHandshake],
            "The response carries Upgrade and Connection once each; HTTP allows list fields to repeat, so a repeat is " +
            "legal but not what the RFC's response shows.",
            sends, "MUST: either header missing is FAILED; SHOULD: each once, a repeat is NON-STRICT; once each is OK.",
            HandshakeJudges.UpgradeAndConnectionSentOnce);
        yield return new("0.1.8", [HandshakeRfc.NegotiatingExtensions, HandshakeRfc.ServerHandshake, HandshakeRfc.ExtensionsHeader],
            "A server may only accept extensions the client offered, and sends Sec-WebSocket-Extensions at most once; " +
            "with nothing offered, the response names no extension.",
            sends + " No extension is offered.",
            "MUST: an extension in the response that was not offered, or a repeated Sec-WebSocket-Extensions header, is FAILED, as is any status other than 101; no extension is OK.",
            HandshakeJudges.NoUnofferedExtension);
    }

    private static IEnumerable<UpgradeRow> Variations()
    {
        var rfc = new[] { HandshakeRfc.ReadingClientHandshake, HandshakeRfc.ServerHandshake };
        const string NameCase = "HTTP header field names are case-insensitive; a server must accept the request whatever the letter case of its names.";
        const string Tokens = "The values of Upgrade and Connection are compared case-insensitively, and Connection is a token list; a server must accept any spelling that contains the right token.";
        UpgradeRow Row(string id, string requirement, string what, Func<HandshakeRequest, HandshakeRequest> shape, IReadOnlyList<string>? sections = null) =>
            new(id, sections ?? rfc, requirement, $"Sends {StandardRequest}, with {what}.", MustUpgradeModel, HandshakeJudges.ValidUpgrade, shape);

        yield return Row("0.2.1", NameCase, "every header name in lower case (host, upgrade, sec-websocket-key, ...)", RequestShapes.LowerCaseNames);
        yield return Row("0.2.2", NameCase, "every header name in upper case (HOST, UPGRADE, SEC-WEBSOCKET-KEY, ...)", RequestShapes.UpperCaseNames);
        yield return Row("0.2.3", Tokens, "Upgrade: WebSocket", RequestShapes.UpgradeMixedCase);
        yield return Row("0.2.4", Tokens, "Connection: keep-alive, Upgrade", RequestShapes.ConnectionKeepAliveUpgrade);
        yield return Row("0.2.5", "The order of header fields is not significant; a server must accept them in any order.",
            "the header lines in reverse order", RequestShapes.ReverseHeaderOrder);
        yield return Row("0.2.6",
            "Whitespace around a header value is not part of it; the accept value is computed on the key itself, without the surrounding spaces.",
            "three spaces before and after the Sec-WebSocket-Key value", RequestShapes.KeyWithWhitespace);
        yield return Row("0.2.7",
            "The request target is the resource name: the path plus an optional query; a server must accept a query string.",
            $"the query ?{RequestShapes.Query} appended to the URL's path", RequestShapes.TargetWithQuery);
        yield return Row("0.2.8", "A server ignores header fields it does not know.",
            "two extra unknown headers (X-Wsconform-Probe, X-Unknown-Field)", RequestShapes.ExtraUnknownHeaders);
        yield return new("0.2.9", [HandshakeRfc.ReadingClientHandshake, HandshakeRfc.OriginConsiderations],
            "A request may carry Origin (browsers always send it); a server accepts it, and refusing a given origin is a policy of the server.",
            $"Sends {StandardRequest}, with an Origin header: the target's Origin option, or http:// plus the Host value.",
            "MUST: anything but a valid 101 upgrade is FAILED, except a 403 refusal, which is an origin policy (RFC 6455 §10.2) and NON-STRICT; a valid upgrade is OK.",
            HandshakeJudges.ValidUpgrade, RequestShapes.WithOrigin, HandshakeJudges.MustUpgradeUnlessOriginPolicy);
    }

    // ------------------------------------------------------------------ 0.5: subprotocols (upgrading too)

    private static IEnumerable<UpgradeRow> Subprotocols()
    {
        var rfc = new[] { HandshakeRfc.ServerHandshake, HandshakeRfc.ProtocolHeader, HandshakeRfc.ClientRequirements };
        const string Selection =
            "The server selects at most one of the subprotocols the client offered and names it in one " +
            "Sec-WebSocket-Protocol header, or sends no such header at all; an empty value, several values, a repeated " +
            "header or a value not offered make the client fail the connection.";
        const string Model =
            "MUST: status other than 101, or a Sec-WebSocket-Protocol that is empty, repeated, lists several values or " +
            "names one not offered, is FAILED; no subprotocol, or one of those offered, is OK. The result names the one chosen.";
        yield return new("0.5.1", rfc,
            "A client that offers no subprotocol gets none: the response carries no Sec-WebSocket-Protocol header.",
            $"Sends {StandardRequest}, with no Sec-WebSocket-Protocol header.",
            "MUST: any Sec-WebSocket-Protocol header in the response is FAILED, as is a status other than 101; none is OK.",
            HandshakeJudges.NoSubprotocolSelected, RequestShapes.NoSubprotocol);
        yield return new("0.5.2", rfc, Selection,
            $"Sends {StandardRequest}, offering one subprotocol: Sec-WebSocket-Protocol: {OneSubprotocol}.",
            Model, HandshakeJudges.SubprotocolFromOffer, RequestShapes.OfferingSubprotocols(OneSubprotocol));
        yield return new("0.5.3", rfc, Selection,
            $"Sends {StandardRequest}, offering three subprotocols: Sec-WebSocket-Protocol: {SeveralSubprotocols}.",
            Model, HandshakeJudges.SubprotocolFromOffer, RequestShapes.OfferingSubprotocols(SeveralSubprotocols));
    }

    private static ConformanceCase Upgrading(UpgradeRow row, string group) => new()
    {
        Id = row.Id,
        Category = Category,
        Group = group,
        RfcSections = row.Rfc,
        Requirement = row.Requirement,
        Stimulus = row.Stimulus + EchoStimulus,
        ExpectedBehaviour = row.Verdicts + EchoBehaviour,
        Script = EchoScript,
        Expected = Outcomes.Ok(ExpectedEvent.Text(Payloads.HelloWorld)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
        Handshake = new HandshakeProbe
        {
            Request = row.Shape ?? RequestShapes.Standard,
            Judge = row.Judge ?? HandshakeJudges.MustUpgrade(row.Rule),
        },
    };

    // ------------------------------------------------------------------ 0.3 and 0.4: the server must refuse

    private sealed record RefuseRow(string Id, IReadOnlyList<string> Rfc, string Requirement, string What, Func<HandshakeRequest, HandshakeRequest> Shape);

    private static IEnumerable<RefuseRow> Refusals()
    {
        var rfc = new[] { HandshakeRfc.ReadingClientHandshake };
        var key = new[] { HandshakeRfc.ReadingClientHandshake, HandshakeRfc.KeyHeader };
        const string Key = "The request must carry exactly one Sec-WebSocket-Key whose value is the base64 encoding of 16 octets; otherwise the server stops and answers with an HTTP error such as 400.";
        const string Upgrade = "The request must carry Upgrade with the token websocket; otherwise the server stops and answers with an HTTP error such as 400.";
        const string Connection = "The request must carry a Connection header with the token Upgrade; otherwise the server stops and answers with an HTTP error such as 400.";
        const string Line = "The opening handshake is an HTTP/1.1 (or later) GET request; a server that receives anything else does not upgrade and answers with an HTTP error.";
        yield return new("0.3.1", key, Key, "without a Sec-WebSocket-Key header", RequestShapes.MissingKey);
        yield return new("0.3.2", key, Key, $"a Sec-WebSocket-Key that is not base64 ({RequestShapes.NotBase64Key})", RequestShapes.KeyNotBase64);
        yield return new("0.3.3", key, Key, $"a Sec-WebSocket-Key that decodes to 15 octets ({RequestShapes.Key15Octets})", RequestShapes.KeyOf15Octets);
        yield return new("0.3.4", key, Key, $"a Sec-WebSocket-Key that decodes to 17 octets ({RequestShapes.Key17Octets})", RequestShapes.KeyOf17Octets);
        yield return new("0.3.5", key, Key, $"a second Sec-WebSocket-Key line ({RequestShapes.OtherValidKey}), both keys well-formed", RequestShapes.KeyTwice);
        yield return new("0.3.6", rfc, Upgrade, "without an Upgrade header", RequestShapes.MissingUpgrade);
        yield return new("0.3.7", rfc, Connection, "without a Connection header", RequestShapes.MissingConnection);
        yield return new("0.3.8", rfc, Connection, "Connection: keep-alive (no Upgrade token)", RequestShapes.ConnectionWithoutUpgradeToken);
        yield return new("0.3.9", rfc, Upgrade, "Upgrade: h2c instead of websocket", RequestShapes.UpgradeToH2c);
        yield return new("0.3.10", rfc, Line, "method POST instead of GET", RequestShapes.MethodPost);
        yield return new("0.3.11", rfc, Line, "HTTP/1.0 in the request line", RequestShapes.Http10);
        yield return new("0.3.12", rfc,
            "The request must carry a Host header; otherwise the server stops and answers with an HTTP error such as 400.",
            "without a Host header", RequestShapes.MissingHost);
    }

    private static IEnumerable<ConformanceCase> Versions()
    {
        var rfc = new[] { HandshakeRfc.ReadingClientHandshake, HandshakeRfc.VersionHeader };
        var unsupported = new[] { HandshakeRfc.ServerHandshake, HandshakeRfc.MultipleVersions, HandshakeRfc.ReadingClientHandshake };
        const string Malformed =
            "The request must carry exactly one Sec-WebSocket-Version whose value is 13; a request without it, with it " +
            "twice or with a value that is not one version number is malformed and gets an HTTP error such as 400.";
        const string Unsupported =
            "A server that does not speak the requested version refuses, preferably with 426 Upgrade Required (the RFC's " +
            "example uses 400), and names the versions it supports in Sec-WebSocket-Version (e.g. 13).";
        const string VersionModel =
            "MUST: 101 here is FAILED. A 4xx refusal carrying Sec-WebSocket-Version with 13 is OK; a 4xx without that " +
            "header, another refusal (5xx, closing without an answer) is NON-STRICT; an answer that is not HTTP is FAILED.";
        RefuseRow Row(string id, IReadOnlyList<string> sections, string requirement, string what, Func<HandshakeRequest, HandshakeRequest> shape) =>
            new(id, sections, requirement, what, shape);

        yield return Refusing(Row("0.4.1", rfc, Malformed, "without a Sec-WebSocket-Version header", RequestShapes.MissingVersion), VersionGroup, HandshakeJudges.MustRefuse, MustRefuseModel);
        // Version 8 is the last draft (hybi-08), which a server may still speak (§4.4): upgrading it is informational.
        yield return Refusing(Row("0.4.2", unsupported, Unsupported, "Sec-WebSocket-Version: 8", RequestShapes.VersionNumber(8)),
            VersionGroup, HandshakeJudges.MustRefuseVersionUnlessSpoken,
            "A valid 101 here is INFORMATIONAL (the server speaks draft version 8, which §4.4 allows); an invalid 101 is FAILED. " +
            "Otherwise as for any unsupported version: a 4xx carrying Sec-WebSocket-Version with 13 is OK; a 4xx without " +
            "that header, another refusal (5xx, closing without an answer) is NON-STRICT; an answer that is not HTTP is FAILED.");
        foreach (var (id, version) in new[] { ("0.4.3", 12), ("0.4.4", 14) })
        {
            yield return Refusing(Row(id, unsupported, Unsupported, $"Sec-WebSocket-Version: {version}", RequestShapes.VersionNumber(version)),
                VersionGroup, HandshakeJudges.MustRefuseVersion, VersionModel);
        }
        yield return Refusing(Row("0.4.5", rfc, Malformed, "Sec-WebSocket-Version: 13, 8 (two versions in one value)", RequestShapes.VersionValue("13, 8")), VersionGroup, HandshakeJudges.MustRefuse, MustRefuseModel);
        yield return Refusing(Row("0.4.6", rfc, Malformed, "two Sec-WebSocket-Version: 13 lines", RequestShapes.VersionTwice), VersionGroup, HandshakeJudges.MustRefuse, MustRefuseModel);
    }

    private static ConformanceCase Refusing(RefuseRow row, string group, Func<HandshakeExchange, HandshakeVerdict> judge, string model) => new()
    {
        Id = row.Id,
        Category = Category,
        Group = group,
        RfcSections = row.Rfc,
        Requirement = row.Requirement,
        Stimulus = $"Sends {StandardRequest}, with {row.What}." + HandshakeOnlyStimulus,
        ExpectedBehaviour = model + HandshakeOnlyBehaviour,
        Script = [],
        Expected = JudgedByProbe,
        // Never judged: a handshake-only case ends before any closing handshake (the model still requires a value).
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
        Handshake = new HandshakeProbe { Request = row.Shape, Judge = judge },
    };

    // ------------------------------------------------------------------ 0.6: extension offers the server must decline

    private sealed record OfferRow(string Id, IReadOnlyList<string> Rfc, string Requirement, string Offer, string Extension, string Why);

    private static IEnumerable<OfferRow> Extensions()
    {
        var deflate = new[] { HandshakeRfc.DeflateNegotiation, HandshakeRfc.DeflateServerWindowBits, HandshakeRfc.NegotiatingExtensions };
        var parameters = new[] { HandshakeRfc.DeflateNegotiation, HandshakeRfc.NegotiatingExtensions };
        const string WindowBits =
            "server_max_window_bits takes a decimal value from 8 to 15 without leading zeros; a server must decline " +
            "(not accept, not fail) a permessage-deflate offer with an invalid value.";
        const string Parameters =
            "A server must decline a permessage-deflate offer with an unknown or duplicated parameter (RFC 7692 §5), " +
            "and go on without the extension.";
        yield return new("0.6.1", [HandshakeRfc.NegotiatingExtensions, HandshakeRfc.ServerHandshake],
            "A server accepts only extensions it implements; an extension it does not know is left out of the response " +
            "and the connection goes on without it.",
            UnknownExtension, UnknownExtension, "an extension no server implements");
        yield return new("0.6.2", deflate, WindowBits, $"{Deflate}; server_max_window_bits=7", Deflate, "7 is below the range 8 to 15");
        yield return new("0.6.3", deflate, WindowBits, $"{Deflate}; server_max_window_bits=16", Deflate, "16 is above the range 8 to 15");
        yield return new("0.6.4", deflate, WindowBits, $"{Deflate}; server_max_window_bits=08", Deflate, "a leading zero is not allowed");
        yield return new("0.6.5", parameters, Parameters, $"{Deflate}; x_wsconform_unknown_parameter", Deflate, "the parameter is not defined by RFC 7692");
        yield return new("0.6.6", parameters, Parameters, $"{Deflate}; server_no_context_takeover; server_no_context_takeover", Deflate, "the same parameter appears twice");
    }

    private static ConformanceCase Declining(OfferRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        Group = ExtensionGroup,
        RfcSections = row.Rfc,
        Requirement = row.Requirement,
        Stimulus = $"Sends {StandardRequest}, offering Sec-WebSocket-Extensions: {row.Offer} ({row.Why})." + EchoStimulus,
        ExpectedBehaviour =
            $"MUST: a 101 without {row.Extension} (the offer declined) is OK; a 101 accepting {row.Extension} is FAILED; " +
            "a 5xx, closing without an answer or an answer that is not HTTP is FAILED; a 4xx (or other) refusal is " +
            "NON-STRICT, refusing the connection instead of declining the offer." + EchoBehaviour,
        Script = EchoScript,
        Expected = Outcomes.Ok(ExpectedEvent.Text(Payloads.HelloWorld)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
        Handshake = new HandshakeProbe
        {
            ExtensionOffers = [row.Offer],
            Judge = HandshakeJudges.MustDeclineOffer(row.Extension),
        },
    };

    // ------------------------------------------------------------------ 0.7: early data

    private static IEnumerable<ConformanceCase> EarlyData()
    {
        var rfc = new[] { HandshakeRfc.ServerHandshake, HandshakeRfc.ClientRequirements };
        yield return new ConformanceCase
        {
            Id = "0.7.1",
            Category = Category,
            Group = EarlyDataGroup,
            RfcSections = rfc,
            Requirement =
                "Once the server has sent its 101 the connection is open, and octets after the request head are WebSocket " +
                "frames; a frame that a client pipelines right behind its request is processed once the upgrade completes, " +
                "not dropped and not mistaken for HTTP.",
            Stimulus =
                $"Sends {StandardRequest} and, in the same write, a masked text frame \"{EarlyText}\". If the upgrade is " +
                $"valid it arms a {Timers.Kill.TotalSeconds:0} s kill timer and waits.",
            ExpectedBehaviour =
                MustUpgradeModel + $" Over the upgraded connection the server echoes \"{EarlyText}\"; the harness then " +
                "closes with 1000 and the closing handshake completes cleanly. A lost or different echo is FAILED.",
            Script = [new KillAfter(Timers.Kill)],
            Expected = Outcomes.Ok(ExpectedEvent.Text(EarlyText)),
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
            Handshake = new HandshakeProbe
            {
                EarlyFrames = [Frames.Text(EarlyText)],
                Judge = HandshakeJudges.MustUpgrade(HandshakeJudges.ValidUpgrade),
            },
        };
        yield return new ConformanceCase
        {
            Id = "0.7.2",
            Category = Category,
            Group = EarlyDataGroup,
            RfcSections = rfc,
            Requirement =
                "The server sends no frame before its 101 response: the status line is the first thing a client reads, " +
                "even when the client's first frame arrived with the request.",
            Stimulus =
                $"Sends {StandardRequest} and, in the same write, a masked ping \"{EarlyPing}\". If the upgrade is valid " +
                $"it arms a {Timers.Kill.TotalSeconds:0} s kill timer and waits.",
            ExpectedBehaviour =
                "MUST: octets before the status line (e.g. the pong sent ahead of the 101) make the response unparsable " +
                "and are FAILED, as is anything but a valid 101 upgrade. Over the upgraded connection the server answers " +
                $"with a pong \"{EarlyPing}\"; the harness then closes with 1000 and the closing handshake completes " +
                "cleanly. A missing pong is FAILED; a valid upgrade followed by the pong is OK.",
            Script = [new KillAfter(Timers.Kill)],
            Expected = Outcomes.Ok(ExpectedEvent.Pong(EarlyPing)),
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
            Handshake = new HandshakeProbe
            {
                EarlyFrames = [Frames.Ping(EarlyPing)],
                Judge = HandshakeJudges.MustUpgrade(HandshakeJudges.ValidUpgrade),
            },
        };
    }
}
