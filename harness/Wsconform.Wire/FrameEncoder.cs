using System.Buffers.Binary;

namespace Wsconform.Wire;

//  RFC 6455 §5.2 base framing protocol:
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-------+-+-------------+-------------------------------+
//  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
//  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
//  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
//  | |1|2|3|       |K|             |                               |
//  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
//  |     Extended payload length continued, if payload len == 127  |
//  + - - - - - - - - - - - - - - - +-------------------------------+
//  |                               |Masking-key, if MASK set to 1  |
//  +-------------------------------+-------------------------------+
//  | Masking-key (continued)       |          Payload Data         |
//  +-------------------------------- - - - - - - - - - - - - - - - +
//  :                     Payload Data continued ...                :
//  + - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - +
//  |                     Payload Data continued ...                |
//  +---------------------------------------------------------------+
//
//  FIN: 1 bit, final fragment of a message.        RSV1-3: 1 bit each, 0 unless an extension defines them.
//  opcode: 4 bits — 0x0 continuation, 0x1 text, 0x2 binary, 0x3-0x7 reserved (data),
//          0x8 close, 0x9 ping, 0xA pong, 0xB-0xF reserved (control).
//  MASK: 1 bit, a masking key follows.            Payload len: 7 bits; 0-125 is the length, 126 means a
//  16-bit unsigned length follows, 127 a 64-bit length whose most significant bit must be 0 (all in network
//  byte order). Masking-key: 0 or 4 octets. The minimal number of octets MUST be used to encode the length.

/// <summary>
/// Writes frames octet for octet as a <see cref="FrameSpec"/> describes them — including every lie a conformance
/// case needs (reserved opcodes, RSV bits, FIN off on control frames, masking regardless of role, a declared
/// length unrelated to the payload, non-minimal length encodings and a 64-bit length with the top bit set).
/// Nothing is validated against RFC 6455 beyond what fits in the header fields; judging is the reader's job.
/// </summary>
public static class FrameEncoder
{
    /// <summary>Header octets (including the masking key) needed for a declared length in a given encoding.</summary>
    /// <exception cref="ArgumentException"><paramref name="encoding"/> is Extended16 and the length exceeds 65535.</exception>
    public static int HeaderLength(ulong declaredLength, LengthEncoding encoding, bool masked) =>
        2 + ExtendedLengthOctets(declaredLength, encoding) + (masked ? FrameConstants.MaskLength : 0);

    /// <summary>
    /// Writes a frame header into <paramref name="destination"/>. <paramref name="opcode"/> (0–15) and
    /// <paramref name="rsv"/> (0–7; 4 = RSV1, 2 = RSV2, 1 = RSV3) are written verbatim. The masking key, when
    /// <paramref name="masked"/>, is written in network order (0x1a2b3c4d = octets 1a 2b 3c 4d).
    /// </summary>
    /// <returns>Octets written.</returns>
    public static int WriteHeader(
        Span<byte> destination,
        int opcode,
        bool fin,
        int rsv,
        ulong declaredLength,
        LengthEncoding encoding,
        bool masked,
        uint maskKey)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(opcode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opcode, 0xF);
        ArgumentOutOfRangeException.ThrowIfNegative(rsv);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rsv, 0x7);

        int extended = ExtendedLengthOctets(declaredLength, encoding);
        int headerLength = 2 + extended + (masked ? FrameConstants.MaskLength : 0);
        if (destination.Length < headerLength)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} octets; the header needs {headerLength}", nameof(destination));
        }

        // Octet 0: FIN (bit 7), RSV1-3 (bits 6..4), opcode (bits 3..0).
        destination[0] = (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode);

        // Octet 1: MASK (bit 7) and the 7-bit length or its 126/127 marker; then the extended length.
        int maskBit = masked ? 0x80 : 0;
        switch (extended)
        {
            case 0:
                destination[1] = (byte)(maskBit | (int)declaredLength);
                break;
            case 2:
                destination[1] = (byte)(maskBit | LengthTier.Marker16);
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)declaredLength);
                break;
            default:
                // Written as given: a length with the top bit set is a lie the harness must be able to tell.
                destination[1] = (byte)(maskBit | LengthTier.Marker64);
                BinaryPrimitives.WriteUInt64BigEndian(destination[2..], declaredLength);
                break;
        }

        if (masked)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(2 + extended)..], maskKey);
        }

        return headerLength;
    }

    /// <summary>Octets <see cref="Encode(FrameSpec, bool, uint, Span{byte})"/> writes: header (for the declared length) + the actual payload.</summary>
    public static int EncodedLength(FrameSpec frame, bool masked)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return HeaderLength(DeclaredLengthOf(frame), frame.LengthEncoding, masked) + frame.Payload.Length;
    }

    /// <summary>
    /// Writes the header, the masking key and the payload (masked into <paramref name="destination"/> when
    /// <paramref name="masked"/>; <see cref="FrameSpec.Payload"/> is never modified). Whether to mask and with which
    /// key is the caller's decision: the session applies role defaults and the <see cref="FrameSpec.Masked"/>/
    /// <see cref="FrameSpec.MaskKey"/> overrides.
    /// </summary>
    /// <returns>Octets written.</returns>
    public static int Encode(FrameSpec frame, bool masked, uint maskKey, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(frame);
        int total = EncodedLength(frame, masked);
        if (destination.Length < total)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} octets; the frame needs {total}", nameof(destination));
        }

        int header = WriteHeader(
            destination, frame.Opcode, frame.Fin, frame.Rsv, DeclaredLengthOf(frame), frame.LengthEncoding, masked, maskKey);
        ReadOnlySpan<byte> payload = frame.Payload.Span;
        if (masked)
        {
            PayloadMask.Apply(payload, destination.Slice(header, payload.Length), maskKey);
        }
        else
        {
            payload.CopyTo(destination[header..]);
        }

        return total;
    }

    /// <summary>Encodes a frame into a new array of exactly <see cref="EncodedLength"/> octets.</summary>
    public static byte[] Encode(FrameSpec frame, bool masked, uint maskKey)
    {
        var buffer = new byte[EncodedLength(frame, masked)];
        Encode(frame, masked, maskKey, buffer);
        return buffer;
    }

    private static ulong DeclaredLengthOf(FrameSpec frame) => frame.DeclaredLength ?? (ulong)frame.Payload.Length;

    private static int ExtendedLengthOctets(ulong declaredLength, LengthEncoding encoding) => encoding switch
    {
        LengthEncoding.Minimal => LengthTier.MinimalExtendedOctets(declaredLength),
        LengthEncoding.Extended16 when declaredLength > ushort.MaxValue => throw new ArgumentException(
            $"declared length {declaredLength} does not fit the 16-bit extended length (at most 65535)",
            nameof(declaredLength)),
        LengthEncoding.Extended16 => 2,
        LengthEncoding.Extended64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown length encoding"),
    };
}
