using System.Globalization;
using Wsconform.Model;

namespace Wsconform.Reports.Json;

/// <summary>
/// Maps the model to the results.json DTOs and back. Every enum has an explicit text table here, so renaming a model
/// member is a compile error in this file rather than a silent change of the file format.
/// </summary>
internal static class ResultsJsonMapper
{
    public const string SchemaName = "wsconform-results";

    // ---------------------------------------------------------------- model → DTO

    public static ResultsDocument ToDocument(RunResult run) => new()
    {
        Schema = SchemaName,
        SchemaVersion = RunResult.CurrentSchemaVersion,
        ToolVersion = run.ToolVersion,
        StartedAt = FormatTime(run.StartedAt),
        FinishedAt = FormatTime(run.FinishedAt),
        Interrupted = run.Interrupted is { } interrupted
            ? new InterruptedDto { FinishedCases = run.CaseCount, SelectedCases = interrupted.SelectedCases }
            : null,
        Settings = ToDto(run.Settings),
        Targets = run.Targets.Select(ToDto).ToArray(),
    };

    public static SettingsDto ToDto(RunSettings settings) => new()
    {
        Cases = settings.Cases,
        Exclude = settings.Exclude,
        Parallel = settings.Parallel,
        Other = settings.Other,
    };

    private static TargetDto ToDto(TargetResult target) => new()
    {
        Url = target.Target.Url,
        Agent = target.Target.Agent,
        ServerHeader = target.Target.ServerHeader,
        BuiltIn = target.Target.BuiltIn,
        RunPhaseMs = target.RunPhaseMs,
        Cases = target.Cases.Select(ToDto).ToArray(),
    };

    /// <summary>One case as results.json writes it; results.jsonl (the run's journal) writes the same object per line.</summary>
    public static CaseDto ToDto(CaseResult c) => new()
    {
        Id = c.Id,
        Category = c.Category,
        Group = c.Group,
        RfcSections = c.RfcSections,
        Requirement = c.Requirement,
        Stimulus = c.Stimulus,
        ExpectedBehaviour = c.ExpectedBehaviour,
        Behavior = c.Behavior.ToAutobahnString(),
        BehaviorClose = c.BehaviorClose.ToAutobahnString(),
        Result = c.Result,
        ResultClose = c.ResultClose,
        Started = FormatTime(c.Started),
        DurationMs = c.DurationMs,
        Expected = c.Expected.Select(o => new ExpectedOutcomeDto
        {
            Verdict = o.Verdict.ToAutobahnString(),
            Events = o.Events.Select(ToDto).ToArray(),
        }).ToArray(),
        Received = c.Received.Select(ToDto).ToArray(),
        ExpectedClose = new ExpectedCloseDto
        {
            ClosedByHarness = c.ExpectedClose.ClosedByHarness,
            CloseCodes = c.ExpectedClose.CloseCodes,
            RequireClean = c.ExpectedClose.RequireClean,
            ClosedByWrongEndpointIsFatal = c.ExpectedClose.ClosedByWrongEndpointIsFatal,
        },
        Close = ToDto(c.Close),
        Violations = c.Violations.Select(v => new ViolationDto
        {
            TimeMs = v.TimeMs,
            RfcSection = v.RfcSection,
            Description = v.Description,
        }).ToArray(),
        Stats = new WireStatsDto
        {
            TxFrameStats = Sorted(c.Stats.FramesSentByOpcode),
            RxFrameStats = Sorted(c.Stats.FramesReceivedByOpcode),
            TxOctetStats = Sorted(c.Stats.WritesBySize),
            RxOctetStats = Sorted(c.Stats.ReadsBySize),
        },
        RoundTrips = c.RoundTrips is { } rt
            ? new RoundTripsDto
            {
                Requested = rt.Requested,
                Completed = rt.Completed,
                MinMs = rt.MinMs,
                MedianMs = rt.MedianMs,
                P99Ms = rt.P99Ms,
                MaxMs = rt.MaxMs,
                SamplesMs = rt.SamplesMs,
            }
            : null,
        Compression = c.Compression is { } z
            ? new CompressionDto
            {
                Agreement = z.Agreement,
                SentOctets = z.SentOctets,
                SentCompressedOctets = z.SentCompressedOctets,
                ReceivedOctets = z.ReceivedOctets,
                ReceivedCompressedOctets = z.ReceivedCompressedOctets,
                RatioIn = z.RatioIn,
                RatioOut = z.RatioOut,
            }
            : null,
        HandshakeRequest = c.HandshakeRequest,
        HandshakeResponse = c.HandshakeResponse,
        WireLog = c.WireLog.Select(ToDto).ToArray(),
    };

