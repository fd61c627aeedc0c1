using System.Buffers;
using Wsconform.Engine.Handshake;
using Wsconform.Wire;
using Wsconform.Wire.Deflate;

namespace Wsconform.Tests.Peers;

/// <summary>
/// permessage-deflate (RFC 7692) in the faulty server: the negotiation, the inflater of the client's messages and the
/// compressor of the echoes, each bent by the compression faults of <see cref="ServerFault"/>.
/// </summary>
public sealed partial class FaultyServer
{
    /// <summary>
    /// The answer to the request's permessage-deflate offers (RFC 7692 §5): the first valid offer is accepted as it
    /// stands (<see cref="DeflateServerPolicy.Default"/>); null declines them all (no offer, none valid, or
    /// <see cref="ServerFault.NoDeflate"/>). Returns the Sec-WebSocket-Extensions value and the agreement it settles.
    /// </summary>
    private (string Response, DeflateAgreement Agreement)? NegotiateDeflate(HttpHead request)
    {
        if (Has(ServerFault.NoDeflate)) return null;
        if (DeflateNegotiation.Accept(request.Values("Sec-WebSocket-Extensions"), DeflateServerPolicy.Default) is not { } acceptance) return null;
        // §7.1.2.2: a response may carry client_max_window_bits only when the offer had it. The client compresses with a
        // 15-bit window without the parameter, so the faulty value changes nothing but the validity of the response.
        if (Has(ServerFault.ClientWindowBitsNotOffered) && !acceptance.Offer.ClientMaxWindowBits.Offered)
            return ($"{acceptance.Response}; client_max_window_bits={DeflateAgreement.MaxWindowBits}", acceptance.Agreement);
        return (acceptance.Response, acceptance.Agreement);
    }

    /// <summary>
    /// One connection's permessage-deflate: the inflater handed to the message assembler (client's direction) and the
    /// compressor of the echoes (server's direction), under the agreed window and context rules unless a fault says
    /// otherwise.
    /// </summary>
    private sealed class EchoCompression(FaultyServer server, DeflateAgreement agreement) : IDisposable
    {
        /// <summary>The server's compressor: the agreed server_max_window_bits (§7.1.2.1), or 15 with <see cref="ServerFault.LargerWindowThanAgreed"/>.</summary>
        private readonly RawDeflater _deflater = new(server.Has(ServerFault.LargerWindowThanAgreed) ? DeflateAgreement.MaxWindowBits : agreement.ServerMaxWindowBits);

        /// <summary>§7.1.1.1: with server_no_context_takeover every echo starts with an empty window.</summary>
        private readonly bool _resetDeflaterPerMessage = agreement.ServerNoContextTakeover && !server.Has(ServerFault.KeepsContextDespiteNoContextTakeover);

        /// <summary>The client's messages are inflated with the window it agreed to (client_max_window_bits, 15 when absent).</summary>
        private readonly IMessageInflater _inflater = MessageInflater.For(agreement.ClientMaxWindowBits);

        private readonly ArrayBufferWriter<byte> _compressed = new();

        /// <summary>Hands the inflater to <paramref name="assembler"/>, which then inflates every message with RSV1 (RFC 7692 §6.2, §7.2.2).</summary>
        public void Attach(MessageAssembler assembler)
        {
            assembler.Inflater = _inflater;
            // §7.1.1.2: only a client that agreed to client_no_context_takeover may be decompressed with a fresh window
            // per message; one that did not may refer back to its earlier messages.
            assembler.ResetInflaterPerMessage = agreement.ClientNoContextTakeover || server.Has(ServerFault.ResetsInflaterDespiteContextTakeover);
        }

        /// <summary>
        /// The frames of one compressed echo (RFC 7692 §7.2.1): raw DEFLATE with the sync-flush tail removed, RSV1 on the
        /// first frame only (§6.1), one frame unless <see cref="ServerFault.Rsv1OnContinuation"/> splits it in two.
        /// </summary>
        public IReadOnlyList<FrameSpec> EchoFrames(Opcode opcode, ReadOnlySpan<byte> message)
        {
            _compressed.ResetWrittenCount();
            _deflater.Compress(message, _compressed);
            if (_resetDeflaterPerMessage) _deflater.Reset();
            var payload = _compressed.WrittenSpan.ToArray();
            // The middle octet is coded data (the last one may hold only the padding after the empty stored block's
            // header); an empty message compresses to the single octet 00, which flipped is an invalid block type.
            if (server.Has(ServerFault.CorruptCompressedEcho)) payload[payload.Length / 2] ^= 0xFF;
            if (!server.Has(ServerFault.Rsv1OnContinuation)) return [FrameSpec.Of(opcode, payload, rsv: MessageAssembler.CompressedBit)];
            // Two frames even for a 1-octet payload (then the continuation is empty), RSV1 set on both.
            var half = (payload.Length + 1) / 2;
            return
            [
                FrameSpec.Of(opcode, payload.AsMemory(0, half), fin: false, rsv: MessageAssembler.CompressedBit),
                FrameSpec.Of(Opcode.Continuation, payload.AsMemory(half), fin: true, rsv: MessageAssembler.CompressedBit),
            ];
        }

        public void Dispose()
        {
            _deflater.Dispose();
            _inflater.Dispose();
        }
    }

    private sealed partial class ConnectionHandler
    {
        /// <summary>
        /// The fail-fast UTF-8 check reads frame payloads as they arrive, but a compressed text message's payload is DEFLATE
        /// data: it is shown a compressed text frame as binary (so its continuations are skipped too), and the assembler
        /// checks the decompressed text instead. Without permessage-deflate frames go through unchanged.
        /// </summary>
        private ReceivedFrame CompressedTextAsBinary(ReceivedFrame frame) =>
            IsCompressedText(frame.Header) ? new ReceivedFrame(frame.Header with { Opcode = (int)Opcode.Binary }, frame.Payload, frame.Violations) : frame;

        private FrameHeader? CompressedTextAsBinary(FrameHeader? header) =>
            header is { } h && IsCompressedText(h) ? h with { Opcode = (int)Opcode.Binary } : header;

        private bool IsCompressedText(FrameHeader header) =>
            _compression is not null && header.Opcode == (int)Opcode.Text && (header.Rsv & MessageAssembler.CompressedBit) != 0;

        /// <summary>
        /// With <see cref="ServerFault.RejectsEmptyCompressedFragments"/>: a frame payload that adds no octets to the
        /// inflated message, the empty frame or the single octet 00 (an empty stored block once 00 00 ff ff follows,
        /// RFC 7692 §7.2.3.6).
        /// </summary>
        private static bool InflatesToNothing(ReadOnlySpan<byte> payload) => payload.IsEmpty || payload is [0x00];
    }
}
