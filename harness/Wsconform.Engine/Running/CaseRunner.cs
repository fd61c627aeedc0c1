using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Engine.Transport;
using Wsconform.Model;
using Wsconform.Wire;
using Wsconform.Wire.Deflate;

namespace Wsconform.Engine.Running;

/// <summary>Runs one case against one target on a fresh connection: connect, opening handshake, script, judgement.</summary>
public static class CaseRunner
{
    /// <summary>Never throws for anything the peer does; a case that cannot run is an ERROR result with the reason.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while the case ran
    /// (Ctrl+C): the case is abandoned, with no result.</exception>
    public static async Task<CaseResult> RunAsync(ConformanceCase conformanceCase, TargetOptions target, ProtocolTimeouts timeouts,
        CancellationToken cancellationToken = default)
    {
        var result = await RunToResultAsync(conformanceCase, target, timeouts, cancellationToken).ConfigureAwait(false);
        // Cancelling ends a case the way its deadline does (the session drops the connection), and what the case saw then
        // would be judged: an ERROR for the deadline, or an unclean close the peer did not cause. A case the user
        // interrupted has no verdict; --resume runs it again.
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }

    private static async Task<CaseResult> RunToResultAsync(ConformanceCase conformanceCase, TargetOptions target, ProtocolTimeouts timeouts,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var recorder = new WireRecorder();
        string? request = null;
        string? response = null;
        Connection? connection = null;
        try
        {
            if (conformanceCase.ClientHandshake is not null)
            {
                return ResultBuilder.Error(conformanceCase, started,
                    "the case tests a client's opening handshake and does not apply when the harness is the client", null, null, recorder);
            }
            if (conformanceCase.Handshake is { } probe)
                return await RunHandshakeCaseAsync(conformanceCase, probe, target, timeouts, started, recorder, cancellationToken).ConfigureAwait(false);

            OpenedConnection opened;
            try
            {
                opened = await OpeningHandshake.ConnectAsync(target, timeouts, recorder, cancellationToken,
                    conformanceCase.DeflateOffers?.Select(o => o.Render()).ToArray()).ConfigureAwait(false);
            }
            catch (HandshakeException e)
            {
                return ResultBuilder.Error(conformanceCase, started, e.Message, e.Request, e.Response, recorder,
                    new CloseFacts { WasOpenHandshakeTimeout = e.TimedOut, WasNotCleanReason = e.Message });
            }
            connection = opened.Connection;
            request = opened.Request;
            response = opened.Response;

            DeflateAgreement? agreement = null;
            if (conformanceCase.DeflateOffers is { } offers)
            {
                switch (DeflateNegotiation.CheckResponse(offers, opened.ResponseHead.Values("Sec-WebSocket-Extensions")))
                {
                    case DeflateResponseCheck.Accepted accepted:
                        agreement = accepted.Agreement;
                        recorder.Note($"permessage-deflate agreed: {agreement.Response}");
                        break;
                    case DeflateResponseCheck.Declined:
                        return await EndWithoutCaseAsync(conformanceCase, connection, EndpointRole.Client, timeouts, recorder, started, request, response, 1000, Behavior.Unimplemented,
                            $"The peer did not accept permessage-deflate (offered: {string.Join(", ", offers.Select(o => o.Render()))}), so the case does not apply.",
                            cancellationToken).ConfigureAwait(false);
                    case DeflateResponseCheck.Invalid invalid:
                        // RFC 7692 §5: a client MUST fail the connection on an invalid negotiation response.
                        return await EndWithoutCaseAsync(conformanceCase, connection, EndpointRole.Client, timeouts, recorder, started, request, response, 1002, Behavior.Failed,
                            $"The peer's permessage-deflate response is invalid ({invalid.RfcSection}): {invalid.Reason}", cancellationToken).ConfigureAwait(false);
                }
            }

            var session = new CaseSession(connection, EndpointRole.Client, conformanceCase, timeouts, recorder, opened.Leftover, agreement);
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

    /// <summary>
    /// The handshake decided the case before its script could run (compression declined or wrongly negotiated): the
    /// harness closes at once with <paramref name="closeCode"/>, and the close is judged as any harness-initiated close.
    /// Shared by both roles: <see cref="ServerCaseRunner"/> ends a compression case this way when the client offered no
    /// permessage-deflate.
    /// </summary>
    internal static async Task<CaseResult> EndWithoutCaseAsync(ConformanceCase conformanceCase, Connection connection, EndpointRole role,
        ProtocolTimeouts timeouts, WireRecorder recorder, DateTimeOffset started, string request, string response, int closeCode, Behavior behavior,
        string result, CancellationToken cancellationToken, ReadOnlyMemory<byte> leftover = default)
    {
        recorder.Note(result);
        var closeAtOnce = conformanceCase with
        {
            Script = [new SendClose(closeCode)],
            Expected = [],
            ExpectedClose = new ExpectedClose(ClosedByHarness: true, CloseCodes: [1000, closeCode], RequireClean: false),
            Rule = VerdictRule.Standard,
            DeflateOffers = null,
        };
        var session = new CaseSession(connection, role, closeAtOnce, timeouts, recorder, leftover);
        var outcome = await session.RunAsync(CaseDeadline.ForSession(closeAtOnce, timeouts), cancellationToken).ConfigureAwait(false);
        var judgement = Judge.Decide(closeAtOnce, outcome, role) with { Behavior = behavior, Result = result };
        return ResultBuilder.Completed(conformanceCase, started, outcome, judgement, request, response, recorder);
    }

    /// <summary>
    /// A case about the opening handshake: send the request the case shaped, let its judge rule on the answer, and run
    /// the script over the upgraded connection only when the judge asks for it.
    /// </summary>
    private static async Task<CaseResult> RunHandshakeCaseAsync(ConformanceCase conformanceCase, HandshakeProbe probe, TargetOptions target,
        ProtocolTimeouts timeouts, DateTimeOffset started, WireRecorder recorder, CancellationToken cancellationToken)
    {
        var request = probe.Request(ClientHandshake.StandardRequest(target.Url, target, WebSocketAccept.NewKey(), probe.ExtensionOffers));
        Connection connection;
        HandshakeExchange exchange;
        ReadOnlyMemory<byte> leftover;
        try
        {
            (connection, exchange, leftover) = await OpeningHandshake.ExchangeAsync(target, request, probe.EarlyFrames, timeouts, recorder, cancellationToken).ConfigureAwait(false);
        }
        catch (HandshakeException e)
        {
            return ResultBuilder.Error(conformanceCase, started, e.Message, request.Render(), null, recorder);
        }

        await using (connection)
        {
            var verdict = probe.Judge(exchange);
            recorder.Note($"handshake judged {verdict.Verdict.ToAutobahnString()}: {verdict.Result}");
            if (verdict.ContinueWithScript && exchange.Response is not null)
            {
                var session = new CaseSession(connection, EndpointRole.Client, conformanceCase, timeouts, recorder, leftover);
                var deadline = CaseDeadline.ForSession(conformanceCase, timeouts);
                var outcome = await session.RunAsync(deadline, cancellationToken).ConfigureAwait(false);
                if (outcome.DeadlineExceeded)
                {
                    return ResultBuilder.Error(conformanceCase, started,
                        $"the case did not end within its hard deadline of {deadline.TotalSeconds:0.#} s; the harness dropped the connection",
                        exchange.Request, exchange.Response.Raw, recorder, outcome.Close);
                }
                var judgement = Judge.Decide(conformanceCase, outcome, EndpointRole.Client);
                // The handshake verdict stands unless what followed was worse.
                var combined = Severity(judgement.Behavior) > Severity(verdict.Verdict)
                    ? judgement
                    : judgement with { Behavior = verdict.Verdict, Result = $"{verdict.Result} {judgement.Result}" };
                return ResultBuilder.Completed(conformanceCase, started, outcome, combined, exchange.Request, exchange.Response.Raw, recorder);
            }
            if (exchange.Status?.Code == 101)
            {
                // The server upgraded although the case ends here: leave politely.
                await connection.WriteAsync(FrameEncoder.Encode(FrameSpec.Of(Opcode.Close, CloseBody.Build(1000, [])), masked: true, PayloadMask.NewKey()), cancellationToken).ConfigureAwait(false);
            }
            return ResultBuilder.HandshakeOnly(conformanceCase, started, verdict, exchange.Request, exchange.Response?.Raw, exchange.NoResponse, recorder);
        }
    }

    /// <summary>Orders behaviour verdicts from best to worst, to combine a handshake verdict with what followed.</summary>
    internal static int Severity(Behavior behavior) => behavior switch
    {
        Behavior.Ok or Behavior.Informational => 0,
        Behavior.NonStrict => 1,
        Behavior.Unimplemented => 2,
        Behavior.Failed => 3,
        _ => 4,
    };
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
    /// <summary>Connects, sends the standard request and accepts only a valid upgrade; anything else throws <see cref="HandshakeException"/>.</summary>
    public static async Task<OpenedConnection> ConnectAsync(TargetOptions target, ProtocolTimeouts timeouts, WireRecorder recorder,
        CancellationToken cancellationToken, IReadOnlyList<string>? extensionOffers = null)
    {
        var request = ClientHandshake.StandardRequest(target.Url, target, WebSocketAccept.NewKey(), extensionOffers);
        var (connection, exchange, leftover) = await ExchangeAsync(target, request, [], timeouts, recorder, cancellationToken).ConfigureAwait(false);
        var problem = exchange.Response is null
            ? exchange.NoResponse
            : ClientHandshake.Validate(exchange.Response, request.Key, target.Protocols, extensionOffers ?? []) is { } invalid ? $"handshake rejected: {invalid}" : null;
        if (problem is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new HandshakeException(problem, exchange.Request, exchange.Response?.Raw, timedOut: exchange.NoResponse?.Contains("within", StringComparison.Ordinal) == true);
        }
        recorder.Note("opening handshake complete");
        return new OpenedConnection(connection, exchange.Request, exchange.Response!.Raw, exchange.Response, leftover);
    }

    /// <summary>
    /// Connects and sends <paramref name="request"/> (plus <paramref name="earlyFrames"/> in the same write), then reads
    /// whatever response head comes back. Only a failure to connect throws; a missing, late or oversized response is
    /// reported in the exchange, so a handshake case can judge it.
    /// </summary>
    public static async Task<(Connection Connection, HandshakeExchange Exchange, ReadOnlyMemory<byte> Leftover)> ExchangeAsync(
        TargetOptions target, HandshakeRequest request, IReadOnlyList<FrameSpec> earlyFrames, ProtocolTimeouts timeouts,
        WireRecorder recorder, CancellationToken cancellationToken)
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

        var text = request.Render();
        try
        {
            var octets = new List<byte>(Encoding.Latin1.GetBytes(text));
            foreach (var frame in earlyFrames)
            {
                octets.AddRange(FrameEncoder.Encode(frame, frame.Masked ?? true, frame.MaskKey ?? PayloadMask.NewKey()));
                recorder.Note($"early frame (opcode {frame.Opcode}, {frame.Payload.Length} octets) sent in the same write as the request");
            }
            recorder.Octets(Model.WireEntryKind.OctetsOut, octets.ToArray());
            await connection.WriteAsync(octets.ToArray(), deadline.Token).ConfigureAwait(false);
            var (head, leftover, noResponse) = await ReadResponseHeadAsync(connection, recorder, deadline.Token).ConfigureAwait(false);
            return (connection, new HandshakeExchange(text, head, noResponse, request), leftover);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (connection, new HandshakeExchange(text, null, $"the peer did not finish its handshake response within {timeouts.OpenHandshake.TotalSeconds:0.#} s", request), ReadOnlyMemory<byte>.Empty);
        }
        catch (Exception e) when (CaseSession.IsConnectionGone(e) && !cancellationToken.IsCancellationRequested)
        {
            return (connection, new HandshakeExchange(text, null, $"the connection was lost during the opening handshake ({e.Message})", request), ReadOnlyMemory<byte>.Empty);
        }
    }

    /// <summary>Reads until the end of the response head, never buffering more than <see cref="ClientHandshake.MaxResponseHeadLength"/>.</summary>
    private static async Task<(HttpHead? Head, ReadOnlyMemory<byte> Leftover, string? NoResponse)> ReadResponseHeadAsync(
        Connection connection, WireRecorder recorder, CancellationToken cancellationToken)
    {
        var buffer = new byte[ClientHandshake.MaxResponseHeadLength + 4096];
        var filled = 0;
        while (true)
        {
            var read = await connection.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (null, ReadOnlyMemory<byte>.Empty, filled == 0
                    ? "the peer closed the connection without answering the opening handshake"
                    : $"the peer closed the connection in the middle of its handshake response ('{Encoding.Latin1.GetString(buffer, 0, Math.Min(filled, 80))}')");
            }
            recorder.Octets(Model.WireEntryKind.OctetsIn, buffer.AsSpan(filled, read));
            filled += read;
            var end = HttpHead.FindEnd(buffer.AsSpan(0, filled));
            if (end >= 0) return (HttpHead.Parse(buffer.AsSpan(0, end)), buffer.AsMemory(end, filled - end).ToArray(), null);
            if (filled > ClientHandshake.MaxResponseHeadLength)
                return (null, ReadOnlyMemory<byte>.Empty, $"the handshake response head exceeds {ClientHandshake.MaxResponseHeadLength} octets");
        }
    }
}
