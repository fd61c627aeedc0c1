using System.Text;

namespace Wsconform.Cases;

/// <summary>
/// Payloads the catalogue sends, built once. The octets are exactly Autobahn's, so an echo compares byte for byte
/// with what Autobahn would have sent. Shared read-only memory: steps never write to a payload.
/// </summary>
public static class Payloads
{
    /// <summary>Autobahn's text filler octet <c>*</c> (0x2A), repeated for sized text payloads.</summary>
    public const byte TextFiller = 0x2A;
    /// <summary>Autobahn's binary filler octet 0xFE, repeated for sized binary payloads.</summary>
    public const byte BinaryFiller = 0xFE;

    /// <summary>"Hello, world!" (13 octets, with comma): the small text payload of categories 2–5.</summary>
    public const string HelloWorld = "Hello, world!";
    /// <summary>"Hello World!" (12 octets, no comma): the small text payload of category 7.</summary>
    public const string HelloWorldNoComma = "Hello World!";
    /// <summary>Payload of the reserved-opcode frames in 4.1.2 / 4.2.2 (23 octets).</summary>
    public const string ReservedOpcodePayload = "reserved opcode payload";
    /// <summary>Payload of the unsolicited pongs in 2.8 / 2.9 (24 octets).</summary>
    public const string UnsolicitedPongPayload = "unsolicited pong payload";
    /// <summary>Payload of a solicited ping in 2.9 and 5.6–5.8.</summary>
    public const string PingPayload = "ping payload";
    /// <summary>Payload of the stray continuation frames in 5.9–5.14 (24 octets).</summary>
    public const string NonContinuationPayload = "non-continuation payload";
    /// <summary>The pattern 7.1.6 repeats into its 256 KiB text message.</summary>
    public const string CloseRacePattern = "BAsd7&jh23";
    /// <summary>Length of 7.1.6's large text message: 256 KiB.</summary>
    public const int CloseRaceLength = 256 * 1024;

    /// <summary>Autobahn's text pattern for the large messages of 9.1 and 9.5: "BAsd7&amp;jh23" (10 octets), as in 7.1.6.</summary>
    public static readonly ReadOnlyMemory<byte> LargeTextPattern = Utf8(CloseRacePattern);

    /// <summary>Autobahn's binary pattern for the large messages of 9.2 and 9.6: <c>00 fe 23 fa f0</c> (5 octets).</summary>
    public static readonly ReadOnlyMemory<byte> LargeBinaryPattern = new byte[] { 0x00, 0xFE, 0x23, 0xFA, 0xF0 };

    /// <summary>The text filler <c>*</c> as a one-octet pattern, for payloads generated at send time (9.3, 9.4, 9.7).</summary>
    public static readonly ReadOnlyMemory<byte> TextFillerPattern = new byte[] { TextFiller };

    /// <summary>The binary filler 0xFE as a one-octet pattern, for payloads generated at send time (9.4.1, 9.8).</summary>
    public static readonly ReadOnlyMemory<byte> BinaryFillerPattern = new byte[] { BinaryFiller };

    /// <summary>The 8-octet binary sample <c>00 ff fe fd fc fb 00 ff</c> (2.3, 3.5).</summary>
    public static readonly ReadOnlyMemory<byte> BinarySample = new byte[] { 0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF };

    /// <summary>
    /// The 20-octet close reason of 7.5.1: "κόσμε" followed by <c>ed a0 80</c> (an encoded UTF-16 surrogate,
    /// forbidden in UTF-8) and "edited". Not valid UTF-8.
    /// </summary>
    public static readonly ReadOnlyMemory<byte> InvalidUtf8Reason = Convert.FromHexString("cebae1bdb9cf83cebcceb5eda080656469746564");

    /// <summary>7.1.6's text message: "BAsd7&amp;jh23" repeated and cut to 262144 octets.</summary>
    public static readonly ReadOnlyMemory<byte> CloseRaceText = Repeat(Utf8(CloseRacePattern), CloseRaceLength);

    /// <summary>UTF-8 octets of <paramref name="text"/>.</summary>
    public static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary><paramref name="length"/> text filler octets (<c>*</c>).</summary>
    public static ReadOnlyMemory<byte> TextOf(int length) => Repeat(TextFiller, length);

    /// <summary><paramref name="length"/> binary filler octets (0xFE).</summary>
    public static ReadOnlyMemory<byte> BinaryOf(int length) => Repeat(BinaryFiller, length);

    /// <summary>One octet repeated <paramref name="length"/> times.</summary>
    public static ReadOnlyMemory<byte> Repeat(byte octet, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var bytes = new byte[length];
        bytes.AsSpan().Fill(octet);
        return bytes;
    }

    /// <summary>
    /// <paramref name="pattern"/> repeated and truncated to exactly <paramref name="length"/> octets
    /// (Autobahn's <c>payload_len</c>).
    /// </summary>
    public static ReadOnlyMemory<byte> Repeat(ReadOnlyMemory<byte> pattern, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > 0 && pattern.IsEmpty) throw new ArgumentException("Cannot repeat an empty pattern to a non-zero length.", nameof(pattern));
        var bytes = new byte[length];
        for (var offset = 0; offset < length; offset += pattern.Length)
        {
            var count = Math.Min(pattern.Length, length - offset);
            pattern.Span[..count].CopyTo(bytes.AsSpan(offset));
        }
        return bytes;
    }

    /// <summary>A Close body written verbatim: the 2-octet big-endian <paramref name="code"/> followed by <paramref name="reason"/>.</summary>
    public static ReadOnlyMemory<byte> CloseBody(int code, ReadOnlyMemory<byte> reason)
    {
        var bytes = new byte[2 + reason.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes, checked((ushort)code));
        reason.Span.CopyTo(bytes.AsSpan(2));
        return bytes;
    }
}
