namespace Wsconform.Wire.Tests;

/// <summary>
/// Reader tests. Server-side reading (<see cref="FrameReaderOptions.ExpectMasked"/> = true) expects masked frames;
/// client-side reading expects unmasked ones. Byte literals are decoded field by field in their comments.
/// </summary>
public class FrameReaderTests
{
    private static readonly FrameReaderOptions AsClient = new() { ExpectMasked = false };
    private static readonly FrameReaderOptions AsServer = new() { ExpectMasked = true };

    private static List<ReceivedFrame> Read(FrameReaderOptions options, params byte[] wire)
    {
        var frames = new List<ReceivedFrame>();
        new FrameReader(options).Feed(wire, frames);
        return frames;
    }

    /// <summary>Feeds and keeps copies of the new frames: payloads are lent only until the next Feed.</summary>
    private static void FeedKeepingCopies(FrameReader reader, ReadOnlySpan<byte> data, List<ReceivedFrame> kept)
    {
        var frames = new List<ReceivedFrame>();
        reader.Feed(data, frames);
        kept.AddRange(frames.Select(f => new ReceivedFrame(f.Header, f.Payload.ToArray(), f.Violations)));
    }

    private static ReceivedFrame ReadSingle(FrameReaderOptions options, params byte[] wire)
    {
        List<ReceivedFrame> frames = Read(options, wire);
        frames.Should().ContainSingle();
        return frames[0];
    }

    [Test]
    public void Feed_UnmaskedHello_DecodesRfc6455Section5_7()
    {
        // FIN=1, opcode=Text(0x1) | MASK=0, len=5 | "Hello"
        ReceivedFrame frame = ReadSingle(AsClient, 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);

        frame.Header.Should().Be(new FrameHeader(0x1, true, 0, false, 0, 5, 2, LengthEncoding.Minimal));
        frame.Payload.ToArray().Should().Equal("Hello"u8.ToArray());
        frame.Violations.Should().BeEmpty();
    }

    [Test]
    public void Feed_MaskedHello_UnmasksRfc6455Section5_7()
    {
        // FIN=1, opcode=Text(0x1) | MASK=1, len=5 | key 37 fa 21 3d | "Hello" masked
        ReceivedFrame frame = ReadSingle(AsServer, 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);

        frame.Header.Should().Be(new FrameHeader(0x1, true, 0, true, 0x37fa213d, 5, 6, LengthEncoding.Minimal));
        frame.Payload.ToArray().Should().Equal("Hello"u8.ToArray());
        frame.Violations.Should().BeEmpty();
    }

    [Test]
    public void Feed_FragmentedHello_YieldsTwoFramesInOrder()
    {
        List<ReceivedFrame> frames = Read(
            AsClient,
            0x01, 0x03, 0x48, 0x65, 0x6c, // FIN=0, opcode=Text(0x1) | MASK=0, len=3 | "Hel"
            0x80, 0x02, 0x6c, 0x6f);      // FIN=1, opcode=Continuation(0x0) | MASK=0, len=2 | "lo"

        frames.Should().HaveCount(2);
        frames[0].Header.Fin.Should().BeFalse();
        frames[0].Header.Opcode.Should().Be(0x1);
        frames[0].Payload.ToArray().Should().Equal("Hel"u8.ToArray());
        frames[1].Header.Fin.Should().BeTrue();
        frames[1].Header.Opcode.Should().Be(0x0);
        frames[1].Payload.ToArray().Should().Equal("lo"u8.ToArray());
    }

    [Test]
    public void Feed_UnmaskedPing_DecodesRfc6455Section5_7()
    {
        // FIN=1, opcode=Ping(0x9) | MASK=0, len=5 | "Hello"
        ReceivedFrame frame = ReadSingle(AsClient, 0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);

        frame.Header.Opcode.Should().Be((int)Opcode.Ping);
        frame.Payload.ToArray().Should().Equal("Hello"u8.ToArray());
        frame.Violations.Should().BeEmpty();
    }

