namespace Wsconform.Reports.Json;

// The lines of results.jsonl, the run's journal (schema "wsconform-journal", version 1): one JSON object per line,
// written as each case finishes, so a killed run keeps what it finished and `wsconform run --resume` can finish it.
// Line 1 is a JournalHeaderDto; every further line a JournalCaseLineDto whose "case" is exactly a results.json case.
// The same rules as ResultsDocument apply (camelCase, every key written, UTC ISO-8601 times).

/// <summary>Line 1: what the run set out to do, so a resumed run can check that it is the same run.</summary>
internal sealed class JournalHeaderDto
{
    /// <summary>Always "wsconform-journal".</summary>
    public required string Schema { get; init; }
    public required int SchemaVersion { get; init; }
    public required string ToolVersion { get; init; }
    public required string StartedAt { get; init; }
    /// <summary>The options as results.json records them (cases, exclude, parallel, other).</summary>
    public required SettingsDto Settings { get; init; }
    public required IReadOnlyList<JournalTargetDto> Targets { get; init; }
}

/// <summary>A target of the run and the cases selected for it.</summary>
internal sealed class JournalTargetDto
{
    /// <summary>For the built-in echo server, the URL it had in that run (it gets a new port each time).</summary>
    public required string Url { get; init; }
    /// <summary>The agent name given (--agent, the spec's "agent"); null when reports take the server's.</summary>
    public string? Agent { get; init; }
    public required bool BuiltIn { get; init; }
    public string? Origin { get; init; }
    public required IReadOnlyList<string> Protocols { get; init; }
    /// <summary>Case IDs selected for this target, in run order.</summary>
    public required IReadOnlyList<string> Cases { get; init; }
}

/// <summary>Every line after the first: one finished case.</summary>
internal sealed class JournalCaseLineDto
{
    /// <summary>Position of the case's target in the header's "targets", from 0.</summary>
    public required int Target { get; init; }
    public required CaseDto Case { get; init; }
}
