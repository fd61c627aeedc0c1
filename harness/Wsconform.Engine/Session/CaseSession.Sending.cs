using System.Buffers;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Session;

/// <summary>Sending: frame encoding per role, write coalescing, chopped and "sync" writes.</summary>
public sealed partial class CaseSession
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _pending = new();

    /// <summary>
    /// Sends a scripted frame. Ordinary frames are queued and leave together at the next flush, as consecutive
    /// frames written in one reactor turn do in Autobahn; chopped and "sync" frames get their own writes.
    /// </summary>
    private async Task SendScriptedFrameAsync(FrameSpec frame, int? chopSize, bool sync)
    {
        var octets = EncodeAndLog(frame, chopSize, sync);
        if (chopSize is null && !sync)
        {
            lock (_pending) _pending.Write(octets);
            return;
        }
        await _writeLock.WaitAsync(_lifetime.Token).ConfigureAwait(false);
        try
        {
            await FlushPendingLockedAsync().ConfigureAwait(false);
            if (chopSize is { } chop) await WriteChoppedLockedAsync(octets, chop).ConfigureAwait(false);
            else
            {
                await WriteLockedAsync(octets, sync: true).ConfigureAwait(false);
                await Task.Yield();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends a frame the session itself decided on (pong, close reply) right away, after anything queued.</summary>
    private async Task SendNowAsync(FrameSpec frame)
    {
        var octets = EncodeAndLog(frame, chopSize: null, sync: false);
        await _writeLock.WaitAsync(_lifetime.Token).ConfigureAwait(false);
        try
        {
            lock (_pending) _pending.Write(octets);
            await FlushPendingLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
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

    /// <summary>Encodes a frame with the role's masking (overridable by the spec) and logs it as a sent frame.</summary>
    private byte[] EncodeAndLog(FrameSpec frame, int? chopSize, bool sync)
    {
        var masked = frame.Masked ?? _role == EndpointRole.Client;
        var key = masked ? frame.MaskKey ?? PayloadMask.NewKey() : 0u;
        var octets = FrameEncoder.Encode(frame, masked, key);
        _recorder.Add(new WireLogEntry
        {
            TimeMs = _recorder.NowMs,
            Kind = WireEntryKind.FrameOut,
            Payload = PayloadViews.Create(frame.Payload.Span),
            Opcode = frame.Opcode,
            Fin = frame.Fin,
            Rsv = frame.Rsv,
            Masked = masked,
            MaskKey = masked ? key.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) : null,
            DeclaredLength = frame.DeclaredLength ?? (ulong)frame.Payload.Length,
            ChopSize = chopSize,
            Sync = sync,
        });
        return octets;
    }
}
