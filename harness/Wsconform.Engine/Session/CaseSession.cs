using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Transport;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Session;

/// <summary>
/// One case on one open WebSocket connection: runs the case's script, reads and checks everything the peer sends,
/// and keeps Autobahn's close bookkeeping (closedByMe, wasClean, …) so verdicts compare one to one.
/// </summary>
/// <remarks>
/// Three kinds of activity share the session: the script, the read loop and timers. State changes happen under
/// <see cref="_gate"/>; socket writes are serialised by <see cref="_writeLock"/> so frames never interleave.
/// Split by concern: sending (<c>CaseSession.Sending.cs</c>), receiving (<c>.Receiving.cs</c>), closing (<c>.Closing.cs</c>).
/// </remarks>
public sealed partial class CaseSession
{
    private readonly Connection _connection;
    private readonly EndpointRole _role;
    private readonly ConformanceCase _case;
    private readonly ProtocolTimeouts _timeouts;
    private readonly WireRecorder _recorder;
    private readonly ReadOnlyMemory<byte> _leftover;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ReceivedEvent> _received = [];
    private readonly List<PeerViolation> _violations = [];
    private SessionState _state = SessionState.Open;
    private double _openedAtMs;
    private double _lostAtMs;
    private bool _deadlineExceeded;

    // Close bookkeeping, field for field as Autobahn|Python keeps it (catalogue §3.3).
    private bool _closedByMe;
    private bool _failedByMe;
    private bool _droppedByMe;
    private bool _wasClean;
    private string? _wasNotCleanReason;
    private bool _wasServerConnectionDropTimeout;
    private bool _wasCloseHandshakeTimeout;
    private int? _localCloseCode;
    private string? _localCloseReason;
    private int? _remoteCloseCode;
    private string? _remoteCloseReason;
    private bool _closeReceived;
    private TcpEnd _tcpEnd = TcpEnd.Open;

    /// <param name="leftover">Octets that arrived after the handshake head in the same read: the peer's first frames.</param>
    /// <param name="deflate">The permessage-deflate agreement of the handshake, or null when none was agreed.</param>
    public CaseSession(Connection connection, EndpointRole role, ConformanceCase conformanceCase, ProtocolTimeouts timeouts,
        WireRecorder recorder, ReadOnlyMemory<byte> leftover, Wire.Deflate.DeflateAgreement? deflate = null)
    {
        _connection = connection;
        _role = role;
        _case = conformanceCase;
        _timeouts = timeouts;
        _recorder = recorder;
        _leftover = leftover;
        _reader = new FrameReader(new FrameReaderOptions
        {
            ExpectMasked = role == EndpointRole.Server,
            // RFC 7692 §6: permessage-deflate defines RSV1 as "Per-Message Compressed".
            AllowedRsv = deflate is null ? 0 : MessageAssembler.CompressedBit,
        });
        _compression = deflate is null ? null : new SessionCompression(deflate, role, _assembler);
    }

    /// <summary>permessage-deflate, when the handshake agreed it.</summary>
    private readonly SessionCompression? _compression;

    public SessionState State
    {
        get { lock (_gate) return _state; }
    }

    /// <summary>
    /// Runs the case until TCP is gone, or until <paramref name="deadline"/> passes, in which case the harness drops the
    /// connection and the outcome says so. Never throws for anything the peer does.
    /// </summary>
    public async Task<SessionOutcome> RunAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        _openedAtMs = _recorder.NowMs;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(deadline);
        await using var registration = stop.Token.Register(() =>
        {
            lock (_gate) _deadlineExceeded = _state != SessionState.Closed;
            DropConnection(abort: true, reason: "case deadline reached; the harness dropped the connection");
        }).ConfigureAwait(false);