    /// <summary>A copy that enumerates in ascending key order, so the JSON object's keys are sorted numerically.</summary>
    private static SortedDictionary<int, int> Sorted(IReadOnlyDictionary<int, int> counts)
    {
        var sorted = new SortedDictionary<int, int>();
        foreach (var (key, count) in counts)
        {
            sorted.Add(key, count);
        }
        return sorted;
    }

    private static CloseFactsDto ToDto(CloseFacts f) => new()
    {
        ClosedByMe = f.ClosedByMe,
        FailedByMe = f.FailedByMe,
        DroppedByMe = f.DroppedByMe,
        WasClean = f.WasClean,
        WasNotCleanReason = f.WasNotCleanReason,
        WasServerConnectionDropTimeout = f.WasServerConnectionDropTimeout,
        WasOpenHandshakeTimeout = f.WasOpenHandshakeTimeout,
        WasCloseHandshakeTimeout = f.WasCloseHandshakeTimeout,
        LocalCloseCode = f.LocalCloseCode,
        LocalCloseReason = f.LocalCloseReason,
        RemoteCloseCode = f.RemoteCloseCode,
        RemoteCloseReason = f.RemoteCloseReason,
        TcpEnd = f.TcpEnd,
    };

    private static EventDto ToDto(CaseEvent e) => new()
    {
        Kind = EventKindText(e.Kind),
        Payload = ToDto(e.Payload),
        IsBinary = e.IsBinary,
        Tag = e.Tag,
    };

    private static PayloadDto? ToDto(PayloadView? p) => p is null
        ? null
        : new PayloadDto { Length = p.Length, Preview = p.Preview, IsText = p.IsText, Sha256 = p.Sha256 };

    private static WireLogEntryDto ToDto(WireLogEntry w) => new()
    {
        TimeMs = w.TimeMs,
        Kind = WireKindText(w.Kind),
        Payload = ToDto(w.Payload),
        Opcode = w.Opcode,
        Fin = w.Fin,
        Rsv = w.Rsv,
        Masked = w.Masked,
        MaskKey = w.MaskKey,
        DeclaredLength = w.DeclaredLength,
        ChopSize = w.ChopSize,
        Sync = w.Sync,
        DelaySeconds = w.DelaySeconds,
        Text = w.Text,
    };

    // ---------------------------------------------------------------- DTO → model

    public static RunResult ToModel(ResultsDocument d) => new()
    {
        ToolVersion = d.ToolVersion,
        StartedAt = ParseTime(d.StartedAt, "startedAt"),
        FinishedAt = ParseTime(d.FinishedAt, "finishedAt"),
        Interrupted = d.Interrupted is { } interrupted ? ToModel(interrupted) : null,
        Settings = ToModel(d.Settings),
        Targets = d.Targets.Select(ToModel).ToArray(),
    };

    public static RunSettings ToModel(SettingsDto s) => new()
    {
        Cases = s.Cases,
        Exclude = s.Exclude,
        Parallel = s.Parallel,
        Other = s.Other,
    };

    /// <summary>Only the selection is read: the finished count is derived from the targets.</summary>
    private static RunInterruption ToModel(InterruptedDto interrupted) => interrupted.SelectedCases >= 0
        ? new RunInterruption(interrupted.SelectedCases)
        : throw new InvalidDataException($"'interrupted.selectedCases' is negative ({interrupted.SelectedCases.ToString(CultureInfo.InvariantCulture)})");

    private static TargetResult ToModel(TargetDto t) => new()
    {
        Target = new TargetInfo(t.Url, t.Agent, t.ServerHeader, t.BuiltIn),
        RunPhaseMs = t.RunPhaseMs,
        Cases = t.Cases.Select(ToModel).ToArray(),
    };

