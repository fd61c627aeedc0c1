using System.Text.Json.Serialization;

namespace Wsconform.Reports.Json;

// The results.json file format, version 1. These DTOs are the contract: they are deliberately separate from the
// model records so that renaming or reshaping the model never silently changes the file. Rules:
// * keys are camelCase (set on the serializer context), verdicts are Autobahn's strings;
// * every key is always written (null when absent) except the optional per-kind fields of wire-log entries,
//   which would otherwise dominate the file;
// * times are UTC ISO-8601 strings ending in "Z"; durations are milliseconds as JSON numbers;
// * adding a key is a compatible change; renaming, removing or re-typing one bumps "schemaVersion".
// * a key added after version 1 shipped (the root's "interrupted", a case's "stats", "roundTrips" and "compression") may
//   be missing on reading and then takes its empty value (empty statistics, null), so older files stay readable;
// * derived keys (roundTrips' minMs…maxMs, compression's ratioIn/ratioOut, interrupted's finishedCases) are written for
//   readers of the file and recomputed from the raw figures on reading.

/// <summary>Root of results.json.</summary>
internal sealed class ResultsDocument
{
    /// <summary>Always "wsconform-results": tells our file apart from Autobahn's index.json or any other JSON.</summary>
    [JsonPropertyOrder(-2)]
    public required string Schema { get; init; }

    [JsonPropertyOrder(-1)]
    public required int SchemaVersion { get; init; }

    public required string ToolVersion { get; init; }
    public required string StartedAt { get; init; }
    public required string FinishedAt { get; init; }
    /// <summary>Null for a complete run; a file without the key reads as null (complete).</summary>
    public InterruptedDto? Interrupted { get; init; }
    public required SettingsDto Settings { get; init; }
    public required IReadOnlyList<TargetDto> Targets { get; init; }
}

/// <summary>The run was stopped (Ctrl+C, SIGTERM) after <see cref="FinishedCases"/> of <see cref="SelectedCases"/> cases;
/// "targets" holds only those.</summary>
internal sealed class InterruptedDto
{
    /// <summary>Derived: the number of case results in "targets"; reading recomputes it.</summary>
    public required int FinishedCases { get; init; }
    public required int SelectedCases { get; init; }
}

internal sealed class SettingsDto
{
    public required IReadOnlyList<string> Cases { get; init; }
    public required IReadOnlyList<string> Exclude { get; init; }
    public required int Parallel { get; init; }
    public required IReadOnlyDictionary<string, string> Other { get; init; }
}

internal sealed class TargetDto
{
    public required string Url { get; init; }
    public required string Agent { get; init; }
    public string? ServerHeader { get; init; }
    public required bool BuiltIn { get; init; }
    public required double RunPhaseMs { get; init; }
    public required IReadOnlyList<CaseDto> Cases { get; init; }
}

internal sealed class CaseDto
{
    public required string Id { get; init; }
    public required string Category { get; init; }
    public string? Group { get; init; }
    public required IReadOnlyList<string> RfcSections { get; init; }
    public required string Requirement { get; init; }
    public required string Stimulus { get; init; }
    public required string ExpectedBehaviour { get; init; }
    /// <summary>Autobahn's behaviour verdict: OK, NON-STRICT, FAILED, INFORMATIONAL, UNIMPLEMENTED, or our ERROR.</summary>
    public required string Behavior { get; init; }
    /// <summary>Autobahn's close verdict: OK, FAILED, WRONG CODE, UNCLEAN, FAILED BY CLIENT, INFORMATIONAL, or our ERROR.</summary>
    public required string BehaviorClose { get; init; }
    public required string Result { get; init; }
    public required string ResultClose { get; init; }
    public required string Started { get; init; }
    public required double DurationMs { get; init; }
    public required IReadOnlyList<ExpectedOutcomeDto> Expected { get; init; }
    public required IReadOnlyList<EventDto> Received { get; init; }
    public required ExpectedCloseDto ExpectedClose { get; init; }
    public required CloseFactsDto Close { get; init; }
    public required IReadOnlyList<ViolationDto> Violations { get; init; }
    /// <summary>Added after schemaVersion 1 shipped: a file without the key reads as empty statistics. A setter, not
    /// init: the source generator passes every init-only member, so a missing key would become null instead of the default.</summary>
    public WireStatsDto Stats { get; set; } = WireStatsDto.Empty;
    /// <summary>Null unless the case is a performance trial (category 9); a file without the key reads as null.</summary>
    public RoundTripsDto? RoundTrips { get; init; }
    /// <summary>Null unless the case negotiated permessage-deflate (categories 12, 13, 15); a file without the key reads as null.</summary>
    public CompressionDto? Compression { get; init; }
    public string? HandshakeRequest { get; init; }
    public string? HandshakeResponse { get; init; }
    public required IReadOnlyList<WireLogEntryDto> WireLog { get; init; }
}

internal sealed class ExpectedOutcomeDto
{
    public required string Verdict { get; init; }
    public required IReadOnlyList<EventDto> Events { get; init; }
}

internal sealed class EventDto
{
    /// <summary>"message", "ping", "pong" or "timeout".</summary>
    public required string Kind { get; init; }
    public PayloadDto? Payload { get; init; }
    public required bool IsBinary { get; init; }
    public string? Tag { get; init; }
}