        var reading = Task.Run(ReadLoopAsync, CancellationToken.None);
        await RunScriptAsync().ConfigureAwait(false);
        await _lost.Task.ConfigureAwait(false);
        await reading.ConfigureAwait(false);
        _compression?.Dispose();
        return BuildOutcome();
    }

    private async Task RunScriptAsync()
    {
        try
        {
            foreach (var step in _case.Script)
            {
                if (State == SessionState.Closed) break;
                var carryOn = await RunStepAsync(step).ConfigureAwait(false);
                if (!carryOn) break;
            }
            await FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            // The peer went away while the script was still sending: the read loop records the loss.
        }
    }

    /// <summary>Performs one step; false when the rest of the script must be skipped.</summary>
    private async Task<bool> RunStepAsync(Step step)
    {
        switch (step)
        {
            case SendFrame send:
                await SendScriptedFrameAsync(send.Frame, send.ChopSize, send.Sync).ConfigureAwait(false);
                return true;
            case SendFrameHeader header:
                QueueFrameHeader(header);
                return true;
            case SendFrameData data:
                QueueFrameData(data.Data);
                return true;
            case RoundTrips trial:
                await RunRoundTripsAsync(trial).ConfigureAwait(false);
                return true;
            case CompressedRoundTrips trial:
                await RunCompressedRoundTripsAsync(trial).ConfigureAwait(false);
                return true;
            case SendCompressed message:
                await SendCompressedAsync(message).ConfigureAwait(false);
                return true;
            case SendMessage message:
                foreach (var frame in Fragmentation.Split(message.Opcode, message.Payload, message.FragmentSize))
                    await SendScriptedFrameAsync(frame, chopSize: null, message.Sync).ConfigureAwait(false);
                return true;
            case SendClose close:
                await StartClosingHandshakeAsync(close.Code, close.Reason, close.RawPayload, flushNow: false).ConfigureAwait(false);
                return true;
            case Delay delay:
                return await DelayAsync(delay).ConfigureAwait(false);
            case Mark mark:
                lock (_gate)
                {
                    if (_state == SessionState.Open) _received.Add(new ReceivedEvent(EventKind.Timeout, ReadOnlyMemory<byte>.Empty, Tag: mark.Tag));
                }
                return true;
            case KillAfter kill:
                _recorder.Timer(WireEntryKind.KillScheduled, kill.After.TotalSeconds);
                _ = FireAfterAsync(kill.After, KillAsync);
                return true;
            case CloseAfter close:
                _recorder.Timer(WireEntryKind.CloseTimerScheduled, close.After.TotalSeconds);
                _ = FireAfterAsync(close.After, CloseTimerAsync);
                return true;
            default:
                throw new NotSupportedException($"step {step.GetType().Name} is not supported by the session");
        }
    }

    private async Task<bool> DelayAsync(Delay delay)
    {
        await FlushAsync().ConfigureAwait(false);
        _recorder.Timer(WireEntryKind.DelayScheduled, delay.Duration.TotalSeconds, delay.Tag);
        try
        {
            await Task.Delay(delay.Duration, _lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        if (State == SessionState.Closed) return false;
        _recorder.Timer(WireEntryKind.DelayFired, tag: delay.Tag);
        return true;
    }

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> unless the connection is gone first.</summary>
    private async Task FireAfterAsync(TimeSpan delay, Func<Task> action)
    {
        try
        {
            await Task.Delay(delay, _lifetime.Token).ConfigureAwait(false);
            await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) when (IsConnectionGone(e)) { }
    }

    private SessionOutcome BuildOutcome()
    {
        lock (_gate)
        {
            var facts = new CloseFacts
            {
                ClosedByMe = _closedByMe,
                FailedByMe = _failedByMe,
                DroppedByMe = _droppedByMe,
                WasClean = _wasClean,
                WasNotCleanReason = _wasClean ? null : _wasNotCleanReason,
                WasServerConnectionDropTimeout = _wasServerConnectionDropTimeout,
                WasCloseHandshakeTimeout = _wasCloseHandshakeTimeout,
                LocalCloseCode = _localCloseCode,
                LocalCloseReason = _localCloseReason,
                RemoteCloseCode = _remoteCloseCode,
                RemoteCloseReason = _remoteCloseReason,
                TcpEnd = _tcpEnd switch
                {
                    TcpEnd.FinByPeer => "closed by peer (FIN)",
                    TcpEnd.ResetByPeer => "reset by peer (RST)",
                    TcpEnd.ClosedByHarness => "closed by harness",
                    _ => null,
                },
            };
            return new SessionOutcome(_received.ToArray(), facts, _violations.ToArray(), _lostAtMs - _openedAtMs, _deadlineExceeded, _trialOutcome, _recorder.Stats(), _compression?.Stats());
        }
    }

    internal static bool IsConnectionGone(Exception e) =>
        e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or OperationCanceledException;
}
