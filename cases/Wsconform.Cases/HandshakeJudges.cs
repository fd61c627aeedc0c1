using Wsconform.Engine.Handshake;
using Wsconform.Engine.Scripting;
using Wsconform.Model;

namespace Wsconform.Cases;

/// <summary>What one rule found in a 101 response: the verdict it earns and one sentence saying what was seen.</summary>
public sealed record RuleFinding(Behavior Verdict, string Text)
{
    public static RuleFinding Holds(string text) => new(Behavior.Ok, text);
    public static RuleFinding Broken(string text) => new(Behavior.Failed, text);
    public static RuleFinding NonStrict(string text) => new(Behavior.NonStrict, text);
}

/// <summary>
/// The reusable judges of category 0 (opening handshake). Each turns a <see cref="HandshakeExchange"/> into a verdict,
/// keeping MUST (FAILED) apart from SHOULD and from what the RFC leaves open (NON-STRICT), and says in its result what
/// the server did. What the client offered (subprotocols, extensions) is read from the request actually sent.
/// </summary>
public static class HandshakeJudges
{
    // ------------------------------------------------------------------ judges

    /// <summary>
    /// The server must upgrade: no answer, an answer that is not HTTP, or a status other than 101 is FAILED. On a 101,
    /// <paramref name="rule"/> gives the verdict; the script runs over the connection when the 101 is also a valid
    /// upgrade as a client checks it (RFC 6455 §4.1). A 101 that passes the rule but breaks another client check keeps
    /// the rule's verdict (another case names that fault) and ends the case there.
    /// </summary>
    public static Func<HandshakeExchange, HandshakeVerdict> MustUpgrade(Func<HandshakeExchange, RuleFinding> rule) => exchange =>
    {
        if (NotHttp(exchange) is { } notHttp) return notHttp;
        var status = exchange.Status!;
        if (status.Code != 101)
            return new(Behavior.Failed, $"A valid upgrade was expected, but the server answered {Line(status)}.");
        var finding = rule(exchange);
        var problem = UpgradeProblem(exchange);
        return problem is null
            ? new(finding.Verdict, $"{finding.Text} The upgrade is valid; the script runs over it.", ContinueWithScript: true)
            : new(finding.Verdict, $"{finding.Text} The upgrade is invalid all the same ({problem}), so the script does not run.");
    };

    /// <summary>
    /// Like <see cref="MustUpgrade"/> with <see cref="ValidUpgrade"/>, except that a 403 is NON-STRICT: refusing an
    /// Origin is a server policy (RFC 6455 §10.2), not a protocol fault.
    /// </summary>
    public static Func<HandshakeExchange, HandshakeVerdict> MustUpgradeUnlessOriginPolicy { get; } = exchange =>
        exchange.Status is { Code: 403 } status
            ? new(Behavior.NonStrict, $"The server refused the Origin '{RequestShapes.HeaderValue(exchange.Sent, RequestShapes.Origin)}' with 403 {status.Reason}: an origin policy (RFC 6455 §10.2), not a protocol fault; set the target's Origin option to one the server allows.")
            : MustUpgrade(ValidUpgrade)(exchange);

    /// <summary>
    /// The server must refuse with an HTTP error (RFC 6455 §4.2.1): 101 is FAILED, a 4xx is OK, any other status, a
    /// close without an answer or no answer in time is NON-STRICT. An answer that is not HTTP at all is FAILED.
    /// </summary>
    public static Func<HandshakeExchange, HandshakeVerdict> MustRefuse { get; } = exchange =>
    {
        if (exchange.Response is null)
            return new(Behavior.NonStrict, $"No HTTP answer: {exchange.NoResponse ?? "no response"}. The request is refused, but a 4xx error response was expected.");
        if (exchange.Status is not { } status) return NotHttp(exchange)!;
        return status.Code switch
        {
            101 => new(Behavior.Failed, "The server upgraded (101) a request it must refuse with an HTTP error."),
            >= 400 and < 500 => new(Behavior.Ok, $"The server refused with {Line(status)}."),
            _ => new(Behavior.NonStrict, $"The server refused with {Line(status)}, not with a 4xx client error."),
        };
    };

