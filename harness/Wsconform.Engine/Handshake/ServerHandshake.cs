using System.Text;

namespace Wsconform.Engine.Handshake;

/// <summary>The server side of the opening handshake (RFC 6455 §4.2): checking a client's request and answering it.</summary>
public static class ServerHandshake
{
    /// <summary>Largest request head a server built on the engine buffers.</summary>
    public const int MaxRequestHeadLength = 16 * 1024;

    /// <summary>
    /// Checks a client's upgrade request against RFC 6455 §4.2.1. Returns null when valid, or one sentence naming the
    /// first problem (the server then answers with an HTTP error instead of 101).
    /// </summary>
    public static string? Validate(HttpHead request)
    {
        var line = RequestLine.TryParse(request.StartLine);
        if (line is null) return $"malformed request line '{request.StartLine}'";
        if (line.Method != "GET") return $"method {line.Method} is not GET (RFC 6455 §4.2.1 item 1)";
        if (line.Version != "HTTP/1.1") return $"version {line.Version} is not HTTP/1.1 (RFC 6455 §4.2.1 item 1)";
        if (request.Values("Host").Count != 1) return "the request must carry exactly one Host header (RFC 6455 §4.2.1 item 2)";
        if (!request.Tokens("Upgrade").Any(t => t.Equals("websocket", StringComparison.OrdinalIgnoreCase)))
            return "no 'Upgrade: websocket' header (RFC 6455 §4.2.1 item 3)";
        if (!request.Tokens("Connection").Any(t => t.Equals("upgrade", StringComparison.OrdinalIgnoreCase)))
            return "the Connection header does not contain 'Upgrade' (RFC 6455 §4.2.1 item 4)";
        var keys = request.Values("Sec-WebSocket-Key");
        if (keys.Count != 1) return "the request must carry exactly one Sec-WebSocket-Key (RFC 6455 §4.2.1 item 5, §11.3.1)";
        if (!IsValidKey(keys[0])) return "Sec-WebSocket-Key is not the base64 encoding of 16 octets (RFC 6455 §4.2.1 item 5)";
        var versions = request.Values("Sec-WebSocket-Version");
        if (versions.Count != 1 || versions[0].Trim() != "13") return "Sec-WebSocket-Version must be exactly 13 (RFC 6455 §4.2.1 item 6)";
        return null;
    }

    /// <summary>True when the key decodes from base64 to exactly 16 octets (RFC 6455 §4.2.1 item 5).</summary>
    public static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return Convert.TryFromBase64String(key.Trim(), decoded, out var written) && written == 16;
    }

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
}
