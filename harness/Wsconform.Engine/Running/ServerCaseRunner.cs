using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Engine.Transport;
using Wsconform.Wire;
using Wsconform.Model;
using Wsconform.Wire.Deflate;

namespace Wsconform.Engine.Running;

/// <summary>
/// A client's upgrade request as the harness (in the server role) received it, and what the harness adds to its 101 answer.
/// </summary>
/// <param name="Head">The request head, raw and parsed (peer-controlled).</param>
/// <param name="Leftover">Octets the client sent after the head in the same read (frames pipelined behind the request).</param>
/// <param name="Protocol">The subprotocol the harness selects from the client's offer, or null for none (§4.2.2 step 5.5).</param>
/// <param name="ResponseHeaderLines">Extra header lines of the 101, e.g. <c>Server: wsconform/1.0</c>.</param>
public sealed record UpgradeRequest(HttpHead Head, ReadOnlyMemory<byte> Leftover, string? Protocol = null, IReadOnlyList<string>? ResponseHeaderLines = null)
{
    /// <summary>The client's Sec-WebSocket-Key, or empty when it sent none.</summary>
    public string Key => Head.Value("Sec-WebSocket-Key") ?? "";

    /// <summary>True when an earlier connection to the same server used the same Sec-WebSocket-Key.</summary>
    public bool KeyReused { get; init; }

    /// <summary>How a server refuses this request (the first rule of RFC 6455 §4.2.1 it breaks), or null for a valid upgrade.</summary>
    public HandshakeRefusal? Refusal => ServerHandshake.Check(Head);
}

