using System.Buffers;
using System.Buffers.Binary;

namespace Wsconform.Wire;

//  RFC 6455 §5.2 base framing protocol:
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-------+-+-------------+-------------------------------+
//  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
//  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
//  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
//  | |1|2|3|       |K|             |                               |
//  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
//  |     Extended payload length continued, if payload len == 127  |
//  + - - - - - - - - - - - - - - - +-------------------------------+
//  |                               |Masking-key, if MASK set to 1  |
//  +-------------------------------+-------------------------------+
//  | Masking-key (continued)       |          Payload Data         |
//  +-------------------------------- - - - - - - - - - - - - - - - +
//  :                     Payload Data continued ...                :
//  + - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - +
//  |                     Payload Data continued ...                |
//  +---------------------------------------------------------------+
//
//  The reader needs octet 1 to know the header length: 2, plus 2 or 8 octets of extended length when the 7-bit
//  field is 126 or 127, plus 4 octets of masking key when MASK is set — at most 14.

/// <summary>
/// Incremental frame reader that never trusts the peer. Octets may arrive in any chunking (one at a time
/// included); header parts and partial payloads are buffered across <see cref="Feed"/> calls. Rule violations are
/// recorded on each <see cref="ReceivedFrame"/> instead of thrown, so the harness can report them; only a header
/// that makes the rest of the stream unreadable stops the reader (<see cref="StoppedBy"/>).
/// </summary>
/// <remarks>
/// <para>
/// A claimed length never drives an allocation: the payload buffer grows only as octets actually arrive (doubling,
/// bounded by the claim), so a header claiming 2^62 octets costs nothing.
/// </para>
/// <para>
/// Nothing is allocated per frame for payloads: every payload is unmasked into one buffer the reader owns (rented from
/// the shared pool) and <b>lent</b>: a <see cref="ReceivedFrame.Payload"/> is valid until the next call to
/// <see cref="Feed"/> on the same reader. A consumer that keeps a payload copies it. Dispose the reader to give the
/// buffer back to the pool.
/// </para>
/// </remarks>
public sealed class FrameReader(FrameReaderOptions options) : IDisposable
{
    /// <summary>Initial payload buffer size cap: large enough for typical frames, small enough to be harmless.</summary>
    private const int InitialPayloadBuffer = 64 * 1024;

    private readonly FrameReaderOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Header octets received so far; sized for the longest header.</summary>
    private readonly byte[] _header = new byte[FrameConstants.MaxHeaderLength];

    /// <summary>Octets of <see cref="_header"/> filled.</summary>
    private int _headerCount;

    /// <summary>Full header length, known once octet 1 has arrived (0 before).</summary>
    private int _headerLength;

    /// <summary>True while receiving the payload of <see cref="_current"/>.</summary>
    private bool _inPayload;

    /// <summary>Header of the frame whose payload is being received.</summary>
    private FrameHeader _current;

    /// <summary>The lending buffer: payloads of the frames completed in the current <see cref="Feed"/>, then the frame in progress.</summary>
    private byte[] _payload = [];

    /// <summary>Where the payload of the frame in progress starts in <see cref="_payload"/>.</summary>
    private int _frameStart;

    /// <summary>Octets of the frame in progress received so far.</summary>
    private int _payloadCount;

    /// <summary>Buffers outgrown during this <see cref="Feed"/> that still back lent payloads; returned at the next one.</summary>
    private readonly List<byte[]> _retired = [];

    /// <summary>Masking key octet for the next payload octet, so unmasking resumes across chunks.</summary>
    private int _maskIndex;

    /// <summary>Set when the stream cannot be parsed any further; later input is ignored.</summary>
    public WireViolation? StoppedBy { get; private set; }

    /// <summary>
    /// The header of the frame whose payload is still arriving, if any. Lets a receiver act on a frame before it is
    /// complete, e.g. fail fast on invalid UTF-8 inside one large text frame (Autobahn 6.4.3, 6.4.4).
    /// </summary>
    public FrameHeader? PartialFrameHeader => _inPayload ? _current : null;

    /// <summary>The unmasked payload octets of <see cref="PartialFrameHeader"/>'s frame received so far.</summary>
    public ReadOnlySpan<byte> PartialPayload => _inPayload ? _payload.AsSpan(_frameStart, _payloadCount) : default;

