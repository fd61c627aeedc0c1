using System.Buffers;
using Wsconform.Wire.Deflate;
namespace Wsconform.Wire;

/// <summary>
/// Reassembles fragmented messages (RFC 6455 §5.4) and judges them: fragments of two messages must not
/// interleave, a continuation needs an open message, text must be valid UTF-8 over the whole message (§5.6, §8.1,
/// checked incrementally so a failure is reported at the frame where it becomes certain), and a message may not
/// exceed the local limit (§10.4). Control frames are not its business: callers route them elsewhere, which is
/// how control frames injected between fragments (§5.4) are handled.
/// </summary>
/// <remarks>After a violation the assembler's state is undefined (the connection is failed anyway); it never throws.</remarks>
public sealed class MessageAssembler(long maxMessageLength = 64L * 1024 * 1024) : IInflatedOctets
{
    /// <summary>RSV1, the "Per-Message Compressed" bit of permessage-deflate (RFC 7692 §6).</summary>
    public const int CompressedBit = 4;

    /// <summary>
    /// The decompressor for the peer's compressed messages (RFC 7692 §7.2.2), when permessage-deflate was agreed; null
    /// otherwise. Compressed messages are inflated as their frames arrive, and every rule below (size, UTF-8) applies to
    /// the decompressed octets.
    /// </summary>
    public IMessageInflater? Inflater { get; set; }

    /// <summary>The peer agreed to no context takeover: its next message may not refer to this one (RFC 7692 §7.1.1).</summary>
    public bool ResetInflaterPerMessage { get; set; }

    /// <summary>True when the open message has RSV1 on its first frame.</summary>
    private bool _compressed;

    /// <summary>Compressed octets of the open message, for compression ratios.</summary>
    private long _compressedLength;

    private WireViolation? _inflatedViolation;

    private readonly long _maxMessageLength = maxMessageLength;

    /// <summary>Validates text messages across fragments.</summary>
    private readonly Utf8Validator _utf8 = new();

    /// <summary>
    /// The open message's octets, copied as each frame arrives: a reader lends frame payloads only until its next
    /// read (<see cref="FrameReader"/>), so the assembler keeps its own copy.
    /// </summary>
    private readonly ArrayBufferWriter<byte> _fragments = new();

    /// <summary>Opcode-derived type of the open message.</summary>
    private bool _isBinary;

    /// <summary>Octets in <see cref="_fragments"/>.</summary>
    private long _length;

    /// <summary>
    /// When false, messages are still validated and measured but their octets are not kept: a check that needs only a
    /// message's type and length (Autobahn's category 9) then costs no copy of a 16 MiB echo.
    /// </summary>
    public bool RetainPayload { get; set; } = true;

    /// <summary>
    /// When true (and payloads are retained), a completed message's payload is lent from the assembler's own buffer
    /// instead of copied: it is valid only until the next data frame is accepted. For a caller that checks each message
    /// at once, as a compression trial does with 1000 echoes of up to 128 KiB.
    /// </summary>
    public bool LendPayload { get; set; }

    /// <summary>Frames of the open message, counted even when payloads are not retained.</summary>
    private int _frameCount;

    /// <summary>True between a text/binary frame with FIN=0 and the continuation frame with FIN=1.</summary>
    public bool InMessage { get; private set; }

