namespace Wsconform.Model;

/// <summary>
/// How a case's connection ended, field by field as Autobahn records it (catalogue §3.3), so the close verdict
/// can be explained and compared. "Me" is the harness.
/// </summary>
public sealed record CloseFacts
{
    /// <summary>The harness sent the first Close frame (not a reply).</summary>
    public bool ClosedByMe { get; init; }
    /// <summary>The harness failed the connection (peer protocol error or kill timer).</summary>
    public bool FailedByMe { get; init; }
    /// <summary>The harness closed the TCP connection itself.</summary>
    public bool DroppedByMe { get; init; }
    /// <summary>A Close was both sent and received (and, for the harness as client, the server then dropped TCP in time).</summary>
    public bool WasClean { get; init; }
    public string? WasNotCleanReason { get; init; }
    public bool WasServerConnectionDropTimeout { get; init; }
    public bool WasOpenHandshakeTimeout { get; init; }
    public bool WasCloseHandshakeTimeout { get; init; }
    public int? LocalCloseCode { get; init; }
    /// <summary>The reason the harness sent; hex (<c>0x…</c>) when it is not valid UTF-8 (case 7.5.1).</summary>
    public string? LocalCloseReason { get; init; }
    public int? RemoteCloseCode { get; init; }
    /// <summary>Peer-controlled: writers must escape it.</summary>
    public string? RemoteCloseReason { get; init; }
    /// <summary>How TCP ended from the harness's point of view: "FIN by peer", "RST by peer", "closed by harness".</summary>
    public string? TcpEnd { get; init; }
}