    [Test]
    public void Feed_Binary256_Decodes16BitLength()
    {
        // FIN=1, opcode=Binary(0x2) | MASK=0, len=126 | 01 00 = 256 | 256 octets
        byte[] wire = [0x82, 0x7E, 0x01, 0x00, .. Enumerable.Range(0, 256).Select(i => (byte)i)];

        ReceivedFrame frame = ReadSingle(AsClient, wire);

        frame.Header.Should().Be(new FrameHeader(0x2, true, 0, false, 0, 256, 4, LengthEncoding.Minimal));
        frame.Payload.ToArray().Should().Equal(wire.AsSpan(4).ToArray());
        frame.Violations.Should().BeEmpty();
    }

    [Test]
    public void Feed_Binary64KiB_Decodes64BitLength()
    {
        // FIN=1, opcode=Binary(0x2) | MASK=0, len=127 | 00 00 00 00 00 01 00 00 = 65536 | 65536 octets
        byte[] wire = [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, .. new byte[65536]];

        ReceivedFrame frame = ReadSingle(AsClient, wire);

        frame.Header.Should().Be(new FrameHeader(0x2, true, 0, false, 0, 65536, 10, LengthEncoding.Minimal));
        frame.Payload.Length.Should().Be(65536);
        frame.Violations.Should().BeEmpty();
    }

    [Test]
    public void Feed_EncoderOutputMasked_RoundTrips()
    {
        var random = new Random(3);
        foreach (int length in new[] { 0, 1, 125, 126, 127, 65535, 65536, 200_000 })
        {
            var payload = new byte[length];
            random.NextBytes(payload);
            byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Binary, payload), true, 0xa1b2c3d4);

            ReceivedFrame frame = ReadSingle(AsServer, wire);

