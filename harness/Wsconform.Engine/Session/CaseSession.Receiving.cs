using System.Buffers;
using System.Net.Sockets;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Transport;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Session;

/// <summary>Receiving: the read loop, frame checks, message assembly and the received-event list.</summary>
public sealed partial class CaseSession
{
    /// <summary>Size of one socket read. Large enough that a 16 MiB echo needs few reads; rented, not allocated per case.</summary>
    private const int ReadBufferSize = 256 * 1024;

    private readonly FrameReader _reader;
    private readonly MessageAssembler _assembler = new();
    private readonly List<ReceivedFrame> _frames = [];
    /// <summary>Set once the harness failed the connection for a peer violation: later frames are logged but not interpreted, except the Close reply.</summary>
    private bool _failedForViolation;

    /// <summary>
    /// Most events a case keeps. Issue 9 (hostile peers): a peer flooding valid frames after the 101 grew the event
    /// list, and the wire log with it, without bound (2.9 GiB of managed heap over a catalogue run at Parallel 64). No
    /// catalogue case expects more than a few hundred events; past this, or past <see cref="ReceivedOctetsCap"/>, the
    /// harness fails the connection with 1009 as for a message too big (RFC 6455 §7.4.1, §10.4).
    /// </summary>
    public const int MaxReceivedEvents = 10_000;

    /// <summary>Payload octets a case keeps in its events at least; cases that expect more get twice what they expect.</summary>
    public const long MinReceivedOctetsCap = 1024 * 1024;

    /// <summary>Payload octets kept in <see cref="_received"/> so far.</summary>
    private long _receivedOctets;

    /// <summary>Set once a cap was exceeded: the wire log stays suspended and ignored frames get no note each.</summary>
    private bool _receiveCapExceeded;

    private long? _receivedOctetsCap;

