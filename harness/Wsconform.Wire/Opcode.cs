namespace Wsconform.Wire;

/// <summary>
/// Frame opcodes defined by RFC 6455 §5.2. Frames may carry any 4-bit value; reserved values (0x3–0x7,
/// 0xB–0xF) have no member and are handled as plain <see cref="int"/>s through <see cref="OpcodeRules"/>.
/// </summary>
public enum Opcode : byte
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

/// <summary>Classification of raw 4-bit opcode values (RFC 6455 §5.2, §5.5).</summary>
public static class OpcodeRules
{
    /// <summary>Control frames have the high bit of the opcode set (0x8–0xF).</summary>
    public static bool IsControl(int opcode) => (opcode & 0x8) != 0;

    /// <summary>0x3–0x7 are reserved for further non-control frames, 0xB–0xF for further control frames.</summary>
    public static bool IsReserved(int opcode) => opcode is >= 0x3 and <= 0x7 or >= 0xB and <= 0xF;
}