            frame.Payload.ToArray().Should().Equal(payload);
            frame.Violations.Should().BeEmpty($"length {length} is encoded minimally");
        }
    }

    [Test]
    public void Feed_OneOctetAtATime_EqualsAllAtOnce()
    {
        var random = new Random(1);
        byte[] big = new byte[70_000];
        random.NextBytes(big);
        byte[][] parts =
        [
            FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "Hel"u8.ToArray(), fin: false), true, 0x01020304),
            FrameEncoder.Encode(FrameSpec.Of(Opcode.Ping, "ping"u8.ToArray()), true, 0x0a0b0c0d),
            FrameEncoder.Encode(FrameSpec.Of(Opcode.Continuation, "lo"u8.ToArray()), true, 0xffeeddcc),
            FrameEncoder.Encode(FrameSpec.Of(Opcode.Binary, ReadOnlyMemory<byte>.Empty), true, 0x11111111),
            FrameEncoder.Encode(FrameSpec.Of(Opcode.Binary, big), true, 0x5a5a5a5a),
            FrameEncoder.Encode(FrameSpec.Of((Opcode)0x5, "r"u8.ToArray(), rsv: 3) with { LengthEncoding = LengthEncoding.Extended64 }, false, 0),
            FrameEncoder.Encode(FrameSpec.Of(Opcode.Close, CloseBody.Build(1000, "bye"u8)), true, 0x12345678),
        ];
        byte[] stream = parts.SelectMany(p => p).ToArray();

        List<ReceivedFrame> whole = Read(AsServer, stream);
        var reader = new FrameReader(AsServer);
        var trickled = new List<ReceivedFrame>();
        foreach (byte b in stream)
        {
            FeedKeepingCopies(reader, [b], trickled);
        }

        whole.Should().HaveCount(parts.Length);
        trickled.Should().HaveCount(parts.Length);
        reader.HasPartialFrame.Should().BeFalse();
        for (int i = 0; i < whole.Count; i++)
        {
            trickled[i].Header.Should().Be(whole[i].Header);
            trickled[i].Payload.ToArray().Should().Equal(whole[i].Payload.ToArray());
            trickled[i].Violations.Should().Equal(whole[i].Violations);
            trickled[i].CloseCode.Should().Be(whole[i].CloseCode);
            trickled[i].CloseReason.Should().Be(whole[i].CloseReason);
        }

        whole[4].Payload.ToArray().Should().Equal(big);
        whole[6].CloseCode.Should().Be(1000);
        whole[6].CloseReason.Should().Be("bye");
    }

    [Test]
    public void Feed_RandomChunks_EqualsAllAtOnce()
    {
        var random = new Random(99);
        byte[] payload = new byte[5000];
        random.NextBytes(payload);
        byte[] stream = [.. Enumerable.Range(0, 20).SelectMany(i =>
            FrameEncoder.Encode(FrameSpec.Of(Opcode.Binary, payload.AsMemory(0, i * 250)), true, (uint)i * 0x01010101))];
        List<ReceivedFrame> whole = Read(AsServer, stream);

        var reader = new FrameReader(AsServer);
        var chunked = new List<ReceivedFrame>();
        for (int offset = 0; offset < stream.Length;)
        {
            int chunk = Math.Min(random.Next(1, 400), stream.Length - offset);
            FeedKeepingCopies(reader, stream.AsSpan(offset, chunk), chunked);
            offset += chunk;
        }

        chunked.Select(f => f.Payload.ToArray()).Should().BeEquivalentTo(whole.Select(f => f.Payload.ToArray()), o => o.WithStrictOrdering());
    }

    [Test]
    public void Feed_PayloadIsLentUntilTheNextFeed()
    {
        var reader = new FrameReader(AsClient);
        var frames = new List<ReceivedFrame>();
        reader.Feed([0x82, 0x02, 0xAA, 0xBB], frames); // FIN=1, opcode=Binary(0x2) | MASK=0, len=2 | aa bb
        var first = frames[0].Payload;
        first.ToArray().Should().Equal(0xAA, 0xBB);

        reader.Feed([0x82, 0x02, 0xCC, 0xDD], frames); // the same buffer is reused for the next frame
        frames[1].Payload.ToArray().Should().Equal(0xCC, 0xDD);
        first.ToArray().Should().Equal(new byte[] { 0xCC, 0xDD }, "a lent payload is only valid until the next Feed");
    }

    [Test]
    public void Feed_ManySmallConformingFrames_AllocatesNoPayloadOrViolationObjects()
    {
        // 1000 masked 16-octet binary frames, as a client sends them: FIN=1, opcode=Binary(0x2) | MASK=1, len=16 | key | payload
        byte[] one = FrameEncoder.Encode(FrameSpec.Of(Opcode.Binary, new byte[16]), masked: true, maskKey: 0x01020304);
        byte[] wire = [.. Enumerable.Range(0, 1000).SelectMany(_ => one)];
        var reader = new FrameReader(AsServer);
        var frames = new List<ReceivedFrame>(1000);
        reader.Feed(wire, frames); // warm up: the lending buffer is rented once
        frames.Clear();

        long before = GC.GetAllocatedBytesForCurrentThread();
        reader.Feed(wire, frames);
        long perFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;

        frames.Should().HaveCount(1000).And.OnlyContain(f => f.Violations.Count == 0 && f.Payload.Length == 16);
        // The ReceivedFrame object itself is about 112 octets; a payload array (40), a violation list (56) or the
        // description string built for violations would push it well past 128.
        perFrame.Should().BeLessThanOrEqualTo(128, "only the ReceivedFrame itself is allocated: no payload array, no violation list");
    }

    [Test]
    public void HasPartialFrame_MidHeaderAndMidPayload_True()
    {
        var reader = new FrameReader(AsClient);
        var frames = new List<ReceivedFrame>();

        reader.HasPartialFrame.Should().BeFalse();
        reader.Feed([0x81], frames); // FIN=1, opcode=Text(0x1)
        reader.HasPartialFrame.Should().BeTrue();
        reader.Feed([0x05, 0x48], frames); // MASK=0, len=5 | "H"
        reader.HasPartialFrame.Should().BeTrue();
        reader.Feed("ello"u8, frames);

        reader.HasPartialFrame.Should().BeFalse();
        frames.Should().ContainSingle();
    }

    [Test]
    public void Feed_UnmaskedFrameAtServer_ViolatesSection5_1()
    {
        // FIN=1, opcode=Text(0x1) | MASK=0, len=1 | "a"
        ReceivedFrame frame = ReadSingle(AsServer, 0x81, 0x01, 0x61);

        frame.Violations.Should().ContainSingle().Which.Should().Match<WireViolation>(v =>
            v.RfcSection == "RFC 6455 §5.1" && v.CloseCode == 1002 && v.Description.Contains("unmasked"));
    }

    [Test]
    public void Feed_MaskedFrameAtClient_ViolatesSection5_1()
    {
        // FIN=1, opcode=Text(0x1) | MASK=1, len=1 | key 00 00 00 01 | "a" XOR 00
        ReceivedFrame frame = ReadSingle(AsClient, 0x81, 0x81, 0x00, 0x00, 0x00, 0x01, 0x61);

        frame.Payload.ToArray().Should().Equal((byte)'a');
        frame.Violations.Should().ContainSingle().Which.Should().Match<WireViolation>(v =>
            v.RfcSection == "RFC 6455 §5.1" && v.CloseCode == 1002 && v.Description.Contains("masked"));
    }

    [TestCase(0x40, "RSV1")]
    [TestCase(0x20, "RSV2")]
    [TestCase(0x10, "RSV3")]
    public void Feed_RsvBitWithoutExtension_ViolatesSection5_2(int rsvBit, string name)
    {
        // FIN=1, RSVn=1, opcode=Text(0x1) | MASK=0, len=0
        ReceivedFrame frame = ReadSingle(AsClient, (byte)(0x81 | rsvBit), 0x00);

        frame.Header.Rsv.Should().Be(rsvBit >> 4);
        frame.Violations.Should().ContainSingle().Which.Should().Match<WireViolation>(v =>
            v.RfcSection == "RFC 6455 §5.2" && v.CloseCode == 1002 && v.Description.Contains(name));
    }

    [Test]
    public void Feed_Rsv1WithNegotiatedExtension_NoViolation()
    {
        // FIN=1, RSV1=1, opcode=Text(0x1) | MASK=0, len=0
        ReceivedFrame frame = ReadSingle(AsClient with { AllowedRsv = 4 }, 0xC1, 0x00);

        frame.Violations.Should().BeEmpty();
    }

    [TestCase(0x3)]
    [TestCase(0x7)]
    [TestCase(0xB)]
    [TestCase(0xF)]
    public void Feed_ReservedOpcode_ViolatesSection5_2(int opcode)
    {
        // FIN=1, opcode=reserved | MASK=0, len=0
        ReceivedFrame frame = ReadSingle(AsClient, (byte)(0x80 | opcode), 0x00);

        frame.Violations.Should().ContainSingle().Which.Should().Match<WireViolation>(v =>
            v.RfcSection == "RFC 6455 §5.2" && v.CloseCode == 1002 && v.Description.Contains($"0x{opcode:X}"));
    }

    [Test]
    public void Feed_16BitLengthFor100Octets_ReportsNonMinimalEncoding()
    {
        // FIN=1, opcode=Binary(0x2) | MASK=0, len=126 | 00 64 = 100 (fits 7 bits) | 100 octets
        ReceivedFrame frame = ReadSingle(AsClient, [0x82, 0x7E, 0x00, 0x64, .. new byte[100]]);

        frame.Header.Encoding.Should().Be(LengthEncoding.Extended16);
        frame.Header.IsMinimalLength.Should().BeFalse();
        frame.Violations.Should().ContainSingle().Which.Should().Match<WireViolation>(v =>
            v.RfcSection == "RFC 6455 §5.2" && v.CloseCode == 1002 && v.Description.Contains("100"));
    }

    [Test]
    public void Feed_64BitLengthFor200Octets_ReportsNonMinimalEncoding()
    {
        // FIN=1, opcode=Binary(0x2) | MASK=0, len=127 | 00 00 00 00 00 00 00 c8 = 200 (fits 16 bits) | 200 octets
        ReceivedFrame frame = ReadSingle(AsClient, [0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0xC8, .. new byte[200]]);

        frame.Header.Encoding.Should().Be(LengthEncoding.Extended64);
        frame.Violations.Should().ContainSingle().Which.RfcSection.Should().Be("RFC 6455 §5.2");
    }

    [Test]
    public void Feed_PingWith126Octets_ViolatesSection5_5()
    {
        // FIN=1, opcode=Ping(0x9) | MASK=0, len=126 | 00 7e = 126 | 126 octets
        ReceivedFrame frame = ReadSingle(AsClient, [0x89, 0x7E, 0x00, 0x7E, .. new byte[126]]);

        frame.Violations.Should().ContainSingle().Which.Should().Be(new WireViolation(
            WireRule.ControlFrameTooLong, "RFC 6455 §5.5", "control frame (opcode 0x9) carries 126 octets; at most 125 are allowed", 1002));
    }

    [Test]
    public void Feed_FragmentedPing_ViolatesSection5_5()
    {
        // FIN=0, opcode=Ping(0x9) | MASK=0, len=0
        ReceivedFrame frame = ReadSingle(AsClient, 0x09, 0x00);

        frame.Violations.Should().ContainSingle().Which.Should().Match<WireViolation>(v =>
            v.RfcSection == "RFC 6455 §5.5" && v.CloseCode == 1002 && v.Description.Contains("FIN=0"));
    }

    [Test]
    public void Feed_64BitLengthWithTopBitSet_StopsWith1002()
    {
        var reader = new FrameReader(AsClient);
        var frames = new List<ReceivedFrame>();

        // FIN=1, opcode=Binary(0x2) | MASK=0, len=127 | 80 00 00 00 00 00 00 00 (MSB set) | then a valid frame
        reader.Feed([0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x81, 0x00], frames);

        frames.Should().BeEmpty();
        reader.StoppedBy.Should().NotBeNull();
        reader.StoppedBy!.RfcSection.Should().Be("RFC 6455 §5.2");
        reader.StoppedBy.CloseCode.Should().Be(1002);
    }

    [Test]
    public void Feed_HeaderClaiming2Pow62_StopsWith1009WithoutAllocating()
    {
        var reader = new FrameReader(AsClient);
        var frames = new List<ReceivedFrame>(4);
        // FIN=1, opcode=Binary(0x2) | MASK=0, len=127 | 40 00 00 00 00 00 00 00 = 2^62 | 6 payload octets
        byte[] wire = [0x82, 0x7F, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6];
        reader.Feed([], frames); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        reader.Feed(wire, frames);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(4096, "a claimed length must never drive an allocation");
        frames.Should().BeEmpty();
        reader.StoppedBy.Should().NotBeNull();
        reader.StoppedBy!.CloseCode.Should().Be(1009);
        reader.StoppedBy.RfcSection.Should().Be("RFC 6455 §10.4");
    }

    [Test]
    public void Feed_LargeClaimUnderLimit_AllocatesOnlyForArrivedOctets()
    {
        var reader = new FrameReader(AsClient);
        var frames = new List<ReceivedFrame>();
        // FIN=1, opcode=Binary(0x2) | MASK=0, len=127 | 00 00 00 00 03 c0 00 00 = 60 MiB | 8 payload octets
        byte[] wire = [0x82, 0x7F, 0, 0, 0, 0, 0x03, 0xC0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
        reader.Feed([], frames);

        long before = GC.GetAllocatedBytesForCurrentThread();
        reader.Feed(wire, frames);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(80 * 1024, "the buffer starts at 64 KiB, not at the claimed 60 MiB");
        reader.StoppedBy.Should().BeNull();
        reader.HasPartialFrame.Should().BeTrue();
    }

    [Test]
    public void Feed_AfterStop_IgnoresInput()
    {
        var reader = new FrameReader(AsClient with { MaxPayloadLength = 10 });
        var frames = new List<ReceivedFrame>();
        // FIN=1, opcode=Binary(0x2) | MASK=0, len=11 (over the limit of 10)
        reader.Feed([0x82, 0x0B], frames);

        // FIN=1, opcode=Text(0x1) | MASK=0, len=0
        reader.Feed([0x81, 0x00], frames);

        frames.Should().BeEmpty();
        reader.StoppedBy!.CloseCode.Should().Be(1009);
        reader.StoppedBy.Description.Should().Contain("11").And.Contain("10");
    }

    [Test]
    public void Feed_ControlFrameClaimAboveLimit_StopsWith1002()
    {
        var reader = new FrameReader(AsClient);
        var frames = new List<ReceivedFrame>();

        // FIN=1, opcode=Ping(0x9) | MASK=0, len=127 | 00 00 01 00 00 00 00 00 = 2^40
        reader.Feed([0x89, 0x7F, 0, 0, 1, 0, 0, 0, 0, 0], frames);

        reader.StoppedBy!.Should().Match<WireViolation>(v => v.RfcSection == "RFC 6455 §5.5" && v.CloseCode == 1002);
    }

    [Test]
    public void Feed_CloseWithEmptyBody_NoCodeNoViolation()
    {
        // FIN=1, opcode=Close(0x8) | MASK=0, len=0
        ReceivedFrame frame = ReadSingle(AsClient, 0x88, 0x00);

        frame.CloseCode.Should().BeNull();
        frame.CloseReason.Should().BeNull();
        frame.CloseReasonOctets.IsEmpty.Should().BeTrue();
        frame.Violations.Should().BeEmpty();
    }

    [Test]
    public void Feed_CloseWithOneOctet_ViolatesSection5_5_1()
    {
        // FIN=1, opcode=Close(0x8) | MASK=0, len=1 | 03
        ReceivedFrame frame = ReadSingle(AsClient, 0x88, 0x01, 0x03);

        frame.CloseCode.Should().BeNull();
        frame.Violations.Should().ContainSingle().Which.Should().Match<WireViolation>(v =>
            v.RfcSection == "RFC 6455 §5.5.1" && v.CloseCode == 1002);
    }

    [Test]
    public void Feed_CloseWithCodeAndReason_ParsesBoth()
    {
        // FIN=1, opcode=Close(0x8) | MASK=0, len=5 | 03 e8 = 1000 | "bye"
        ReceivedFrame frame = ReadSingle(AsClient, 0x88, 0x05, 0x03, 0xE8, 0x62, 0x79, 0x65);

        frame.CloseCode.Should().Be(1000);
        frame.CloseReason.Should().Be("bye");
        frame.CloseReasonOctets.ToArray().Should().Equal("bye"u8.ToArray());
        frame.Violations.Should().BeEmpty();
    }

    [TestCase(1005, 0x03, 0xED)] // 03 ed = 1005
    [TestCase(999, 0x03, 0xE7)]  // 03 e7 = 999
    [TestCase(5000, 0x13, 0x88)] // 13 88 = 5000
    public void Feed_CloseWithInvalidCode_ViolatesSection7_4(int code, int hi, int lo)
    {
        // FIN=1, opcode=Close(0x8) | MASK=0, len=2 | code
        ReceivedFrame frame = ReadSingle(AsClient, 0x88, 0x02, (byte)hi, (byte)lo);

        frame.CloseCode.Should().Be(code);
        frame.CloseReason.Should().BeEmpty();
        frame.Violations.Should().ContainSingle().Which.Should().Match<WireViolation>(v =>
            v.RfcSection == "RFC 6455 §7.4" && v.CloseCode == 1002 && v.Description.Contains(code.ToString()));
    }

    [Test]
    public void Feed_CloseWithInvalidUtf8Reason_Violates1007AndRendersHex()
    {
        // FIN=1, opcode=Close(0x8) | MASK=0, len=4 | 03 e8 = 1000 | ce ff (invalid UTF-8)
        ReceivedFrame frame = ReadSingle(AsClient, 0x88, 0x04, 0x03, 0xE8, 0xCE, 0xFF);

        frame.CloseCode.Should().Be(1000);
        frame.CloseReason.Should().Be("0xceff");
        frame.Violations.Should().ContainSingle().Which.Should().Match<WireViolation>(v =>
            v.RfcSection == "RFC 6455 §5.5.1" && v.CloseCode == 1007);
    }

    [Test]
    public void Feed_CloseReasonCutInsideCodePoint_Violates1007()
    {
        // FIN=1, opcode=Close(0x8) | MASK=0, len=3 | 03 e8 = 1000 | ce (lead octet, continuation missing)
        ReceivedFrame frame = ReadSingle(AsClient, 0x88, 0x03, 0x03, 0xE8, 0xCE);

        frame.Violations.Should().ContainSingle().Which.CloseCode.Should().Be(1007);
    }

    [Test]
    public void Feed_FrameBreakingSeveralRules_ReportsAllInHeaderOrder()
    {
        // FIN=0, RSV1=1, opcode=0xB (reserved control) | MASK=1, len=0 | key 00 00 00 00
        ReceivedFrame frame = ReadSingle(AsClient, 0x4B, 0x80, 0, 0, 0, 0);

        frame.Violations.Select(v => v.RfcSection).Should().Equal(
            "RFC 6455 §5.1", "RFC 6455 §5.2", "RFC 6455 §5.2", "RFC 6455 §5.5");
    }
}
