namespace Wsconform.Model;

/// <summary>A protocol rule the peer broke, recorded as an observation (never thrown).</summary>
/// <param name="TimeMs">When it was seen, in milliseconds since the case started.</param>
/// <param name="RfcSection">The section that states the rule, e.g. "RFC 6455 §5.2".</param>
/// <param name="Description">What the peer did, in words.</param>
public sealed record PeerViolation(double TimeMs, string RfcSection, string Description);

/// <summary>Everything recorded about one case against one target. Built once, never mutated.</summary>
public sealed record CaseResult
{
    /// <summary>Case ID, Autobahn's where the case reproduces an Autobahn case ("1.1.1").</summary>
    public required string Id { get; init; }
    /// <summary>Category title, e.g. "Framing".</summary>
    public required string Category { get; init; }
    /// <summary>Sub-category title when the category has one, e.g. "Text Messages".</summary>
    public string? Group { get; init; }
    /// <summary>RFC sections the case checks, e.g. "RFC 6455 §5.5.2".</summary>
    public required IReadOnlyList<string> RfcSections { get; init; }
    /// <summary>The requirement, in our own words.</summary>
    public required string Requirement { get; init; }
    /// <summary>What the harness sends.</summary>
    public required string Stimulus { get; init; }
    /// <summary>What a conforming peer does.</summary>
    public required string ExpectedBehaviour { get; init; }

    public required Behavior Behavior { get; init; }
    public required CloseBehavior BehaviorClose { get; init; }
    /// <summary>Why <see cref="Behavior"/> is what it is, in a sentence.</summary>
    public required string Result { get; init; }
    /// <summary>Why <see cref="BehaviorClose"/> is what it is, in a sentence.</summary>
    public required string ResultClose { get; init; }

    /// <summary>UTC time the case started.</summary>
    public required DateTimeOffset Started { get; init; }
    /// <summary>From the end of the opening handshake to the end of TCP, in milliseconds (Autobahn's <c>duration</c>);
    /// for a case that could not run, the time until it gave up.</summary>
    public required double DurationMs { get; init; }

    public required IReadOnlyList<ExpectedOutcome> Expected { get; init; }
    public required IReadOnlyList<CaseEvent> Received { get; init; }
    public required ExpectedClose ExpectedClose { get; init; }
    public required CloseFacts Close { get; init; }
    public required IReadOnlyList<PeerViolation> Violations { get; init; }

    /// <summary>The raw opening-handshake request the harness sent; null if the connection never opened.</summary>
    public string? HandshakeRequest { get; init; }
    /// <summary>The raw response head the peer sent (peer-controlled); null if none arrived.</summary>
    public string? HandshakeResponse { get; init; }

    public required IReadOnlyList<WireLogEntry> WireLog { get; init; }

    /// <summary>Frame and socket-operation counts of the case.</summary>
    public WireStats Stats { get; init; } = new();

    /// <summary>Round-trip times when the case is a performance trial (category 9); null otherwise.</summary>
    public RoundTripStats? RoundTrips { get; init; }

    /// <summary>The permessage-deflate agreement and compression figures, when the case negotiated compression.</summary>
    public CompressionStats? Compression { get; init; }
}

/// <summary>The endpoint a run tested.</summary>
/// <param name="Url">The WebSocket URL.</param>
/// <param name="Agent">Report name: the configured agent, else the peer's Server header, else the URL's host.</param>
/// <param name="ServerHeader">The Server header the peer sent in its handshake response, if any (peer-controlled).</param>
/// <param name="BuiltIn">True when the target is the harness's own built-in echo server.</param>
public sealed record TargetInfo(string Url, string Agent, string? ServerHeader, bool BuiltIn = false)
{
    /// <summary>
    /// Scheme of the URL that marks a target as a WebSocket <em>client</em> tested by serve mode (the harness is the
    /// server): <c>client:&lt;agent&gt;</c>. Kept in the URL so results.json needs no new field and every reader of it
    /// (compare, merge, the reports) can tell clients from servers.
    /// </summary>
    public const string ClientUrlScheme = "client";

    /// <summary>True when the target is a client tested by serve mode (its URL is <c>client:&lt;agent&gt;</c>).</summary>
    public bool IsClient => Url.StartsWith(ClientUrlScheme + ":", StringComparison.Ordinal);

    /// <summary>The target of a client tested by serve mode.</summary>
    public static TargetInfo ForClient(string agent) => new($"{ClientUrlScheme}:{agent}", agent, ServerHeader: null);
}

/// <summary>Every case result for one target, in case ID order.</summary>
public sealed record TargetResult
{
    public required TargetInfo Target { get; init; }
    public required IReadOnlyList<CaseResult> Cases { get; init; }
    /// <summary>From the first case's start to the last case's end, in milliseconds.</summary>
    public required double RunPhaseMs { get; init; }
}

/// <summary>Options of a run as the user gave them, kept so a report says how it was produced.</summary>
public sealed record RunSettings
{
    public IReadOnlyList<string> Cases { get; init; } = ["*"];
    public IReadOnlyList<string> Exclude { get; init; } = [];
    public int Parallel { get; init; }
    /// <summary>Other options worth showing (origin, protocols, TLS settings), as name → value text.</summary>
    public IReadOnlyDictionary<string, string> Other { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The key of <see cref="Other"/> under which serve mode records the User-Agent a client sent ("User-Agent of
    /// NAME"): the reports show it with that client.
    /// </summary>
    public static string ClientUserAgentKey(string agent) => $"User-Agent of {agent}";

    /// <summary>The User-Agent recorded for the client <paramref name="agent"/>, or null.</summary>
    public string? ClientUserAgent(string agent) => Other.TryGetValue(ClientUserAgentKey(agent), out var value) ? value : null;
}

/// <summary>A whole run: metadata and one result set per target.</summary>
public sealed record RunResult
{
    /// <summary>Version of the results.json schema this run serialises to.</summary>
    public const int CurrentSchemaVersion = 1;

    public required string ToolVersion { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required RunSettings Settings { get; init; }
    public required IReadOnlyList<TargetResult> Targets { get; init; }

    /// <summary>Set when the run was stopped (Ctrl+C, SIGTERM) before every selected case finished: the targets then hold
    /// only the finished cases. Null for a complete run.</summary>
    public RunInterruption? Interrupted { get; init; }

    /// <summary>Case results over all targets.</summary>
    public int CaseCount => Targets.Sum(t => t.Cases.Count);
}

/// <summary>What an interrupted run had set out to do, so a report can say how much of it is there.</summary>
/// <param name="SelectedCases">Cases the run selected, over all targets; <see cref="RunResult.CaseCount"/> of them finished.</param>
public sealed record RunInterruption(int SelectedCases);
