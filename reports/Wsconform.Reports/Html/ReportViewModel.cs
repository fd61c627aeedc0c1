namespace Wsconform.Reports;

// The view model the HTML templates see. It is a projection of RunResult made of plain strings, numbers, booleans
// and lists, with every number and time already formatted (invariant culture) and every colour already chosen as a
// CSS class, so templates need nothing beyond {{#each}} and {{#if}}. All text is rendered through Handlebars'
// default {{ }} HTML escaping; peer-controlled strings (close reasons, headers, payload previews, violation text)
// reach the template unmodified and are escaped there. Property names are part of the template contract: users
// may ship their own templates (HtmlReportWriter's templateDirectory), so rename nothing without a reason.

/// <summary>Root object of the HTML templates (<c>index.hbs</c>).</summary>
public sealed class ReportViewModel
{
    /// <summary>Projects a run into the view model; linear in the number of cases, events and wire-log lines.</summary>
    public static ReportViewModel From(Wsconform.Model.RunResult run) => ReportViewModelBuilder.Build(run);

    /// <summary>Page title, e.g. "wsconform report: AutobahnPython/0.6.0".</summary>
    public required string Title { get; init; }
    public required string ToolVersion { get; init; }
    /// <summary>Run start, "yyyy-MM-dd HH:mm:ss UTC".</summary>
    public required string StartedAtUtc { get; init; }
    /// <summary>Run end, "yyyy-MM-dd HH:mm:ss UTC".</summary>
    public required string FinishedAtUtc { get; init; }
    /// <summary>Wall time of the run, e.g. "12.345 s" or "2 min 03.4 s".</summary>
    public required string RunDuration { get; init; }
    public required int TotalCases { get; init; }
    public required OptionsView Options { get; init; }
    /// <summary>Behaviour verdict colours and what they mean.</summary>
    public required IReadOnlyList<LegendItemView> BehaviorLegend { get; init; }
    /// <summary>Close verdict colours and what they mean.</summary>
    public required IReadOnlyList<LegendItemView> CloseLegend { get; init; }
    public required bool MultipleTargets { get; init; }
    public required IReadOnlyList<TargetView> Targets { get; init; }
}

/// <summary>The run options as the user gave them.</summary>
public sealed class OptionsView
{
    /// <summary>Case selection patterns, comma-separated ("*" when all).</summary>
    public required string Cases { get; init; }
    /// <summary>Exclusion patterns, comma-separated; empty when none.</summary>
    public required string Exclude { get; init; }
    public required bool HasExclude { get; init; }
    /// <summary>Cases run at a time per target.</summary>
    public required string Parallel { get; init; }
    public required IReadOnlyList<NameValueView> Other { get; init; }
    public required bool HasOther { get; init; }
}

public sealed class NameValueView
{
    public required string Name { get; init; }
    public required string Value { get; init; }
}

/// <summary>One entry of a colour legend.</summary>
public sealed class LegendItemView
{
    /// <summary>Short label shown in cells, e.g. "Pass".</summary>
    public required string Label { get; init; }
    /// <summary>Autobahn's verdict string, e.g. "OK".</summary>
    public required string Verdict { get; init; }
    /// <summary>CSS class carrying the colour, e.g. "v-pass".</summary>
    public required string Css { get; init; }
    public required string Meaning { get; init; }
}

/// <summary>Everything shown for one tested endpoint.</summary>
public sealed class TargetView
{
    /// <summary>1-based position in the run.</summary>
    public required int Number { get; init; }
    /// <summary>Element id of the target's section, e.g. "target-1".</summary>
    public required string Anchor { get; init; }
    /// <summary>The URL as text (never rendered as a link: it is user input).</summary>
    public required string Url { get; init; }
    public required string Agent { get; init; }
    /// <summary>The peer's Server header (peer-controlled); null when it sent none.</summary>
    public string? ServerHeader { get; init; }
    public required bool HasServerHeader { get; init; }
    public required bool BuiltIn { get; init; }
    /// <summary>From the first case's start to the last case's end, e.g. "8.210 s".</summary>
    public required string RunPhase { get; init; }
    public required int CaseCount { get; init; }
    /// <summary>One entry per behaviour verdict, in legend order, zero counts included.</summary>
    public required IReadOnlyList<VerdictCountView> BehaviorTotals { get; init; }
    /// <summary>One entry per close verdict, in legend order, zero counts included.</summary>
    public required IReadOnlyList<VerdictCountView> CloseTotals { get; init; }
    /// <summary>Cases grouped by category, in the order categories first appear.</summary>
    public required IReadOnlyList<CategoryView> Categories { get; init; }
    /// <summary>Detail sections, in case order.</summary>
    public required IReadOnlyList<CaseView> Cases { get; init; }
}

public sealed class VerdictCountView
{
    public required string Label { get; init; }
    public required string Verdict { get; init; }
    public required string Css { get; init; }
    public required int Count { get; init; }
    public required bool IsZero { get; init; }
}

