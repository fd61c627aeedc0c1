using Wsconform.Engine.Handshake;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Model;

namespace Wsconform.Cases;

/// <summary>
/// Category 0 for clients (the harness is the server, <c>wsconform serve</c>): 0.8 judges one rule of the client's
/// upgrade request each (RFC 6455 §4.1), 0.9 answers with a 101 that breaks one rule the client must check and watches
/// the client fail the connection. Autobahn never tested either; these cases do not apply to servers.
/// </summary>
public static class ClientHandshakeCases
{
    public const string RequestGroup = "Client's upgrade request";
    public const string ResponseGroup = "Responses a client must refuse";

    /// <summary>The subprotocol 0.9.7 selects although nobody offers it.</summary>
    public const string UnofferedSubprotocol = "x-wsconform-unoffered";
    /// <summary>The extension 0.9.8 accepts although nobody offers it.</summary>
    public const string UnofferedExtension = "x-wsconform-unoffered";
    /// <summary>The Upgrade value 0.9.4 answers with.</summary>
    public const string WrongUpgrade = "h2c";

    /// <summary>RFC 6455 §4.1's sample nonce ("the sample nonce"): a key every client must not hard-code.</summary>
    public const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";

    /// <summary>How long 0.8.8 holds the 101 back, watching for octets the client must not send yet.</summary>
    public static readonly TimeSpan EarlyDataHold = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a client has, after a broken 101, to fail the connection before the harness closes it (0.9.x).</summary>
    public static readonly TimeSpan FailWindow = TimeSpan.FromSeconds(2);

    private const string FailConnection = "RFC 6455 §7.1.7";

    private const string EchoStimulus =
        $" When the request is a valid upgrade the harness answers 101, sends a text message \"{Payloads.HelloWorld}\" and " +
        "arms a 1 s kill timer; otherwise it refuses the request with an HTTP error, as a server must.";

    private const string EchoBehaviour =
        " The rule kept is OK, the rule broken FAILED. After a valid upgrade the client echoes \"Hello, world!\" and the " +
        "harness closes with 1000; a missing echo is FAILED (the worse of the two verdicts wins).";

    public static IReadOnlyList<ConformanceCase> Cases { get; } = [.. Requests().Select(Request), .. Responses().Select(Response)];

    // ------------------------------------------------------------------ 0.8: the client's request

    /// <summary>A rule of the client's request, judged by <paramref name="Judge"/>.</summary>
    private sealed record RequestRow(string Id, string Requirement, string Watched, Func<ClientRequestFacts, HandshakeVerdict> Judge,
        IReadOnlyList<string>? Rfc = null, TimeSpan Hold = default);

    private static IEnumerable<RequestRow> Requests()
    {
        yield return new("0.8.1",
            "The request line is GET with HTTP/1.1 or later, and every header line is 'name: value'.",
            "the request line and the syntax of the header lines",
            Rules("The request line and the header lines are well formed: GET, HTTP/1.1 or later.",
                RequestRule.RequestLine, RequestRule.Method, RequestRule.HttpVersion, RequestRule.MalformedHeader));
        yield return new("0.8.2",
            "The request carries exactly one Host header naming the server (host, and the port when it is not the default).",
            "the Host header", Rules("The request carries one Host header.", RequestRule.Host));
        yield return new("0.8.3",
            "The request carries an Upgrade header whose value includes the keyword websocket (case-insensitive).",
            "the Upgrade header", Rules("The request carries Upgrade: websocket.", RequestRule.Upgrade));
        yield return new("0.8.4",
            "The request carries a Connection header whose tokens include Upgrade (case-insensitive).",
            "the Connection header", Rules("The request's Connection header contains the Upgrade token.", RequestRule.Connection));
        yield return new("0.8.5",
            "The request carries exactly one Sec-WebSocket-Key, the base64 encoding of 16 octets.",
            "the Sec-WebSocket-Key header",
            Rules("The request carries one Sec-WebSocket-Key of 16 base64-encoded octets.", RequestRule.KeyCount, RequestRule.KeyMalformed),
            [HandshakeRfc.ClientRequirements, HandshakeRfc.KeyHeader]);
        yield return new("0.8.6",
            "The Sec-WebSocket-Key is chosen at random for each connection: never reused, never the RFC's sample nonce.",
            "whether the key was used by an earlier connection to this server (every connection since the server started, " +
            "the driver's /getCaseCount included) or is the RFC's sample key",
            FreshKey);
        yield return new("0.8.7",
            "The request carries Sec-WebSocket-Version: 13, once.",
            "the Sec-WebSocket-Version header",
            Rules("The request carries Sec-WebSocket-Version: 13.", RequestRule.VersionMissing, RequestRule.VersionRepeated, RequestRule.VersionUnsupported),
            [HandshakeRfc.ClientRequirements, HandshakeRfc.VersionHeader]);
        yield return new("0.8.8",
            "Once its request is sent, the client waits for the server's response before it sends any further data.",
            $"whether the client sends anything while the harness holds its 101 back for {EarlyDataHold.TotalSeconds:0.#} s",
            NoDataBeforeResponse, Hold: EarlyDataHold);
    }

