using System.Buffers;

namespace Wsconform.Wire.Deflate;

/// <summary>
/// The compressor of one direction of a permessage-deflate connection (RFC 7692 §7.2.1): raw DEFLATE, one sync flush
/// per message with the trailing <c>00 00 FF FF</c> removed, the LZ77 context kept across messages unless the
/// negotiation asked for no context takeover (<see cref="Reset"/> per message). Default level and memLevel 8, as
/// Autobahn's zlib compressor uses.
/// </summary>
public sealed unsafe class RawDeflater : IDisposable
{
    private readonly Zlib.ZStream* _stream;
    private bool _disposed;

    /// <param name="windowBits">The largest window the peer accepts, 8–15.</param>
    public RawDeflater(int windowBits, int level = Zlib.DefaultCompression)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBits, DeflateAgreement.MinWindowBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowBits, DeflateAgreement.MaxWindowBits);
        Zlib.EnsureAvailable();
        WindowBits = windowBits;
        // zlib (since 1.2.9) refuses a raw deflate window of 8. Huffman-only coding makes no back-references at all, so
        // its output is valid for a 256-octet window; a 9-bit window with matches would not be (netty#8702, websockets#1757).
        HuffmanOnly = windowBits == DeflateAgreement.MinWindowBits;
        _stream = Zlib.AllocateStream();
        var code = Zlib.InitRawDeflate(_stream, level, HuffmanOnly ? 9 : windowBits, memLevel: 8, HuffmanOnly ? Zlib.HuffmanOnly : Zlib.DefaultStrategy);
        if (code != Zlib.Ok)
        {
            System.Runtime.InteropServices.NativeMemory.Free(_stream);
            throw new InvalidOperationException($"zlib refused a raw deflate stream with window bits {windowBits}: {code}");
        }
    }

    /// <summary>The window the peer imposed.</summary>
    public int WindowBits { get; }

    /// <summary>True when the window is 8 and the compressor therefore codes literals only (see the constructor).</summary>
    public bool HuffmanOnly { get; }

    /// <summary>Compresses one whole message and appends it to <paramref name="output"/>, without the sync-flush tail.</summary>
    public void Compress(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (message.IsEmpty)
        {
            // zlib emits nothing for a flush right after a flush. An empty message is an empty stored block, 00 00 00 FF FF,
            // which is 00 once the tail is removed (RFC 7692 §7.2.3.6); the stream is byte-aligned after every message.
            output.Write([(byte)0x00]);
            return;
        }
        // Deflate into a scratch buffer first: the 4-octet tail to drop is only known once the flush is complete.
        var produced = 0;
        fixed (byte* input = message)
        {
            _stream->NextIn = input;
            _stream->AvailIn = (uint)message.Length;
            while (true)
            {
                // Worst case is stored blocks (5 octets per 64 KiB) plus the flush marker; most messages need one round.
                EnsureScratch(produced + message.Length + (message.Length >> 12) * 5 + 64);
                fixed (byte* destination = _scratch)
                {
                    _stream->NextOut = destination + produced;
                    _stream->AvailOut = (uint)(_scratch.Length - produced);
                    var code = Zlib.Deflate(_stream, Zlib.SyncFlush);
                    if (code != Zlib.Ok && code != Zlib.BufError)
                        throw new InvalidOperationException($"zlib deflate failed: {Zlib.Describe(_stream, code)}");
                    produced = _scratch.Length - (int)_stream->AvailOut;
                    var done = _stream->AvailOut != 0 && _stream->AvailIn == 0;
                    _stream->NextIn = _stream->AvailIn == 0 ? null : _stream->NextIn;
                    _stream->NextOut = null;
                    if (done) break;
                }
            }
        }
        _stream->NextIn = null;
        if (produced < 4 || !_scratch.AsSpan(produced - 4, 4).SequenceEqual(SyncTail))
            throw new InvalidOperationException("zlib's sync flush did not end with 00 00 FF FF");
        output.Write(_scratch.AsSpan(0, produced - 4));
    }

    private byte[] _scratch = [];

    private void EnsureScratch(int size)
    {
        if (_scratch.Length >= size) return;
        var grown = new byte[Math.Max(size, _scratch.Length * 2)];
        _scratch.CopyTo(grown, 0);
        _scratch = grown;
    }

    /// <summary>The octets a sync flush ends with, removed by the sender and appended by the receiver (RFC 7692 §7.2.1, §7.2.2).</summary>
    public static ReadOnlySpan<byte> SyncTail => [0x00, 0x00, 0xFF, 0xFF];

    /// <summary>Forgets the LZ77 context: the next message refers to nothing sent before (no context takeover, §7.1.1).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Zlib.DeflateReset(_stream);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Zlib.DeflateEnd(_stream);
        System.Runtime.InteropServices.NativeMemory.Free(_stream);
    }
}
