using System.Text;

namespace Wsconform.Engine.Handshake;

/// <summary>
/// The head of an HTTP/1.1 message (start line and header fields) as the peer sent it. Peer-controlled: kept raw
/// for the report, parsed leniently enough to judge a broken peer instead of throwing at it.
/// </summary>
public sealed class HttpHead
{
    private HttpHead(string raw, string startLine, IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlyList<string> malformedLines)
    {
        Raw = raw;
        StartLine = startLine;
        Headers = headers;
        MalformedLines = malformedLines;
    }

    /// <summary>The head exactly as received, decoded as Latin-1 so every octet survives.</summary>
    public string Raw { get; }
    public string StartLine { get; }
    /// <summary>Header fields in arrival order; names keep the peer's case, values are trimmed (RFC 9110 §5.5).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }
    /// <summary>Lines that are not <c>name: value</c> fields.</summary>
    public IReadOnlyList<string> MalformedLines { get; }

    /// <summary>All values of a header (names compared case-insensitively, RFC 9110 §5.1).</summary>
    public IReadOnlyList<string> Values(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();

    /// <summary>The single value of a header, or null when absent. Repeats are joined with ", " (RFC 9110 §5.3).</summary>
    public string? Value(string name)
    {
        var values = Values(name);
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    /// <summary>Comma-separated tokens of all values of a header, trimmed, empty ones dropped.</summary>
    public IReadOnlyList<string> Tokens(string name) =>
        Values(name).SelectMany(v => v.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).ToList();

    /// <summary>
    /// Finds the end of the head (CRLF CRLF) in <paramref name="buffer"/>. Returns the head length including the
    /// blank line, or -1 when more octets are needed. A bare-LF blank line (LF LF) is accepted too, so a sloppy
    /// peer is still judged rather than timed out.
    /// </summary>
    public static int FindEnd(ReadOnlySpan<byte> buffer)
    {
        var crlf = buffer.IndexOf("\r\n\r\n"u8);
        var lf = buffer.IndexOf("\n\n"u8);
        if (crlf < 0 && lf < 0) return -1;
        if (crlf >= 0 && (lf < 0 || crlf + 2 <= lf)) return crlf + 4;
        return lf + 2;
    }

    /// <summary>Parses a complete head (as located by <see cref="FindEnd"/>).</summary>
    public static HttpHead Parse(ReadOnlySpan<byte> head)
    {
        var raw = Encoding.Latin1.GetString(head);
        var lines = raw.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var startLine = lines.Count > 0 ? lines[0] : "";
        var headers = new List<KeyValuePair<string, string>>();
        var malformed = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Any(char.IsWhiteSpace)) malformed.Add(line);
            else headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }
        return new HttpHead(raw, startLine, headers, malformed);
    }
}

/// <summary>A parsed HTTP status line (RFC 9112 §4).</summary>
public sealed record StatusLine(string Version, int Code, string Reason)
{
    /// <summary>Parses <c>HTTP/1.1 101 Switching Protocols</c>; null when the line is not a status line.</summary>
    public static StatusLine? TryParse(string line)
    {
        var parts = line.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal)) return null;
        if (parts[1].Length != 3 || !int.TryParse(parts[1], out var code)) return null;
        return new StatusLine(parts[0], code, parts.Length > 2 ? parts[2] : "");
    }
}

/// <summary>A parsed HTTP request line (RFC 9112 §3).</summary>
public sealed record RequestLine(string Method, string Target, string Version)
{
    /// <summary>Parses <c>GET /path HTTP/1.1</c>; null when the line does not have three parts.</summary>
    public static RequestLine? TryParse(string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 3 && parts.All(p => p.Length > 0) ? new RequestLine(parts[0], parts[1], parts[2]) : null;
    }
}
