using System.Text;
using System.Text.Unicode;
using Wsconform.Engine.Transport;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Session;

/// <summary>
/// Closing: the closing handshake in both directions, failing the connection, the kill/close timers and the
/// close-related timeouts, with Autobahn|Python 0.10.9's bookkeeping (catalogue §1.3, §3.3).
/// </summary>
public sealed partial class CaseSession
{
    private const string GoingAway = "Going Away";

    /// <summary>The close timer fired (a trial that did not finish reports it as a timeout).</summary>
    private bool _closeTimerFired;

    /// <summary>
    /// Sends a Close that starts the closing handshake (RFC 6455 §5.5.1, §7.1.2) and moves to CLOSING; the harness is
    /// then the closing endpoint. Does nothing unless the connection is OPEN, as Autobahn's <c>sendClose</c>.
    /// </summary>
    private async Task StartClosingHandshakeAsync(int? code, ReadOnlyMemory<byte> reason, ReadOnlyMemory<byte>? rawPayload, bool flushNow)
    {
        ReadOnlyMemory<byte> body;
        lock (_gate)
        {
            if (_state != SessionState.Open) return;
            _state = SessionState.Closing;
            _closedByMe = true;
            _localCloseCode = code;
            _localCloseReason = code is null && rawPayload is null ? null : DescribeReason(reason.Span);
            body = rawPayload ?? CloseBody.Build(code, reason.Span);
        }
        var frame = FrameSpec.Of(Opcode.Close, body);
        if (flushNow) await SendNowAsync(frame).ConfigureAwait(false);
        else await SendScriptedFrameAsync(frame, chopSize: null, sync: false).ConfigureAwait(false);
        _ = FireAfterAsync(_timeouts.CloseHandshake, CloseHandshakeTimeoutAsync);
    }

    /// <summary>
    /// Fails the connection (RFC 6455 §7.1.7) the way Autobahn does with failByDrop=false: when OPEN, send a Close with
    /// <paramref name="code"/> and wait for the reply; when already CLOSING, drop TCP.
    /// </summary>
    private async Task FailConnectionAsync(int code, string reason)
    {
        bool sendClose;
        lock (_gate)
        {
            if (_state == SessionState.Closed) return;
            _wasClean = false;
            _failedByMe = true;
            sendClose = _state == SessionState.Open;
        }
        if (sendClose) await StartClosingHandshakeAsync(code, Encoding.UTF8.GetBytes(reason), rawPayload: null, flushNow: true).ConfigureAwait(false);
        else DropConnection(abort: false, reason: null);
    }

    private async Task OnCloseFrameAsync(ReceivedFrame frame)
    {
        bool reply;
        lock (_gate)
        {
            _closeReceived = true;
            _remoteCloseCode = frame.CloseCode;
            _remoteCloseReason = frame.CloseCode is null ? null : frame.CloseReason;
            reply = _state == SessionState.Open;
            // A Close answering ours, or one we answer now: the closing handshake is complete in both directions.
            if (_state != SessionState.Closed) _wasClean = true;
            if (reply) _state = SessionState.Closing;
        }
        if (reply)
        {
            // Autobahn|Python answers a peer's Close with 1000, not an echo of the peer's code (echoCloseCodeReason=false).
            lock (_gate)
            {
                _localCloseCode = 1000;
                _localCloseReason = "";
            }
            await SendNowAsync(FrameSpec.Of(Opcode.Close, CloseBody.Build(1000, []))).ConfigureAwait(false);
        }
        AfterClosingHandshake();
    }

