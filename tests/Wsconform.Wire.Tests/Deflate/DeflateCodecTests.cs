using System.Buffers;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Wsconform.Wire.Deflate;

namespace Wsconform.Wire.Tests.Deflate;

/// <summary>The permessage-deflate codec over the system zlib, checked against RFC 7692's worked examples.</summary>
public class DeflateCodecTests
{
    private static readonly byte[] Hello = "Hello"u8.ToArray();

    [Test]
    public void Compress_Hello_GivesTheRfc7692Example_WithoutTheSyncTail()
    {
        // RFC 7692 §7.2.3.1: "Hello" compressed is f2 48 cd c9 c9 07 00.
        using var deflater = new RawDeflater(15);
        Compress(deflater, Hello).Should().Equal(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00);
    }

    [Test]
    public void SecondHello_WithContextTakeover_RefersBackToTheFirst()
    {
        // RFC 7692 §7.2.3.2: with a shared window the second "Hello" is f2 00 11 00 00.
        using var deflater = new RawDeflater(15);
        Compress(deflater, Hello);
        Compress(deflater, Hello).Should().Equal(0xf2, 0x00, 0x11, 0x00, 0x00);
    }

    [Test]
    public void Reset_ForgetsTheContext()
    {
        using var deflater = new RawDeflater(15);
        Compress(deflater, Hello);
        deflater.Reset();
        Compress(deflater, Hello).Should().Equal(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00);
    }

    [Test]
    public void EmptyMessage_IsTheSingleOctetOfAnEmptyBlock()
    {
        // An empty message flushes to an empty stored block 00 00 00 ff ff; without the tail that is 00 (RFC 7692 §7.2.3.6).
        using var deflater = new RawDeflater(15);
        Compress(deflater, []).Should().Equal(0x00);
        Inflate(new RawInflater(15), [0x00]).Should().BeEmpty();
    }