/// <summary>One summary table.</summary>
public sealed class CategoryView
{
    public required string Title { get; init; }
    /// <summary>Element id of the table, e.g. "cat-framing" (prefixed per target when there are several).</summary>
    public required string Anchor { get; init; }
    public required int CaseCount { get; init; }
    /// <summary>"1 case", "16 cases".</summary>
    public required string CaseCountText { get; init; }
    public required IReadOnlyList<CaseRowView> Rows { get; init; }
}

/// <summary>One row of a summary table.</summary>
public sealed class CaseRowView
{
    public required string Id { get; init; }
    /// <summary>Element id of the case's detail section, e.g. "case-1-1-1".</summary>
    public required string Anchor { get; init; }
    /// <summary>Sub-category; empty when the category has none.</summary>
    public required string Group { get; init; }
    /// <summary>The requirement cut to about one line.</summary>
    public required string RequirementShort { get; init; }
    /// <summary>"Pass", "Non-Strict", "Fail", "Info", "Unimplemented" or "Error".</summary>
    public required string BehaviorLabel { get; init; }
    /// <summary>Autobahn's string, e.g. "NON-STRICT".</summary>
    public required string BehaviorVerdict { get; init; }
    public required string BehaviorCss { get; init; }
    /// <summary>Close cell text: the peer's close code, with the verdict label when not OK; the label alone without a code.</summary>
    public required string CloseText { get; init; }
    /// <summary>Autobahn's string, e.g. "WRONG CODE".</summary>
    public required string CloseVerdict { get; init; }
    public required string CloseCss { get; init; }
    /// <summary>Milliseconds, one decimal, e.g. "12.3".</summary>
    public required string DurationMs { get; init; }
    /// <summary>Round-trip summary of a performance trial, e.g. "RTT p50 0.08 / p99 0.31 ms"; empty for other cases.</summary>
    public required string RoundTrips { get; init; }
    public required bool HasRoundTrips { get; init; }
}

/// <summary>The detail section of one case.</summary>
public sealed class CaseView
{
    public required string Id { get; init; }
    public required string Anchor { get; init; }
    public required string Category { get; init; }
    public required string Group { get; init; }
    public required bool HasGroup { get; init; }
    /// <summary>RFC sections, comma-separated.</summary>
    public required string RfcSections { get; init; }
    public required string Requirement { get; init; }
    /// <summary>What the harness sent.</summary>
    public required string Stimulus { get; init; }
    /// <summary>What a conforming peer does.</summary>
    public required string ExpectedBehaviour { get; init; }
    public required string BehaviorLabel { get; init; }
    public required string BehaviorVerdict { get; init; }
    public required string BehaviorCss { get; init; }
    /// <summary>Why the behaviour verdict is what it is.</summary>
    public required string Result { get; init; }
    public required string CloseLabel { get; init; }
    public required string CloseVerdict { get; init; }
    public required string CloseCss { get; init; }
    /// <summary>Why the close verdict is what it is.</summary>
    public required string ResultClose { get; init; }
    /// <summary>"yyyy-MM-dd HH:mm:ss.fff UTC".</summary>
    public required string Started { get; init; }
    /// <summary>Milliseconds, one decimal.</summary>
    public required string DurationMs { get; init; }
    public required IReadOnlyList<ExpectedOutcomeView> Expected { get; init; }
    public required bool HasExpected { get; init; }
    public required IReadOnlyList<EventView> Received { get; init; }
    public required bool HasReceived { get; init; }
    public required ExpectedCloseView ExpectedClose { get; init; }
    /// <summary>Autobahn's "Closing Behavior" table.</summary>
    public required IReadOnlyList<CloseFactView> CloseFacts { get; init; }
    public required IReadOnlyList<ViolationView> Violations { get; init; }
    public required bool HasViolations { get; init; }
    /// <summary>"998 of 1000 round trips, median 0.08 ms, p99 0.31 ms (min 0.05 ms, max 1.2 ms)" for a performance
    /// trial; empty for other cases.</summary>
    public required string RoundTrips { get; init; }
    public required bool HasRoundTrips { get; init; }
    /// <summary>Autobahn's "Wire Statistics": frames by opcode and socket operations by size.</summary>
    public required WireStatsView WireStats { get; init; }
    public string? HandshakeRequest { get; init; }
    public required bool HasHandshakeRequest { get; init; }
    /// <summary>Peer-controlled raw response head.</summary>
    public string? HandshakeResponse { get; init; }
    public required bool HasHandshakeResponse { get; init; }
    public required IReadOnlyList<WireLineView> WireLog { get; init; }
    public required bool HasWireLog { get; init; }
    public required int WireLogLines { get; init; }
    /// <summary>True when a verdict is Fail, Unclean, Wrong code, Failed by client or Error: the default template opens
    /// the wire log of such cases and leaves the others folded.</summary>
    public required bool NeedsAttention { get; init; }
}

/// <summary>One expected outcome: the verdict it earns and its event list.</summary>
public sealed class ExpectedOutcomeView
{
    public required string Label { get; init; }
    public required string Verdict { get; init; }
    public required string Css { get; init; }
    /// <summary>True when the received events are exactly this list.</summary>
    public required bool Matched { get; init; }
    public required IReadOnlyList<EventView> Events { get; init; }
    public required bool IsEmpty { get; init; }
}

