using Wsconform.Engine.Running;

namespace Wsconform.Engine.Handshake;

/// <summary>The client side of the opening handshake (RFC 6455 §4.1): the request, and the checks on the response.</summary>
public static class ClientHandshake
{
    /// <summary>Largest response head accepted; a peer sending more is failed instead of buffered (hostile peers).</summary>
    public const int MaxResponseHeadLength = 16 * 1024;

    /// <summary>
    /// The standard upgrade request for <paramref name="url"/>, in parts: request target = path + query (§3), Host with the
    /// port when it is not the scheme's default, the key, version 13, and the options' Origin, subprotocols, extensions
    /// and headers. Handshake cases reshape these parts; everything else renders them as they are.
    /// </summary>
    public static Scripting.HandshakeRequest StandardRequest(Uri url, TargetOptions options, string key, IReadOnlyList<string>? extensionOffers = null)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", HostHeader(url)),
            new("User-Agent", $"{ToolInfo.Name}/{ToolInfo.Version}"),
            new("Upgrade", "websocket"),
            new("Connection", "Upgrade"),
            new("Sec-WebSocket-Key", key),
            new("Sec-WebSocket-Version", "13"),
        };
        if (options.Origin is { } origin) headers.Add(new("Origin", origin));
        if (options.Protocols.Count > 0) headers.Add(new("Sec-WebSocket-Protocol", string.Join(", ", options.Protocols)));
        if (extensionOffers is { Count: > 0 }) headers.Add(new("Sec-WebSocket-Extensions", string.Join(", ", extensionOffers)));
        headers.AddRange(options.Headers);
        var target = string.IsNullOrEmpty(url.PathAndQuery) ? "/" : url.PathAndQuery;
        return new Scripting.HandshakeRequest("GET", target, "HTTP/1.1", headers) { Key = key };
    }

    /// <summary>The standard request as text.</summary>
    public static string BuildRequest(Uri url, TargetOptions options, string key, IReadOnlyList<string>? extensionOffers = null) =>
        StandardRequest(url, options, key, extensionOffers).Render();

    /// <summary>Host header value: the host, plus the port unless it is the scheme's default (RFC 6455 §4.1 item 4).</summary>
    public static string HostHeader(Uri url)
    {
        var host = url.HostNameType == UriHostNameType.IPv6 ? $"[{url.DnsSafeHost}]" : url.Host;
        return url.IsDefaultPort ? host : $"{host}:{url.Port}";
    }

    /// <summary>
    /// Checks a response head against RFC 6455 §4.1 (the client MUST fail the connection otherwise). Returns null when the
    /// upgrade is valid, or one sentence naming the first problem.
    /// </summary>
    public static string? Validate(HttpHead response, string key, IReadOnlyList<string> offeredProtocols, IReadOnlyList<string> offeredExtensions)
    {
        var status = StatusLine.TryParse(response.StartLine);
        if (status is null) return $"the response does not start with an HTTP status line: '{Shorten(response.StartLine)}'";
        if (status.Code != 101) return $"the server answered HTTP {status.Code} {status.Reason} instead of 101 Switching Protocols";
        if (!response.Tokens("Upgrade").Any(t => t.Equals("websocket", StringComparison.OrdinalIgnoreCase)))
            return "the 101 response has no 'Upgrade: websocket' header (RFC 6455 §4.1)";
        if (!response.Tokens("Connection").Any(t => t.Equals("upgrade", StringComparison.OrdinalIgnoreCase)))
            return "the 101 response's Connection header does not contain 'Upgrade' (RFC 6455 §4.1)";
        var accepts = response.Values("Sec-WebSocket-Accept");
        if (accepts.Count == 0) return "the 101 response has no Sec-WebSocket-Accept header (RFC 6455 §4.1)";
        if (accepts.Count > 1) return "the 101 response repeats Sec-WebSocket-Accept (RFC 6455 §11.3.3)";
        var expected = WebSocketAccept.Compute(key);
        if (accepts[0].Trim() != expected) return $"Sec-WebSocket-Accept is '{Shorten(accepts[0])}', expected '{expected}' (RFC 6455 §4.1)";
        var protocols = response.Values("Sec-WebSocket-Protocol");
        if (protocols.Count > 1) return "the 101 response repeats Sec-WebSocket-Protocol (RFC 6455 §11.3.4)";
        if (protocols.Count == 1 && !offeredProtocols.Contains(protocols[0].Trim(), StringComparer.Ordinal))
            return $"the server selected subprotocol '{Shorten(protocols[0])}', which the client did not offer (RFC 6455 §4.1)";
        foreach (var extension in response.Tokens("Sec-WebSocket-Extensions"))
        {
            var name = extension.Split(';')[0].Trim();
            if (!offeredExtensions.Any(o => o.Split(';')[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)))
                return $"the server accepted extension '{Shorten(name)}', which the client did not offer (RFC 6455 §4.1)";
        }
        return null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
