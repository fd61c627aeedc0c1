using System.Buffers;
using System.Text;
using Wsconform.Engine.Scripting;
using Wsconform.Wire;
using Wsconform.Wire.Deflate;

namespace Wsconform.Cases;

/// <summary>
/// Category 15, "Compression Framing", which Autobahn never tested: the framing rules of permessage-deflate (RFC 7692)
/// around the trials of categories 12 and 13. Where RSV1 may appear (§6.1), the empty fragment and the empty block a
/// compressor can produce (§6.2, §7.2.3.6), context takeover kept or given up (§7.1.1), and a message that inflates
/// from about 16 KiB to 16 MiB (RFC 6455 §10.4). Every case offers permessage-deflate (Autobahn's default offer unless
/// stated); a peer that accepts no offer is UNIMPLEMENTED, as in categories 12 and 13. Exact octets come from RFC 7692's
/// own examples: "Hello" compressed with a fresh context is <c>f2 48 cd c9 c9 07 00</c> (§7.2.3.1), valid here because
/// it is always the first message of the connection.
/// </summary>
public static class CompressionFraming
{
    public const string Category = "Compression Framing";
    public const string CompressedBitGroup = "Per-message compressed bit";
    public const string EmptyDataGroup = "Empty fragments and blocks";
    public const string ContextGroup = "Context takeover";
    public const string LimitsGroup = "Decompression limits";

    /// <summary>The text of RFC 7692's examples.</summary>
    public const string Hello = "Hello";

    /// <summary>"Hello" compressed with a fresh context, sync flush, the trailing 00 00 ff ff removed (RFC 7692 §7.2.3.1).</summary>
    public static readonly ReadOnlyMemory<byte> CompressedHello = new byte[] { 0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00 };

    /// <summary>"Hello" compressed with a fresh context and a sync flush whose 00 00 ff ff tail is kept, as a sender that flushes per frame writes a non-final frame.</summary>
    public static readonly ReadOnlyMemory<byte> CompressedHelloFlushed = new byte[] { 0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00, 0x00, 0xFF, 0xFF };

    /// <summary>The empty fragment of RFC 7692 §7.2.3.6: an empty stored block (00 00 00 ff ff) without its 00 00 ff ff tail.</summary>
    public static readonly ReadOnlyMemory<byte> EmptyBlock = new byte[] { 0x00 };

    /// <summary>Octets per message in the context-takeover cases.</summary>
    public const int ContextMessageLength = 1024;

    /// <summary>
    /// The ~1 KiB message of the context-takeover cases: ASCII words drawn with a fixed seed, so it compresses to a few
    /// hundred octets alone and to a handful when the previous copy is still in the window.
    /// </summary>
    public static readonly ReadOnlyMemory<byte> ContextMessage = BuildContextMessage();

    /// <summary>Size of the decompression-bomb message: 16 MiB of zeros, about 16 KiB once compressed.</summary>
    public const int BombLength = 16 * 1024 * 1024;

    /// <summary>
    /// The 16 MiB of zeros, sent and expected back by 15.4.1. Allocated on first access of its octets, not when the
    /// catalogue loads: the memory knows its length without its octets (see <see cref="GeneratedOnFirstUse"/>).
    /// </summary>
    public static readonly ReadOnlyMemory<byte> BombMessage = new GeneratedOnFirstUse(BombLength, () => new byte[BombLength]).Memory;

    private static readonly string Kill = $" Kill timer {Timers.Kill.TotalSeconds:0} s.";

    private static readonly DeflateOffer[] DefaultOffer = [DeflateOffer.Autobahn()];

    private static string Offered(IEnumerable<DeflateOffer> offers) => $"Offers \"{Compression.OfferHeader(offers)}\". ";

