using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Engine.Transport;
using Wsconform.Model;

namespace Wsconform.Engine.Running;

/// <summary>Runs one case against one target on a fresh connection: connect, opening handshake, script, judgement.</summary>
public static class CaseRunner
{
    /// <summary>Never throws for anything the peer does; a case that cannot run is an ERROR result with the reason.</summary>
    public static async Task<CaseResult> RunAsync(ConformanceCase conformanceCase, TargetOptions target, ProtocolTimeouts timeouts,
        CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var recorder = new WireRecorder();
        string? request = null;
        string? response = null;
        Connection? connection = null;
        try
        {
            OpenedConnection opened;
            try
            {
                opened = await OpeningHandshake.ConnectAsync(target, timeouts, recorder, cancellationToken).ConfigureAwait(false);
            }
            catch (HandshakeException e)
            {
                return ResultBuilder.Error(conformanceCase, started, e.Message, e.Request, e.Response, recorder,
                    new CloseFacts { WasOpenHandshakeTimeout = e.TimedOut, WasNotCleanReason = e.Message });
            }
            connection = opened.Connection;
            request = opened.Request;
            response = opened.Response;

            var session = new CaseSession(connection, EndpointRole.Client, conformanceCase, timeouts, recorder, opened.Leftover);
            var outcome = await session.RunAsync(CaseDeadline.ForSession(conformanceCase, timeouts), cancellationToken).ConfigureAwait(false);
            if (outcome.DeadlineExceeded)
            {
                return ResultBuilder.Error(conformanceCase, started,
                    $"the case did not end within its hard deadline of {CaseDeadline.ForSession(conformanceCase, timeouts).TotalSeconds:0.#} s; the harness dropped the connection",
                    request, response, recorder, outcome.Close);
            }
            var judgement = Judge.Decide(conformanceCase, outcome, EndpointRole.Client);
            return ResultBuilder.Completed(conformanceCase, started, outcome, judgement, request, response, recorder);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            recorder.Note($"harness fault: {e}");
            return ResultBuilder.Error(conformanceCase, started, $"harness fault: {e.GetType().Name}: {e.Message}", request, response, recorder);
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>An open WebSocket connection and what its opening handshake looked like.</summary>
/// <param name="Leftover">Octets the peer sent after its response head in the same read (its first frames).</param>
public sealed record OpenedConnection(Connection Connection, string Request, string Response, HttpHead ResponseHead, ReadOnlyMemory<byte> Leftover);

/// <summary>The opening handshake could not complete; the message is one line naming why.</summary>
public sealed class HandshakeException(string message, string? request = null, string? response = null, bool timedOut = false, Exception? inner = null)
    : Exception(message, inner)
{
    public string? Request { get; } = request;
    public string? Response { get; } = response;
    public bool TimedOut { get; } = timedOut;
}

/// <summary>Connects and performs the client opening handshake (RFC 6455 §4.1) under the open-handshake timeout.</summary>
public static class OpeningHandshake
{
    public static async Task<OpenedConnection> ConnectAsync(TargetOptions target, ProtocolTimeouts timeouts, WireRecorder recorder,
        CancellationToken cancellationToken, IReadOnlyList<string>? extensionOffers = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeouts.OpenHandshake);
        Connection connection;
        try
        {
            connection = await Connection.ConnectAsync(target, deadline.Token).ConfigureAwait(false);
        }
        catch (ConnectException e)
        {
            throw new HandshakeException(e.Message, inner: e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HandshakeException($"connecting to {target.Url.Host}:{target.Url.Port} took longer than {timeouts.OpenHandshake.TotalSeconds:0.#} s", timedOut: true);
        }

        var key = WebSocketAccept.NewKey();
        var request = ClientHandshake.BuildRequest(target.Url, target, key, extensionOffers);
        string? response = null;
        try
        {
            var requestOctets = Encoding.ASCII.GetBytes(request);
            recorder.Octets(Model.WireEntryKind.OctetsOut, requestOctets);
            await connection.WriteAsync(requestOctets, deadline.Token).ConfigureAwait(false);

            var (head, leftover) = await ReadResponseHeadAsync(connection, recorder, deadline.Token).ConfigureAwait(false);
            response = head.Raw;
            var problem = ClientHandshake.Validate(head, key, target.Protocols, extensionOffers ?? []);
            if (problem is not null) throw new HandshakeException($"handshake rejected: {problem}", request, response);
            recorder.Note("opening handshake complete");
            return new OpenedConnection(connection, request, response, head, leftover);
        }
        catch (Exception e) when (e is not HandshakeException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new HandshakeException($"peer did not finish the opening handshake within {timeouts.OpenHandshake.TotalSeconds:0.#} s", request, response, timedOut: true);
            if (CaseSession.IsConnectionGone(e))
                throw new HandshakeException($"the connection was lost during the opening handshake ({e.Message})", request, response, inner: e);
            throw;
        }
        catch (HandshakeException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (e.Request is null) throw new HandshakeException(e.Message, request, e.Response ?? response, e.TimedOut, e);
            throw;
        }
    }

    /// <summary>Reads until the end of the response head, never buffering more than <see cref="ClientHandshake.MaxResponseHeadLength"/>.</summary>
    private static async Task<(HttpHead Head, ReadOnlyMemory<byte> Leftover)> ReadResponseHeadAsync(Connection connection, WireRecorder recorder, CancellationToken cancellationToken)
    {
        var buffer = new byte[ClientHandshake.MaxResponseHeadLength + 4096];
        var filled = 0;
        while (true)
        {
            var read = await connection.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                var partial = Encoding.Latin1.GetString(buffer, 0, filled);
                throw new HandshakeException(filled == 0
                    ? "the peer closed the connection without answering the opening handshake"
                    : "the peer closed the connection in the middle of its handshake response", response: partial);
            }
            recorder.Octets(Model.WireEntryKind.OctetsIn, buffer.AsSpan(filled, read));
            filled += read;
            var end = HttpHead.FindEnd(buffer.AsSpan(0, filled));
            if (end >= 0)
            {
                return (HttpHead.Parse(buffer.AsSpan(0, end)), buffer.AsMemory(end, filled - end).ToArray());
            }
            if (filled > ClientHandshake.MaxResponseHeadLength)
                throw new HandshakeException($"the handshake response head exceeds {ClientHandshake.MaxResponseHeadLength} octets", response: Encoding.Latin1.GetString(buffer, 0, Math.Min(filled, 1024)) + " ...");
        }
    }
}