    /// <summary>
    /// An unsupported version (RFC 6455 §4.2.2, §4.4): 101 is FAILED; a 4xx carrying Sec-WebSocket-Version with 13 is
    /// OK; a 4xx without it, any other status or no answer is NON-STRICT; an answer that is not HTTP is FAILED.
    /// </summary>
    public static Func<HandshakeExchange, HandshakeVerdict> MustRefuseVersion { get; } = exchange =>
    {
        var refused = MustRefuse(exchange);
        if (refused.Verdict != Behavior.Ok) return refused;
        var versions = exchange.Response!.Tokens(RequestShapes.Version);
        return versions.Contains("13", StringComparer.Ordinal)
            ? new(Behavior.Ok, $"The server refused with {Line(exchange.Status!)} and lists the versions it supports: Sec-WebSocket-Version: {string.Join(", ", versions)}.")
            : new(Behavior.NonStrict, versions.Count == 0
                ? $"The server refused with {Line(exchange.Status!)} but sent no Sec-WebSocket-Version header naming the versions it supports (13)."
                : $"The server refused with {Line(exchange.Status!)}, but its Sec-WebSocket-Version ({string.Join(", ", versions)}) does not list 13.");
    };

    /// <summary>
    /// Version 8 was the last draft before RFC 6455 (hybi-08, the same framing), and RFC 6455 §4.4 lets a server speak
    /// several versions: a valid upgrade for it is INFORMATIONAL, a refusal is judged as for any unsupported version
    /// (<see cref="MustRefuseVersion"/>), and an invalid 101 is FAILED.
    /// </summary>
    public static Func<HandshakeExchange, HandshakeVerdict> MustRefuseVersionUnlessSpoken { get; } = exchange =>
        exchange.Status?.Code == 101 && exchange.IsValidUpgrade()
            ? new(Behavior.Informational, "The server upgraded a request for draft version 8 (hybi-08): RFC 6455 §4.4 lets a server support versions besides 13.")
            : MustRefuseVersion(exchange);

    /// <summary>
    /// An offer the server must decline (RFC 6455 §9.1; RFC 7692 §5): a 101 without extension
    /// <paramref name="extension"/> is OK and the script runs; a 101 accepting it is FAILED; a 5xx, a close without an
    /// answer or an answer that is not HTTP is FAILED (the server broke on the offer); any other refusal (4xx, 3xx, ...)
    /// is NON-STRICT: it refused the connection instead of declining the offer.
    /// </summary>
    public static Func<HandshakeExchange, HandshakeVerdict> MustDeclineOffer(string extension) => exchange =>
    {
        if (exchange.Response is null)
            return new(Behavior.Failed, $"No HTTP answer ({exchange.NoResponse ?? "no response"}): the server should have declined the offer and upgraded.");
        if (NotHttp(exchange) is { } notHttp) return notHttp;
        var status = exchange.Status!;
        if (status.Code >= 500)
            return new(Behavior.Failed, $"The server answered {Line(status)}: the offer broke it, where it should have declined the offer.");
        if (status.Code != 101)
            return new(Behavior.NonStrict, $"The server refused the connection with {Line(status)} instead of declining the offer and upgrading.");
        var accepted = exchange.Response.Tokens(RequestShapes.Extensions).Where(t => NameOf(t).Equals(extension, StringComparison.OrdinalIgnoreCase)).ToList();
        if (accepted.Count > 0)
            return new(Behavior.Failed, $"The server accepted the offer it must decline: Sec-WebSocket-Extensions: {string.Join(", ", accepted)}.");
        var problem = UpgradeProblem(exchange);
        return problem is null
            ? new(Behavior.Ok, $"The server declined the {extension} offer and upgraded without it. The upgrade is valid; the script runs over it.", ContinueWithScript: true)
            : new(Behavior.Ok, $"The server declined the {extension} offer, but the upgrade is invalid all the same ({problem}), so the script does not run.");
    };

    // ------------------------------------------------------------------ rules on a 101

    /// <summary>Every client check of RFC 6455 §4.1 at once.</summary>
    public static RuleFinding ValidUpgrade(HandshakeExchange exchange) =>
        UpgradeProblem(exchange) is { } problem
            ? RuleFinding.Broken($"The 101 is not a valid upgrade: {problem}.")
            : RuleFinding.Holds("The server answered 101 with Upgrade, Connection and a correct Sec-WebSocket-Accept.");

    /// <summary>The status is 101 (checked by <see cref="MustUpgrade"/> itself; this rule only reports it).</summary>
    public static RuleFinding Status101(HandshakeExchange exchange) =>
        RuleFinding.Holds($"The server answered '{exchange.Response?.StartLine}'.");

