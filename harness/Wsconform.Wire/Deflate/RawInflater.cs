using System.Runtime.InteropServices;

namespace Wsconform.Wire.Deflate;

/// <summary>Receives the octets an inflater produces, chunk by chunk; returns false to stop (the message is over a limit).</summary>
public interface IInflatedOctets
{
    bool Accept(ReadOnlySpan<byte> octets);
}

/// <summary>
/// The decompressor of one direction of a permessage-deflate connection (RFC 7692 §7.2.2): compressed fragments are fed
/// as they arrive and inflated into a fixed scratch buffer, so a message that inflates to gigabytes costs no more memory
/// than its consumer keeps; <see cref="FinishMessage"/> appends the <c>00 00 FF FF</c> the sender removed. The window is
/// the one the sender agreed to: a sender that refers further back is reported, not accommodated.
/// </summary>
public sealed unsafe class RawInflater : IMessageInflater
{
    private const int ScratchLength = 64 * 1024;

    private readonly Zlib.ZStream* _stream;
    private readonly byte[] _scratch = new byte[ScratchLength];
    /// <summary>Set when the sender ended its DEFLATE stream (a block with BFINAL): the rest of the message is ignored.</summary>
    private bool _streamEnded;
    private bool _disposed;

    /// <param name="windowBits">The window the sender agreed to use at most, 8–15.</param>
    public RawInflater(int windowBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBits, DeflateAgreement.MinWindowBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowBits, DeflateAgreement.MaxWindowBits);
        Zlib.EnsureAvailable();
        WindowBits = windowBits;
        _stream = Zlib.AllocateStream();
        var code = Zlib.InitRawInflate(_stream, windowBits);
        if (code != Zlib.Ok)
        {
            NativeMemory.Free(_stream);
            throw new InvalidOperationException($"zlib refused a raw inflate stream with window bits {windowBits}: {code}");
        }
    }

    public int WindowBits { get; }

    /// <summary>
    /// Inflates the next compressed octets of the current message. Returns null, or one sentence naming why the data
    /// cannot be decompressed (zlib's reason, e.g. "invalid distance too far back" when the sender used a larger window
    /// than agreed or kept a context it agreed to drop). Stops early, returning null, when the sink refuses more.
    /// </summary>
    public string? Inflate(ReadOnlySpan<byte> compressed, IInflatedOctets sink)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_streamEnded || compressed.IsEmpty) return null;
        fixed (byte* input = compressed)
        fixed (byte* output = _scratch)
        {
            _stream->NextIn = input;
            _stream->AvailIn = (uint)compressed.Length;
            try
            {
                while (true)
                {
                    _stream->NextOut = output;
                    _stream->AvailOut = ScratchLength;
                    var code = Zlib.Inflate(_stream, Zlib.SyncFlush);
                    var produced = ScratchLength - (int)_stream->AvailOut;
                    if (produced > 0 && !sink.Accept(_scratch.AsSpan(0, produced))) return null;
                    switch (code)
                    {
                        case Zlib.StreamEnd:
                            _streamEnded = true;
                            return null;
                        case Zlib.Ok:
                            if (_stream->AvailIn == 0 && _stream->AvailOut != 0) return null;
                            break;
                        case Zlib.BufError:
                            return null;
                        case Zlib.NeedDict:
                            return "the compressed data asks for a preset dictionary, which permessage-deflate does not use";
                        default:
                            return $"the compressed data is not valid DEFLATE: {Zlib.Describe(_stream, code)}";
                    }
                }
            }
            finally
            {
                _stream->NextIn = null;
                _stream->NextOut = null;
            }
        }
    }

    /// <summary>Ends the current message: inflates the removed sync-flush tail (RFC 7692 §7.2.2).</summary>
    public string? FinishMessage(IInflatedOctets sink)
    {
        var problem = Inflate(RawDeflater.SyncTail, sink);
        if (_streamEnded)
        {
            // A final block ends the DEFLATE stream; the next message starts a new one (RFC 7692 §7.2.3.4 allows BFINAL).
            Zlib.InflateReset(_stream);
            _streamEnded = false;
        }
        return problem;
    }

    /// <summary>Forgets the window: the sender agreed to no context takeover (RFC 7692 §7.1.1).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Zlib.InflateReset(_stream);
        _streamEnded = false;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Zlib.InflateEnd(_stream);
        NativeMemory.Free(_stream);
    }
}