    /// <summary>Takes the next data frame (opcode 0x0, 0x1 or 0x2).</summary>
    /// <exception cref="ArgumentException">Any other opcode: control and reserved frames are not message fragments.</exception>
    public AssemblyStep Accept(ReceivedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        int opcode = frame.Header.Opcode;
        switch (opcode)
        {
            case (int)Opcode.Continuation when !InMessage:
                return Violation(
                    WireRule.OrphanContinuation,
                    "RFC 6455 §5.4",
                    "continuation frame (opcode 0x0) arrived with no fragmented message in progress",
                    WireViolation.ProtocolError);
            case (int)Opcode.Text or (int)Opcode.Binary when InMessage:
                return Violation(
                    WireRule.InterleavedMessage,
                    "RFC 6455 §5.4",
                    $"{(opcode == (int)Opcode.Text ? "text" : "binary")} frame (opcode 0x{opcode:X}) arrived while a fragmented message was still open; fragments of two messages must not interleave",
                    WireViolation.ProtocolError);
            case (int)Opcode.Text or (int)Opcode.Binary:
                Start(opcode == (int)Opcode.Binary);
                break;
            case (int)Opcode.Continuation:
                break;
            default:
                throw new ArgumentException(
                    $"opcode 0x{opcode:X} is not a data frame; route control and reserved frames elsewhere", nameof(frame));
        }

        if (opcode != (int)Opcode.Continuation)
        {
            _compressed = (frame.Header.Rsv & CompressedBit) != 0;
            if (_compressed && Inflater is null)
            {
                return Violation(WireRule.ReservedBits, "RFC 6455 §5.2", "RSV1 set on a data frame although no permessage-deflate was agreed",
                    WireViolation.ProtocolError);
            }
        }

        var payload = frame.Payload.Span;
        _frameCount++;
        if (_compressed)
        {
            _compressedLength += payload.Length;
            if (Inflate(Inflater!.Inflate(payload, this)) is { } inflateViolation) return inflateViolation;
        }
        else if (Append(payload) is { } appendViolation)
        {
            return Violation(appendViolation);
        }

        if (!frame.Header.Fin)
        {
            return default;
        }

        if (_compressed)
        {
            // RFC 7692 §7.2.2: the receiver appends the 00 00 FF FF the sender removed, then inflates the rest.
            if (Inflate(Inflater!.FinishMessage(this)) is { } inflateViolation) return inflateViolation;
            if (ResetInflaterPerMessage) Inflater.Reset();
        }

        if (!_isBinary && !_utf8.IsAtCodePointBoundary)
        {
            return Violation(
                WireRule.InvalidUtf8Text,
                "RFC 6455 §8.1",
                $"text message of {_length} octets ends inside a code point (frame {_frameCount} has FIN=1)",
                WireViolation.InvalidPayloadData);
        }

        var message = new CompletedMessage(_isBinary, Concatenate(), _frameCount, _length) { CompressedLength = _compressed ? _compressedLength : null };
        InMessage = false;
        _fragments.ResetWrittenCount();
        _length = 0;
        _frameCount = 0;
        return new AssemblyStep(message, null);
    }

    /// <summary>
    /// Takes the next octets of the message as the application sees them (decompressed, when it was compressed): the
    /// size limit, UTF-8 for text, and the copy when payloads are retained.
    /// </summary>
    private WireViolation? Append(ReadOnlySpan<byte> octets)
    {
        if (_length + octets.Length > _maxMessageLength)
        {
            return new WireViolation(
                WireRule.MessageTooLong,
                "RFC 6455 §10.4",
                $"message reaches {_length + octets.Length} octets{(_compressed ? " once decompressed" : "")} after {_frameCount} frame(s); the limit is {_maxMessageLength}",
                WireViolation.MessageTooBig);
        }

        if (!_isBinary && !_utf8.Feed(octets))
        {
            return new WireViolation(
                WireRule.InvalidUtf8Text,
                "RFC 6455 §8.1",
                $"text message is not valid UTF-8: octet {_utf8.FailedAt} of the message{(_compressed ? " (decompressed)" : "")} (frame {_frameCount}) cannot continue any valid sequence",
                WireViolation.InvalidPayloadData);
        }

        if (RetainPayload) _fragments.Write(octets);
        _length += octets.Length;
        return null;
    }

    bool IInflatedOctets.Accept(ReadOnlySpan<byte> octets)
    {
        _inflatedViolation = Append(octets);
        return _inflatedViolation is null;
    }

    /// <summary>The violation an inflation step ran into: from the decompressed octets, or from the compressed data itself.</summary>
    private AssemblyStep? Inflate(string? problem)
    {
        if (_inflatedViolation is { } violation)
        {
            _inflatedViolation = null;
            return Violation(violation);
        }
        if (problem is null) return null;
        // RFC 7692 §7.2.2 leaves the code open; 1007 is RFC 6455's code for data inconsistent with the message (§7.4.1).
        return Violation(WireRule.InvalidCompressedData, "RFC 7692 §7.2.2", $"a compressed message cannot be decompressed: {problem}",
            WireViolation.InvalidPayloadData);
    }

    private void Start(bool isBinary)
    {
        InMessage = true;
        _compressedLength = 0;
        _isBinary = isBinary;
        _fragments.ResetWrittenCount();
        _length = 0;
        _frameCount = 0;
        _utf8.Reset();
    }

    private ReadOnlyMemory<byte> Concatenate() =>
        _fragments.WrittenCount == 0 ? ReadOnlyMemory<byte>.Empty
        : LendPayload ? _fragments.WrittenMemory
        : _fragments.WrittenSpan.ToArray();

    private AssemblyStep Violation(WireRule rule, string section, string description, int closeCode) =>
        Violation(new WireViolation(rule, section, description, closeCode));

    private AssemblyStep Violation(WireViolation violation)
    {
        InMessage = false;
        _fragments.ResetWrittenCount();
        _length = 0;
        return new AssemblyStep(null, violation);
    }
}
