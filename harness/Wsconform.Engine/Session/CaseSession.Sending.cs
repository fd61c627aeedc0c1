using System.Buffers;
using System.Globalization;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Session;

/// <summary>Sending: frame encoding per role, write coalescing, chopped and "sync" writes, frames sent in pieces.</summary>
public sealed partial class CaseSession
{
    /// <summary>
    /// Frames up to this size are queued and coalesced with their neighbours; larger ones are encoded into a rented
    /// buffer and written on their own, so a 16 MiB frame is never copied twice.
    /// </summary>
    private const int CoalesceLimit = 64 * 1024;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _pending = new();

    /// <summary>The frame opened by <see cref="Scripting.SendFrameHeader"/> whose payload is still being sent in pieces.</summary>
    private (bool Masked, uint Key, int KeyIndex)? _openFrame;

    /// <summary>
    /// Sends a scripted frame. Ordinary frames are queued and leave together at the next flush, as consecutive
    /// frames written in one reactor turn do in Autobahn; chopped and "sync" frames get their own writes.
    /// </summary>
    private async Task SendScriptedFrameAsync(FrameSpec frame, int? chopSize, bool sync)
    {
        var (masked, key) = MaskFor(frame);
        var length = FrameEncoder.EncodedLength(frame, masked);
        LogSentFrame(frame, masked, key, chopSize, sync);
        if (chopSize is null && !sync && length <= CoalesceLimit)
        {
            lock (_pending)
            {
                FrameEncoder.Encode(frame, masked, key, _pending.GetSpan(length));
                _pending.Advance(length);
            }
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            FrameEncoder.Encode(frame, masked, key, rented);
            var octets = rented.AsMemory(0, length);
            await _writeLock.WaitAsync(_lifetime.Token).ConfigureAwait(false);
            try
            {
                await FlushPendingLockedAsync().ConfigureAwait(false);
                if (chopSize is { } chop) await WriteChoppedLockedAsync(octets, chop).ConfigureAwait(false);
                else
                {
                    await WriteLockedAsync(octets, sync).ConfigureAwait(false);
                    if (sync) await Task.Yield();
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Sends a frame the session itself decided on (pong, close reply) right away, after anything queued.</summary>
    private async Task SendNowAsync(FrameSpec frame)
    {
        await SendScriptedFrameAsync(frame, chopSize: null, sync: false).ConfigureAwait(false);
        await FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Queues the header of a frame whose payload follows in pieces (Autobahn's <c>beginMessageFrame</c>).</summary>
    private void QueueFrameHeader(Scripting.SendFrameHeader header)
    {
        var masked = _role == EndpointRole.Client;
        var key = masked ? PayloadMask.NewKey() : 0u;
        _openFrame = (masked, key, 0);
        Span<byte> octets = stackalloc byte[FrameConstants.MaxHeaderLength];
        var written = FrameEncoder.WriteHeader(octets, (int)header.Opcode, header.Fin, 0, header.Length, LengthEncoding.Minimal, masked, key);
        _recorder.Frame(sent: true, (int)header.Opcode, () => _recorder.FrameEntry(
            sent: true, (int)header.Opcode, header.Fin, 0, masked, key, header.Length, payload: null) with
        {
            Text = "header only: the payload follows in separate pieces",
        });
        lock (_pending) _pending.Write(octets[..written]);
    }

    /// <summary>Queues the next payload octets of the open frame, masked with its key where the key left off.</summary>
    private void QueueFrameData(ReadOnlyMemory<byte> data)
    {
        var (masked, key, keyIndex) = _openFrame ?? throw new InvalidOperationException("SendFrameData without a preceding SendFrameHeader");
        _recorder.Note($"frame payload piece: {data.Length} octets: {PayloadViews.Create(data.Span).Preview}");
        lock (_pending)
        {
            var destination = _pending.GetSpan(data.Length)[..data.Length];
            data.Span.CopyTo(destination);
            if (masked) keyIndex = PayloadMask.Apply(destination, key, keyIndex);
            _pending.Advance(data.Length);
        }
        _openFrame = (masked, key, keyIndex);
    }

    /// <summary>Octets generated and written at a time when a frame's payload comes from a pattern.</summary>
    private const int StreamChunk = 256 * 1024;

    /// <summary>
    /// Sends one frame whose payload is a slice of a pattern, generating and masking it chunk by chunk as it is
    /// written, so a 16 MiB frame costs one 64 KiB buffer (Autobahn's category 9 sizes, bounded memory). With a chop
    /// size each write is exactly that many octets, header included, as when a whole encoded frame is chopped.
    /// </summary>
    private async Task SendPatternFrameAsync(PlannedFrame frame, Scripting.PayloadPattern payload, int? chopSize)
    {
        var masked = _role == EndpointRole.Client;
        var key = masked ? PayloadMask.NewKey() : 0u;
        Span<byte> header = stackalloc byte[FrameConstants.MaxHeaderLength];
        var headerLength = FrameEncoder.WriteHeader(header, (int)frame.Opcode, frame.Fin, 0, (ulong)frame.Length, LengthEncoding.Minimal, masked, key);
        var headerOctets = header[..headerLength].ToArray();
        _recorder.Frame(sent: true, (int)frame.Opcode, () =>
        {
            var preview = new byte[Math.Min(frame.Length, PayloadViews.PreviewLength)];
            payload.Fill(preview, frame.Offset);
            return _recorder.FrameEntry(sent: true, (int)frame.Opcode, frame.Fin, 0, masked, key, (ulong)frame.Length,
                PayloadViews.ForPrefix(preview, frame.Length)) with { ChopSize = chopSize };
        });

        var chunk = chopSize ?? StreamChunk;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(chunk, headerLength));
        await _writeLock.WaitAsync(_lifetime.Token).ConfigureAwait(false);
        try
        {
            await FlushPendingLockedAsync().ConfigureAwait(false);
            long total = headerLength + (long)frame.Length;
            for (long position = 0; position < total;)
            {
                var size = (int)Math.Min(chunk, total - position);
                var piece = buffer.AsSpan(0, size);
                var fromHeader = (int)Math.Max(0, Math.Min(headerLength - position, size));
                if (fromHeader > 0) headerOctets.AsSpan((int)position, fromHeader).CopyTo(piece);
                var payloadPart = piece[fromHeader..];
                if (!payloadPart.IsEmpty)
                {
                    var payloadPosition = position + fromHeader - headerLength;
                    payload.Fill(payloadPart, frame.Offset + payloadPosition);
                    if (masked) PayloadMask.Apply(payloadPart, key, (int)(payloadPosition % FrameConstants.MaskLength));
                }
                await WriteLockedAsync(buffer.AsMemory(0, size), sync: chopSize is not null, chopSize).ConfigureAwait(false);
                if (chopSize is not null) await Task.Yield();
                position += size;
            }
        }
        finally
        {
            _writeLock.Release();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes whatever scripted frames are queued.</summary>
    private async Task FlushAsync()
    {
        lock (_pending)
        {
            if (_pending.WrittenCount == 0) return;
        }
        await _writeLock.WaitAsync(_lifetime.Token).ConfigureAwait(false);
        try
        {
            await FlushPendingLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // Must be called holding _writeLock, which keeps queued frames in order across concurrent flushes.
    private async Task FlushPendingLockedAsync()
    {
        byte[] octets;
        lock (_pending)
        {
            if (_pending.WrittenCount == 0) return;
            octets = _pending.WrittenSpan.ToArray();
            _pending.Clear();
        }
        await WriteLockedAsync(octets, sync: false).ConfigureAwait(false);
    }

    // Must be called holding _writeLock.
    private async Task WriteChoppedLockedAsync(ReadOnlyMemory<byte> octets, int chopSize)
    {
        for (var offset = 0; offset < octets.Length; offset += chopSize)
        {
            var piece = octets.Slice(offset, Math.Min(chopSize, octets.Length - offset));
            await WriteLockedAsync(piece, sync: true, chopSize).ConfigureAwait(false);
            // Autobahn yields to its reactor for 10 µs between pieces. Each piece is its own send call and, with Nagle
            // off, its own segment; a task yield lets the read loop run without a timer's 1 ms floor.
            await Task.Yield();
        }
    }

    // Must be called holding _writeLock.
    private async Task WriteLockedAsync(ReadOnlyMemory<byte> octets, bool sync, int? chopSize = null)
    {
        _recorder.Octets(WireEntryKind.OctetsOut, octets.Span, sync, chopSize);
        await _connection.WriteAsync(octets, _lifetime.Token).ConfigureAwait(false);
    }

    /// <summary>Clients mask with a fresh key, servers do not (RFC 6455 §5.1, §5.3), unless the frame says otherwise.</summary>
    private (bool Masked, uint Key) MaskFor(FrameSpec frame)
    {
        var masked = frame.Masked ?? _role == EndpointRole.Client;
        return (masked, masked ? frame.MaskKey ?? PayloadMask.NewKey() : 0u);
    }

    private void LogSentFrame(FrameSpec frame, bool masked, uint key, int? chopSize, bool sync) =>
        _recorder.Frame(sent: true, frame.Opcode, () => _recorder.FrameEntry(
            sent: true, frame.Opcode, frame.Fin, frame.Rsv, masked, key, frame.DeclaredLength ?? (ulong)frame.Payload.Length,
            PayloadViews.Create(frame.Payload.Span)) with { ChopSize = chopSize, Sync = sync });
}
