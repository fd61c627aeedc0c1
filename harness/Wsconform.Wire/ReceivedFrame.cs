using System.Text;

namespace Wsconform.Wire;

/// <summary>
/// One complete frame as received: its header as sent, its unmasked payload, every rule it broke, and — for
/// close frames (opcode 0x8, RFC 6455 §5.5.1) — the status code and reason it carries.
/// </summary>
public sealed class ReceivedFrame
{
    public ReceivedFrame(FrameHeader header, ReadOnlyMemory<byte> payload, IReadOnlyList<WireViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        Header = header;
        Payload = payload;
        Violations = violations;

        if (header.Opcode == (int)Opcode.Close && CloseBody.TryParse(payload.Span, out int code, out _))
        {
            CloseCode = code;
            CloseReasonOctets = payload[2..];
            CloseReason = RenderReason(CloseReasonOctets.Span);
        }
    }

    public FrameHeader Header { get; }

    /// <summary>The payload, already unmasked. Lent by the <see cref="FrameReader"/>: valid until its next <c>Feed</c>; copy to keep.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Rules this frame broke, in the order they were checked; empty for a conforming frame.</summary>
    public IReadOnlyList<WireViolation> Violations { get; }

    /// <summary>Close frames only: the status code, or null when the body is empty (or the invalid single octet).</summary>
    public int? CloseCode { get; }

    /// <summary>Close frames with a code: the reason as text, or "0x" + hex when it is not valid UTF-8.</summary>
    public string? CloseReason { get; }

    /// <summary>Close frames with a code: the reason octets as sent (lent, like <see cref="Payload"/>).</summary>
    public ReadOnlyMemory<byte> CloseReasonOctets { get; }

    public override string ToString()
    {
        var text = new StringBuilder()
            .Append($"opcode=0x{Header.Opcode:X} fin={(Header.Fin ? 1 : 0)} rsv={Header.Rsv} ")
            .Append($"mask={(Header.Masked ? 1 : 0)} len={Payload.Length}");
        if (CloseCode is { } code)
        {
            text.Append($" close={code} reason=\"{CloseReason}\"");
        }

        foreach (WireViolation violation in Violations)
        {
            text.Append($" [{violation}]");
        }

        return text.ToString();
    }

    private static string RenderReason(ReadOnlySpan<byte> octets) =>
        Utf8Validator.IsValidComplete(octets)
            ? Encoding.UTF8.GetString(octets)
            : "0x" + Convert.ToHexStringLower(octets);
}