    /// <summary>
    /// RFC 6455 §7.1.1: after the closing handshake the server closes TCP first. As a server the harness drops at once;
    /// as a client it gives the server <see cref="Running.ProtocolTimeouts.ServerConnectionDrop"/> to do so, then drops itself.
    /// </summary>
    private void AfterClosingHandshake()
    {
        if (_role == EndpointRole.Server)
        {
            DropConnection(abort: false, reason: null);
            return;
        }
        _ = FireAfterAsync(_timeouts.ServerConnectionDrop, () =>
        {
            lock (_gate)
            {
                if (_state == SessionState.Closed) return Task.CompletedTask;
                _wasServerConnectionDropTimeout = true;
                _wasClean = false;
                _wasNotCleanReason = "server did not drop TCP connection (in time)";
            }
            _recorder.Note($"the server did not close TCP within {_timeouts.ServerConnectionDrop.TotalSeconds:0.###} s of the closing handshake");
            DropConnection(abort: true, reason: null);
            return Task.CompletedTask;
        });
    }

    private Task CloseHandshakeTimeoutAsync()
    {
        lock (_gate)
        {
            if (_state == SessionState.Closed || _closeReceived) return Task.CompletedTask;
            _wasCloseHandshakeTimeout = true;
            _wasClean = false;
            _wasNotCleanReason = "peer did not respond (in time) in closing handshake";
        }
        _recorder.Note($"no Close reply within {_timeouts.CloseHandshake.TotalSeconds:0.###} s");
        DropConnection(abort: true, reason: null);
        return Task.CompletedTask;
    }

    /// <summary>The kill timer fired: fail the connection with 1001 "Going Away" (Autobahn's <c>killAfter</c>).</summary>
    private async Task KillAsync()
    {
        if (State == SessionState.Closed) return;
        _recorder.Timer(WireEntryKind.KillFired);
        await FailConnectionAsync(1001, GoingAway).ConfigureAwait(false);
    }

    /// <summary>The close timer fired: start a normal close with an empty Close frame (Autobahn's <c>closeAfter</c>).</summary>
    private async Task CloseTimerAsync()
    {
        lock (_gate)
        {
            if (_state == SessionState.Closed) return;
            _closeTimerFired = true;
        }
        _recorder.Timer(WireEntryKind.CloseTimerFired);
        await StartClosingHandshakeAsync(code: null, ReadOnlyMemory<byte>.Empty, rawPayload: null, flushNow: true).ConfigureAwait(false);
    }

    /// <summary>Closes TCP from the harness's side; the read loop then ends and records the loss.</summary>
    private void DropConnection(bool abort, string? reason)
    {
        lock (_gate)
        {
            if (_state == SessionState.Closed || _connection.ClosedByHarness) return;
            if (reason is not null && !_wasClean) _wasNotCleanReason ??= reason;
        }
        _connection.Drop(abort);
    }

    private void OnConnectionLost(TcpEnd end)
    {
        lock (_gate)
        {
            if (_state == SessionState.Closed) return;
            _state = SessionState.Closed;
            _tcpEnd = end;
            _droppedByMe = end == TcpEnd.ClosedByHarness;
            _lostAtMs = _recorder.NowMs;
            if (!_wasClean && _wasNotCleanReason is null && !_droppedByMe)
                _wasNotCleanReason = "peer dropped the TCP connection without previous WebSocket closing handshake";
        }
        _recorder.Add(new WireLogEntry
        {
            TimeMs = _recorder.NowMs,
            Kind = end == TcpEnd.ClosedByHarness ? WireEntryKind.TcpDroppedByMe : WireEntryKind.TcpDroppedByPeer,
            Text = end switch
            {
                TcpEnd.ResetByPeer => "connection reset by peer",
                TcpEnd.FinByPeer => "connection closed by peer",
                _ => "connection closed by harness",
            },
        });
        _lifetime.Cancel();
        _lost.TrySetResult();
    }

    /// <summary>A reason as reports show it: text when valid UTF-8, otherwise hex (case 7.5.1 sends an invalid one on purpose).</summary>
    private static string DescribeReason(ReadOnlySpan<byte> reason) =>
        Utf8.IsValid(reason) ? Encoding.UTF8.GetString(reason) : "0x" + Convert.ToHexStringLower(reason);
}
