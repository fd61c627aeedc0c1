using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json.Nodes;
using Wsconform.Engine.Handshake;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Engine.Transport;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Serving;

/// <summary>
/// <c>wsconform serve</c>: the harness as a WebSocket server that clients under test connect to, driven by the URL
/// protocol of Autobahn's fuzzingserver (catalogue §3.2): <c>/getCaseCount</c>, <c>/runCase</c>, <c>/getCaseInfo</c>,
/// <c>/getCaseStatus</c>, <c>/updateReports</c>, <c>/stopServer</c>. Every connection is handled on its own; each wait
/// has a deadline; nothing a client sends ends the server.
/// </summary>
public sealed class CaseServer : IAsyncDisposable
{
    /// <summary>Scheme of the target URL that marks a report target as a client tested by serve mode: <c>client:&lt;agent&gt;</c>.</summary>
    public const string ClientUrlScheme = TargetInfo.ClientUrlScheme;


    private readonly ServeOptions _options;
    private readonly IReadOnlyList<ConformanceCase> _cases;
    private readonly Dictionary<string, ConformanceCase> _byId;
    private readonly TcpListener _listener;
    private readonly ClientResults _results;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly SemaphoreSlim _reportLock = new(1, 1);
    private readonly MemoryBudget _memory;
    private readonly string _serverHeaderLine = $"Server: {ToolInfo.Name}/{ToolInfo.Version}";
    private readonly RecentKeys _keysSeen = new(RecentKeys.DefaultCapacity);
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextConnectionId;
    private int _active;
    private long _reportedVersion = -1;
    private int _disposed;

