namespace Wsconform.Wire.Tests;

/// <summary>
/// Encoder tests: the RFC 6455 §5.7 examples, then every lie <see cref="FrameSpec"/> allows. Byte literals are
/// decoded field by field in their comments.
/// </summary>
public class FrameEncoderTests
{
    private const uint Rfc57Key = 0x37fa213d;

    private static byte[] Bytes(int count, byte value = 0xAB) => Enumerable.Repeat(value, count).ToArray();

    [Test]
    public void Encode_UnmaskedHello_MatchesRfc6455Section5_7()
    {
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "Hello"u8.ToArray()), masked: false, maskKey: 0);

        // FIN=1, opcode=Text(0x1) | MASK=0, len=5 | "Hello"
        wire.Should().Equal(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    }

    [Test]
    public void Encode_MaskedHello_MatchesRfc6455Section5_7()
    {
        byte[] payload = "Hello"u8.ToArray();

        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, payload), masked: true, maskKey: Rfc57Key);

        // FIN=1, opcode=Text(0x1) | MASK=1, len=5 | key 37 fa 21 3d | "Hello" masked
        wire.Should().Equal(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
        payload.Should().Equal("Hello"u8.ToArray(), "the caller's payload is never masked in place");
    }

    [Test]
    public void Encode_FragmentedHello_MatchesRfc6455Section5_7()
    {
        byte[] first = FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "Hel"u8.ToArray(), fin: false), false, 0);
        byte[] second = FrameEncoder.Encode(FrameSpec.Of(Opcode.Continuation, "lo"u8.ToArray()), false, 0);

        // FIN=0, opcode=Text(0x1) | MASK=0, len=3 | "Hel"
        first.Should().Equal(0x01, 0x03, 0x48, 0x65, 0x6c);
        // FIN=1, opcode=Continuation(0x0) | MASK=0, len=2 | "lo"
        second.Should().Equal(0x80, 0x02, 0x6c, 0x6f);
    }

    [Test]
    public void Encode_UnmaskedPing_MatchesRfc6455Section5_7()
    {
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Ping, "Hello"u8.ToArray()), false, 0);

        // FIN=1, opcode=Ping(0x9) | MASK=0, len=5 | "Hello"
        wire.Should().Equal(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    }

    [Test]
    public void Encode_MaskedPong_MatchesRfc6455Section5_7()
    {
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Pong, "Hello"u8.ToArray()), true, Rfc57Key);

        // FIN=1, opcode=Pong(0xA) | MASK=1, len=5 | key 37 fa 21 3d | "Hello" masked
        wire.Should().Equal(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
    }

    [Test]
    public void Encode_Binary256_Uses16BitLength()
    {
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Binary, Bytes(256)), false, 0);

        // FIN=1, opcode=Binary(0x2) | MASK=0, len=126 (16-bit follows) | 01 00 = 256
        wire.AsSpan(0, 4).ToArray().Should().Equal(0x82, 0x7E, 0x01, 0x00);
        wire.Length.Should().Be(4 + 256);
    }

    [Test]
    public void Encode_Binary64KiB_Uses64BitLength()
    {
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Binary, Bytes(65536)), false, 0);

        // FIN=1, opcode=Binary(0x2) | MASK=0, len=127 (64-bit follows) | 00 00 00 00 00 01 00 00 = 65536
        wire.AsSpan(0, 10).ToArray().Should().Equal(0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00);
        wire.Length.Should().Be(10 + 65536);
    }

    [TestCase(125, 2)]
    [TestCase(126, 4)]
    [TestCase(65535, 4)]
    [TestCase(65536, 10)]
    public void HeaderLength_MinimalUnmasked_PicksShortestTier(int length, int expected)
    {
        FrameEncoder.HeaderLength((ulong)length, LengthEncoding.Minimal, masked: false).Should().Be(expected);
        FrameEncoder.HeaderLength((ulong)length, LengthEncoding.Minimal, masked: true).Should().Be(expected + 4);
    }

    [TestCase(0x3)]
    [TestCase(0x7)]
    [TestCase(0xB)]
    [TestCase(0xF)]
    public void Encode_ReservedOpcode_WrittenVerbatim(int opcode)
    {
        byte[] wire = FrameEncoder.Encode(new FrameSpec { Opcode = opcode }, false, 0);

        // FIN=1, opcode=reserved | MASK=0, len=0
        wire.Should().Equal((byte)(0x80 | opcode), 0x00);
    }

    [TestCase(4, 0xC1)] // FIN=1, RSV1, opcode=Text(0x1)
    [TestCase(2, 0xA1)] // FIN=1, RSV2, opcode=Text(0x1)
    [TestCase(1, 0x91)] // FIN=1, RSV3, opcode=Text(0x1)
    [TestCase(7, 0xF1)] // FIN=1, RSV1+RSV2+RSV3, opcode=Text(0x1)
    public void Encode_RsvBits_GoToBits6To4(int rsv, int octet0)
    {
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "x"u8.ToArray(), rsv: rsv), false, 0);

        wire.Should().Equal((byte)octet0, 0x01, (byte)'x');
    }

    [Test]
    public void Encode_ControlFrameWithFinOff_WritesFin0()
    {
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Ping, "p"u8.ToArray(), fin: false), false, 0);

        // FIN=0, opcode=Ping(0x9) | MASK=0, len=1 | "p"
        wire.Should().Equal(0x09, 0x01, (byte)'p');
    }

    [Test]
    public void Encode_ForcedMaskWithZeroKey_WritesMaskBitAndKey()
    {
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "ab"u8.ToArray()), masked: true, maskKey: 0);

        // FIN=1, opcode=Text(0x1) | MASK=1, len=2 | key 00 00 00 00 | "ab" (XOR 0 leaves it unchanged)
        wire.Should().Equal(0x81, 0x82, 0x00, 0x00, 0x00, 0x00, (byte)'a', (byte)'b');
    }

    [Test]
    public void Encode_ForcedUnmasked_OmitsMaskBitAndKey()
    {
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "ab"u8.ToArray()), masked: false, maskKey: 0x11223344);

        // FIN=1, opcode=Text(0x1) | MASK=0, len=2 | "ab"
        wire.Should().Equal(0x81, 0x02, (byte)'a', (byte)'b');
    }

    [Test]
    public void Encode_DeclaredLengthLargerThanPayload_WritesDeclaredAndActualPayload()
    {
        var spec = FrameSpec.Of(Opcode.Binary, "abc"u8.ToArray()) with { DeclaredLength = 10 };

        byte[] wire = FrameEncoder.Encode(spec, false, 0);

        // FIN=1, opcode=Binary(0x2) | MASK=0, len=10 (a lie) | only "abc" follows
        wire.Should().Equal(0x82, 0x0A, (byte)'a', (byte)'b', (byte)'c');
        FrameEncoder.EncodedLength(spec, false).Should().Be(5);
    }

    [Test]
    public void Encode_DeclaredLengthSmallerThanPayload_WritesDeclaredAndWholePayload()
    {
        var spec = FrameSpec.Of(Opcode.Binary, Bytes(200)) with { DeclaredLength = 1 };

        byte[] wire = FrameEncoder.Encode(spec, false, 0);

        // FIN=1, opcode=Binary(0x2) | MASK=0, len=1 (a lie) | all 200 octets follow
        wire.AsSpan(0, 2).ToArray().Should().Equal(0x82, 0x01);
        wire.Length.Should().Be(2 + 200);
    }

    [Test]
    public void Encode_Extended16For100Octets_WritesNonMinimal16BitLength()
    {
        var spec = FrameSpec.Of(Opcode.Binary, Bytes(100)) with { LengthEncoding = LengthEncoding.Extended16 };

        byte[] wire = FrameEncoder.Encode(spec, false, 0);

        // FIN=1, opcode=Binary(0x2) | MASK=0, len=126 (16-bit follows) | 00 64 = 100
        wire.AsSpan(0, 4).ToArray().Should().Equal(0x82, 0x7E, 0x00, 0x64);
        wire.Length.Should().Be(4 + 100);
    }

    [Test]
    public void Encode_Extended64For200Octets_WritesNonMinimal64BitLength()
    {
        var spec = FrameSpec.Of(Opcode.Binary, Bytes(200)) with { LengthEncoding = LengthEncoding.Extended64 };

        byte[] wire = FrameEncoder.Encode(spec, true, 0x01020304);

        // FIN=1, opcode=Binary(0x2) | MASK=1, len=127 (64-bit follows) | 00 00 00 00 00 00 00 c8 = 200 | key 01 02 03 04
        wire.AsSpan(0, 14).ToArray().Should().Equal(
            0x82, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC8, 0x01, 0x02, 0x03, 0x04);
        wire.Length.Should().Be(14 + 200);
    }

    [Test]
    public void Encode_Extended64WithTopBitSet_WritesTheLie()
    {
        var spec = FrameSpec.Of(Opcode.Binary, ReadOnlyMemory<byte>.Empty) with
        {
            DeclaredLength = 0x8000_0000_0000_0000,
            LengthEncoding = LengthEncoding.Extended64,
        };

        byte[] wire = FrameEncoder.Encode(spec, false, 0);

        // FIN=1, opcode=Binary(0x2) | MASK=0, len=127 | 80 00 00 00 00 00 00 00 (most significant bit set)
        wire.Should().Equal(0x82, 0x7F, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
    }

    [Test]
    public void Encode_MinimalWithHugeDeclaredLength_Uses64BitForm()
    {
        var spec = FrameSpec.Of(Opcode.Binary, ReadOnlyMemory<byte>.Empty) with { DeclaredLength = 1UL << 62 };

        byte[] wire = FrameEncoder.Encode(spec, false, 0);

        // FIN=1, opcode=Binary(0x2) | MASK=0, len=127 | 40 00 00 00 00 00 00 00 = 2^62
        wire.Should().Equal(0x82, 0x7F, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
    }

    [Test]
    public void HeaderLength_Extended16AboveLimit_Throws()
    {
        Action act = () => FrameEncoder.HeaderLength(65536, LengthEncoding.Extended16, false);

        act.Should().Throw<ArgumentException>();
    }

    [TestCase(-1, 0)]
    [TestCase(16, 0)]
    [TestCase(1, -1)]
    [TestCase(1, 8)]
    public void WriteHeader_OpcodeOrRsvOutOfRange_Throws(int opcode, int rsv)
    {
        Action act = () => FrameEncoder.WriteHeader(new byte[14], opcode, true, rsv, 0, LengthEncoding.Minimal, false, 0);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void Encode_DestinationTooSmall_Throws()
    {
        Action act = () => FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "Hello"u8.ToArray()), false, 0, new byte[6]);

        act.Should().Throw<ArgumentException>();
    }

    [Test]
    public void Encode_IntoLargerSpan_ReturnsOctetsWritten()
    {
        var destination = new byte[32];

        int written = FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "Hello"u8.ToArray()), true, Rfc57Key, destination);

        written.Should().Be(11);
        destination.AsSpan(11).ToArray().Should().AllBeEquivalentTo((byte)0);
    }
}
