using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Short constructors for the frames the catalogue sends, FIN and RSV explicit where a case bends them.
/// Reserved opcodes go through <see cref="Raw"/>, since <see cref="Opcode"/> has no members for them.
/// </summary>
public static class Frames
{
    public static FrameSpec Text(string text, bool fin = true, int rsv = 0) => FrameSpec.Of(Opcode.Text, Payloads.Utf8(text), fin, rsv);
    public static FrameSpec Text(ReadOnlyMemory<byte> octets, bool fin = true) => FrameSpec.Of(Opcode.Text, octets, fin);
    public static FrameSpec Binary(ReadOnlyMemory<byte> octets, int rsv = 0) => FrameSpec.Of(Opcode.Binary, octets, rsv: rsv);
    public static FrameSpec Continuation(string text, bool fin) => FrameSpec.Of(Opcode.Continuation, Payloads.Utf8(text), fin);
    public static FrameSpec Ping(ReadOnlyMemory<byte> octets = default, bool fin = true) => FrameSpec.Of(Opcode.Ping, octets, fin);
    public static FrameSpec Ping(string text, bool fin = true) => Ping(Payloads.Utf8(text), fin);
    public static FrameSpec Pong(ReadOnlyMemory<byte> octets = default, bool fin = true) => FrameSpec.Of(Opcode.Pong, octets, fin);
    public static FrameSpec Pong(string text, bool fin = true) => Pong(Payloads.Utf8(text), fin);

    /// <summary>
    /// A close frame sent as a plain frame: it does not start the closing handshake (3.7's RSV-laden close,
    /// 7.1.2's second close). Use <c>SendClose</c> for the harness's own closing handshake.
    /// </summary>
    public static FrameSpec RawClose(int rsv = 0) => FrameSpec.Of(Opcode.Close, ReadOnlyMemory<byte>.Empty, rsv: rsv);

    /// <summary>A frame with any raw 4-bit <paramref name="opcode"/>, including the reserved 3–7 and 11–15.</summary>
    public static FrameSpec Raw(int opcode, ReadOnlyMemory<byte> payload) => new() { Opcode = opcode, Payload = payload };
}
