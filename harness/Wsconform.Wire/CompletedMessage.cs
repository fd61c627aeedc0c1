namespace Wsconform.Wire;

/// <summary>
/// A whole message reassembled from one or more data frames (RFC 6455 §5.4), ready to be echoed or compared.
/// </summary>
/// <param name="IsBinary">True for a binary message (opcode 0x2), false for text (0x1).</param>
/// <param name="Payload">The concatenated payloads of all its frames; empty when the assembler does not retain payloads.</param>
/// <param name="FrameCount">How many frames carried it, so reports can show how the peer fragmented it.</param>
/// <param name="Length">The message length in octets (also known when the payload was not retained).</param>
public sealed record CompletedMessage(bool IsBinary, ReadOnlyMemory<byte> Payload, int FrameCount, long Length)
{
    /// <summary>Octets on the wire when the message was compressed (RFC 7692), null when it was not.</summary>
    public long? CompressedLength { get; init; }
}
