using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Wsconform.Wire.Deflate;

namespace Wsconform.Wire.Tests.Properties;

/// <summary>
/// Property-based tests of every parser a peer feeds (issue 9): random and mutated inputs never throw an unexpected
/// exception, never allocate more than a bound, and valid inputs round-trip. FsCheck shrinks a failing input to a
/// small one and prints it, with the seed to replay it.
/// </summary>
public class ParserProperties
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    /// <summary>Random octets, up to a few KiB.</summary>
    private static readonly Gen<byte[]> Octets = Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf();

    /// <summary>A valid frame: any opcode the encoder can write, FIN, RSV, a payload and a mask.</summary>
    private static readonly Gen<FrameSpec> ValidFrames =
        from opcode in Gen.Elements((int)Opcode.Continuation, (int)Opcode.Text, (int)Opcode.Binary, (int)Opcode.Ping, (int)Opcode.Pong)
        from fin in ArbMap.Default.GeneratorFor<bool>()
        from payload in Octets
        from key in ArbMap.Default.GeneratorFor<uint>()
        select new FrameSpec { Opcode = opcode, Fin = fin, Payload = payload, MaskKey = key };

    [Test]
    public void FrameReader_RandomOctetsInRandomChunks_NeverThrow_AndAllocateLittle()
    {
        Prop.ForAll(Octets.ToArbitrary(), Gen.Choose(1, 64).ToArbitrary(), (input, chunk) =>
        {
            var allocated = AllocatedWhile(() => FeedInChunks(input, chunk, expectMasked: true));
            // The reader's pooled buffer is rented, not allocated; frames and violations are small records.
            allocated.Should().BeLessThan(64 * 1024 + 64L * input.Length, "a claimed length must never size a buffer");
        }).Check(Quick);
    }

    [Test]
    public void FrameReader_ValidFrames_RoundTrip_WholeOrOctetByOctet()
    {
        Prop.ForAll(ValidFrames.ListOf().ToArbitrary(), Gen.Choose(1, 7).ToArbitrary(), (frames, chunk) =>
        {
            var wire = frames.SelectMany(f => FrameEncoder.Encode(f, masked: true, f.MaskKey!.Value)).ToArray();
            var read = FeedInChunks(wire, chunk, expectMasked: true);
            read.Select(r => (r.Opcode, r.Fin, r.Payload)).Should().Equal(
                frames.Select(f => (f.Opcode, f.Fin, Convert.ToHexString(f.Payload.Span))));
        }).Check(Quick);
    }

    [Test]
    public void FrameReader_MutatedValidStreams_NeverThrow()
    {
        Prop.ForAll(ValidFrames.ListOf().ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (frames, seed) =>
        {
            var wire = frames.SelectMany(f => FrameEncoder.Encode(f, masked: true, f.MaskKey!.Value)).ToArray();
            Mutate(wire, seed);
            FeedInChunks(wire, 1 + seed % 13, expectMasked: true);
        }).Check(Quick);
    }

    [Test]
    public void Utf8Validator_AgreesWithTheStrictDecoder_HoweverTheInputIsCut()
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var text = Gen.OneOf(Octets, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Select(s => Encoding.UTF8.GetBytes(s)));
        Prop.ForAll(text.ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), (input, chunk) =>
        {
            bool valid;
            try
            {
                strict.GetString(input);
                valid = true;
            }
            catch (DecoderFallbackException)
            {
                valid = false;
            }
            var validator = new Utf8Validator();
            var ok = true;
            for (var i = 0; i < input.Length && ok; i += chunk) ok = validator.Feed(input.AsSpan(i, Math.Min(chunk, input.Length - i)));
            (ok && validator.IsAtCodePointBoundary).Should().Be(valid);
        }).Check(Quick);
    }

    [Test]
    public void ExtensionHeader_RandomText_NeverThrows()
    {
        var alphabet = Gen.Elements("permessage-deflate; client_max_window_bits=\"10\", x;y=z\t\r\n\\\u00e9\0".ToCharArray());
        var text = Gen.OneOf(ArbMap.Default.GeneratorFor<string>().Where(s => s is not null), alphabet.ArrayOf().Select(c => new string(c)));
        Prop.ForAll(text.ToArbitrary(), header =>
        {
            var parsed = ExtensionHeader.Parse(header);
            (parsed.IsValid == (parsed.Error is null)).Should().BeTrue();
            var offers = new[] { DeflateOffer.Autobahn(), DeflateOffer.Autobahn(true, 9) };
            DeflateNegotiation.CheckResponse(offers, [header]).Should().NotBeNull();
            _ = DeflateNegotiation.Accept([header], DeflateServerPolicy.Default);
        }).Check(Quick);
    }

    [Test]
    public void DeflateOffers_RoundTripThroughTheParserAndTheServerSide()
    {
        var bits = Gen.Choose(DeflateAgreement.MinWindowBits, DeflateAgreement.MaxWindowBits);
        var offers =
            from serverNoContext in ArbMap.Default.GeneratorFor<bool>()
            from clientNoContext in ArbMap.Default.GeneratorFor<bool>()
            from serverBits in Gen.OneOf(Gen.Constant<int?>(null), bits.Select(b => (int?)b))
            from clientBits in Gen.Elements(ClientWindowBitsOffer.Absent, ClientWindowBitsOffer.Valueless, ClientWindowBitsOffer.Of(9), ClientWindowBitsOffer.Of(15))
            select new DeflateOffer(serverNoContext, clientNoContext, serverBits, clientBits);
        Prop.ForAll(offers.ToArbitrary(), offer =>
        {
            var acceptance = DeflateNegotiation.Accept([offer.Render()], DeflateServerPolicy.Default);
            acceptance.Should().NotBeNull(offer.Render());
            DeflateNegotiation.CheckResponse([offer], [acceptance!.Response]).Should().BeOfType<DeflateResponseCheck.Accepted>()
                .Which.Agreement.Should().Be(acceptance.Agreement);
        }).Check(Quick);
    }

    [Test]
    public void Inflaters_RandomAndMutatedData_NeverThrow_AndStayWithinTheSinkLimit()
    {
        Prop.ForAll(Octets.ToArbitrary(), Gen.Choose(DeflateAgreement.MinWindowBits, DeflateAgreement.MaxWindowBits).ToArbitrary(), (input, bits) =>
        {
            foreach (var inflater in new IMessageInflater[] { new RawInflater(bits), new WindowCheckedInflater(bits) })
            {
                using (inflater)
                {
                    var sink = new LimitedSink(1 << 20);
                    _ = inflater.Inflate(input, sink) ?? inflater.FinishMessage(sink);
                    sink.Octets.Should().BeLessThanOrEqualTo(1 << 20);
                }
            }
        }).Check(Quick);
    }

    [Test]
    public void Deflate_RoundTrips_ForEveryWindow()
    {
        Prop.ForAll(Octets.ListOf().ToArbitrary(), Gen.Choose(DeflateAgreement.MinWindowBits, DeflateAgreement.MaxWindowBits).ToArbitrary(), (messages, bits) =>
        {
            using var deflater = new RawDeflater(bits);
            using var inflater = MessageInflater.For(bits);
            foreach (var message in messages)
            {
                var compressed = new System.Buffers.ArrayBufferWriter<byte>();
                deflater.Compress(message, compressed);
                var sink = new LimitedSink(int.MaxValue, keep: true);
                (inflater.Inflate(compressed.WrittenSpan, sink) ?? inflater.FinishMessage(sink)).Should().BeNull();
                sink.Kept.ToArray().Should().Equal(message);
            }
        }).Check(Quick);
    }

    private static List<(int Opcode, bool Fin, string Payload)> FeedInChunks(byte[] input, int chunk, bool expectMasked)
    {
        using var reader = new FrameReader(new FrameReaderOptions { ExpectMasked = expectMasked, AllowedRsv = 4 });
        var frames = new List<ReceivedFrame>();
        var read = new List<(int, bool, string)>();
        for (var i = 0; i < input.Length && reader.StoppedBy is null; i += chunk)
        {
            frames.Clear();
            reader.Feed(input.AsSpan(i, Math.Min(chunk, input.Length - i)), frames);
            // Payloads are lent until the next Feed: copy what the property compares.
            read.AddRange(frames.Select(f => (f.Header.Opcode, f.Header.Fin, Convert.ToHexString(f.Payload.Span))));
        }
        return read;
    }

    private static void Mutate(byte[] octets, int seed)
    {
        if (octets.Length == 0) return;
        var random = new Random(seed);
        for (var i = 0; i < 1 + random.Next(4); i++) octets[random.Next(octets.Length)] ^= (byte)(1 << random.Next(8));
    }

    private static long AllocatedWhile(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private sealed class LimitedSink(long limit, bool keep = false) : IInflatedOctets
    {
        public long Octets { get; private set; }
        public List<byte> Kept { get; } = [];

        public bool Accept(ReadOnlySpan<byte> octets)
        {
            if (Octets + octets.Length > limit) return false;
            Octets += octets.Length;
            if (keep) Kept.AddRange(octets.ToArray());
            return true;
        }
    }
}