    private CaseServer(ServeOptions options, TcpListener listener)
    {
        _options = options;
        _listener = listener;
        _cases = options.Cases.OrderBy(c => c.Id, CaseIds.NumericOrder).ToArray();
        _byId = _cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _results = new ClientResults(options.MaxAgents);
        _memory = new MemoryBudget(options.MemoryBudgetBytes);
        StartedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The run list, in numeric ID order: <c>/runCase?case=N</c> runs <c>Cases[N-1]</c>.</summary>
    public IReadOnlyList<ConformanceCase> Cases => _cases;

    /// <summary>The port listened on (the one picked when <see cref="ServeOptions.Port"/> was 0).</summary>
    public int Port { get; private set; }

    /// <summary>The base URL a driver uses: <c>ws://host:port</c> (or <c>wss://</c>).</summary>
    public Uri Url { get; private set; } = null!;

    public DateTimeOffset StartedAt { get; }

    /// <summary>Completes when a client asked the server to stop (<c>/stopServer</c>, <c>/updateReports?shutdownOnComplete=true</c>).</summary>
    public Task StopRequested => _stopRequested.Task;

    /// <summary>Agents seen so far, in order of appearance.</summary>
    public IReadOnlyList<string> Agents => _results.Agents;

    /// <summary>The latest result of a case for an agent, or null.</summary>
    public CaseResult? ResultOf(string agent, string caseId) => _results.Get(agent, caseId);

    /// <summary>Waits (bounded) for the result of a case for an agent; null when it did not arrive in time.</summary>
    public Task<CaseResult?> WaitForResultAsync(string agent, string caseId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _results.WaitForAsync(agent, caseId, timeout, cancellationToken);

    /// <summary>
    /// Stores a result for an agent from outside a connection, replacing any earlier one: <c>run-client</c> records a case
    /// its client never ran, or adds the client's stderr to a result's wire log.
    /// </summary>
    public void Record(string agent, CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(result);
        _results.Store(agent, result);
    }

    /// <summary>Everything so far as a run: one target per agent (URL <c>client:&lt;agent&gt;</c>).</summary>
    public RunResult Snapshot() => _results.Snapshot(StartedAt, _options.Settings);

    /// <summary>Binds the listener and starts accepting. Throws <see cref="ServeException"/> with one line when it cannot listen.</summary>
    public static CaseServer Start(ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAgents, 1);
        var listener = new TcpListener(options.Address, options.Port);
        if (options.Address.Equals(IPAddress.IPv6Any)) listener.Server.DualMode = true;
        try
        {
            listener.Start(backlog: 128);
        }
        catch (SocketException e)
        {
            listener.Stop();
            var where = options.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{options.Address}]:{options.Port}" : $"{options.Address}:{options.Port}";
            throw new ServeException(e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => $"cannot listen on {where}: the port is already in use (choose another with --port)",
                SocketError.AddressNotAvailable => $"cannot listen on {where}: {options.Address} is not an address of this machine",
                SocketError.AccessDenied => $"cannot listen on {where}: permission denied (ports below 1024 need privileges)",
                _ => $"cannot listen on {where}: {e.Message}",
            }, e);
        }
        var server = new CaseServer(options, listener);
        server.Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var host = options.Address.Equals(IPAddress.Any) || options.Address.Equals(IPAddress.IPv6Any) ? "localhost"
            : options.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{options.Address}]"
            : options.Address.ToString();
        server.Url = new Uri($"{(options.Certificate is null ? "ws" : "wss")}://{host}:{server.Port}");
        server._acceptLoop = Task.Run(server.AcceptLoopAsync);
        return server;
    }

    /// <summary>
    /// Writes the reports of every agent seen so far through <see cref="ServeOptions.WriteReports"/>, one writer at a
    /// time. Returns the paths written; empty when there is no result yet, no writer, or (with
    /// <paramref name="onlyIfChanged"/>) nothing new since the last write. Report failures propagate.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteReportsAsync(bool onlyIfChanged = false, CancellationToken cancellationToken = default)
    {
        if (_options.WriteReports is not { } write) return [];
        await _reportLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var version = _results.Version;
            if (onlyIfChanged && version == Interlocked.Read(ref _reportedVersion)) return [];
            var run = Snapshot();
            if (run.Targets.Count == 0)
            {
                _options.Log?.Invoke("no results yet: no reports written");
                return [];
            }
            var paths = await write(run, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _reportedVersion, version);
            var cases = run.Targets.Sum(t => t.Cases.Count);
            _options.Log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"reports written ({run.Targets.Count} agent(s), {cases} result(s)): {string.Join(", ", paths)}"));
            return paths;
        }
        finally
        {
            _reportLock.Release();
        }
    }

    /// <summary>
    /// Stops listening, gives the cases in progress the close timeouts to end (a driver's last case is usually in its
    /// closing handshake), then ends the connections still open (their cases are not recorded) and waits for them, bounded.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _listener.Stop();
        try
        {
            await _results.WaitUntilIdleAsync(_options.Timeouts.CloseHandshake + _options.Timeouts.ServerConnectionDrop, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
        try
        {
            // Sessions end within their close timeouts once cancelled; the bound only guards against a harness bug.
            await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }
            catch (SocketException)
            {
                // A connection reset before it was accepted, or a transient resource shortage: keep listening.
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }

            var id = Interlocked.Increment(ref _nextConnectionId);
            if (Interlocked.Increment(ref _active) > _options.MaxConnections)
            {
                Interlocked.Decrement(ref _active);
                Track(id, RefuseBusyAsync(socket));
                continue;
            }
            Track(id, HandleConnectionAsync(socket));
        }
    }

    private void Track(long id, Task task)
    {
        _connections[id] = task;
        _ = task.ContinueWith(_ => _connections.TryRemove(id, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RefuseBusyAsync(Socket socket)
    {
        await Task.Yield();
        using (socket)
        {
            var connection = Connection.FromAccepted(socket);
            await using (connection.ConfigureAwait(false))
            {
                await RefuseAsync(connection, 503, "Service Unavailable",
                    $"wsconform serve handles at most {_options.MaxConnections} connections at once; try again when one has ended").ConfigureAwait(false);
            }
        }
    }

    private async Task HandleConnectionAsync(Socket socket)
    {
        await Task.Yield();
        var remote = Describe(socket.RemoteEndPoint);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        Connection? connection = null;
        try
        {
            using var opening = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            opening.CancelAfter(_options.Timeouts.OpenHandshake);
            if (_options.Certificate is { } certificate)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, opening.Token).ConfigureAwait(false);
            }
            connection = Connection.FromAccepted(socket, stream);
            var (head, leftover, problem, tooLarge) = await ReadRequestHeadAsync(connection, opening.Token).ConfigureAwait(false);
            if (head is null)
            {
                if (problem is not null) _options.Warn?.Invoke($"{remote}: {problem}");
                if (tooLarge)
                {
                    await RefuseAsync(connection, 431, "Request Header Fields Too Large",
                        $"the request head exceeds {ServerHandshake.MaxRequestHeadLength} octets").ConfigureAwait(false);
                }
                return;
            }
            await DispatchAsync(connection, head, leftover, remote).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            _options.Warn?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"{remote}: dropped: no complete upgrade request within the open-handshake timeout of {_options.Timeouts.OpenHandshake.TotalSeconds:0.###} s"));
        }
        catch (AuthenticationException e)
        {
            _options.Warn?.Invoke($"{remote}: TLS handshake failed: {e.Message}");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or the server is stopping.
        }
        catch (Exception e)
        {
            // A harness bug must cost one connection, never the server.
            _options.Warn?.Invoke($"{remote}: internal error: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                try { await stream.DisposeAsync().ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or ObjectDisposedException) { }
                socket.Dispose();
            }
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>
    /// Reads the upgrade request's head, never buffering more than <see cref="ServerHandshake.MaxRequestHeadLength"/>.
    /// Null head: the client closed first or sent too much (problem says which; null when it sent nothing at all).
    /// </summary>
    private static async Task<(HttpHead? Head, ReadOnlyMemory<byte> Leftover, string? Problem, bool TooLarge)> ReadRequestHeadAsync(Connection connection,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[ServerHandshake.MaxRequestHeadLength];
        var filled = 0;
        while (true)
        {
            var read = await connection.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (null, ReadOnlyMemory<byte>.Empty, filled == 0 ? null
                    : $"closed the connection in the middle of its upgrade request ('{ServeRequest.Shorten(Encoding.Latin1.GetString(buffer, 0, Math.Min(filled, 80)))}')", false);
            }
            filled += read;
            var end = HttpHead.FindEnd(buffer.AsSpan(0, filled));
            if (end >= 0) return (HttpHead.Parse(buffer.AsSpan(0, end)), buffer.AsMemory(end, filled - end).ToArray(), null, false);
            if (filled == buffer.Length)
                return (null, ReadOnlyMemory<byte>.Empty, $"refused with 431: the request head exceeds {ServerHandshake.MaxRequestHeadLength} octets", true);
        }
    }

    private async Task DispatchAsync(Connection connection, HttpHead head, ReadOnlyMemory<byte> leftover, string remote)
    {
        var refusal = ServerHandshake.Check(head);
        var line = RequestLine.TryParse(head.StartLine);
        if (line is null)
        {
            await RefuseUpgradeAsync(connection, refusal!, remote, head).ConfigureAwait(false);
            return;
        }
        var request = ServeRequest.TryParse(line.Target, out var pathError);
        if (request is null)
        {
            _options.Warn?.Invoke($"{remote}: refused {ServeRequest.Shorten(head.StartLine)}: {refusal?.Problem ?? pathError}");
            await RefuseAsync(connection, 400, "Bad Request", refusal?.Problem ?? pathError!).ConfigureAwait(false);
            return;
        }
        if (Validate(request, head, out var conformanceCase, out var agent) is { } invalid)
        {
            _options.Warn?.Invoke($"{remote}: refused {ServeRequest.Shorten(head.StartLine)}: {invalid}");
            await RefuseAsync(connection, 400, "Bad Request", invalid).ConfigureAwait(false);
            return;
        }
        var keyReused = RememberKey(head);
        // A case run judges the request itself (a client breaking RFC 6455 §4.1 fails the case, refused as a server must
        // refuse it); the other paths only refuse.
        if (refusal is not null && request.Path != ServePath.RunCase)
        {
            await RefuseUpgradeAsync(connection, refusal, remote, head).ConfigureAwait(false);
            return;
        }

        var upgrade = new UpgradeRequest(head, leftover, SelectProtocol(head), [_serverHeaderLine]) { KeyReused = keyReused };
        switch (request.Path)
        {
            case ServePath.GetCaseCount:
                await ReplyAsync(connection, upgrade, _cases.Count.ToString(CultureInfo.InvariantCulture), 1000, null).ConfigureAwait(false);
                break;
            case ServePath.GetCaseInfo:
                var info = new JsonObject { ["id"] = conformanceCase!.Id, ["description"] = conformanceCase.Stimulus };
                await ReplyAsync(connection, upgrade, info.ToJsonString(), 1000, null).ConfigureAwait(false);
                break;
            case ServePath.RunCase:
                await RunCaseAsync(connection, upgrade, conformanceCase!, agent!).ConfigureAwait(false);
                break;
            case ServePath.GetCaseStatus:
                await CaseStatusAsync(connection, upgrade, conformanceCase!, agent!).ConfigureAwait(false);
                break;
            case ServePath.UpdateReports:
                var stop = string.Equals(request["shutdownOnComplete"], "true", StringComparison.OrdinalIgnoreCase);
                await ReportsAsync(connection, upgrade).ConfigureAwait(false);
                if (stop) RequestStop("/updateReports?shutdownOnComplete=true");
                break;
            case ServePath.StopServer:
                await ReportsAsync(connection, upgrade).ConfigureAwait(false);
                RequestStop("/stopServer");
                break;
        }
    }

    /// <summary>
    /// Remembers the request's Sec-WebSocket-Key and says whether an earlier connection used it already (RFC 6455 §4.1:
    /// a key is chosen at random for each connection; 0.8.6 judges it).
    /// </summary>
    private bool RememberKey(HttpHead head) => head.Value("Sec-WebSocket-Key") is { } key && !_keysSeen.Add(key.Trim());

    /// <summary>Checks a command's parameters; null when fine, else one line for the 400 response.</summary>
    private string? Validate(ServeRequest request, HttpHead head, out ConformanceCase? conformanceCase, out string? agent)
    {
        conformanceCase = null;
        agent = null;
        if (request.Path is ServePath.RunCase or ServePath.GetCaseInfo or ServePath.GetCaseStatus)
        {
            if (ResolveCase(request, out conformanceCase) is { } caseError) return caseError;
        }
        if (request.Path is ServePath.RunCase or ServePath.GetCaseStatus)
        {
            agent = request["agent"];
            if (ServeRequest.CheckAgent(agent, _options.MaxAgentLength) is { } agentError) return agentError;
            if (request.Path == ServePath.RunCase && !_results.TryAdmit(agent!, head.Value("User-Agent")))
                return $"this server already keeps results for {_options.MaxAgents} agents; reuse an agent name or restart the server";
        }
        return null;
    }

    /// <summary><c>case=N</c> (1-based position in the run list) or <c>casetuple=X.Y.Z</c>.</summary>
    private string? ResolveCase(ServeRequest request, out ConformanceCase? conformanceCase)
    {
        conformanceCase = null;
        if (request["case"] is { } number)
        {
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > _cases.Count)
                return $"case={ServeRequest.Shorten(number)} is not a case number: this server runs {_cases.Count} case(s), numbered 1 to {_cases.Count} (/getCaseCount)";
            conformanceCase = _cases[n - 1];
            return null;
        }
        if (request["casetuple"] is { } id)
        {
            if (_byId.TryGetValue(id, out conformanceCase)) return null;
            return $"case {ServeRequest.Shorten(id)} is not in this server's run list of {_cases.Count} case(s) (see its --cases and --exclude; " +
                   "category 0 and the 14.1.x masking cases do not apply to clients)";
        }
        return $"the request names no case: give case=N (1 to {_cases.Count}) or casetuple=X.Y.Z";
    }

    private async Task RunCaseAsync(Connection connection, UpgradeRequest upgrade, ConformanceCase conformanceCase, string agent)
    {
        CaseResult result;
        _results.RunStarted();
        try
        {
            // Clients decide how many cases run at once: the big-message cases (category 9) share a memory budget, as in run.
            using var memory = await _memory.AcquireAsync(MemoryBudget.WeightOf(conformanceCase), _stopping.Token).ConfigureAwait(false);
            result = await ServerCaseRunner.RunAsync(conformanceCase, connection, upgrade, _options.Timeouts, _stopping.Token).ConfigureAwait(false);
            if (_stopping.IsCancellationRequested) return;
            _results.Store(agent, result);
        }
        finally
        {
            _results.RunEnded();
        }
        try
        {
            _options.CaseFinished?.Invoke(new ServedCase(agent, result));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
    }

    private async Task CaseStatusAsync(Connection connection, UpgradeRequest upgrade, ConformanceCase conformanceCase, string agent)
    {
        // Autobahn answers once the result exists, however long that takes; here the wait is bounded.
        var result = await _results.WaitForAsync(agent, conformanceCase.Id, _options.StatusWait, _stopping.Token).ConfigureAwait(false);
        if (result is null)
        {
            await ReplyAsync(connection, upgrade, null, 1000, string.Create(CultureInfo.InvariantCulture,
                $"no result for case {conformanceCase.Id} of this agent within {_options.StatusWait.TotalSeconds:0.#} s")).ConfigureAwait(false);
            return;
        }
        var status = new JsonObject { ["behavior"] = result.Behavior.ToAutobahnString() };
        await ReplyAsync(connection, upgrade, status.ToJsonString(), 1000, null).ConfigureAwait(false);
    }

    private async Task ReportsAsync(Connection connection, UpgradeRequest upgrade)
    {
        try
        {
            // Cases whose closing handshake just ended are stored a moment later; cases still running are not waited for long.
            await _results.WaitUntilIdleAsync(_options.Timeouts.CloseHandshake + _options.Timeouts.ServerConnectionDrop, _stopping.Token).ConfigureAwait(false);
            await WriteReportsAsync(onlyIfChanged: false, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _options.Warn?.Invoke($"writing the reports failed: {Oneline(e.Message)}");
            await ReplyAsync(connection, upgrade, null, 1011, "writing the reports failed; see the server's output").ConfigureAwait(false);
            return;
        }
        await ReplyAsync(connection, upgrade, null, 1000, null).ConfigureAwait(false);
    }

    private void RequestStop(string why)
    {
        if (_stopRequested.TrySetResult()) _options.Log?.Invoke($"stopping: {why}");
    }

    /// <summary>
    /// Upgrades, sends <paramref name="message"/> (when given) as one text message and closes with
    /// <paramref name="code"/>, running the closing handshake with the same session code as the cases (bounded by the
    /// close timeouts; the client's frames must be masked here too).
    /// </summary>
    private async Task ReplyAsync(Connection connection, UpgradeRequest upgrade, string? message, int code, string? reason)
    {
        var response = Encoding.Latin1.GetBytes(ServerHandshake.BuildAcceptResponse(upgrade.Key, upgrade.Protocol, null, upgrade.ResponseHeaderLines));
        using (var write = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
        {
            write.CancelAfter(_options.Timeouts.OpenHandshake);
            await connection.WriteAsync(response, write.Token).ConfigureAwait(false);
        }
        var reasonOctets = Encoding.UTF8.GetBytes(reason ?? "");
        if (reasonOctets.Length > 123) reasonOctets = reasonOctets[..123];
        List<Step> script = message is null ? [] : [new SendMessage(Opcode.Text, Encoding.UTF8.GetBytes(message), int.MaxValue)];
        script.Add(new SendClose(code, reasonOctets));
        var reply = new ConformanceCase
        {
            Id = "serve-reply",
            Category = "serve",
            RfcSections = [],
            Requirement = "",
            Stimulus = "",
            ExpectedBehaviour = "",
            Script = script,
            Expected = [],
            ExpectedClose = new ExpectedClose(ClosedByHarness: true, CloseCodes: [1000], RequireClean: false),
            AutoCloseOnMatch = false,
        };
        var session = new CaseSession(connection, EndpointRole.Server, reply, _options.Timeouts, new WireRecorder(), upgrade.Leftover);
        await session.RunAsync(CaseDeadline.ForSession(reply, _options.Timeouts), _stopping.Token).ConfigureAwait(false);
    }

    private async Task RefuseUpgradeAsync(Connection connection, HandshakeRefusal refusal, string remote, HttpHead head)
    {
        _options.Warn?.Invoke($"{remote}: refused {ServeRequest.Shorten(head.StartLine)}: {refusal.Problem}");
        await WriteRefusalAsync(connection, refusal.Render([_serverHeaderLine])).ConfigureAwait(false);
    }

    private Task RefuseAsync(Connection connection, int status, string reasonPhrase, string body) =>
        WriteRefusalAsync(connection, ServerHandshake.BuildErrorResponse(status, reasonPhrase, body + "\n", [_serverHeaderLine]));

    private Task WriteRefusalAsync(Connection connection, string response) =>
        connection.SendFinalResponseAsync(Encoding.UTF8.GetBytes(response), ServerCaseRunner.RefusalTime, _stopping.Token);

    /// <summary>The first of the server's subprotocols (its order of preference) that the client offers, or null.</summary>
    private string? SelectProtocol(HttpHead head)
    {
        if (_options.Protocols.Count == 0) return null;
        var offered = ServerHandshake.OfferedProtocols(head);
        return _options.Protocols.FirstOrDefault(p => offered.Contains(p, StringComparer.Ordinal));
    }

    private static string Describe(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => ip.ToString(),
        null => "client",
        _ => endPoint.ToString() ?? "client",
    };

    private static string Oneline(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
