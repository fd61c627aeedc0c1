namespace Wsconform.Wire;

/// <summary>
/// A rule of RFC 6455 the peer broke on the wire. The codec records violations rather than throwing, so the
/// harness can report exactly what was wrong and judge how the peer's behaviour compares with a conforming one.
/// </summary>
/// <param name="Rule">Which rule, for code that reacts per rule.</param>
/// <param name="RfcSection">Where the rule is written, e.g. "RFC 6455 §5.5".</param>
/// <param name="Description">Plain English naming the actual values seen.</param>
/// <param name="CloseCode">The code a conforming endpoint fails the connection with: 1002 (protocol error),
/// 1007 (invalid payload data) or 1009 (message too big).</param>
public sealed record WireViolation(WireRule Rule, string RfcSection, string Description, int CloseCode)
{
    /// <summary>1002: the peer broke the framing or closing protocol (RFC 6455 §7.4.1).</summary>
    public const int ProtocolError = 1002;

    /// <summary>1007: data inconsistent with the message type, e.g. invalid UTF-8 in text (RFC 6455 §7.4.1).</summary>
    public const int InvalidPayloadData = 1007;

    /// <summary>1009: a message too big to process (RFC 6455 §7.4.1, §10.4).</summary>
    public const int MessageTooBig = 1009;

    public override string ToString() => $"{RfcSection} ({CloseCode}): {Description}";
}