    [Test]
    public void Inflate_RfcExamples()
    {
        using var inflater = new RawInflater(15);
        Inflate(inflater, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]).Should().Equal(Hello);
        // Same context: the second message refers back to the first (§7.2.3.2).
        Inflate(inflater, [0xf2, 0x00, 0x11, 0x00, 0x00]).Should().Equal(Hello);
        // §7.2.3.3: "Hello" in a stored (uncompressed) block.
        inflater.Reset();
        Inflate(inflater, [0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00]).Should().Equal(Hello);
        // §7.2.3.4: a block with BFINAL set; the stream ends, and the next message starts afresh.
        Inflate(inflater, [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00]).Should().Equal(Hello);
        Inflate(inflater, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]).Should().Equal(Hello);
    }

    [Test]
    public void Inflate_FedOneOctetAtATime_GivesTheSameMessage()
    {
        var message = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i % 97} ünïcode ")));
        using var deflater = new RawDeflater(15);
        var compressed = Compress(deflater, message);
        using var inflater = new RawInflater(15);
        var sink = new Collect();
        foreach (var octet in compressed) inflater.Inflate([octet], sink).Should().BeNull();
        inflater.FinishMessage(sink).Should().BeNull();
        sink.Octets.WrittenSpan.ToArray().Should().Equal(message);
    }

    [TestCase(9)]
    [TestCase(10)]
    [TestCase(12)]
    [TestCase(15)]
    public void Window_RoundTripsWithAnInflaterOfTheSameWindow(int bits)
    {
        var message = Repetitive(200_000);
        using var deflater = new RawDeflater(bits);
        using var inflater = new RawInflater(bits);
        for (var i = 0; i < 3; i++) Inflate(inflater, Compress(deflater, message)).Should().Equal(message);
    }

    [Test]
    public void Window8_CodesLiteralsOnly_SoAnEightBitInflaterAcceptsIt()
    {
        // zlib cannot deflate with a 256-octet window; the deflater falls back to Huffman-only coding, valid for any window.
        var message = Repetitive(50_000);
        using var deflater = new RawDeflater(8);
        deflater.HuffmanOnly.Should().BeTrue();
        using var inflater = new RawInflater(8);
        for (var i = 0; i < 3; i++) Inflate(inflater, Compress(deflater, message)).Should().Equal(message);
    }

    [Test]
    public void Inflater_WithASmallerWindow_RejectsASenderThatUsedALargerOne()
    {
        var message = FarRepeats();
        using var deflater = new RawDeflater(15);
        using var inflater = MessageInflater.For(9);
        var sink = new Collect();
        var problem = inflater.Inflate(Compress(deflater, message), sink) ?? inflater.FinishMessage(sink);
        problem.Should().Contain("beyond the 512-octet window (9 bits) the sender agreed to");
    }

    [Test]
    public void Zlib_AloneDoesNotEnforceASmallerWindow_WhichIsWhyTheCheckedInflaterExists()
    {
        var message = FarRepeats();
        using var deflater = new RawDeflater(15);
        using var zlib = new RawInflater(9);
        Inflate(zlib, Compress(deflater, message)).Should().Equal(message);
    }

    private static IEnumerable<TestCaseData> Inflaters()
    {
        foreach (var bits in new[] { 8, 9, 12, 14 }) yield return new TestCaseData(bits).SetArgDisplayNames($"checked, {bits} bits");
    }

    [TestCaseSource(nameof(Inflaters))]
    public void CheckedInflater_AgreesWithZlib_OnManyMessagesWithContextTakeover(int bits)
    {
        var random = new Random(bits);
        using var deflater = new RawDeflater(bits);
        using var inflater = new WindowCheckedInflater(bits);
        for (var i = 0; i < 200; i++)
        {
            var message = random.Next(4) switch
            {
                0 => Repetitive(random.Next(0, 300_000)),
                1 => RandomOctets(random, random.Next(0, 70_000)),
                2 => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(0, 3000)).Select(n => $"ä{n % 37}ß"))),
                _ => Repetitive(random.Next(0, 40)),
            };
            if (random.Next(10) == 0)
            {
                deflater.Reset();
                inflater.Reset();
            }
            Inflate(inflater, Compress(deflater, message)).Should().Equal(message, "message {0} of {1} octets", i, message.Length);
        }
    }

    [Test]
    public void CheckedInflater_DecodesTheRfcExamples()
    {
        using var inflater = new WindowCheckedInflater(9);
        Inflate(inflater, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]).Should().Equal(Hello);
        Inflate(inflater, [0xf2, 0x00, 0x11, 0x00, 0x00]).Should().Equal(Hello);
        inflater.Reset();
        Inflate(inflater, [0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00]).Should().Equal(Hello);
        Inflate(inflater, [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00]).Should().Equal(Hello);
        Inflate(inflater, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]).Should().Equal(Hello);
        Inflate(inflater, [0x00]).Should().BeEmpty();
    }

    [Test]
    public void CheckedInflater_ReportsGarbage_AndNeverThrows()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            using var inflater = new WindowCheckedInflater(10);
            var sink = new Collect(limit: 1 << 20);
            var act = () => inflater.Inflate(RandomOctets(random, random.Next(0, 200)), sink) ?? inflater.FinishMessage(sink);
            act.Should().NotThrow();
        }
    }

    [Test]
    public void CheckedInflater_StopsWhenTheSinkRefuses()
    {
        using var deflater = new RawDeflater(12);
        var compressed = Compress(deflater, new byte[16 * 1024 * 1024]);
        using var inflater = new WindowCheckedInflater(12);
        var sink = new Collect(limit: 1024 * 1024);
        (inflater.Inflate(compressed, sink) ?? inflater.FinishMessage(sink)).Should().BeNull();
        sink.Refused.Should().BeTrue();
        sink.Octets.WrittenCount.Should().BeLessThanOrEqualTo(1024 * 1024);
    }

    private static byte[] RandomOctets(Random random, int length)
    {
        var octets = new byte[length];
        random.NextBytes(octets);
        return octets;
    }

    [Test]
    public void Inflater_ReportsGarbage()
    {
        using var inflater = new RawInflater(15);
        var sink = new Collect();
        (inflater.Inflate([0xff, 0xff, 0xff, 0xff], sink) ?? inflater.FinishMessage(sink)).Should().Contain("not valid DEFLATE");
    }

    [Test]
    public void Inflater_StopsWhenTheSinkRefuses_SoABombCostsNoMemory()
    {
        var zeros = new byte[16 * 1024 * 1024];
        using var deflater = new RawDeflater(15);
        var compressed = Compress(deflater, zeros);
        compressed.Length.Should().BeLessThan(32 * 1024);
        using var inflater = new RawInflater(15);
        var sink = new Collect(limit: 1024 * 1024);
        inflater.Inflate(compressed, sink).Should().BeNull();
        sink.Octets.WrittenCount.Should().BeLessThanOrEqualTo(1024 * 1024);
        sink.Refused.Should().BeTrue();
    }

    /// <summary>A text whose repeats are 1800 octets apart: a 15-bit compressor refers back that far, a 9-bit window cannot.</summary>
    private static byte[] FarRepeats()
    {
        var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => $"{i * 7919 % 10007:D5}x")));
        return block.Concat(block).ToArray();
    }

    private static byte[] Repetitive(int length)
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length < length; i++) text.Append("{\"case\":").Append(i % 300).Append(",\"behavior\":\"OK\"},");
        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    private static byte[] Compress(RawDeflater deflater, byte[] message)
    {
        var output = new ArrayBufferWriter<byte>();
        deflater.Compress(message, output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Inflate(IMessageInflater inflater, byte[] compressed)
    {
        var sink = new Collect();
        inflater.Inflate(compressed, sink).Should().BeNull();
        inflater.FinishMessage(sink).Should().BeNull();
        return sink.Octets.WrittenSpan.ToArray();
    }

    private sealed class Collect(int limit = int.MaxValue) : IInflatedOctets
    {
        public ArrayBufferWriter<byte> Octets { get; } = new();
        public bool Refused { get; private set; }

        public bool Accept(ReadOnlySpan<byte> octets)
        {
            if (Octets.WrittenCount + octets.Length > limit)
            {
                Refused = true;
                return false;
            }
            Octets.Write(octets);
            return true;
        }
    }
}