/// <summary>One expected or received event.</summary>
public sealed class EventView
{
    /// <summary>"text message", "binary message", "ping", "pong" or "timeout".</summary>
    public required string Kind { get; init; }
    /// <summary>"12 octets: Hello" (peer-controlled preview) or the timeout tag; may be empty.</summary>
    public required string Detail { get; init; }
}

public sealed class ExpectedCloseView
{
    /// <summary>"True"/"False": the harness is expected to send the first Close.</summary>
    public required string ClosedByHarness { get; init; }
    /// <summary>Allowed close codes, comma-separated; "any" when the list is empty.</summary>
    public required string CloseCodes { get; init; }
    public required string RequireClean { get; init; }
    public required string ClosedByWrongEndpointIsFatal { get; init; }
}

/// <summary>One row of the "Closing Behavior" table: Autobahn's key, the value ("True", "None", …) and what it means.</summary>
public sealed class CloseFactView
{
    public required string Key { get; init; }
    public required string Value { get; init; }
    public required string Description { get; init; }
}

public sealed class ViolationView
{
    /// <summary>Milliseconds since the case started, three decimals.</summary>
    public required string TimeMs { get; init; }
    public required string RfcSection { get; init; }
    public required string Description { get; init; }
}

/// <summary>One wire-log line, Autobahn style.</summary>
public sealed class WireLineView
{
    /// <summary>Line number, three digits: "001".</summary>
    public required string Number { get; init; }
    /// <summary>Milliseconds since the connection attempt, three decimals.</summary>
    public required string TimeMs { get; init; }
    /// <summary>"TX FRAME", "RX FRAME", "TX OCTETS", "RX OCTETS", "DELAY", "DELAY TIMEOUT", "KILL TIMER", "KILL",
    /// "CLOSE TIMER", "CLOSE TIMEOUT", "VIOLATION", "TCP DROP", "NOTE".</summary>
    public required string Kind { get; init; }
    /// <summary>Colour: "wl-tx", "wl-rx", "wl-tx-octets", "wl-rx-octets", "wl-tx-chop", "wl-timer", "wl-drop-me",
    /// "wl-drop-peer", "wl-violation", "wl-note".</summary>
    public required string Css { get; init; }
    /// <summary>Decoded fields ("OPCODE=1, FIN=True, RSV=0, LEN=125, MASK=1a2b3c4d, CHOP=None, SYNC=False") or the
    /// timer/note sentence ("DELAY 1.000000 sec for TAG A").</summary>
    public required string Detail { get; init; }
    /// <summary>Payload preview (peer-controlled for RX lines); empty when the line has none.</summary>
    public required string Payload { get; init; }
    public required bool HasPayload { get; init; }
    /// <summary>"125 octets", plus the SHA-256 when the preview is cut; empty without payload.</summary>
    public required string PayloadInfo { get; init; }
}

/// <summary>Autobahn's per-case "Wire Statistics": two frame tables (sent, received) and two size tables (writes, reads).</summary>
public sealed class WireStatsView
{
    /// <summary>"Frames sent", then "Frames received".</summary>
    public required IReadOnlyList<FrameTableView> FrameTables { get; init; }
    /// <summary>"Socket writes", then "Socket reads".</summary>
    public required IReadOnlyList<SizeTableView> SizeTables { get; init; }
    /// <summary>True when nothing at all was counted (e.g. the connection never opened).</summary>
    public required bool IsEmpty { get; init; }
}

/// <summary>Frames by opcode, in opcode order.</summary>
public sealed class FrameTableView
{
    public required string Title { get; init; }
    public required IReadOnlyList<OpcodeCountView> Rows { get; init; }
    public required bool IsEmpty { get; init; }
    /// <summary>Frames in all rows.</summary>
    public required string Total { get; init; }
}

public sealed class OpcodeCountView
{
    public required string Opcode { get; init; }
    /// <summary>"continuation", "text", "binary", "close", "ping", "pong" or "reserved (0xN)".</summary>
    public required string Name { get; init; }
    public required string Count { get; init; }
}

/// <summary>Socket operations by size. At most 20 sizes get a row (the most frequent, shown in size order); the rest
/// are summed into one "other sizes" row, so a flood of odd sizes cannot blow up the page.</summary>
public sealed class SizeTableView
{
    public required string Title { get; init; }
    public required IReadOnlyList<SizeCountView> Rows { get; init; }
    public required bool IsEmpty { get; init; }
    public required bool HasOther { get; init; }
    /// <summary>"37 other sizes"; empty without an "other" row.</summary>
    public required string OtherLabel { get; init; }
    public required string OtherCount { get; init; }
    public required string OtherOctets { get; init; }
    /// <summary>Operations of every size, folded ones included.</summary>
    public required string TotalCount { get; init; }
    /// <summary>Octets moved by all operations (size × count, summed).</summary>
    public required string TotalOctets { get; init; }
}

public sealed class SizeCountView
{
    /// <summary>Octets per operation.</summary>
    public required string Size { get; init; }
    public required string Count { get; init; }
    /// <summary>Size × count.</summary>
    public required string Octets { get; init; }
}
