namespace Wsconform.Wire;

/// <summary>
/// A frame header exactly as the peer sent it (RFC 6455 §5.2), kept apart from any judgement about it so that
/// reports can show what was on the wire and the rules can be applied separately.
/// </summary>
/// <param name="Opcode">Raw 4-bit opcode, 0–15 (reserved values included).</param>
/// <param name="Fin">FIN bit.</param>
/// <param name="Rsv">RSV bits as a 3-bit number: 4 = RSV1, 2 = RSV2, 1 = RSV3.</param>
/// <param name="Masked">MASK bit.</param>
/// <param name="MaskKey">Masking key in network order (0 when not masked).</param>
/// <param name="PayloadLength">Length the header claims.</param>
/// <param name="HeaderLength">Header octets including extended length and masking key (2–14).</param>
/// <param name="Encoding">How the peer encoded the length: <see cref="LengthEncoding.Minimal"/> if the shortest form
/// was used, otherwise the longer form it chose.</param>
public readonly record struct FrameHeader(
    int Opcode,
    bool Fin,
    int Rsv,
    bool Masked,
    uint MaskKey,
    ulong PayloadLength,
    int HeaderLength,
    LengthEncoding Encoding)
{
    /// <summary>True when the length used the shortest form, as RFC 6455 §5.2 requires of senders.</summary>
    public bool IsMinimalLength => Encoding == LengthEncoding.Minimal;

    /// <summary>True for opcodes 0x8–0xF (RFC 6455 §5.5).</summary>
    public bool IsControl => OpcodeRules.IsControl(Opcode);
}
