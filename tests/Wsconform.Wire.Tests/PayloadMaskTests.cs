namespace Wsconform.Wire.Tests;

public class PayloadMaskTests
{
    /// <summary>The oracle: RFC 6455 §5.3 literally — octet i XOR key octet (i + keyIndex) mod 4, network order.</summary>
    private static int ScalarMask(Span<byte> data, uint key, int keyIndex)
    {
        for (int i = 0; i < data.Length; i++)
        {
            int octet = (keyIndex + i) % 4;
            data[i] ^= (byte)(key >> (24 - (8 * octet)));
        }

        return (keyIndex + data.Length) % 4;
    }

    [Test]
    public void Apply_RandomLengthsAndEveryKeyIndex_MatchesScalarOracle()
    {
        var random = new Random(5_3);
        for (int round = 0; round < 300; round++)
        {
            int length = random.Next(0, 1001);
            var data = new byte[length];
            random.NextBytes(data);
            uint key = (uint)random.NextInt64(0, 1L << 32);
            for (int keyIndex = 0; keyIndex < 4; keyIndex++)
            {
                byte[] expected = (byte[])data.Clone();
                int expectedNext = ScalarMask(expected, key, keyIndex);
                byte[] actual = (byte[])data.Clone();

                int next = PayloadMask.Apply(actual, key, keyIndex);

                actual.Should().Equal(expected, $"length {length}, key 0x{key:x8}, keyIndex {keyIndex}");
                next.Should().Be(expectedNext);
            }
        }
    }

    [Test]
    public void Apply_OffsetIntoArray_MatchesScalarOracle()
    {
        // Unaligned starts exercise the vector tiers on spans that do not begin on a vector boundary.
        var random = new Random(42);
        var buffer = new byte[1100];
        random.NextBytes(buffer);
        for (int start = 0; start < 40; start++)
        {
            int length = random.Next(0, 1000);
            byte[] expected = buffer.AsSpan(start, length).ToArray();
            ScalarMask(expected, 0xdeadbeef, start % 4);
            byte[] copy = (byte[])buffer.Clone();

            PayloadMask.Apply(copy.AsSpan(start, length), 0xdeadbeef, start % 4);

            copy.AsSpan(start, length).ToArray().Should().Equal(expected);
            copy.AsSpan(0, start).ToArray().Should().Equal(buffer.AsSpan(0, start).ToArray(), "octets before the span are untouched");
            copy.AsSpan(start + length).ToArray().Should().Equal(buffer.AsSpan(start + length).ToArray(), "octets after the span are untouched");
        }
    }

    [Test]
    public void Apply_ResumedAcrossArbitrarySplits_EqualsSinglePass()
    {
        var random = new Random(7);
        for (int round = 0; round < 200; round++)
        {
            var data = new byte[random.Next(0, 1001)];
            random.NextBytes(data);
            uint key = (uint)random.NextInt64(0, 1L << 32);
            byte[] expected = (byte[])data.Clone();
            PayloadMask.Apply(expected, key);

            byte[] chunked = (byte[])data.Clone();
            int keyIndex = 0;
            for (int offset = 0; offset < chunked.Length;)
            {
                int chunk = Math.Min(random.Next(1, 70), chunked.Length - offset);
                keyIndex = PayloadMask.Apply(chunked.AsSpan(offset, chunk), key, keyIndex);
                offset += chunk;
            }

            chunked.Should().Equal(expected);
            keyIndex.Should().Be(data.Length % 4);
        }
    }

    [Test]
    public void Apply_Copy_LeavesSourceUntouchedAndMatchesInPlace()
    {
        var random = new Random(11);
        for (int length = 0; length < 200; length++)
        {
            var source = new byte[length];
            random.NextBytes(source);
            byte[] original = (byte[])source.Clone();
            var destination = new byte[length + 3];
            byte[] expected = (byte[])source.Clone();
            int expectedNext = ScalarMask(expected, 0x37fa213d, length % 4);

            int next = PayloadMask.Apply(source, destination, 0x37fa213d, length % 4);

            source.Should().Equal(original);
            destination.AsSpan(0, length).ToArray().Should().Equal(expected);
            destination.AsSpan(length).ToArray().Should().AllBeEquivalentTo((byte)0, "octets past the source length are not written");
            next.Should().Be(expectedNext);
        }
    }

    [Test]
    public void Apply_Rfc6455Section5_7Example_MasksHello()
    {
        // RFC 6455 §5.7: key 37 fa 21 3d masks "Hello" to 7f 9f 4d 51 58.
        byte[] hello = "Hello"u8.ToArray();

        PayloadMask.Apply(hello, 0x37fa213d);

        hello.Should().Equal(0x7f, 0x9f, 0x4d, 0x51, 0x58);
    }

    [Test]
    public void Apply_DestinationTooShort_Throws()
    {
        Action act = () => PayloadMask.Apply(new byte[5], new byte[4], 1u);

        act.Should().Throw<ArgumentException>();
    }

    [Test]
    public void Apply_KeyIndexOutOfRange_Throws()
    {
        Action act = () => PayloadMask.Apply(new byte[5], 1u, 4);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void NewKey_CalledRepeatedly_ProducesDistinctKeys()
    {
        var keys = Enumerable.Range(0, 64).Select(_ => PayloadMask.NewKey()).ToHashSet();

        keys.Count.Should().BeGreaterThan(60, "32-bit keys from a CSPRNG practically never repeat");
    }
}
