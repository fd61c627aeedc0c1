using System.Net;
using System.Security.Cryptography.X509Certificates;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Model;

namespace Wsconform.Engine.Serving;

/// <summary>A case that finished in serve mode, for progress output.</summary>
public sealed record ServedCase(string Agent, CaseResult Result);

/// <summary>How <see cref="CaseServer"/> listens, what it serves and whom it tells.</summary>
public sealed record ServeOptions
{
    /// <summary>Autobahn's fuzzingserver port.</summary>
    public const int DefaultPort = 9001;

    /// <summary>Address to listen on (default: IPv4 loopback).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one (see <see cref="CaseServer.Port"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// The run list: <c>/runCase?case=N</c> is the N-th of these in numeric ID order. Cases that do not apply to a server
    /// (<see cref="CaseApplicability"/>) should be left out by the caller; they end as ERROR if a client asks for one.
    /// </summary>
    public required IReadOnlyList<ConformanceCase> Cases { get; init; }

    /// <summary>Open-handshake timeout (a client that sends no complete request by then is dropped), close timeouts.</summary>
    public ProtocolTimeouts Timeouts { get; init; } = ProtocolTimeouts.Autobahn;

    /// <summary>Subprotocols the server may select, in its order of preference: the first of these the client offers is chosen (none when it offers none of them).</summary>
    public IReadOnlyList<string> Protocols { get; init; } = [];

    /// <summary>Serve <c>wss://</c> with this certificate (it must carry its private key); null: plain <c>ws://</c>.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>How long <c>/getCaseStatus</c> waits for a result that does not exist yet.</summary>
    public TimeSpan StatusWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Connections handled at once; one more gets HTTP 503 and is closed.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Distinct agent names kept; a new name beyond this is refused with HTTP 400 (results live in memory).</summary>
    public int MaxAgents { get; init; } = 100;

    /// <summary>Memory the big-message cases running at once may hold (see <see cref="RunOptions.MemoryBudgetBytes"/>).</summary>
    public long MemoryBudgetBytes { get; init; } = new RunOptions().MemoryBudgetBytes;

    /// <summary>Longest agent name accepted.</summary>
    public int MaxAgentLength { get; init; } = 200;

    /// <summary>What the reports say about how the results were produced (patterns, mode).</summary>
    public RunSettings Settings { get; init; } = new() { Parallel = 1 };

    /// <summary>
    /// Writes the reports of a snapshot (results.json, index.html, Autobahn's files) and returns the paths written;
    /// null: <c>/updateReports</c> and <c>/stopServer</c> write nothing. The engine does not know the report formats.
    /// </summary>
    public Func<RunResult, CancellationToken, Task<IReadOnlyList<string>>>? WriteReports { get; init; }

    /// <summary>One line per finished case (called from connection threads).</summary>
    public Action<ServedCase>? CaseFinished { get; init; }

    /// <summary>Informational lines (reports written, server stopping).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Problems with a client that are worth a line: dropped before its request, refused requests, report failures.</summary>
    public Action<string>? Warn { get; init; }
}

/// <summary>The server could not start (the port is in use, the address is not local); the message is one line.</summary>
public sealed class ServeException(string message, Exception? inner = null) : Exception(message, inner);
