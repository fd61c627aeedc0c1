using System.Globalization;
using Wsconform.Engine.Scripting;

namespace Wsconform.Cases;

/// <summary>
/// The request shapers of category 0: each takes the standard upgrade request (with its fresh key) and bends one
/// thing. Named so a case row reads as what it does; none of them touches the key the accept is checked against.
/// </summary>
public static class RequestShapes
{
    public const string Upgrade = "Upgrade";
    public const string Connection = "Connection";
    public const string Host = "Host";
    public const string Origin = "Origin";
    public const string Key = "Sec-WebSocket-Key";
    public const string Version = "Sec-WebSocket-Version";
    public const string Protocol = "Sec-WebSocket-Protocol";
    public const string Extensions = "Sec-WebSocket-Extensions";

    /// <summary>The query the request-target case appends to the URL's path.</summary>
    public const string Query = "a=1&b=2";

    /// <summary>A 24-character key that is not base64 at all ('%' is outside the alphabet).</summary>
    public const string NotBase64Key = "%%%%%%%%%%%%%%%%%%%%%%==";

    /// <summary>base64 of the 15 octets 01..0f: well-formed base64, one octet short of a key.</summary>
    public static readonly string Key15Octets = Convert.ToBase64String([.. Enumerable.Range(1, 15).Select(i => (byte)i)]);

    /// <summary>base64 of the 17 octets 01..11: 24 characters like a real key, one octet too many.</summary>
    public static readonly string Key17Octets = Convert.ToBase64String([.. Enumerable.Range(1, 17).Select(i => (byte)i)]);

    /// <summary>A second well-formed key (base64 of the 16 octets 01..10), for the duplicated-key case.</summary>
    public static readonly string OtherValidKey = Convert.ToBase64String([.. Enumerable.Range(1, 16).Select(i => (byte)i)]);

    /// <summary>The unmodified standard request.</summary>
    public static HandshakeRequest Standard(HandshakeRequest request) => request;

