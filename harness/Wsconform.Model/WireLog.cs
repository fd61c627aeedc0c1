namespace Wsconform.Model;

/// <summary>Kinds of wire-log entry (Autobahn's wirelog tags in brackets).</summary>
public enum WireEntryKind
{
    /// <summary>Octets written in one socket write [TO].</summary>
    OctetsOut,
    /// <summary>Octets received in one socket read [RO].</summary>
    OctetsIn,
    /// <summary>A frame the harness sent [TF].</summary>
    FrameOut,
    /// <summary>A frame the peer sent [RF].</summary>
    FrameIn,
    /// <summary>A scripted delay was scheduled [CT].</summary>
    DelayScheduled,
    /// <summary>A scripted delay fired [CTE].</summary>
    DelayFired,
    /// <summary>The kill timer was armed [KL].</summary>
    KillScheduled,
    /// <summary>The kill timer fired: the harness fails the connection [KLE].</summary>
    KillFired,
    /// <summary>The close timer was armed [TI].</summary>
    CloseTimerScheduled,
    /// <summary>The close timer fired: the harness starts a normal close [TIE].</summary>
    CloseTimerFired,
    /// <summary>The peer broke a protocol rule; <see cref="WireLogEntry.Text"/> says which, citing the RFC.</summary>
    Violation,
    /// <summary>The peer closed or reset TCP.</summary>
    TcpDroppedByPeer,
    /// <summary>The harness closed TCP.</summary>
    TcpDroppedByMe,
    /// <summary>Anything else worth a line (handshake, timeouts, harness decisions).</summary>
    Note,
}

/// <summary>
/// One line of a case's wire log. A flat record with optional fields so every writer can render it without
/// type switches; which fields are set depends on <see cref="Kind"/>.
/// </summary>
public sealed record WireLogEntry
{
    /// <summary>Milliseconds since the case's connection attempt started.</summary>
    public required double TimeMs { get; init; }
    public required WireEntryKind Kind { get; init; }
    /// <summary>Octets (for octet entries) or frame payload (for frame entries).</summary>
    public PayloadView? Payload { get; init; }
    public int? Opcode { get; init; }
    public bool? Fin { get; init; }
    /// <summary>RSV bits as a 3-bit number: 4 = RSV1, 2 = RSV2, 1 = RSV3 (Autobahn's numbering).</summary>
    public int? Rsv { get; init; }
    public bool? Masked { get; init; }
    /// <summary>Masking key as 8 hex digits, when masked.</summary>
    public string? MaskKey { get; init; }
    /// <summary>Payload length written in the frame header (may differ from the octets that followed when the harness lies).</summary>
    public ulong? DeclaredLength { get; init; }
    public int? ChopSize { get; init; }
    public bool? Sync { get; init; }
    /// <summary>Delay in seconds for timer entries.</summary>
    public double? DelaySeconds { get; init; }
    /// <summary>Timer tag, violation text or note text. Peer-influenced text must be escaped by writers.</summary>
    public string? Text { get; init; }
}