    public static IReadOnlyList<ConformanceCase> Cases { get; } =
    [
        Fails("15.1.1", [DeflateRfc.CompressedBit, Rfc.FailConnection],
            [
                new SendFrame(FrameSpec.Of(Opcode.Text, CompressedHello[..3], fin: false, rsv: 4)),
                new SendFrame(FrameSpec.Of(Opcode.Continuation, CompressedHello[3..], fin: true, rsv: 4)),
            ],
            "a compressed text message \"Hello\" (f2 48 cd c9 c9 07 00) in two frames, f2 48 cd in a text frame with RSV1 and " +
            "FIN=0, then c9 c9 07 00 in a continuation frame with RSV1 (forbidden there) and FIN=1",
            "an echo of \"Hello\""),
        Fails("15.1.2", [DeflateRfc.CompressedBit, Rfc.ControlFrames, Rfc.FailConnection],
            [new SendFrame(FrameSpec.Of(Opcode.Ping, Payloads.Utf8(Hello), rsv: 4))],
            "a ping \"Hello\" with RSV1 set (control frames are never compressed)",
            "a pong"),

        Echoes("15.2.1", EmptyDataGroup, [DeflateRfc.Decompression, Rfc.Fragmentation, DeflateRfc.HelloExample],
            "A compressed message may end with an empty continuation frame: a receiver decompresses the concatenation of " +
            "all the message's frame payloads, to which an empty frame adds nothing. A conforming receiver MUST echo the " +
            "message; anything else is FAILED.",
            [
                new SendFrame(FrameSpec.Of(Opcode.Text, CompressedHello, fin: false, rsv: 4)),
                new SendFrame(FrameSpec.Of(Opcode.Continuation, ReadOnlyMemory<byte>.Empty, fin: true)),
            ],
            "the compressed text message \"Hello\" as a text frame with RSV1 and FIN=0 carrying all of f2 48 cd c9 c9 07 00, " +
            "then an empty continuation frame with FIN=1",
            Hello),
        Echoes("15.2.2", EmptyDataGroup, [DeflateRfc.EmptyFragmentExample, DeflateRfc.Decompression],
            "A sender that flushes its compressor per frame keeps the 00 00 ff ff tail on every frame but the last and, when " +
            "the data runs out, ends the message with a fragment holding the single octet 00: an empty stored block whose " +
            "length fields the receiver's appended 00 00 ff ff supply. A conforming receiver MUST decode it and echo the " +
            "message; anything else is FAILED.",
            [
                new SendFrame(FrameSpec.Of(Opcode.Text, CompressedHelloFlushed, fin: false, rsv: 4)),
                new SendFrame(FrameSpec.Of(Opcode.Continuation, EmptyBlock, fin: true)),
            ],
            "the compressed text message \"Hello\" as a text frame with RSV1 and FIN=0 carrying f2 48 cd c9 c9 07 00 00 00 ff ff " +
            "(the sync flush with its tail kept), then a continuation frame with FIN=1 carrying the single octet 00",
            Hello),
        Echoes("15.2.3", EmptyDataGroup, [DeflateRfc.EmptyFragmentExample, DeflateRfc.PayloadDecompression],
            "The compressed form of an empty message can be the single octet 00 (an empty stored block, its 00 00 ff ff " +
            "removed), which decompresses to nothing. A conforming receiver MUST echo an empty text message; anything else " +
            "is FAILED.",
            [new SendFrame(FrameSpec.Of(Opcode.Text, EmptyBlock, rsv: 4))],
            "one text frame with RSV1 and FIN=1 whose payload is the single octet 00",
            ""),

        ContextTakeover(),
        ServerNoContextTakeover(),
        DecompressionBomb(),
    ];