    /// <summary>A judge of the request's rules in <paramref name="rules"/>: FAILED naming the first one broken, else OK.</summary>
    private static Func<ClientRequestFacts, HandshakeVerdict> Rules(string kept, params RequestRule[] rules) => facts =>
        ServerHandshake.Problems(facts.Head).FirstOrDefault(p => rules.Contains(p.Rule)) is { } problem
            ? new HandshakeVerdict(Behavior.Failed, $"The client's request breaks the rule: {problem.Problem}.")
            : new HandshakeVerdict(Behavior.Ok, kept);

    private static HandshakeVerdict FreshKey(ClientRequestFacts facts)
    {
        var key = facts.Head.Value("Sec-WebSocket-Key")?.Trim();
        return key switch
        {
            null => new HandshakeVerdict(Behavior.Failed, "The request carries no Sec-WebSocket-Key at all."),
            SampleKey => new HandshakeVerdict(Behavior.Failed, $"The client sent RFC 6455's sample key '{SampleKey}' instead of a random one."),
            _ when facts.KeyReused => new HandshakeVerdict(Behavior.Failed,
                $"The client sent the Sec-WebSocket-Key '{Shorten(key)}', which an earlier connection to this server used already; each connection needs a fresh random key."),
            _ => new HandshakeVerdict(Behavior.Ok, "The Sec-WebSocket-Key is new to this server."),
        };
    }

    private static HandshakeVerdict NoDataBeforeResponse(ClientRequestFacts facts) => facts.OctetsBeforeResponse > 0
        ? new HandshakeVerdict(Behavior.Failed,
            $"The client sent {facts.OctetsBeforeResponse} octet(s) after its request, before the 101 it had to wait for (held back {facts.HeldFor.TotalSeconds:0.###} s).")
        : new HandshakeVerdict(Behavior.Ok, $"The client sent nothing while the response was held back ({facts.HeldFor.TotalSeconds:0.###} s).");