    /// <summary>True when some octets of a frame (header or payload) have been buffered but the frame is not complete.</summary>
    public bool HasPartialFrame => _headerCount > 0 || _inPayload;

    /// <summary>Consumes all of <paramref name="data"/>, appending every frame it completes to <paramref name="frames"/> in order.</summary>
    public void Feed(ReadOnlySpan<byte> data, List<ReceivedFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ReclaimLentPayloads();
        while (!data.IsEmpty && StoppedBy is null)
        {
            int consumed = _inPayload ? ReadPayload(data, frames) : ReadHeader(data, frames);
            data = data[consumed..];
        }
    }

    private int ReadHeader(ReadOnlySpan<byte> data, List<ReceivedFrame> frames)
    {
        int wanted = _headerLength == 0 ? 2 : _headerLength;
        int take = Math.Min(wanted - _headerCount, data.Length);
        data[..take].CopyTo(_header.AsSpan(_headerCount));
        _headerCount += take;
        if (_headerCount < wanted)
        {
            return take;
        }

        if (_headerLength == 0)
        {
            bool masked = (_header[1] & 0x80) != 0;
            _headerLength = 2
                + LengthTier.ExtendedOctetsForMarker(_header[1] & 0x7F)
                + (masked ? FrameConstants.MaskLength : 0);
            if (_headerLength > _headerCount)
            {
                return take;
            }
        }

        FrameHeader header = ParseHeader();
        _headerCount = 0;
        _headerLength = 0;

        if (StopReason(header) is { } stop)
        {
            StoppedBy = stop;
            return take;
        }

        _current = header;
        _maskIndex = 0;
        _payloadCount = 0;
        if (header.PayloadLength == 0)
        {
            Complete(frames);
        }
        else
        {
            _inPayload = true;
        }

        return take;
    }