    /// <summary>An Upgrade header whose tokens include <c>websocket</c>, in any case.</summary>
    public static RuleFinding UpgradeIsWebSocket(HandshakeExchange exchange)
    {
        var values = exchange.Response!.Values(RequestShapes.Upgrade);
        if (values.Count == 0) return RuleFinding.Broken("The 101 has no Upgrade header.");
        return exchange.Response.Tokens(RequestShapes.Upgrade).Any(t => t.Equals("websocket", StringComparison.OrdinalIgnoreCase))
            ? RuleFinding.Holds($"Upgrade: {string.Join(", ", values)}.")
            : RuleFinding.Broken($"Upgrade is '{string.Join(", ", values)}', not websocket.");
    }

    /// <summary>A Connection header whose tokens include <c>Upgrade</c>, in any case.</summary>
    public static RuleFinding ConnectionHasUpgrade(HandshakeExchange exchange)
    {
        var values = exchange.Response!.Values(RequestShapes.Connection);
        if (values.Count == 0) return RuleFinding.Broken("The 101 has no Connection header.");
        return exchange.Response.Tokens(RequestShapes.Connection).Any(t => t.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
            ? RuleFinding.Holds($"Connection: {string.Join(", ", values)}.")
            : RuleFinding.Broken($"Connection is '{string.Join(", ", values)}', without the Upgrade token.");
    }

    /// <summary>Sec-WebSocket-Accept equals base64(SHA-1(key + GUID)) for the key sent (whitespace around it ignored).</summary>
    public static RuleFinding AcceptMatchesKey(HandshakeExchange exchange)
    {
        var values = exchange.Response!.Values("Sec-WebSocket-Accept");
        var expected = WebSocketAccept.Compute(exchange.Sent.Key);
        if (values.Count == 0) return RuleFinding.Broken("The 101 has no Sec-WebSocket-Accept header.");
        return values.Any(v => v.Trim() == expected)
            ? RuleFinding.Holds($"Sec-WebSocket-Accept is {expected}, as computed from the key.")
            : RuleFinding.Broken($"Sec-WebSocket-Accept is '{string.Join(", ", values)}'; the key sent calls for '{expected}'.");
    }

    /// <summary>Sec-WebSocket-Accept appears exactly once (RFC 6455 §11.3.3).</summary>
    public static RuleFinding AcceptSentOnce(HandshakeExchange exchange) =>
        exchange.Response!.Values("Sec-WebSocket-Accept").Count switch
        {
            0 => RuleFinding.Broken("The 101 has no Sec-WebSocket-Accept header."),
            1 => RuleFinding.Holds("Sec-WebSocket-Accept appears once."),
            var n => RuleFinding.Broken($"Sec-WebSocket-Accept appears {n} times; it may appear only once."),
        };

    /// <summary>Upgrade and Connection each appear once; a repeat is legal HTTP for list fields, so only NON-STRICT.</summary>
    public static RuleFinding UpgradeAndConnectionSentOnce(HandshakeExchange exchange)
    {
        var upgrades = exchange.Response!.Values(RequestShapes.Upgrade).Count;
        var connections = exchange.Response.Values(RequestShapes.Connection).Count;
        if (upgrades == 0 || connections == 0)
            return RuleFinding.Broken($"The 101 lacks a header it must carry (Upgrade {upgrades} time(s), Connection {connections} time(s)).");
        return upgrades == 1 && connections == 1
            ? RuleFinding.Holds("Upgrade and Connection appear once each.")
            : RuleFinding.NonStrict($"Upgrade appears {upgrades} time(s) and Connection {connections} time(s); legal for HTTP list fields, but once each is expected.");
    }

    /// <summary>No extension the client did not offer (RFC 6455 §4.1, §9.1), and Sec-WebSocket-Extensions at most once (§11.3.2).</summary>
    public static RuleFinding NoUnofferedExtension(HandshakeExchange exchange)
    {
        var values = exchange.Response!.Values(RequestShapes.Extensions);
        if (values.Count > 1) return RuleFinding.Broken($"Sec-WebSocket-Extensions appears {values.Count} times; it may appear only once.");
        var offered = OfferedExtensions(exchange.Sent).Select(NameOf).ToList();
        var unoffered = exchange.Response.Tokens(RequestShapes.Extensions).Where(t => !offered.Contains(NameOf(t), StringComparer.OrdinalIgnoreCase)).ToList();
        if (unoffered.Count > 0)
            return RuleFinding.Broken($"The server accepted {string.Join(", ", unoffered.Select(NameOf))}, which the client did not offer ({(offered.Count == 0 ? "it offered none" : "offered: " + string.Join(", ", offered))}).");
        return RuleFinding.Holds(values.Count == 0 ? "No extension accepted." : $"Extensions accepted: {values[0]}, all offered.");
    }

    /// <summary>No subprotocol offered, none selected: any Sec-WebSocket-Protocol in the 101 is FAILED.</summary>
    public static RuleFinding NoSubprotocolSelected(HandshakeExchange exchange)
    {
        var values = exchange.Response!.Values(RequestShapes.Protocol);
        return values.Count == 0
            ? RuleFinding.Holds("No subprotocol offered, none selected.")
            : RuleFinding.Broken($"The server sent Sec-WebSocket-Protocol '{string.Join(", ", values)}' although the client offered none.");
    }

    /// <summary>
    /// At most one subprotocol, one of those offered (RFC 6455 §4.2.2, §11.3.4): the header is absent, or appears once
    /// with a single non-empty value from the offer. The result says which one the server chose.
    /// </summary>
    public static RuleFinding SubprotocolFromOffer(HandshakeExchange exchange)
    {
        var values = exchange.Response!.Values(RequestShapes.Protocol);
        var offered = OfferedProtocols(exchange.Sent);
        var offer = string.Join(", ", offered);
        if (values.Count == 0) return RuleFinding.Holds($"The server selected no subprotocol (offered: {offer}).");
        if (values.Count > 1) return RuleFinding.Broken($"Sec-WebSocket-Protocol appears {values.Count} times ({string.Join(" | ", values)}); it may appear only once.");
        var chosen = values[0].Trim();
        if (chosen.Length == 0) return RuleFinding.Broken("Sec-WebSocket-Protocol is empty; a server that selects none must leave the header out.");
        if (chosen.Contains(',', StringComparison.Ordinal)) return RuleFinding.Broken($"Sec-WebSocket-Protocol lists several values ('{chosen}'); at most one may be selected.");
        return offered.Contains(chosen, StringComparer.Ordinal)
            ? RuleFinding.Holds($"The server selected '{chosen}' (offered: {offer}).")
            : RuleFinding.Broken($"The server selected '{chosen}', which is not one of the offered {offer}.");
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>The subprotocols the request offered (all Sec-WebSocket-Protocol lines, comma lists split).</summary>
    public static IReadOnlyList<string> OfferedProtocols(HandshakeRequest request) => Tokens(request, RequestShapes.Protocol);

    /// <summary>The extension offers of the request (all Sec-WebSocket-Extensions lines, one entry per offer with its parameters).</summary>
    public static IReadOnlyList<string> OfferedExtensions(HandshakeRequest request) => Tokens(request, RequestShapes.Extensions);

    /// <summary>The client checks of RFC 6455 §4.1 against what was actually offered; null when the upgrade is valid.</summary>
    public static string? UpgradeProblem(HandshakeExchange exchange) =>
        exchange.Response is null
            ? exchange.NoResponse ?? "no response"
            : ClientHandshake.Validate(exchange.Response, exchange.Sent.Key, OfferedProtocols(exchange.Sent), OfferedExtensions(exchange.Sent));

    /// <summary>FAILED when there is no response or it does not start with a status line; null when it is HTTP.</summary>
    private static HandshakeVerdict? NotHttp(HandshakeExchange exchange)
    {
        if (exchange.Response is null)
            return new(Behavior.Failed, $"A valid upgrade was expected, but there was no HTTP answer: {exchange.NoResponse ?? "no response"}.");
        if (exchange.Status is null)
            return new(Behavior.Failed, $"The answer does not start with an HTTP status line ('{Shorten(exchange.Response.StartLine)}'): octets came before the status line, or the answer is not HTTP.");
        return null;
    }

    private static IReadOnlyList<string> Tokens(HandshakeRequest request, string name) =>
        [.. request.Headers
            .Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(','))
            .Select(t => t.Trim())
            .Where(t => t.Length > 0)];

    private static string NameOf(string extension) => extension.Split(';')[0].Trim();

    private static string Line(StatusLine status) => status.Reason.Length == 0 ? $"{status.Code}" : $"{status.Code} {status.Reason}";

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
