namespace Wsconform.Engine.Running;

/// <summary>Where and how to connect to the endpoint under test.</summary>
public sealed record TargetOptions
{
    /// <summary>A <c>ws://</c> or <c>wss://</c> URL; path and query become the request target.</summary>
    public required Uri Url { get; init; }
    /// <summary>Name for reports; when null the peer's Server header is used, else the URL's host and port.</summary>
    public string? Agent { get; init; }
    /// <summary>Value of the Origin header; none is sent when null (RFC 6455 §10.2: only browsers must send it).</summary>
    public string? Origin { get; init; }
    /// <summary>Subprotocols to offer in Sec-WebSocket-Protocol, in preference order.</summary>
    public IReadOnlyList<string> Protocols { get; init; } = [];
    /// <summary>Extra request headers (auth, cookies), sent as given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    /// <summary>Accept any TLS certificate (self-signed test servers).</summary>
    public bool Insecure { get; init; }
    /// <summary>A PEM or DER file with the CA certificate(s) that sign the target's certificate.</summary>
    public string? CaFile { get; init; }
}

/// <summary>
/// Protocol timeouts of the harness side, Autobahn|Python 0.10.9's defaults unless changed, because several
/// close verdicts (UNCLEAN, FAILED BY CLIENT) depend on them.
/// </summary>
/// <param name="OpenHandshake">How long the peer has to answer the opening handshake.</param>
/// <param name="CloseHandshake">How long the harness waits for the peer's Close reply after sending its own.</param>
/// <param name="ServerConnectionDrop">As a client: how long the server has to drop TCP after the closing handshake.</param>
public sealed record ProtocolTimeouts(TimeSpan OpenHandshake, TimeSpan CloseHandshake, TimeSpan ServerConnectionDrop)
{
    public static readonly ProtocolTimeouts Autobahn = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
}

/// <summary>How a run is carried out.</summary>
public sealed record RunOptions
{
    /// <summary>How many cases of a target run at once (each on its own connection).</summary>
    public int Parallel { get; init; } = DefaultParallel;
    public ProtocolTimeouts Timeouts { get; init; } = ProtocolTimeouts.Autobahn;

    /// <summary>
    /// Memory the big-message cases of a run may hold at once (see <see cref="MemoryBudget.WeightOf"/>). 256 MiB lets a
    /// few 16 MiB echoes overlap while keeping the harness's peak working set well under 400 MiB.
    /// </summary>
    public long MemoryBudgetBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Default concurrency. Most cases wait on the network or on timers, not the CPU, so many can be in flight on
    /// a small machine; 32 keeps the 1 s waits of the slowest cases overlapping without flooding a target.
    /// </summary>
    public const int DefaultParallel = 32;
}
