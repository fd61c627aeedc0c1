using System.Buffers;
using Wsconform.Model;
using Wsconform.Wire;
using Wsconform.Wire.Deflate;

namespace Wsconform.Engine.Session;

/// <summary>
/// permessage-deflate on one connection, as agreed in its handshake (RFC 7692 §7.1): the harness's compressor, held to
/// the window and context rules of its own direction, the decompressor for the peer's direction (handed to the message
/// assembler), and the octet counts for compression ratios.
/// </summary>
internal sealed class SessionCompression : IDisposable
{
    private readonly DeflateAgreement _agreement;
    private readonly RawDeflater _deflater;
    private readonly bool _resetDeflaterPerMessage;
    private readonly ArrayBufferWriter<byte> _compressed = new();
    private long _sentOctets;
    private long _sentCompressedOctets;
    private long _receivedOctets;
    private long _receivedCompressedOctets;

    /// <param name="role">The harness's role: a client compresses under the client_* parameters, a server under server_*.</param>
    public SessionCompression(DeflateAgreement agreement, EndpointRole role, MessageAssembler assembler)
    {
        _agreement = agreement;
        var client = role == EndpointRole.Client;
        _deflater = new RawDeflater(client ? agreement.ClientMaxWindowBits : agreement.ServerMaxWindowBits);
        _resetDeflaterPerMessage = client ? agreement.ClientNoContextTakeover : agreement.ServerNoContextTakeover;
        assembler.Inflater = MessageInflater.For(client ? agreement.ServerMaxWindowBits : agreement.ClientMaxWindowBits);
        // A peer that agreed to no context takeover may be decompressed with a fresh window per message; resetting makes
        // a peer that keeps its context anyway fail visibly (its back-references reach into nothing).
        assembler.ResetInflaterPerMessage = client ? agreement.ServerNoContextTakeover : agreement.ClientNoContextTakeover;
        Inflater = assembler.Inflater;
    }

    private IMessageInflater Inflater { get; }

    /// <summary>
    /// Compresses one message (RFC 7692 §7.2.1). The returned octets are valid until the next call; the context carries
    /// over to the next message unless this direction agreed to no context takeover.
    /// </summary>
    public ReadOnlyMemory<byte> Compress(ReadOnlySpan<byte> message)
    {
        _compressed.ResetWrittenCount();
        _deflater.Compress(message, _compressed);
        if (_resetDeflaterPerMessage) _deflater.Reset();
        Interlocked.Add(ref _sentOctets, message.Length);
        Interlocked.Add(ref _sentCompressedOctets, _compressed.WrittenCount);
        return _compressed.WrittenMemory;
    }

    /// <summary>
    /// Counts a received data message: its octets as the application sees them and on the wire (the same for a message
    /// the peer chose not to compress, which RFC 7692 §6 allows), so the incoming ratio is Autobahn's.
    /// </summary>
    public void CountReceived(CompletedMessage message)
    {
        Interlocked.Add(ref _receivedOctets, message.Length);
        Interlocked.Add(ref _receivedCompressedOctets, message.CompressedLength ?? message.Length);
    }

    public CompressionStats Stats() => new(_agreement.Response, Interlocked.Read(ref _sentOctets), Interlocked.Read(ref _sentCompressedOctets),
        Interlocked.Read(ref _receivedOctets), Interlocked.Read(ref _receivedCompressedOctets));

    public void Dispose()
    {
        _deflater.Dispose();
        Inflater.Dispose();
    }
}
