namespace Wsconform.Wire;

/// <summary>How the payload length is written in a frame header (RFC 6455 §5.2).</summary>
public enum LengthEncoding
{
    /// <summary>The shortest form: 7-bit up to 125, 16-bit up to 65535, else 64-bit. What a conforming sender writes.</summary>
    Minimal,
    /// <summary>Always the 16-bit form (length byte 126), even for lengths up to 125: a non-minimal encoding.</summary>
    Extended16,
    /// <summary>Always the 64-bit form (length byte 127), even for short lengths: a non-minimal encoding.</summary>
    Extended64,
}

/// <summary>
/// A frame to send, able to break every rule a case needs: any opcode 0–15, any RSV bits, FIN on or off on any
/// frame, masking regardless of role, a declared length independent of the real payload, non-minimal length
/// encodings, and a 64-bit length with the top bit set.
/// </summary>
public sealed record FrameSpec
{
    /// <summary>Raw 4-bit opcode, 0–15 (reserved values allowed).</summary>
    public required int Opcode { get; init; }
    public bool Fin { get; init; } = true;
    /// <summary>RSV bits as a 3-bit number, Autobahn's numbering: 4 = RSV1, 2 = RSV2, 1 = RSV3.</summary>
    public int Rsv { get; init; }
    public ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary>Null: mask as the role requires (clients mask, servers do not). True/false: force it.</summary>
    public bool? Masked { get; init; }
    /// <summary>Masking key in network byte order (0x1a2b3c4d = octets 1a 2b 3c 4d); null: a fresh random key.</summary>
    public uint? MaskKey { get; init; }
    /// <summary>Length written in the header; null: the real payload length. Lets a case claim more or fewer octets than it sends.</summary>
    public ulong? DeclaredLength { get; init; }
    public LengthEncoding LengthEncoding { get; init; } = LengthEncoding.Minimal;

    public static FrameSpec Of(Opcode opcode, ReadOnlyMemory<byte> payload, bool fin = true, int rsv = 0) =>
        new() { Opcode = (int)opcode, Payload = payload, Fin = fin, Rsv = rsv };
}
