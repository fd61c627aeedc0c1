using System.Text;

namespace Wsconform.Engine.Handshake;

/// <summary>Which part of RFC 6455 §4.2.1 a refused upgrade request breaks, for code that reacts per rule.</summary>
public enum RequestRule
{
    /// <summary>The request line is not <c>METHOD target HTTP/x.y</c> (RFC 9112 §3).</summary>
    RequestLine,
    /// <summary>The method is not GET (§4.2.1 item 1).</summary>
    Method,
    /// <summary>The HTTP version is lower than 1.1 (§4.2.1 item 1).</summary>
    HttpVersion,
    /// <summary>A header line is not <c>name: value</c> (RFC 9112 §5.1: 400).</summary>
    MalformedHeader,
    /// <summary>No Host header, or more than one (§4.2.1 item 2; RFC 9112 §3.2: 400).</summary>
    Host,
    /// <summary>No Upgrade header naming websocket (§4.2.1 item 3).</summary>
    Upgrade,
    /// <summary>No Connection header containing the Upgrade token (§4.2.1 item 4).</summary>
    Connection,
    /// <summary>No Sec-WebSocket-Key, or more than one (§4.2.1 item 5, §11.3.1).</summary>
    KeyCount,
    /// <summary>Sec-WebSocket-Key is not the base64 encoding of 16 octets (§4.2.1 item 5).</summary>
    KeyMalformed,
    /// <summary>Sec-WebSocket-Version appears more than once or holds a list (§11.3.5: a single value, at most once).</summary>
    VersionRepeated,
    /// <summary>No Sec-WebSocket-Version (§4.2.1 item 6).</summary>
    VersionMissing,
    /// <summary>Sec-WebSocket-Version is not 13 (§4.2.1 item 6, §4.2.2, §4.4).</summary>
    VersionUnsupported,
}

/// <summary>
/// Why a server refuses an upgrade request, and the HTTP answer that says so: status, reason phrase, one sentence naming
/// the problem (the response body), and extra header lines (e.g. <c>Sec-WebSocket-Version: 13</c> with a 426).
/// </summary>
public sealed record HandshakeRefusal(RequestRule Rule, int Status, string ReasonPhrase, string Problem, IReadOnlyList<string> HeaderLines)
{
    /// <summary>A 400 Bad Request naming the problem (§4.2.1: "an appropriate HTTP error code (such as 400 Bad Request)").</summary>
    public static HandshakeRefusal BadRequest(RequestRule rule, string problem) => new(rule, 400, "Bad Request", problem, []);

    /// <summary>
    /// A 426 Upgrade Required listing the versions the server speaks (§4.2.2 step 4 "such as 426 Upgrade Required" with a
    /// Sec-WebSocket-Version header; §4.4).
    /// </summary>
    public static HandshakeRefusal UpgradeRequired(RequestRule rule, string problem) =>
        new(rule, 426, "Upgrade Required", problem, [$"Sec-WebSocket-Version: {ServerHandshake.SupportedVersion}"]);

    /// <summary>The complete HTTP response refusing the upgrade.</summary>
    public string Render(IEnumerable<string>? extraHeaderLines = null) =>
        ServerHandshake.BuildErrorResponse(Status, ReasonPhrase, Problem, [.. HeaderLines, .. extraHeaderLines ?? []]);
}

/// <summary>The server side of the opening handshake (RFC 6455 §4.2): checking a client's request and answering it.</summary>
public static class ServerHandshake
{
    /// <summary>Largest request head a server built on the engine buffers.</summary>
    public const int MaxRequestHeadLength = 16 * 1024;

    /// <summary>The only protocol version RFC 6455 defines (§4.2.1 item 6).</summary>
    public const string SupportedVersion = "13";

    /// <summary>
    /// Checks a client's upgrade request against RFC 6455 §4.2.1. Returns null when valid, or one sentence naming the
    /// first problem (the server then answers with an HTTP error instead of 101).
    /// </summary>
    public static string? Validate(HttpHead request) => Check(request)?.Problem;

