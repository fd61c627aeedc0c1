using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Engine.Transport;
using Wsconform.Model;
using Wsconform.Wire.Deflate;

namespace Wsconform.Engine.Running;

/// <summary>
/// A client's upgrade request that passed RFC 6455 §4.2.1, as the harness (in the server role) received it, and what
/// the harness adds to its 101 answer.
/// </summary>
/// <param name="Head">The request head, raw and parsed (peer-controlled).</param>
/// <param name="Leftover">Octets the client sent after the head in the same read (frames pipelined behind the request).</param>
/// <param name="Protocol">The subprotocol the harness selects from the client's offer, or null for none (§4.2.2 step 5.5).</param>
/// <param name="ResponseHeaderLines">Extra header lines of the 101, e.g. <c>Server: wsconform/1.0</c>.</param>
public sealed record UpgradeRequest(HttpHead Head, ReadOnlyMemory<byte> Leftover, string? Protocol = null, IReadOnlyList<string>? ResponseHeaderLines = null)
{
    /// <summary>The client's Sec-WebSocket-Key (validated by <see cref="ServerHandshake.Check"/> before this record is made).</summary>
    public string Key => Head.Value("Sec-WebSocket-Key") ?? "";
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
    /// owns <paramref name="connection"/> and has already checked the request (<see cref="ServerHandshake.Check"/>).
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
            var octets = Encoding.Latin1.GetBytes(response);
            recorder.Octets(WireEntryKind.OctetsOut, octets);
            using (var writeDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                writeDeadline.CancelAfter(timeouts.OpenHandshake);
                try
                {
                    await connection.WriteAsync(octets, writeDeadline.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (CaseSession.IsConnectionGone(e) && !cancellationToken.IsCancellationRequested)
                {
                    return ResultBuilder.Error(conformanceCase, started, $"the client went away before the 101 response was written ({e.Message})",
                        request.Head.Raw, response, recorder, new CloseFacts { WasNotCleanReason = "peer dropped the TCP connection during the opening handshake" });
                }
            }
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
            if (outcome.DeadlineExceeded)
            {
                return ResultBuilder.Error(conformanceCase, started,
                    $"the case did not end within its hard deadline of {deadline.TotalSeconds:0.#} s; the harness dropped the connection",
                    request.Head.Raw, response, recorder, outcome.Close);
            }
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
