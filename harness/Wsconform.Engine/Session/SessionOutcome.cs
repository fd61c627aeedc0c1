using Wsconform.Model;

namespace Wsconform.Engine.Session;

/// <summary>Which side of the connection the harness plays. Clients mask their frames, servers do not (RFC 6455 §5.1).</summary>
public enum EndpointRole
{
    Client,
    Server,
}

/// <summary>The connection's WebSocket state (RFC 6455 §4.1, §7).</summary>
public enum SessionState
{
    Open,
    /// <summary>A Close was sent; waiting for the peer's Close or the end of TCP.</summary>
    Closing,
    /// <summary>TCP is gone.</summary>
    Closed,
}

/// <summary>An event from the peer with its full payload, kept for exact comparison with the expected lists.</summary>
public sealed record ReceivedEvent(EventKind Kind, ReadOnlyMemory<byte> Payload, bool IsBinary = false, string? Tag = null);

/// <summary>What a session observed, handed to the judge once the connection is gone.</summary>
public sealed record SessionOutcome(
    IReadOnlyList<ReceivedEvent> Received,
    CloseFacts Close,
    IReadOnlyList<PeerViolation> Violations,
    double OpenDurationMs,
    bool DeadlineExceeded,
    TrialOutcome? Trial,
    WireStats Stats,
    CompressionStats? Compression = null);