internal sealed class PayloadDto
{
    public required long Length { get; init; }
    public required string Preview { get; init; }
    public required bool IsText { get; init; }
    public string? Sha256 { get; init; }
}

internal sealed class ExpectedCloseDto
{
    public required bool ClosedByHarness { get; init; }
    public required IReadOnlyList<int> CloseCodes { get; init; }
    public required bool RequireClean { get; init; }
    public required bool ClosedByWrongEndpointIsFatal { get; init; }
}

/// <summary>Autobahn's per-case close bookkeeping (catalogue §3.3), same key names where Autobahn has one.</summary>
internal sealed class CloseFactsDto
{
    public required bool ClosedByMe { get; init; }
    public required bool FailedByMe { get; init; }
    public required bool DroppedByMe { get; init; }
    public required bool WasClean { get; init; }
    public string? WasNotCleanReason { get; init; }
    public required bool WasServerConnectionDropTimeout { get; init; }
    public required bool WasOpenHandshakeTimeout { get; init; }
    public required bool WasCloseHandshakeTimeout { get; init; }
    public int? LocalCloseCode { get; init; }
    public string? LocalCloseReason { get; init; }
    public int? RemoteCloseCode { get; init; }
    public string? RemoteCloseReason { get; init; }
    public string? TcpEnd { get; init; }
}

/// <summary>
/// Autobahn's per-case "Wire Statistics", same key names as Autobahn's case JSON. Each map's keys are numbers written
/// as JSON object keys (strings), in ascending numeric order: opcode → frames, or socket read/write size in octets →
/// how many reads/writes had that size.
/// </summary>
internal sealed class WireStatsDto
{
    /// <summary>No frames, no socket operations: what a file without "stats" means.</summary>
    public static readonly WireStatsDto Empty = new()
    {
        TxFrameStats = new Dictionary<int, int>(),
        RxFrameStats = new Dictionary<int, int>(),
        TxOctetStats = new Dictionary<int, int>(),
        RxOctetStats = new Dictionary<int, int>(),
    };

    /// <summary>Frames the harness sent, by opcode.</summary>
    public required IReadOnlyDictionary<int, int> TxFrameStats { get; init; }
    /// <summary>Frames the peer sent, by opcode.</summary>
    public required IReadOnlyDictionary<int, int> RxFrameStats { get; init; }
    /// <summary>Socket writes by size in octets.</summary>
    public required IReadOnlyDictionary<int, int> TxOctetStats { get; init; }
    /// <summary>Socket reads by size in octets.</summary>
    public required IReadOnlyDictionary<int, int> RxOctetStats { get; init; }
}

/// <summary>Round-trip times of a performance trial. The min/median/p99/max keys are derived from
/// <see cref="SamplesMs"/> (nearest rank; null without samples) for readers of the file; reading recomputes them.</summary>
internal sealed class RoundTripsDto
{
    public required int Requested { get; init; }
    public required int Completed { get; init; }
    public double? MinMs { get; init; }
    public double? MedianMs { get; init; }
    public double? P99Ms { get; init; }
    public double? MaxMs { get; init; }
    /// <summary>Every round-trip time in milliseconds, in sending order.</summary>
    public required IReadOnlyList<double> SamplesMs { get; init; }
}

/// <summary>
/// What permessage-deflate did on the case's connection (RFC 7692). Octets are payload octets of the messages that
/// went compressed, before ("…Octets") and after ("…CompressedOctets") compression; "sent" is the harness's direction.
/// The ratios are compressed ÷ uncompressed (Autobahn's incoming/outgoing compression ratios; smaller is better), null
/// when no compressed message went that way; they are derived, and reading recomputes them.
/// </summary>
internal sealed class CompressionDto
{
    /// <summary>The accepted extension as the peer wrote it in its handshake response (peer-controlled).</summary>
    public required string Agreement { get; init; }
    public required long SentOctets { get; init; }
    public required long SentCompressedOctets { get; init; }
    public required long ReceivedOctets { get; init; }
    public required long ReceivedCompressedOctets { get; init; }
    /// <summary>receivedCompressedOctets ÷ receivedOctets; null when receivedOctets is 0.</summary>
    public double? RatioIn { get; init; }
    /// <summary>sentCompressedOctets ÷ sentOctets; null when sentOctets is 0.</summary>
    public double? RatioOut { get; init; }
}

internal sealed class ViolationDto
{
    public required double TimeMs { get; init; }
    public required string RfcSection { get; init; }
    public required string Description { get; init; }
}

/// <summary>One wire-log line; which optional fields are present depends on <see cref="Kind"/>.</summary>
internal sealed class WireLogEntryDto
{
    public required double TimeMs { get; init; }
    /// <summary>
    /// "octetsOut", "octetsIn", "frameOut", "frameIn", "delayScheduled", "delayFired", "killScheduled", "killFired",
    /// "closeTimerScheduled", "closeTimerFired", "violation", "tcpDroppedByPeer", "tcpDroppedByMe" or "note".
    /// </summary>
    public required string Kind { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PayloadDto? Payload { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Opcode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Fin { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Rsv { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Masked { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MaskKey { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? DeclaredLength { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ChopSize { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Sync { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DelaySeconds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }
}