    private static ConformanceCase Fails(string id, IReadOnlyList<string> rfc, IReadOnlyList<Step> frames, string what, string forbidden) => new()
    {
        Id = id,
        Category = Category,
        Group = CompressedBitGroup,
        RfcSections = rfc,
        Requirement =
            "With permessage-deflate negotiated, RSV1 marks a compressed message and is set on its first frame only: an " +
            "endpoint must not set it on a continuation frame or a control frame, and a receiver of such a frame MUST fail " +
            "the connection (Close 1002 is the appropriate code). A peer that processes the frame anyway is FAILED.",
        Stimulus = Offered(DefaultOffer) + $"Sends {what}." + Kill,
        ExpectedBehaviour =
            $"MUST: the peer sends nothing back and fails the connection: Close 1002, a Close without a code, or a TCP drop. " +
            $"{char.ToUpperInvariant(forbidden[0])}{forbidden[1..]} is FAILED.",
        Script = [.. frames, new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.FailFastProtocolError,
        DeflateOffers = DefaultOffer,
    };

    private static ConformanceCase Echoes(string id, string group, IReadOnlyList<string> rfc, string requirement, IReadOnlyList<Step> frames,
        string what, string echo) => new()
    {
        Id = id,
        Category = Category,
        Group = group,
        RfcSections = rfc,
        Requirement = requirement,
        Stimulus = Offered(DefaultOffer) + $"Sends {what}." + Kill,
        ExpectedBehaviour =
            $"MUST: the peer echoes one text message {(echo.Length == 0 ? "with an empty payload" : $"\"{echo}\"")} (compressed or not; " +
            "the harness decompresses it); the harness then closes with 1000 and the closing handshake completes cleanly. " +
            "No echo, another echo, or failing the connection is FAILED.",
        Script = [.. frames, new KillAfter(Timers.Kill)],
        Expected = Outcomes.Ok(ExpectedEvent.Text(echo)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
        DeflateOffers = DefaultOffer,
    };

    private static ConformanceCase ContextTakeover()
    {
        // No client_no_context_takeover: the harness keeps its compressor's window from one message to the next.
        DeflateOffer[] offers = [new DeflateOffer(ClientMaxWindowBits: ClientWindowBitsOffer.Valueless)];
        return new()
        {
            Id = "15.3.1",
            Category = Category,
            Group = ContextGroup,
            RfcSections = [DeflateRfc.ContextTakeover, DeflateRfc.SharedWindowExample, DeflateRfc.PayloadDecompression],
            Requirement =
                "Unless client_no_context_takeover is agreed, the client's compressor may refer back to the octets of earlier " +
                "messages, so the server's decompressor MUST keep its window from one message to the next. A peer that " +
                "resets it cannot decompress the second message: FAILED.",
            Stimulus =
                Offered(offers) + $"Sends the same {ContextMessageLength}-octet text message (ASCII words) twice, each compressed " +
                "with the harness's compressor keeping its window, so the second copy is a few octets of back-references into " +
                "the first. If the peer's response adds client_no_context_takeover, the harness resets its compressor as agreed " +
                "and the case only checks the two echoes." + Kill,
            ExpectedBehaviour =
                "MUST: the peer echoes both text messages unchanged (compressed or not; the harness decompresses them); the " +
                "harness then closes with 1000 and the closing handshake completes cleanly. A missing or different echo, or " +
                "failing the connection on the second message, is FAILED.",
            Script =
            [
                new SendCompressed(Opcode.Text, ContextMessage),
                new SendCompressed(Opcode.Text, ContextMessage),
                new KillAfter(Timers.Kill),
            ],
            Expected = Outcomes.Ok(ExpectedEvent.TextOctets(ContextMessage), ExpectedEvent.TextOctets(ContextMessage)),
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
            DeflateOffers = offers,
        };
    }

    private static ConformanceCase ServerNoContextTakeover()
    {
        DeflateOffer[] offers = [DeflateOffer.Autobahn(serverNoContextTakeover: true)];
        return new()
        {
            Id = "15.3.2",
            Category = Category,
            Group = ContextGroup,
            RfcSections = [DeflateRfc.ServerNoContextTakeover, DeflateRfc.PayloadCompression],
            Requirement =
                "A server that accepts server_no_context_takeover (it must then include it in its response) MUST start every " +
                "compressed message it sends with an empty window. The harness resets its decompressor per message as agreed, " +
                "so an echo that refers back to an earlier message cannot be decompressed: the harness fails the connection " +
                "and the case is FAILED.",
            Stimulus =
                Offered(offers) + $"Sends the same {ContextMessageLength}-octet text message (ASCII words) three times, each " +
                "compressed: a server compressor that keeps its window would encode the second and third echoes as " +
                "back-references into the previous one." + Kill,
            ExpectedBehaviour =
                "MUST: the peer echoes the three text messages unchanged, each echo decompressible on its own; the harness then " +
                "closes with 1000 and the closing handshake completes cleanly. An echo the harness cannot decompress, or a " +
                "missing or different echo, is FAILED.",
            Script =
            [
                new SendCompressed(Opcode.Text, ContextMessage),
                new SendCompressed(Opcode.Text, ContextMessage),
                new SendCompressed(Opcode.Text, ContextMessage),
                new KillAfter(Timers.Kill),
            ],
            Expected = Outcomes.Ok(
                ExpectedEvent.TextOctets(ContextMessage), ExpectedEvent.TextOctets(ContextMessage), ExpectedEvent.TextOctets(ContextMessage)),
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
            DeflateOffers = offers,
        };
    }

    private static ConformanceCase DecompressionBomb() => new()
    {
        Id = "15.4.1",
        Category = Category,
        Group = LimitsGroup,
        RfcSections = [Rfc.ImplementationLimits, DeflateRfc.PayloadDecompression],
        Requirement =
            "An implementation may limit the size of the messages it accepts, and with permessage-deflate the limit must hold " +
            "for the decompressed size, not for the few KiB on the wire: a small compressed frame can inflate to 16 MiB. " +
            "SHOULD: handle the message (OK) or refuse it cleanly with Close 1009 (Message Too Big) or 1008 (Policy " +
            "Violation), which is INFORMATIONAL; a crash, a drop or a hang is FAILED.",
        Stimulus =
            Offered(DefaultOffer) + $"Sends one binary message of 16 MiB ({BombLength} octets) of zeros, compressed to about 16 KiB " +
            $"(a ratio above 1000 to 1) in one frame with RSV1. Kill timer {Timers.KillLargeFrame.TotalSeconds:0} s.",
        ExpectedBehaviour =
            "OK: the peer echoes one binary message of 16 MiB of zeros (compressed or not; the harness decompresses it), then the " +
            "harness closes with 1000 and the closing handshake completes cleanly. INFORMATIONAL: the peer refuses the message " +
            "with a clean Close 1009 or 1008. FAILED: no echo and no clean refusal (a crash, a drop, a hang until the kill " +
            "timer) or a different echo.",
        Script = [new SendCompressed(Opcode.Binary, BombMessage), new KillAfter(Timers.KillLargeFrame)],
        Expected = Outcomes.Ok(ExpectedEvent.Binary(BombMessage)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
        Rule = VerdictRule.PeerLimitInformational,
        DeflateOffers = DefaultOffer,
    };

    private static ReadOnlyMemory<byte> BuildContextMessage()
    {
        string[] words =
        [
            "window", "context", "message", "deflate", "octets", "sliding", "compressor", "decompressor", "takeover", "reference",
            "distance", "length", "literal", "block", "flush", "frame", "payload", "server", "client", "echo", "the", "a", "of",
            "and", "to", "keeps", "resets", "refers", "back", "earlier", "next", "same", "again",
        ];
        var random = new SplitMix64(0x4354_5854_5441_4B45); // "CTXTTAKE"
        var text = new StringBuilder(ContextMessageLength + 16);
        while (text.Length < ContextMessageLength)
        {
            text.Append(random.Pick(words));
            text.Append(random.Below(9) == 0 ? ". " : " ");
        }
        return Encoding.ASCII.GetBytes(text.ToString(0, ContextMessageLength));
    }

    /// <summary>
    /// Octets that exist only once something reads them: a <see cref="ReadOnlyMemory{T}"/> over this manager has its
    /// length from the start, but the array behind it is made on the first <see cref="GetSpan"/> (any access to the
    /// octets) and then kept. Lets a case carry a 16 MiB payload without the catalogue allocating it when it loads.
    /// </summary>
    private sealed class GeneratedOnFirstUse(int length, Func<byte[]> generate) : MemoryManager<byte>
    {
        private readonly Lazy<byte[]> _octets = new(() =>
        {
            var octets = generate();
            return octets.Length == length ? octets : throw new InvalidOperationException($"Generated {octets.Length} octets, not {length}.");
        }, LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>The memory, without generating the octets (the base class's Memory property would).</summary>
        public new ReadOnlyMemory<byte> Memory => CreateMemory(length);

        public override Span<byte> GetSpan() => _octets.Value;

        public override MemoryHandle Pin(int elementIndex = 0) => _octets.Value.AsMemory(elementIndex).Pin();

        // Pin hands out the array's own handle, which unpins itself; nothing is pinned through this manager.
        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