    /// <summary>
    /// Checks a client's upgrade request against RFC 6455 §4.2.1 and says how to refuse it: null when the request is a
    /// valid upgrade, otherwise the first problem with its answer — 400 for a request that does not match §4.2.1 (header
    /// names and the Upgrade/Connection values compared case-insensitively, any header order, unknown headers ignored), 426
    /// with <c>Sec-WebSocket-Version: 13</c> for a missing or unsupported version (§4.2.2, §4.4). A version header given
    /// twice or as a list is malformed rather than unsupported (§11.3.5: it appears once, with one value): 400.
    /// Rules in <paramref name="overlook"/> are not checked (a test server told to break them).
    /// </summary>
    public static HandshakeRefusal? Check(HttpHead request, IReadOnlyCollection<RequestRule>? overlook = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Problems(request).FirstOrDefault(p => overlook?.Contains(p.Rule) != true);
    }

    /// <summary>
    /// Every problem of the request, in the order a server meets them, lazily: a client-side case judges the rules it is
    /// about and overlooks the others.
    /// </summary>
    public static IEnumerable<HandshakeRefusal> Problems(HttpHead request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var line = RequestLine.TryParse(request.StartLine);
        if (line is null || !line.Version.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            yield return HandshakeRefusal.BadRequest(RequestRule.RequestLine, $"malformed request line '{Shorten(request.StartLine)}'");
        }
        else
        {
            // Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.
            if (line.Method != "GET") yield return HandshakeRefusal.BadRequest(RequestRule.Method, $"method {Shorten(line.Method)} is not GET (RFC 6455 §4.2.1 item 1)");
            if (!IsHttp11OrLater(line.Version))
                yield return HandshakeRefusal.BadRequest(RequestRule.HttpVersion, $"version {Shorten(line.Version)} is not HTTP/1.1 or later (RFC 6455 §4.2.1 item 1)");
        }
        if (request.MalformedLines.Count > 0)
            yield return HandshakeRefusal.BadRequest(RequestRule.MalformedHeader, $"malformed header line '{Shorten(request.MalformedLines[0])}' (RFC 9112 §5.1)");
        if (request.Values("Host").Count != 1)
            yield return HandshakeRefusal.BadRequest(RequestRule.Host, "the request must carry exactly one Host header (RFC 6455 §4.2.1 item 2)");
        if (!request.Tokens("Upgrade").Any(t => t.Equals("websocket", StringComparison.OrdinalIgnoreCase)))
            yield return HandshakeRefusal.BadRequest(RequestRule.Upgrade, "no 'Upgrade: websocket' header (RFC 6455 §4.2.1 item 3)");
        if (!request.Tokens("Connection").Any(t => t.Equals("upgrade", StringComparison.OrdinalIgnoreCase)))
            yield return HandshakeRefusal.BadRequest(RequestRule.Connection, "the Connection header does not contain 'Upgrade' (RFC 6455 §4.2.1 item 4)");
        var keys = request.Values("Sec-WebSocket-Key");
        if (keys.Count != 1)
            yield return HandshakeRefusal.BadRequest(RequestRule.KeyCount, $"the request carries {keys.Count} Sec-WebSocket-Key headers; exactly one is required (RFC 6455 §4.2.1 item 5, §11.3.1)");
        else if (!IsValidKey(keys[0]))
            yield return HandshakeRefusal.BadRequest(RequestRule.KeyMalformed, $"Sec-WebSocket-Key '{Shorten(keys[0])}' is not the base64 encoding of 16 octets (RFC 6455 §4.2.1 item 5)");
        if (CheckVersion(request) is { } version) yield return version;
    }