/// <summary>
/// Runs one case with the harness as the <em>server</em> (testing a client, Autobahn's <c>fuzzingserver</c>): answers the
/// client's upgrade request with 101, runs the case's script with server framing (no masking on send; every client frame
/// must be masked, RFC 6455 §5.1) and judges the outcome exactly as <see cref="CaseRunner"/> does for servers.
/// </summary>
public static class ServerCaseRunner
{
    /// <summary>
    /// Never throws for anything the client does; a case that cannot run is an ERROR result with the reason. The caller
    /// owns <paramref name="connection"/>. A request that breaks RFC 6455 §4.2.1 is refused as a server must refuse it
    /// (FAILED, or the verdict of the 0.8.x case that judges the request).
    /// </summary>
    public static async Task<CaseResult> RunAsync(ConformanceCase conformanceCase, Connection connection, UpgradeRequest request,
        ProtocolTimeouts timeouts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conformanceCase);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(timeouts);
        var started = DateTimeOffset.UtcNow;
        var recorder = new WireRecorder();
        recorder.Octets(WireEntryKind.OctetsIn, Encoding.Latin1.GetBytes(request.Head.Raw));
        string? response = null;
        try
        {
            if (conformanceCase.Handshake is not null)
            {
                return ResultBuilder.Error(conformanceCase, started,
                    "the case tests a server's opening handshake and does not apply when the harness is the server", request.Head.Raw, null, recorder);
            }
            if (conformanceCase.ClientHandshake?.RequestJudge is { } judgeRequest)
            {
                return await RunRequestCaseAsync(conformanceCase, conformanceCase.ClientHandshake.HoldResponse, judgeRequest, connection, request,
                    timeouts, recorder, started, cancellationToken).ConfigureAwait(false);
            }
            if (request.Refusal is { } refusal)
            {
                // RFC 6455 §4.2.1: a server refuses a request that breaks the rules; the 0.8.x case of that rule names it.
                var verdict = new HandshakeVerdict(Behavior.Failed,
                    $"The client's upgrade request breaks RFC 6455 §4.1, so the harness refused it as a server must ({refusal.Problem}); the case could not run.");
                return await RefuseAsync(conformanceCase, verdict, refusal, connection, request, recorder, started, cancellationToken).ConfigureAwait(false);
            }
            if (conformanceCase.ClientHandshake?.BrokenResponse is { } breakResponse)
            {
                response = breakResponse(request);
                return await RunBrokenResponseCaseAsync(conformanceCase, response, connection, request, timeouts, recorder, started, cancellationToken)
                    .ConfigureAwait(false);
            }

            DeflateAcceptance? acceptance = null;
            string? declined = null;
            if (conformanceCase.DeflateOffers is { } offers)
            {
                var offered = request.Head.Values("Sec-WebSocket-Extensions");
                acceptance = AcceptMirrored(offers, offered);
                if (acceptance is null)
                {
                    declined = DescribeDecline(offers, offered);
                }
            }

            response = ServerHandshake.BuildAcceptResponse(request.Key, request.Protocol, acceptance?.Response, request.ResponseHeaderLines);
            if (await WriteResponseAsync(conformanceCase, response, connection, request, timeouts, recorder, started, cancellationToken).ConfigureAwait(false) is { } gone)
                return gone;
            recorder.Note("opening handshake complete (harness is the server)");

            if (declined is not null)
            {
                return await CaseRunner.EndWithoutCaseAsync(conformanceCase, connection, EndpointRole.Server, timeouts, recorder, started,
                    request.Head.Raw, response, 1000, Behavior.Unimplemented, declined, cancellationToken, request.Leftover).ConfigureAwait(false);
            }
            if (acceptance is not null) recorder.Note($"permessage-deflate agreed: {acceptance.Response}");

            var session = new CaseSession(connection, EndpointRole.Server, conformanceCase, timeouts, recorder, request.Leftover, acceptance?.Agreement);
            var deadline = CaseDeadline.ForSession(conformanceCase, timeouts);
            var outcome = await session.RunAsync(deadline, cancellationToken).ConfigureAwait(false);
            if (outcome.DeadlineExceeded) return DeadlineError(conformanceCase, deadline, request, response, recorder, outcome, started);
            var judgement = Judge.Decide(conformanceCase, outcome, EndpointRole.Server);
            return ResultBuilder.Completed(conformanceCase, started, outcome, judgement, request.Head.Raw, response, recorder);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            recorder.Note($"harness fault: {e}");
            return ResultBuilder.Error(conformanceCase, started, $"harness fault: {e.GetType().Name}: {e.Message}", request.Head.Raw, response, recorder);
        }
    }

    /// <summary>
    /// A case about one rule of the client's request (0.8.x): hold the 101 back when the case watches for early data, judge
    /// the rule, then upgrade and run the case's echo when the request is a valid upgrade (the worse verdict wins), or
    /// refuse it as a server must when it breaks any rule (the case's verdict is its own rule's).
    /// </summary>
    private static async Task<CaseResult> RunRequestCaseAsync(ConformanceCase conformanceCase, TimeSpan hold,
        Func<ClientRequestFacts, HandshakeVerdict> judge, Connection connection, UpgradeRequest request, ProtocolTimeouts timeouts,
        WireRecorder recorder, DateTimeOffset started, CancellationToken cancellationToken)
    {
        if (hold > TimeSpan.Zero)
        {
            recorder.Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"holding the response for {hold.TotalSeconds:0.###} s to see whether the client sends anything before it"));
            await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
        }
        // Octets behind the head in the same read, and octets waiting in the socket (read later by the session).
        var early = request.Leftover.Length + (hold > TimeSpan.Zero ? connection.OctetsWaiting : 0);
        var verdict = judge(new ClientRequestFacts(request.Head, early, request.KeyReused, hold));
        recorder.Note($"request judged {verdict.Verdict.ToAutobahnString()}: {verdict.Result}");
        if (request.Refusal is { } refusal)
        {
            return await RefuseAsync(conformanceCase, verdict with { Result = $"{verdict.Result} The request breaks another rule, so the harness refused it ({refusal.Problem})." },
                refusal, connection, request, recorder, started, cancellationToken).ConfigureAwait(false);
        }

        var response = ServerHandshake.BuildAcceptResponse(request.Key, request.Protocol, null, request.ResponseHeaderLines);
        if (await WriteResponseAsync(conformanceCase, response, connection, request, timeouts, recorder, started, cancellationToken).ConfigureAwait(false) is { } gone)
            return gone;
        var session = new CaseSession(connection, EndpointRole.Server, conformanceCase, timeouts, recorder, request.Leftover);
        var deadline = CaseDeadline.ForSession(conformanceCase, timeouts);
        var outcome = await session.RunAsync(deadline, cancellationToken).ConfigureAwait(false);
        if (outcome.DeadlineExceeded) return DeadlineError(conformanceCase, deadline, request, response, recorder, outcome, started);
        var judgement = Judge.Decide(conformanceCase, outcome, EndpointRole.Server);
        // The request verdict stands unless what followed was worse.
        var combined = CaseRunner.Severity(judgement.Behavior) > CaseRunner.Severity(verdict.Verdict)
            ? judgement
            : judgement with { Behavior = verdict.Verdict, Result = $"{verdict.Result} {judgement.Result}" };
        return ResultBuilder.Completed(conformanceCase, started, outcome, combined, request.Head.Raw, response, recorder);
    }

    /// <summary>
    /// A case about a broken 101 (0.9.x): send it, then run the case's script (a message and a kill timer) and judge how the
    /// client ended the connection it must not accept (<see cref="BrokenResponseJudge"/>).
    /// </summary>
    private static async Task<CaseResult> RunBrokenResponseCaseAsync(ConformanceCase conformanceCase, string response, Connection connection,
        UpgradeRequest request, ProtocolTimeouts timeouts, WireRecorder recorder, DateTimeOffset started, CancellationToken cancellationToken)
    {
        if (await WriteResponseAsync(conformanceCase, response, connection, request, timeouts, recorder, started, cancellationToken).ConfigureAwait(false) is { } gone)
            return gone;
        recorder.Note("a broken 101 was sent: the client must fail the connection without using it");
        var session = new CaseSession(connection, EndpointRole.Server, conformanceCase, timeouts, recorder, request.Leftover);
        var deadline = CaseDeadline.ForSession(conformanceCase, timeouts);
        var outcome = await session.RunAsync(deadline, cancellationToken).ConfigureAwait(false);
        if (outcome.DeadlineExceeded) return DeadlineError(conformanceCase, deadline, request, response, recorder, outcome, started);
        return ResultBuilder.Completed(conformanceCase, started, outcome, BrokenResponseJudge.Decide(conformanceCase, outcome),
            request.Head.Raw, response, recorder);
    }

    /// <summary>Refuses the upgrade with the refusal's HTTP error; the case ends with <paramref name="verdict"/>.</summary>
    private static async Task<CaseResult> RefuseAsync(ConformanceCase conformanceCase, HandshakeVerdict verdict, HandshakeRefusal refusal,
        Connection connection, UpgradeRequest request, WireRecorder recorder, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var response = refusal.Render(request.ResponseHeaderLines);
        var octets = Encoding.UTF8.GetBytes(response);
        recorder.Octets(WireEntryKind.OctetsOut, octets);
        await connection.SendFinalResponseAsync(octets, RefusalTime, cancellationToken).ConfigureAwait(false);
        return ResultBuilder.HandshakeOnly(conformanceCase, started, verdict, request.Head.Raw, response, null, recorder);
    }

    /// <summary>How long an HTTP refusal and the drain after it may take before the connection is dropped anyway.</summary>
    internal static readonly TimeSpan RefusalTime = TimeSpan.FromSeconds(2);

    /// <summary>Writes the response head under the open-handshake timeout; an ERROR result when the client is already gone, else null.</summary>
    private static async Task<CaseResult?> WriteResponseAsync(ConformanceCase conformanceCase, string response, Connection connection,
        UpgradeRequest request, ProtocolTimeouts timeouts, WireRecorder recorder, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var octets = Encoding.Latin1.GetBytes(response);
        recorder.Octets(WireEntryKind.OctetsOut, octets);
        using var writeDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        writeDeadline.CancelAfter(timeouts.OpenHandshake);
        try
        {
            await connection.WriteAsync(octets, writeDeadline.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (CaseSession.IsConnectionGone(e) && !cancellationToken.IsCancellationRequested)
        {
            return ResultBuilder.Error(conformanceCase, started, $"the client went away before the 101 response was written ({e.Message})",
                request.Head.Raw, response, recorder, new CloseFacts { WasNotCleanReason = "peer dropped the TCP connection during the opening handshake" });
        }
    }

    private static CaseResult DeadlineError(ConformanceCase conformanceCase, TimeSpan deadline, UpgradeRequest request, string response,
        WireRecorder recorder, SessionOutcome outcome, DateTimeOffset started) =>
        ResultBuilder.Error(conformanceCase, started,
            $"the case did not end within its hard deadline of {deadline.TotalSeconds:0.#} s; the harness dropped the connection",
            request.Head.Raw, response, recorder, outcome.Close);

    /// <summary>
    /// The server side of a compression case, as Autobahn's fuzzingserver negotiates it (catalogue, category 13): each
    /// offer the case makes as a client (requests for the server's compressor) becomes, mirrored, a requirement on the
    /// client's compressor, and the first one the client's offers can meet wins. For Autobahn's default offer that is
    /// <see cref="DeflateServerPolicy.Default"/>: accept the client's first valid offer as it stands. Null: no acceptance.
    /// </summary>
    public static DeflateAcceptance? AcceptMirrored(IReadOnlyList<DeflateOffer> caseOffers, IEnumerable<string?> clientOfferHeaderValues)
    {
        ArgumentNullException.ThrowIfNull(caseOffers);
        var header = ExtensionHeader.Parse(clientOfferHeaderValues);
        foreach (var policy in MirroredPolicies(caseOffers))
        {
            if (DeflateNegotiation.Accept(header, policy) is { } acceptance) return acceptance;
        }
        return null;
    }

    /// <summary>
    /// A case's client offers turned into server policies: <c>server_no_context_takeover</c> asked of the peer server becomes
    /// <c>client_no_context_takeover</c> asked of the peer client, <c>server_max_window_bits=N</c> becomes
    /// <c>client_max_window_bits=N</c> (which needs the client to have offered the parameter, RFC 7692 §7.1.2.2).
    /// </summary>
    public static IReadOnlyList<DeflateServerPolicy> MirroredPolicies(IReadOnlyList<DeflateOffer> caseOffers) =>
        caseOffers.Select(o => o is { ServerNoContextTakeover: false, ServerMaxWindowBits: null }
                ? DeflateServerPolicy.Default
                : new DeflateServerPolicy
                {
                    ClientNoContextTakeover = o.ServerNoContextTakeover,
                    ClientMaxWindowBits = o.ServerMaxWindowBits,
                    RequireClientMaxWindowBits = o.ServerMaxWindowBits is not null,
                })
            .Distinct()
            .ToList();

    private static string DescribeDecline(IReadOnlyList<DeflateOffer> caseOffers, IReadOnlyList<string> offered)
    {
        var header = ExtensionHeader.Parse(offered);
        var anyDeflate = header.IsValid && header.Elements.Any(e => e.IsNamed(DeflateOffer.ExtensionName));
        if (offered.Count == 0 || (header.IsValid && !anyDeflate))
        {
            return "The client did not offer permessage-deflate" +
                   (offered.Count == 0 ? "" : $" (its Sec-WebSocket-Extensions: {Shorten(string.Join(", ", offered))})") +
                   ", so the case does not apply.";
        }
        if (!header.IsValid)
        {
            return $"The client's Sec-WebSocket-Extensions header is malformed ({header.Error}), so no permessage-deflate offer could be accepted and the case does not apply.";
        }
        var wanted = string.Join("; or ", MirroredPolicies(caseOffers).Select(DescribePolicy));
        return $"No permessage-deflate offer of the client ({Shorten(string.Join(", ", offered))}) could be accepted with what the case requires " +
               $"({wanted}), so the case does not apply.";
    }

    private static string DescribePolicy(DeflateServerPolicy policy)
    {
        var parts = new List<string>();
        if (policy.ClientNoContextTakeover) parts.Add("client_no_context_takeover");
        if (policy.ClientMaxWindowBits is { } bits) parts.Add($"client_max_window_bits={bits}, which needs the offer to include client_max_window_bits");
        return parts.Count == 0 ? "any valid offer" : string.Join(", ", parts);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