    private static ConformanceCase Request(RequestRow row) => new()
    {
        Id = row.Id,
        Category = HandshakeCases.Category,
        Group = RequestGroup,
        RfcSections = row.Rfc ?? [HandshakeRfc.ClientRequirements],
        Requirement = row.Requirement,
        Stimulus = $"The harness, as the server, receives the client's upgrade request and judges {row.Watched}." + EchoStimulus,
        ExpectedBehaviour = "MUST." + EchoBehaviour,
        Script = [new SendFrame(Frames.Text(Payloads.HelloWorld)), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Ok(ExpectedEvent.Text(Payloads.HelloWorld)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
        ClientHandshake = new ClientHandshakeCheck { RequestJudge = row.Judge, HoldResponse = row.Hold },
    };

    // ------------------------------------------------------------------ 0.9: responses the client must refuse

    /// <summary>A 101 that breaks one rule: <paramref name="Break"/> turns the valid response's header lines into the broken ones.</summary>
    private sealed record ResponseRow(string Id, string Requirement, string Broken, Func<UpgradeRequest, List<string>, List<string>> Break,
        IReadOnlyList<string> Rfc);

    private static IEnumerable<ResponseRow> Responses()
    {
        var accept = new[] { HandshakeRfc.ClientRequirements, HandshakeRfc.AcceptHeader };
        var upgrade = new[] { HandshakeRfc.ClientRequirements };
        yield return new("0.9.1", "The client fails the connection when the 101 carries no Sec-WebSocket-Accept.",
            "without Sec-WebSocket-Accept", (_, lines) => Without(lines, "Sec-WebSocket-Accept"), accept);
        yield return new("0.9.2",
            "The client fails the connection when Sec-WebSocket-Accept is not the value computed from its own key.",
            "with the Sec-WebSocket-Accept of another key",
            (request, lines) => Replacing(lines, "Sec-WebSocket-Accept", WebSocketAccept.Compute(request.Key.Trim() == SampleKey ? WebSocketAccept.NewKey() : SampleKey)),
            accept);
        yield return new("0.9.3", "The client fails the connection when the 101 carries no Upgrade header.",
            "without the Upgrade header", (_, lines) => Without(lines, "Upgrade"), upgrade);
        yield return new("0.9.4", "The client fails the connection when the Upgrade header does not name websocket.",
            $"with Upgrade: {WrongUpgrade}", (_, lines) => Replacing(lines, "Upgrade", WrongUpgrade), upgrade);
        yield return new("0.9.5", "The client fails the connection when the 101 carries no Connection header.",
            "without the Connection header", (_, lines) => Without(lines, "Connection"), upgrade);
        yield return new("0.9.6", "The client fails the connection when the Connection header lacks the Upgrade token.",
            "with Connection: keep-alive", (_, lines) => Replacing(lines, "Connection", "keep-alive"), upgrade);
        yield return new("0.9.7", "The client fails the connection when the server selects a subprotocol the client did not offer.",
            $"selecting the subprotocol {UnofferedSubprotocol}, which the client did not offer",
            (request, lines) => Replacing(lines, "Sec-WebSocket-Protocol", NotAmong(UnofferedSubprotocol, ServerHandshake.OfferedProtocols(request.Head))),
            [HandshakeRfc.ClientRequirements, HandshakeRfc.ProtocolHeader]);
        yield return new("0.9.8", "The client fails the connection when the server accepts an extension the client did not offer.",
            $"accepting the extension {UnofferedExtension}, which the client did not offer",
            (request, lines) => Replacing(lines, "Sec-WebSocket-Extensions", NotAmong(UnofferedExtension, ServerHandshake.OfferedExtensions(request.Head))),
            [HandshakeRfc.ClientRequirements, HandshakeRfc.NegotiatingExtensions]);
    }

    private static ConformanceCase Response(ResponseRow row) => new()
    {
        Id = row.Id,
        Category = HandshakeCases.Category,
        Group = ResponseGroup,
        RfcSections = [.. row.Rfc, FailConnection],
        Requirement = row.Requirement,
        Stimulus = $"The harness, as the server, answers the client's upgrade request with a 101 {row.Broken}, otherwise valid, sends a text " +
                   $"message \"{Payloads.HelloWorld}\" behind it and gives the client {FailWindow.TotalSeconds:0} s.",
        ExpectedBehaviour =
            "MUST: the client fails the connection by closing TCP without sending a frame: OK. Refusing with a Close frame, as if " +
            "the connection were open, is NON-STRICT. Echoing the message (or sending anything else), or leaving the connection " +
            "open until the harness closes it, is FAILED.",
        Script = [new SendFrame(Frames.Text(Payloads.HelloWorld)), new KillAfter(FailWindow)],
        Expected = Outcomes.Nothing,
        ExpectedClose = new ExpectedClose(ClosedByHarness: false, [], RequireClean: false),
        AutoCloseOnMatch = false,
        ClientHandshake = new ClientHandshakeCheck { BrokenResponse = request => Render(row.Break(request, ValidLines(request))) },
    };

    /// <summary>The header lines of the harness's valid 101 for <paramref name="request"/> (RFC 6455 §4.2.2).</summary>
    private static List<string> ValidLines(UpgradeRequest request) =>
    [
        "Upgrade: websocket",
        "Connection: Upgrade",
        $"Sec-WebSocket-Accept: {WebSocketAccept.Compute(request.Key.Trim())}",
        .. request.Protocol is { } protocol ? [$"Sec-WebSocket-Protocol: {protocol}"] : Array.Empty<string>(),
        .. request.ResponseHeaderLines ?? [],
    ];

    private static string Render(IEnumerable<string> lines) =>
        "HTTP/1.1 101 Switching Protocols\r\n" + string.Concat(lines.Select(l => l + "\r\n")) + "\r\n";

    private static List<string> Without(List<string> lines, string name) =>
        lines.Where(l => !l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The header set to <paramref name="value"/>, where it was (or added after the others).</summary>
    private static List<string> Replacing(List<string> lines, string name, string value)
    {
        var index = lines.FindIndex(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
        var rest = Without(lines, name);
        rest.Insert(index < 0 ? rest.Count : index, $"{name}: {value}");
        return rest;
    }

    /// <summary><paramref name="name"/>, or a variant of it the client did not offer (a client could offer anything).</summary>
    private static string NotAmong(string name, IReadOnlyList<string> offered)
    {
        var candidate = name;
        for (var n = 2; offered.Any(o => o.Split(';')[0].Trim().Equals(candidate, StringComparison.OrdinalIgnoreCase)); n++) candidate = $"{name}-{n}";
        return candidate;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