    /// <summary>
    /// The version check (§4.2.1 item 6). A missing version gets 426 + <c>Sec-WebSocket-Version: 13</c> as an unsupported
    /// one does: it is still "an appropriate HTTP error code" for a request not matching §4.2.1, and a client that sends
    /// no version is an old draft client (hixie-76 had no such header), which is exactly whom §4.4's version advertisement
    /// is for.
    /// </summary>
    private static HandshakeRefusal? CheckVersion(HttpHead request)
    {
        var versions = request.Values("Sec-WebSocket-Version");
        if (versions.Count == 0)
            return HandshakeRefusal.UpgradeRequired(RequestRule.VersionMissing, "the request carries no Sec-WebSocket-Version; this server speaks version 13 (RFC 6455 §4.2.1 item 6, §4.4)");
        if (versions.Count > 1)
            return HandshakeRefusal.BadRequest(RequestRule.VersionRepeated, "Sec-WebSocket-Version appears more than once (RFC 6455 §11.3.5)");
        if (versions[0].Contains(',', StringComparison.Ordinal))
            return HandshakeRefusal.BadRequest(RequestRule.VersionRepeated, $"Sec-WebSocket-Version '{Shorten(versions[0])}' is not a single value (RFC 6455 §4.2.1 item 6, §11.3.5)");
        if (versions[0] != SupportedVersion)
            return HandshakeRefusal.UpgradeRequired(RequestRule.VersionUnsupported, $"Sec-WebSocket-Version '{Shorten(versions[0])}' is not supported; this server speaks version 13 (RFC 6455 §4.2.2, §4.4)");
        return null;
    }

    /// <summary>
    /// True when the key, leading and trailing whitespace aside, is 24 base64 characters decoding to exactly 16 octets
    /// (RFC 6455 §4.2.1 item 5). Whitespace inside the key is not base64 (RFC 4648 §3.3), though .NET's decoder skips it.
    /// </summary>
    public static bool IsValidKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var trimmed = key.Trim(' ', '\t');
        if (trimmed.Length != 24 || trimmed.Any(char.IsWhiteSpace)) return false;
        Span<byte> decoded = stackalloc byte[24];
        return Convert.TryFromBase64String(trimmed, decoded, out var written) && written == 16;
    }

    /// <summary>The subprotocols a request offers, in the client's order of preference (§4.1 item 10; repeats are one list).</summary>
    public static IReadOnlyList<string> OfferedProtocols(HttpHead request) => request.Tokens("Sec-WebSocket-Protocol");

    /// <summary>The extension offers a request carries, one element each (§9.1; repeated headers are concatenated).</summary>
    public static IReadOnlyList<string> OfferedExtensions(HttpHead request) => request.Tokens("Sec-WebSocket-Extensions");

    /// <summary>The 101 response for a valid request (RFC 6455 §4.2.2), with optional extra header lines.</summary>
    public static string BuildAcceptResponse(string key, string? protocol = null, string? extensions = null, IEnumerable<string>? extraHeaderLines = null)
    {
        var builder = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
        builder.Append("Sec-WebSocket-Accept: ").Append(WebSocketAccept.Compute(key.Trim())).Append("\r\n");
        if (protocol is not null) builder.Append("Sec-WebSocket-Protocol: ").Append(protocol).Append("\r\n");
        if (extensions is not null) builder.Append("Sec-WebSocket-Extensions: ").Append(extensions).Append("\r\n");
        foreach (var line in extraHeaderLines ?? []) builder.Append(line).Append("\r\n");
        return builder.Append("\r\n").ToString();
    }

    /// <summary>An error response that refuses the upgrade (RFC 6455 §4.2.1: "an appropriate HTTP error code").</summary>
    public static string BuildErrorResponse(int status, string reason, string body, IEnumerable<string>? extraHeaderLines = null)
    {
        var builder = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nConnection: close\r\n");
        foreach (var line in extraHeaderLines ?? []) builder.Append(line).Append("\r\n");
        var octets = Encoding.UTF8.GetByteCount(body);
        return builder.Append("Content-Length: ").Append(octets).Append("\r\n\r\n").Append(body).ToString();
    }

    /// <summary>HTTP/1.1 or a later 1.x (§4.1: "HTTP/1.1 or higher"); HTTP/1.0 and 0.9 lack Host and Upgrade.</summary>
    private static bool IsHttp11OrLater(string version)
    {
        if (version.Length != 8 || !version.StartsWith("HTTP/", StringComparison.Ordinal) || version[6] != '.') return false;
        if (!char.IsAsciiDigit(version[5]) || !char.IsAsciiDigit(version[7])) return false;
        return version[5] > '1' || (version[5] == '1' && version[7] >= '1');
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