    public static CaseResult ToModel(CaseDto c)
    {
        try
        {
            return new CaseResult
            {
                Id = c.Id,
                Category = c.Category,
                Group = c.Group,
                RfcSections = c.RfcSections,
                Requirement = c.Requirement,
                Stimulus = c.Stimulus,
                ExpectedBehaviour = c.ExpectedBehaviour,
                Behavior = VerdictText.ParseBehavior(c.Behavior),
                BehaviorClose = VerdictText.ParseCloseBehavior(c.BehaviorClose),
                Result = c.Result,
                ResultClose = c.ResultClose,
                Started = ParseTime(c.Started, "started"),
                DurationMs = c.DurationMs,
                Expected = c.Expected.Select(o => new ExpectedOutcome(VerdictText.ParseBehavior(o.Verdict), o.Events.Select(ToModel).ToArray())).ToArray(),
                Received = c.Received.Select(ToModel).ToArray(),
                ExpectedClose = new ExpectedClose(
                    c.ExpectedClose.ClosedByHarness,
                    c.ExpectedClose.CloseCodes,
                    c.ExpectedClose.RequireClean,
                    c.ExpectedClose.ClosedByWrongEndpointIsFatal),
                Close = new CloseFacts
                {
                    ClosedByMe = c.Close.ClosedByMe,
                    FailedByMe = c.Close.FailedByMe,
                    DroppedByMe = c.Close.DroppedByMe,
                    WasClean = c.Close.WasClean,
                    WasNotCleanReason = c.Close.WasNotCleanReason,
                    WasServerConnectionDropTimeout = c.Close.WasServerConnectionDropTimeout,
                    WasOpenHandshakeTimeout = c.Close.WasOpenHandshakeTimeout,
                    WasCloseHandshakeTimeout = c.Close.WasCloseHandshakeTimeout,
                    LocalCloseCode = c.Close.LocalCloseCode,
                    LocalCloseReason = c.Close.LocalCloseReason,
                    RemoteCloseCode = c.Close.RemoteCloseCode,
                    RemoteCloseReason = c.Close.RemoteCloseReason,
                    TcpEnd = c.Close.TcpEnd,
                },
                Violations = c.Violations.Select(v => new PeerViolation(v.TimeMs, v.RfcSection, v.Description)).ToArray(),
                Stats = new WireStats
                {
                    FramesSentByOpcode = Counts(c.Stats.TxFrameStats, "stats.txFrameStats"),
                    FramesReceivedByOpcode = Counts(c.Stats.RxFrameStats, "stats.rxFrameStats"),
                    WritesBySize = Counts(c.Stats.TxOctetStats, "stats.txOctetStats"),
                    ReadsBySize = Counts(c.Stats.RxOctetStats, "stats.rxOctetStats"),
                },
                RoundTrips = c.RoundTrips is { } rt ? new RoundTripStats(rt.Requested, rt.Completed, rt.SamplesMs) : null,
                Compression = c.Compression is { } z ? ToModel(z) : null,
                HandshakeRequest = c.HandshakeRequest,
                HandshakeResponse = c.HandshakeResponse,
                WireLog = c.WireLog.Select(ToModel).ToArray(),
            };
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"case {c.Id}: {e.Message}", e);
        }
    }

    /// <summary>Opcodes, sizes and counts are never negative; a negative one means the file was edited or damaged.</summary>
    private static IReadOnlyDictionary<int, int> Counts(IReadOnlyDictionary<int, int> counts, string key)
    {
        foreach (var (k, count) in counts)
        {
            if (k < 0 || count < 0)
            {
                throw new FormatException($"'{key}' has a negative entry (\"{k.ToString(CultureInfo.InvariantCulture)}\": {count.ToString(CultureInfo.InvariantCulture)})");
            }
        }
        return counts;
    }

    /// <summary>Octet counts are never negative; the ratios in the file are derived and not read back.</summary>
    private static CompressionStats ToModel(CompressionDto z)
    {
        foreach (var (key, value) in new[]
        {
            ("sentOctets", z.SentOctets), ("sentCompressedOctets", z.SentCompressedOctets),
            ("receivedOctets", z.ReceivedOctets), ("receivedCompressedOctets", z.ReceivedCompressedOctets),
        })
        {
            if (value < 0)
            {
                throw new FormatException($"'compression.{key}' is negative ({value.ToString(CultureInfo.InvariantCulture)})");
            }
        }
        return new CompressionStats(z.Agreement, z.SentOctets, z.SentCompressedOctets, z.ReceivedOctets, z.ReceivedCompressedOctets);
    }

    private static CaseEvent ToModel(EventDto e) => new(ParseEventKind(e.Kind), ToModel(e.Payload), e.IsBinary, e.Tag);

    private static PayloadView? ToModel(PayloadDto? p) => p is null ? null : new PayloadView(p.Length, p.Preview, p.IsText, p.Sha256);

    private static WireLogEntry ToModel(WireLogEntryDto w) => new()
    {
        TimeMs = w.TimeMs,
        Kind = ParseWireKind(w.Kind),
        Payload = ToModel(w.Payload),
        Opcode = w.Opcode,
        Fin = w.Fin,
        Rsv = w.Rsv,
        Masked = w.Masked,
        MaskKey = w.MaskKey,
        DeclaredLength = w.DeclaredLength,
        ChopSize = w.ChopSize,
        Sync = w.Sync,
        DelaySeconds = w.DelaySeconds,
        Text = w.Text,
    };

    // ---------------------------------------------------------------- text tables

    private static readonly (EventKind Kind, string Text)[] EventKinds =
    [
        (EventKind.Message, "message"),
        (EventKind.Ping, "ping"),
        (EventKind.Pong, "pong"),
        (EventKind.Timeout, "timeout"),
    ];

    private static readonly (WireEntryKind Kind, string Text)[] WireKinds =
    [
        (WireEntryKind.OctetsOut, "octetsOut"),
        (WireEntryKind.OctetsIn, "octetsIn"),
        (WireEntryKind.FrameOut, "frameOut"),
        (WireEntryKind.FrameIn, "frameIn"),
        (WireEntryKind.DelayScheduled, "delayScheduled"),
        (WireEntryKind.DelayFired, "delayFired"),
        (WireEntryKind.KillScheduled, "killScheduled"),
        (WireEntryKind.KillFired, "killFired"),
        (WireEntryKind.CloseTimerScheduled, "closeTimerScheduled"),
        (WireEntryKind.CloseTimerFired, "closeTimerFired"),
        (WireEntryKind.Violation, "violation"),
        (WireEntryKind.TcpDroppedByPeer, "tcpDroppedByPeer"),
        (WireEntryKind.TcpDroppedByMe, "tcpDroppedByMe"),
        (WireEntryKind.Note, "note"),
    ];

    private static string EventKindText(EventKind kind) => TextOf(EventKinds, kind, "event kind");

    private static EventKind ParseEventKind(string text) => KindOf(EventKinds, text, "event kind");

    private static string WireKindText(WireEntryKind kind) => TextOf(WireKinds, kind, "wire-log kind");

    private static WireEntryKind ParseWireKind(string text) => KindOf(WireKinds, text, "wire-log kind");

    /// <summary>The results.json name of an enum member, from its explicit table (renaming a member never changes the file).</summary>
    private static string TextOf<TKind>((TKind Kind, string Text)[] table, TKind kind, string what) where TKind : struct, Enum
    {
        foreach (var (k, text) in table)
        {
            if (EqualityComparer<TKind>.Default.Equals(k, kind))
            {
                return text;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(kind), kind, $"no results.json name for this {what}");
    }

    /// <summary>The enum member a results.json name stands for; an unknown name is a one-line format error.</summary>
    private static TKind KindOf<TKind>((TKind Kind, string Text)[] table, string text, string what) where TKind : struct, Enum
    {
        foreach (var (k, t) in table)
        {
            if (t == text)
            {
                return k;
            }
        }
        throw new InvalidDataException($"'{text}' is not a {what} ({string.Join(", ", table.Select(e => e.Text))})");
    }

    /// <summary>
    /// UTC ISO-8601 with a "Z": milliseconds like Autobahn's <c>started</c> when the value has no finer part,
    /// otherwise all seven fractional digits so reading the file back gives the exact same instant.
    /// </summary>
    public static string FormatTime(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var format = utc.Ticks % TimeSpan.TicksPerMillisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    public static DateTimeOffset ParseTime(string text, string key)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }
        throw new InvalidDataException($"'{key}' is not an ISO-8601 time: '{text}'");
    }
}
