namespace Wsconform.Cases;

/// <summary>
/// RFC sections cited by the categories that go beyond Autobahn: the opening handshake (category 0) and frame
/// encoding (category 14). Spelled once, like <see cref="Rfc"/>, so reports group and filter on identical strings.
/// </summary>
public static class HandshakeRfc
{
    /// <summary>RFC 6455 §4.1 Client Requirements: what a client checks in the server's response.</summary>
    public const string ClientRequirements = "RFC 6455 §4.1";
    /// <summary>RFC 6455 §4.2.1 Reading the Client's Opening Handshake: what a server must find in the request, else an HTTP error.</summary>
    public const string ReadingClientHandshake = "RFC 6455 §4.2.1";
    /// <summary>RFC 6455 §4.2.2 Sending the Server's Opening Handshake: the 101 response, accept value, subprotocol, extensions.</summary>
    public const string ServerHandshake = "RFC 6455 §4.2.2";
    /// <summary>RFC 6455 §4.4 Supporting Multiple Versions of WebSocket Protocol.</summary>
    public const string MultipleVersions = "RFC 6455 §4.4";
    /// <summary>RFC 6455 §9.1 Negotiating Extensions.</summary>
    public const string NegotiatingExtensions = "RFC 6455 §9.1";
    /// <summary>RFC 6455 §10.2 Origin Considerations: checking Origin is a server policy.</summary>
    public const string OriginConsiderations = "RFC 6455 §10.2";
    /// <summary>RFC 6455 §11.3.1 Sec-WebSocket-Key: at most once in a request.</summary>
    public const string KeyHeader = "RFC 6455 §11.3.1";
    /// <summary>RFC 6455 §11.3.2 Sec-WebSocket-Extensions: at most once in a response.</summary>
    public const string ExtensionsHeader = "RFC 6455 §11.3.2";
    /// <summary>RFC 6455 §11.3.3 Sec-WebSocket-Accept: at most once in a response.</summary>
    public const string AcceptHeader = "RFC 6455 §11.3.3";
    /// <summary>RFC 6455 §11.3.4 Sec-WebSocket-Protocol: one value from the offer, at most once in a response.</summary>
    public const string ProtocolHeader = "RFC 6455 §11.3.4";
    /// <summary>RFC 6455 §11.3.5 Sec-WebSocket-Version: at most once in a request, may repeat in a response.</summary>
    public const string VersionHeader = "RFC 6455 §11.3.5";
    /// <summary>RFC 7692 §5 Extension Negotiation: a server declines an offer it cannot accept.</summary>
    public const string DeflateNegotiation = "RFC 7692 §5";
    /// <summary>RFC 7692 §7.1.2.1 server_max_window_bits: a decimal 8 to 15 without leading zeros.</summary>
    public const string DeflateServerWindowBits = "RFC 7692 §7.1.2.1";

    /// <summary>RFC 6455 §5.1 Overview (framing): a client masks every frame; a server fails the connection on an unmasked one.</summary>
    public const string FramingOverview = "RFC 6455 §5.1";
    /// <summary>RFC 6455 §5.3 Client-to-Server Masking: any 32-bit key, applied by XOR.</summary>
    public const string Masking = "RFC 6455 §5.3";
}