    private long ReceivedOctetsCap => _receivedOctetsCap ??=
        MinReceivedOctetsCap + 2 * _case.Expected.Select(o => o.Events.Sum(e => (long)e.Payload.Length)).DefaultIfEmpty(0).Max() + MemoryBudget.WeightOf(_case);

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        var end = TcpEnd.FinByPeer;
        try
        {
            if (!_leftover.IsEmpty) await ProcessOctetsAsync(_leftover).ConfigureAwait(false);
            while (true)
            {
                var read = await _connection.ReadAsync(buffer, _lifetime.Token).ConfigureAwait(false);
                if (read == 0) break;
                await ProcessOctetsAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            end = e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset } }
                  or SocketException { SocketErrorCode: SocketError.ConnectionReset }
                ? TcpEnd.ResetByPeer
                : TcpEnd.FinByPeer;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _reader.Dispose();
            OnConnectionLost(_connection.ClosedByHarness ? TcpEnd.ClosedByHarness : end);
        }
    }

    private async Task ProcessOctetsAsync(ReadOnlyMemory<byte> octets)
    {
        _recorder.Octets(WireEntryKind.OctetsIn, octets.Span);
        if (_reader.StoppedBy is not null) return;
        _frames.Clear();
        _reader.Feed(octets.Span, _frames);
        foreach (var frame in _frames)
        {
            await OnFrameAsync(frame).ConfigureAwait(false);
        }
        if (_reader.StoppedBy is { } stop)
        {
            await OnPeerViolationAsync(stop).ConfigureAwait(false);
        }
    }

    private async Task OnFrameAsync(ReceivedFrame frame)
    {
        var header = frame.Header;
        _recorder.Frame(sent: false, header.Opcode, () => _recorder.FrameEntry(
            sent: false, header.Opcode, header.Fin, header.Rsv, header.Masked, header.MaskKey, header.PayloadLength, PayloadViews.Create(frame.Payload.Span)));

        bool ignore;
        lock (_gate) ignore = _closeReceived || (_failedForViolation && header.Opcode != (int)Opcode.Close);
        if (ignore)
        {
            // Issue 9: after a flood hit the receive cap, a note per ignored frame would fill the wire log again.
            if (Volatile.Read(ref _receiveCapExceeded)) return;
            _recorder.Note(_closeReceived ? "frame after the peer's Close ignored (RFC 6455 §5.5.1)" : "frame ignored: the harness already failed the connection");
            return;
        }
        if (frame.Violations.Count > 0)
        {
            foreach (var violation in frame.Violations.Skip(1)) RecordViolation(violation);
            await OnPeerViolationAsync(frame.Violations[0]).ConfigureAwait(false);
            return;
        }

        switch ((Opcode)header.Opcode)
        {
            case Opcode.Ping:
                if (await OverReceiveCapAsync(frame.Payload.Length).ConfigureAwait(false)) break;
                bool open;
                lock (_gate)
                {
                    // The reader lends payloads until its next read: events keep copies.
                    _received.Add(new ReceivedEvent(EventKind.Ping, frame.Payload.ToArray()));
                    open = _state == SessionState.Open;
                }
                // RFC 6455 §5.5.2: answer a Ping with a Pong carrying the same payload.
                if (open) await SendNowAsync(FrameSpec.Of(Opcode.Pong, frame.Payload)).ConfigureAwait(false);
                await CloseIfAllExpectedArrivedAsync().ConfigureAwait(false);
                break;
            case Opcode.Pong:
                if (await OverReceiveCapAsync(frame.Payload.Length).ConfigureAwait(false)) break;
                lock (_gate) _received.Add(new ReceivedEvent(EventKind.Pong, frame.Payload.ToArray()));
                await CloseIfAllExpectedArrivedAsync().ConfigureAwait(false);
                break;
            case Opcode.Close:
                await OnCloseFrameAsync(frame).ConfigureAwait(false);
                break;
            default:
                var step = _assembler.Accept(frame);
                if (step.Violation is { } violation)
                {
                    await OnPeerViolationAsync(violation).ConfigureAwait(false);
                }
                else if (step.Message is { } message && !CountAndOfferToTrial(message))
                {
                    if (await OverReceiveCapAsync(message.Payload.Length).ConfigureAwait(false)) break;
                    lock (_gate) _received.Add(new ReceivedEvent(EventKind.Message, message.Payload, message.IsBinary));
                    await CloseIfAllExpectedArrivedAsync().ConfigureAwait(false);
                }
                break;
        }
    }

    /// <summary>
    /// Counts an event of <paramref name="octets"/> against the case's caps (see <see cref="MaxReceivedEvents"/>); when
    /// over, fails the connection with 1009 and suspends the wire log (counts go on), so the frames the peer still sends
    /// until the Close reply or the close-handshake timeout cost neither memory nor hashing. True when over the cap.
    /// </summary>
    private async Task<bool> OverReceiveCapAsync(int octets)
    {
        lock (_gate)
        {
            _receivedOctets += octets;
            if (_received.Count < MaxReceivedEvents && _receivedOctets <= ReceivedOctetsCap) return false;
            _receiveCapExceeded = true;
        }
        _recorder.Suspend("receive cap exceeded");
        await OnPeerViolationAsync(new WireViolation(WireRule.MessageTooLong, "RFC 6455 §10.4",
            $"the peer sent more than the harness keeps for one case ({MaxReceivedEvents} events or {ReceivedOctetsCap} payload octets); the rest is not interpreted",
            WireViolation.MessageTooBig)).ConfigureAwait(false);
        return true;
    }

    private bool CountAndOfferToTrial(CompletedMessage message)
    {
        _compression?.CountReceived(message);
        return OfferToTrial(message);
    }

    private void RecordViolation(WireViolation violation)
    {
        var now = _recorder.NowMs;
        lock (_gate) _violations.Add(new PeerViolation(now, violation.RfcSection, violation.Description));
        _recorder.Add(new WireLogEntry { TimeMs = now, Kind = WireEntryKind.Violation, Text = $"{violation.RfcSection}: {violation.Description}" });
    }

    /// <summary>
    /// The peer broke a rule: record it and fail the connection with the matching code, as Autobahn's strict parser
    /// does (catalogue §1.3). That usually decides the case, as it would in Autobahn.
    /// </summary>
    private async Task OnPeerViolationAsync(WireViolation violation)
    {
        lock (_gate)
        {
            if (_failedForViolation) return;
            _failedForViolation = true;
        }
        RecordViolation(violation);
        await FailConnectionAsync(violation.CloseCode, ShortReason(violation)).ConfigureAwait(false);
    }

    private static string ShortReason(WireViolation violation)
    {
        var text = violation.Description;
        return text.Length <= 100 ? text : text[..100];
    }

    /// <summary>
    /// Autobahn starts the closing handshake itself as soon as the received events equal every expected list, when the
    /// case expects the harness to close (catalogue §1.3). Cases with both OK and NON-STRICT lists therefore never do.
    /// </summary>
    private async Task CloseIfAllExpectedArrivedAsync()
    {
        if (!_case.AutoCloseOnMatch || !_case.ExpectedClose.ClosedByHarness) return;
        lock (_gate)
        {
            if (_state != SessionState.Open) return;
            if (!_case.Expected.All(outcome => EventMatching.Equal(_received, outcome.Events))) return;
        }
        await StartClosingHandshakeAsync(_case.ExpectedClose.CloseCodes[0], ReadOnlyMemory<byte>.Empty, rawPayload: null, flushNow: true).ConfigureAwait(false);
    }
}