    private FrameHeader ParseHeader()
    {
        byte b0 = _header[0];
        byte b1 = _header[1];
        bool masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;
        ulong length;
        LengthEncoding encoding;
        int offset = 2;
        switch (length7)
        {
            case LengthTier.Marker16:
                length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(offset));
                offset += 2;
                encoding = length <= LengthTier.Max7Bit ? LengthEncoding.Extended16 : LengthEncoding.Minimal;
                break;
            case LengthTier.Marker64:
                length = BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(offset));
                offset += 8;
                encoding = length <= ushort.MaxValue ? LengthEncoding.Extended64 : LengthEncoding.Minimal;
                break;
            default:
                length = (ulong)length7;
                encoding = LengthEncoding.Minimal;
                break;
        }

        uint key = masked ? BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(offset)) : 0;
        return new FrameHeader(
            Opcode: b0 & 0x0F,
            Fin: (b0 & 0x80) != 0,
            Rsv: (b0 >> 4) & 0x7,
            Masked: masked,
            MaskKey: key,
            PayloadLength: length,
            HeaderLength: _headerLength,
            Encoding: encoding);
    }

    /// <summary>A header after which the stream cannot be read on: the frame boundary is lost or the size refused.</summary>
    private WireViolation? StopReason(FrameHeader header)
    {
        if (header.PayloadLength > long.MaxValue)
        {
            return new WireViolation(
                WireRule.LengthTopBitSet,
                "RFC 6455 §5.2",
                $"64-bit payload length 0x{header.PayloadLength:x16} has its most significant bit set; it must be 0",
                WireViolation.ProtocolError);
        }

        // One frame's payload is held in one array, so the limit can never exceed Array.MaxLength.
        long limit = Math.Clamp(_options.MaxPayloadLength, 0, Array.MaxLength);
        if (header.PayloadLength > (ulong)limit)
        {
            // A control frame this long is a framing error first (§5.5), not merely a size the reader refuses.
            return header.IsControl
                ? new WireViolation(
                    WireRule.ControlFrameTooLong,
                    "RFC 6455 §5.5",
                    $"control frame (opcode 0x{header.Opcode:X}) claims {header.PayloadLength} octets; at most {FrameConstants.MaxControlPayloadLength} are allowed",
                    WireViolation.ProtocolError)
                : new WireViolation(
                    WireRule.FrameTooLong,
                    "RFC 6455 §10.4",
                    $"frame (opcode 0x{header.Opcode:X}) claims {header.PayloadLength} octets; the limit is {limit}",
                    WireViolation.MessageTooBig);
        }

        return null;
    }

    private int ReadPayload(ReadOnlySpan<byte> data, List<ReceivedFrame> frames)
    {
        int length = (int)_current.PayloadLength;
        int take = Math.Min(length - _payloadCount, data.Length);
        EnsureCapacity(take, length);

        Span<byte> destination = _payload.AsSpan(_frameStart + _payloadCount, take);
        if (_current.Masked)
        {
            _maskIndex = PayloadMask.Apply(data[..take], destination, _current.MaskKey, _maskIndex);
        }
        else
        {
            data[..take].CopyTo(destination);
        }

        _payloadCount += take;
        if (_payloadCount == length)
        {
            _inPayload = false;
            Complete(frames);
        }

        return take;
    }

    /// <summary>
    /// Makes room for <paramref name="more"/> octets of the frame in progress, never beyond its claimed length. An
    /// outgrown buffer may still back payloads lent during this <see cref="Feed"/>, so it is retired, not reused, and only
    /// the frame in progress moves to the new one.
    /// </summary>
    private void EnsureCapacity(int more, int claimed)
    {
        int needed = _frameStart + _payloadCount + more;
        if (needed <= _payload.Length)
        {
            return;
        }

        // Doubling amortises growth; 64 KiB is always allowed (a constant, harmless amount, and room for many small
        // frames); beyond that the buffer never exceeds what the frame in progress claims, let alone what has arrived.
        int frameNeeds = _payloadCount + more;
        int size = Math.Max(frameNeeds, Math.Min(Math.Max(InitialPayloadBuffer, _payload.Length * 2), Math.Max(claimed, InitialPayloadBuffer)));
        byte[] grown = ArrayPool<byte>.Shared.Rent(size);
        _payload.AsSpan(_frameStart, _payloadCount).CopyTo(grown);
        Retire(_payload);
        _payload = grown;
        _frameStart = 0;
    }

    /// <summary>Starts a <see cref="Feed"/>: payloads lent before are given back, and the frame in progress moves to the front.</summary>
    private void ReclaimLentPayloads()
    {
        foreach (byte[] buffer in _retired)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _retired.Clear();
        if (_frameStart > 0)
        {
            _payload.AsSpan(_frameStart, _inPayload ? _payloadCount : 0).CopyTo(_payload);
            _frameStart = 0;
        }
    }

    private void Retire(byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            _retired.Add(buffer);
        }
    }

    private void Complete(List<ReceivedFrame> frames)
    {
        FrameHeader header = _current;
        ReadOnlyMemory<byte> payload = _payloadCount == 0 ? ReadOnlyMemory<byte>.Empty : _payload.AsMemory(_frameStart, _payloadCount);
        _frameStart += _payloadCount;
        _payloadCount = 0;
        frames.Add(new ReceivedFrame(header, payload, Judge(header, payload.Span)));
    }

    /// <summary>Gives the lending buffer back to the pool. Payloads lent by the last <see cref="Feed"/> become invalid.</summary>
    public void Dispose()
    {
        ReclaimLentPayloads();
        Retire(_payload);
        ReclaimLentPayloads();
        _payload = [];
    }

    /// <summary>Every rule of RFC 6455 the frame breaks, in header order.</summary>
    private IReadOnlyList<WireViolation> Judge(FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (IsConforming(header, payload))
        {
            return [];
        }

        var violations = new List<WireViolation>();
        string op = $"opcode 0x{header.Opcode:X}";

        if (_options.ExpectMasked && !header.Masked)
        {
            violations.Add(new WireViolation(
                WireRule.UnmaskedClientFrame,
                "RFC 6455 §5.1",
                $"unmasked frame ({op}) from a client; a client must mask every frame it sends",
                WireViolation.ProtocolError));
        }
        else if (!_options.ExpectMasked && header.Masked)
        {
            violations.Add(new WireViolation(
                WireRule.MaskedServerFrame,
                "RFC 6455 §5.1",
                $"masked frame ({op}, key 0x{header.MaskKey:x8}) from a server; a server must not mask frames",
                WireViolation.ProtocolError));
        }

        int unexpectedRsv = header.Rsv & ~AllowedRsvFor(header.Opcode);
        if (unexpectedRsv != 0)
        {
            // Only the negotiated bit, on the wrong frame: RFC 7692's rule. Any other bit: RFC 6455's.
            violations.Add((unexpectedRsv & ~_options.AllowedRsv) == 0
                ? new WireViolation(
                    WireRule.CompressedBitMisplaced,
                    "RFC 7692 §6.1",
                    $"RSV1 (\"Per-Message Compressed\") set on a {(header.IsControl ? "control frame" : "continuation frame")} ({op}); it belongs on the first frame of a data message only",
                    WireViolation.ProtocolError)
                : new WireViolation(
                    WireRule.ReservedBits,
                    "RFC 6455 §5.2",
                    $"{RsvNames(unexpectedRsv)} set ({op}, RSV={header.Rsv}) without a negotiated extension defining it",
                    WireViolation.ProtocolError));
        }

        if (OpcodeRules.IsReserved(header.Opcode))
        {
            violations.Add(new WireViolation(
                WireRule.ReservedOpcode,
                "RFC 6455 §5.2",
                $"reserved {op} used; 0x3–0x7 and 0xB–0xF are reserved for further frame types",
                WireViolation.ProtocolError));
        }

        if (!header.IsMinimalLength)
        {
            int marker = header.Encoding == LengthEncoding.Extended16 ? LengthTier.Marker16 : LengthTier.Marker64;
            violations.Add(new WireViolation(
                WireRule.NonMinimalLength,
                "RFC 6455 §5.2",
                $"payload length {header.PayloadLength} encoded in the {(marker == LengthTier.Marker16 ? 16 : 64)}-bit form (length field {marker}); the minimal encoding is required",
                WireViolation.ProtocolError));
        }

        if (header.IsControl)
        {
            if (header.PayloadLength > FrameConstants.MaxControlPayloadLength)
            {
                violations.Add(new WireViolation(
                    WireRule.ControlFrameTooLong,
                    "RFC 6455 §5.5",
                    $"control frame ({op}) carries {header.PayloadLength} octets; at most {FrameConstants.MaxControlPayloadLength} are allowed",
                    WireViolation.ProtocolError));
            }

            if (!header.Fin)
            {
                violations.Add(new WireViolation(
                    WireRule.ControlFrameFragmented,
                    "RFC 6455 §5.5",
                    $"control frame ({op}) has FIN=0; control frames must not be fragmented",
                    WireViolation.ProtocolError));
            }

            if (header.Opcode == (int)Opcode.Close)
            {
                CloseBody.AddViolations(payload, violations);
            }
        }

        return violations;
    }

    /// <summary>
    /// The common case, answered without allocating: no rule of <see cref="Judge"/> is broken. It must say false
    /// whenever <see cref="Judge"/> could find a violation.
    /// </summary>
    private bool IsConforming(FrameHeader header, ReadOnlySpan<byte> payload) =>
        header.Masked == _options.ExpectMasked
        && (header.Rsv & ~AllowedRsvFor(header.Opcode)) == 0
        && !OpcodeRules.IsReserved(header.Opcode)
        && header.IsMinimalLength
        && (!header.IsControl || (header.Fin && header.PayloadLength <= FrameConstants.MaxControlPayloadLength && header.Opcode != (int)Opcode.Close));

    /// <summary>
    /// The negotiated RSV bits apply to the first frame of a data message only: permessage-deflate's RSV1 on a control
    /// frame or a continuation frame is a violation (RFC 7692 §6.1), and it is the only extension the harness negotiates.
    /// </summary>
    private int AllowedRsvFor(int opcode) =>
        opcode is (int)Opcode.Text or (int)Opcode.Binary ? _options.AllowedRsv : 0;

    private static string RsvNames(int rsv)
    {
        var names = new List<string>(3);
        if ((rsv & 4) != 0)
        {
            names.Add("RSV1");
        }

        if ((rsv & 2) != 0)
        {
            names.Add("RSV2");
        }

        if ((rsv & 1) != 0)
        {
            names.Add("RSV3");
        }

        return string.Join("+", names);
    }
}