    /// <summary>Every header name in lower case (HTTP field names are case-insensitive).</summary>
    public static HandshakeRequest LowerCaseNames(HandshakeRequest request) =>
        request with { Headers = [.. request.Headers.Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), h.Value))] };

    /// <summary>Every header name in upper case.</summary>
    public static HandshakeRequest UpperCaseNames(HandshakeRequest request) =>
        request with { Headers = [.. request.Headers.Select(h => KeyValuePair.Create(h.Key.ToUpperInvariant(), h.Value))] };

    /// <summary><c>Upgrade: WebSocket</c> (the value is case-insensitive).</summary>
    public static HandshakeRequest UpgradeMixedCase(HandshakeRequest request) => request.With(Upgrade, "WebSocket");

    /// <summary><c>Connection: keep-alive, Upgrade</c> (a token list that contains Upgrade).</summary>
    public static HandshakeRequest ConnectionKeepAliveUpgrade(HandshakeRequest request) => request.With(Connection, "keep-alive, Upgrade");

    /// <summary>The header lines in reverse order (Host last, the version first).</summary>
    public static HandshakeRequest ReverseHeaderOrder(HandshakeRequest request) =>
        request with { Headers = [.. request.Headers.Reverse()] };

    /// <summary>The key with three spaces either side: HTTP strips them, the accept is computed on the key itself.</summary>
    public static HandshakeRequest KeyWithWhitespace(HandshakeRequest request) => request.With(Key, $"   {request.Key}   ");

    /// <summary>The query <c>a=1&amp;b=2</c> appended to the request target (after '?', or '&amp;' when it already has a query).</summary>
    public static HandshakeRequest TargetWithQuery(HandshakeRequest request) =>
        request with { Target = request.Target + (request.Target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Query };

    /// <summary>Two header fields no WebSocket or HTTP specification defines, after the others.</summary>
    public static HandshakeRequest ExtraUnknownHeaders(HandshakeRequest request) =>
        request.Adding("X-Wsconform-Probe", "extra header").Adding("X-Unknown-Field", "1; a=b");

    /// <summary>
    /// An Origin header: the target's own Origin option when one is set, else the serialized origin of the Host
    /// (<c>http://</c> + Host), the origin least likely to be refused by an origin policy.
    /// </summary>
    public static HandshakeRequest WithOrigin(HandshakeRequest request) =>
        HeaderValue(request, Origin) is not null ? request : request.With(Origin, "http://" + (HeaderValue(request, Host) ?? "localhost"));

    /// <summary>No Sec-WebSocket-Key.</summary>
    public static HandshakeRequest MissingKey(HandshakeRequest request) => request.Without(Key);

    /// <summary>A key outside the base64 alphabet.</summary>
    public static HandshakeRequest KeyNotBase64(HandshakeRequest request) => request.With(Key, NotBase64Key);

    /// <summary>A key that decodes to 15 octets.</summary>
    public static HandshakeRequest KeyOf15Octets(HandshakeRequest request) => request.With(Key, Key15Octets);

    /// <summary>A key that decodes to 17 octets.</summary>
    public static HandshakeRequest KeyOf17Octets(HandshakeRequest request) => request.With(Key, Key17Octets);

    /// <summary>Two Sec-WebSocket-Key lines, both well-formed.</summary>
    public static HandshakeRequest KeyTwice(HandshakeRequest request) => request.Adding(Key, OtherValidKey);

    /// <summary>No Upgrade header.</summary>
    public static HandshakeRequest MissingUpgrade(HandshakeRequest request) => request.Without(Upgrade);

    /// <summary>No Connection header.</summary>
    public static HandshakeRequest MissingConnection(HandshakeRequest request) => request.Without(Connection);

    /// <summary><c>Connection: keep-alive</c>: the header is there, the Upgrade token is not.</summary>
    public static HandshakeRequest ConnectionWithoutUpgradeToken(HandshakeRequest request) => request.With(Connection, "keep-alive");

    /// <summary><c>Upgrade: h2c</c>: an upgrade, but not to WebSocket.</summary>
    public static HandshakeRequest UpgradeToH2c(HandshakeRequest request) => request.With(Upgrade, "h2c");

    /// <summary>Method POST instead of GET.</summary>
    public static HandshakeRequest MethodPost(HandshakeRequest request) => request with { Method = "POST" };

    /// <summary>HTTP/1.0 in the request line.</summary>
    public static HandshakeRequest Http10(HandshakeRequest request) => request with { Version = "HTTP/1.0" };

    /// <summary>No Host header.</summary>
    public static HandshakeRequest MissingHost(HandshakeRequest request) => request.Without(Host);

    /// <summary>No Sec-WebSocket-Version.</summary>
    public static HandshakeRequest MissingVersion(HandshakeRequest request) => request.Without(Version);

    /// <summary>Sec-WebSocket-Version set to <paramref name="value"/> (e.g. 8, "13, 8").</summary>
    public static Func<HandshakeRequest, HandshakeRequest> VersionValue(string value) => request => request.With(Version, value);

    /// <summary>Sec-WebSocket-Version set to the number <paramref name="version"/>.</summary>
    public static Func<HandshakeRequest, HandshakeRequest> VersionNumber(int version) =>
        VersionValue(version.ToString(CultureInfo.InvariantCulture));

    /// <summary>Two Sec-WebSocket-Version: 13 lines.</summary>
    public static HandshakeRequest VersionTwice(HandshakeRequest request) => request.Adding(Version, "13");

    /// <summary>No subprotocol offered (also drops one the target's options would add).</summary>
    public static HandshakeRequest NoSubprotocol(HandshakeRequest request) => request.Without(Protocol);

    /// <summary>Sec-WebSocket-Protocol with exactly <paramref name="offer"/>, replacing the target's own offer.</summary>
    public static Func<HandshakeRequest, HandshakeRequest> OfferingSubprotocols(string offer) => request => request.With(Protocol, offer);

    /// <summary>The first value of header <paramref name="name"/> in the request, or null.</summary>
    public static string? HeaderValue(HandshakeRequest request, string name) =>
        request.Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
