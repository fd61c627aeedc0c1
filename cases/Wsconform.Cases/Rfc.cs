namespace Wsconform.Cases;

/// <summary>
/// RFC sections the catalogue cites, spelled once so reports group and filter on identical strings.
/// Section titles follow RFC 6455's table of contents.
/// </summary>
public static class Rfc
{
    /// <summary>§1.4 Closing Handshake (overview: data after a Close is discarded).</summary>
    public const string ClosingOverview = "RFC 6455 §1.4";
    /// <summary>§5.2 Base Framing Protocol: FIN, RSV1–3, opcodes, payload length encodings.</summary>
    public const string BaseFraming = "RFC 6455 §5.2";
    /// <summary>§5.4 Fragmentation: continuation frames, interleaved control frames.</summary>
    public const string Fragmentation = "RFC 6455 §5.4";
    /// <summary>§5.5 Control Frames: at most 125 octets of payload, never fragmented.</summary>
    public const string ControlFrames = "RFC 6455 §5.5";
    /// <summary>§5.5.1 Close: body layout (empty, or code plus UTF-8 reason) and the reply rule.</summary>
    public const string Close = "RFC 6455 §5.5.1";
    /// <summary>§5.5.2 Ping: answer with a Pong carrying the same payload.</summary>
    public const string Ping = "RFC 6455 §5.5.2";
    /// <summary>§5.5.3 Pong: identical payload; only the latest ping need be answered; unsolicited pongs are legal.</summary>
    public const string Pong = "RFC 6455 §5.5.3";
    /// <summary>§5.6 Data Frames: text (UTF-8) and binary messages.</summary>
    public const string DataFrames = "RFC 6455 §5.6";
    /// <summary>§5.8 Extensibility: RSV bits and reserved opcodes belong to negotiated extensions.</summary>
    public const string Extensibility = "RFC 6455 §5.8";
    /// <summary>§6.2 Receiving Data: how a receiver reassembles and delivers messages.</summary>
    public const string ReceivingData = "RFC 6455 §6.2";
    /// <summary>§7.1.1 Close the WebSocket Connection: who closes TCP and when.</summary>
    public const string CloseConnection = "RFC 6455 §7.1.1";
    /// <summary>§7.1.7 Fail the WebSocket Connection: optionally send a Close with a code, then drop TCP.</summary>
    public const string FailConnection = "RFC 6455 §7.1.7";
    /// <summary>§7.4.1 Defined Status Codes.</summary>
    public const string DefinedStatusCodes = "RFC 6455 §7.4.1";
    /// <summary>§7.4.2 Reserved Status Code Ranges.</summary>
    public const string ReservedStatusCodes = "RFC 6455 §7.4.2";
    /// <summary>§8.1 Handling Errors in UTF-8-Encoded Data (also applies to the close reason).</summary>
    public const string Utf8Errors = "RFC 6455 §8.1";
    /// <summary>§10.4 Implementation-Specific Limits: an implementation may limit frame and message sizes.</summary>
    public const string ImplementationLimits = "RFC 6455 §10.4";
}
