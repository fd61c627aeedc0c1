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
    /// <summary>The run was stopped before every selected case finished (Ctrl+C, SIGTERM); the page shows only the finished ones.</summary>
    public required bool Interrupted { get; init; }
    /// <summary>"Interrupted: 40 of 258 cases finished. ..." when <see cref="Interrupted"/>, else empty.</summary>
    public required string InterruptedText { get; init; }
    public required OptionsView Options { get; init; }
    /// <summary>Behaviour verdict colours and what they mean.</summary>
    public required IReadOnlyList<LegendItemView> BehaviorLegend { get; init; }
    /// <summary>Close verdict colours and what they mean.</summary>
    public required IReadOnlyList<LegendItemView> CloseLegend { get; init; }
    public required bool MultipleTargets { get; init; }
    /// <summary>Every target, servers first, then clients (each role in run order).</summary>
    public required IReadOnlyList<TargetView> Targets { get; init; }
    /// <summary>The targets by role: "Servers", then "Clients"; a role without targets has no group.</summary>
    public required IReadOnlyList<TargetGroupView> TargetGroups { get; init; }
    /// <summary>True when the run holds a client (tested by <c>wsconform serve</c>): the page then shows its targets under
    /// a heading per role, in the target sections and above the matrix's columns. False for a run of servers alone,
    /// which looks as it always did.</summary>
    public required bool ShowRoles { get; init; }
    /// <summary>The summary matrix: one row per case ID (over all targets), one cell per target.</summary>
    public required MatrixView Matrix { get; init; }
    /// <summary>Behaviour verdicts for the filter menu: Autobahn's string ("FAILED") and label ("Fail").</summary>
    public required IReadOnlyList<LegendItemView> VerdictFilter { get; init; }
    /// <summary>Round-trip charts of performance trials (9.7/9.8), per target and sub-category; empty when none ran.</summary>
    public required IReadOnlyList<RoundTripChartView> RoundTripCharts { get; init; }
    public required bool HasRoundTripCharts { get; init; }
}

/// <summary>Targets × cases. Rows carry data-* attributes the page's filter script reads (never HTML).</summary>
public sealed class MatrixView
{
    public required IReadOnlyList<MatrixColumnView> Columns { get; init; }
    /// <summary>Rows grouped by category, in the order categories first appear.</summary>
    public required IReadOnlyList<MatrixCategoryView> Categories { get; init; }
    /// <summary>Number of rows (distinct case IDs).</summary>
    public required int RowCount { get; init; }
}

public sealed class MatrixColumnView
{
    public required int Number { get; init; }
    public required string Agent { get; init; }
    /// <summary>The target's section id, e.g. "target-1".</summary>
    public required string Anchor { get; init; }
}

public sealed class MatrixCategoryView
{
    public required string Title { get; init; }
    /// <summary>Element id of the category's header row, e.g. "cat-framing".</summary>
    public required string Anchor { get; init; }
    /// <summary>Category slug used by the category filter, e.g. "framing".</summary>
    public required string Key { get; init; }
    public required int CaseCount { get; init; }
    public required string CaseCountText { get; init; }
    public required IReadOnlyList<MatrixRowView> Rows { get; init; }
}

public sealed class MatrixRowView
{
    public required string Id { get; init; }
    /// <summary>Element id of the row, e.g. "row-1-1-1".</summary>
    public required string Anchor { get; init; }
    /// <summary>The detail section of the case in the first target that ran it.</summary>
    public required string DetailAnchor { get; init; }
    public required string Group { get; init; }
    /// <summary>The sub-category as the matrix shows it: <see cref="Group"/> itself, or for a title longer than 80
    /// characters a cut form (Autobahn's 13.x titles run to 230): its start and, when the title ends in a short
    /// "…: value" (the part that tells sibling sub-categories apart), that value, e.g.
    /// "Large JSON data file (utf8, 194056 bytes) … [(True, 9), (False, 0)]".</summary>
    public required string GroupShort { get; init; }
    /// <summary>True when <see cref="GroupShort"/> is cut; the template then shows <see cref="Group"/> as a tooltip.</summary>
    public required bool GroupCut { get; init; }
    public required string RequirementShort { get; init; }
    /// <summary>Category slug (data-category).</summary>
    public required string CategoryKey { get; init; }
    /// <summary>Behaviour verdicts of the row's cells, space-separated Autobahn strings ("OK FAILED"), for data-verdicts.</summary>
    public required string Verdicts { get; init; }
    /// <summary>False when any cell is not OK (see <see cref="MatrixCellView.IsOk"/>).</summary>
    public required bool IsOk { get; init; }
    /// <summary>Lower-case ID, sub-category and requirement, for the search box (data-search).</summary>
    public required string SearchText { get; init; }
    /// <summary>One cell per column; a target that did not run the case has an empty cell.</summary>
    public required IReadOnlyList<MatrixCellView> Cells { get; init; }
}

public sealed class MatrixCellView
{
    public required bool Present { get; init; }
    /// <summary>True when the verdict text links to the detail section (several targets: the ID links to the first).</summary>
    public required bool LinkLabel { get; init; }
    /// <summary>The case's detail section in this target.</summary>
    public required string Anchor { get; init; }
    public required string BehaviorLabel { get; init; }
    public required string BehaviorVerdict { get; init; }
    public required string BehaviorCss { get; init; }
    public required string CloseText { get; init; }
    public required string CloseVerdict { get; init; }
    public required string CloseCss { get; init; }
    public required string DurationMs { get; init; }
    public required string RoundTrips { get; init; }
    public required bool HasRoundTrips { get; init; }
    /// <summary>Autobahn's "[in/out]" compression ratios beside the verdict, e.g. "[0.123/0.456]"; empty without compression.</summary>
    public required string CompressionRatios { get; init; }
    /// <summary>The ratios in words, for a tooltip; empty without compression.</summary>
    public required string CompressionRatiosTitle { get; init; }
    public required bool HasCompression { get; init; }
    /// <summary>True when the behaviour is OK or INFORMATIONAL and the close verdict is OK or INFORMATIONAL.</summary>
    public required bool IsOk { get; init; }
}

/// <summary>An inline SVG chart of round-trip times, one pair of bars (median, p99) per case.</summary>
public sealed class RoundTripChartView
{
    /// <summary>"Target 1: Text Message Roundtrip Time (fixed number, increasing size)".</summary>
    public required string Title { get; init; }
    /// <summary>SVG width and height, invariant numbers.</summary>
    public required string Width { get; init; }
    public required string Height { get; init; }
    /// <summary>Baseline y of the bars.</summary>
    public required string BaseY { get; init; }
    /// <summary>Largest value on the axis, e.g. "0.31 ms".</summary>
    public required string AxisMax { get; init; }
    public required IReadOnlyList<RoundTripBarView> Bars { get; init; }
}

public sealed class RoundTripBarView
{
    public required string CaseId { get; init; }
    public required string CaseAnchor { get; init; }
    /// <summary>Message size read from the stimulus, e.g. "1024 octets"; the case ID when unknown.</summary>
    public required string SizeLabel { get; init; }
    /// <summary>How the messages were cut into frames when the stimulus says so (compression trials 12.x/13.x rows
    /// 11–18), e.g. "frames of 256 octets"; empty otherwise. Shown in the table and the tooltips, not under the bar.</summary>
    public required string FrameNote { get; init; }
    public required bool HasFrameNote { get; init; }
    public required string MedianMs { get; init; }
    public required string P99Ms { get; init; }
    /// <summary>Geometry, invariant numbers: x of the median bar, x of the p99 bar, bar width, label x.</summary>
    public required string MedianX { get; init; }
    public required string P99X { get; init; }
    public required string BarWidth { get; init; }
    public required string LabelX { get; init; }
    public required string MedianY { get; init; }
    public required string MedianHeight { get; init; }
    public required string P99Y { get; init; }
    public required string P99Height { get; init; }
    /// <summary>x (centre) and y of the value labels above each bar.</summary>
    public required string MedianTextX { get; init; }
    public required string P99TextX { get; init; }
    public required string MedianTextY { get; init; }
    public required string P99TextY { get; init; }
}

/// <summary>A stacked horizontal bar of verdict counts (inline SVG); each segment has a title and the counts are also
/// printed as text beside the bar.</summary>
public sealed class VerdictBarView
{
    public required IReadOnlyList<BarSegmentView> Segments { get; init; }
    /// <summary>"Pass 12, Fail 1": the bar in words.</summary>
    public required string Text { get; init; }
}

public sealed class BarSegmentView
{
    public required string Css { get; init; }
    public required string Label { get; init; }
    public required int Count { get; init; }
    /// <summary>x and width in the 0-200 viewBox, invariant numbers.</summary>
    public required string X { get; init; }
    public required string Width { get; init; }
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

/// <summary>The targets of one role: the servers (tested by <c>wsconform run</c>, the harness as client) or the clients
/// (tested by <c>wsconform serve</c>, the harness as server).</summary>
public sealed class TargetGroupView
{
    /// <summary>"server" or "client".</summary>
    public required string Role { get; init; }
    /// <summary>"Servers" or "Clients".</summary>
    public required string Title { get; init; }
    /// <summary>Element id of the group's section: "servers" or "clients".</summary>
    public required string Anchor { get; init; }
    /// <summary>Who the targets are and how they were tested, in a sentence.</summary>
    public required string Description { get; init; }
    public required IReadOnlyList<TargetView> Targets { get; init; }
    /// <summary>Matrix columns the group's targets take (three per target), for the role heading's colspan.</summary>
    public required int MatrixColumnSpan { get; init; }
}

/// <summary>Everything shown for one tested endpoint.</summary>
public sealed class TargetView
{
    /// <summary>1-based position on the page (servers first, then clients).</summary>
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
    /// <summary>True for a client tested by <c>wsconform serve</c> (URL <c>client:&lt;agent&gt;</c>).</summary>
    public required bool IsClient { get; init; }
    /// <summary>"server" or "client".</summary>
    public required string Role { get; init; }
    /// <summary>How the target was tested: "wsconform run (the harness is the client)" or "wsconform serve (the harness is the server)".</summary>
    public required string TestedBy { get; init; }
    /// <summary>The User-Agent a client sent in its upgrade request, as serve recorded it (peer-controlled); empty when none.</summary>
    public required string UserAgent { get; init; }
    public required bool HasUserAgent { get; init; }
    /// <summary>Sec-WebSocket-Protocol of the first handshake response that has one (peer-controlled); empty when none.</summary>
    public required string Subprotocol { get; init; }
    public required bool HasSubprotocol { get; init; }
    /// <summary>Sec-WebSocket-Extensions of the first handshake response that has one (peer-controlled); empty when none.</summary>
    public required string Extensions { get; init; }
    public required bool HasExtensions { get; init; }
    /// <summary>False when no case got a handshake response, so negotiation is unknown.</summary>
    public required bool HandshakeKnown { get; init; }
    /// <summary>The behaviour totals as a bar.</summary>
    public required VerdictBarView BehaviorBar { get; init; }
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
    /// <summary>Behaviour totals of the category as a bar.</summary>
    public required VerdictBarView BehaviorBar { get; init; }
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
    /// <summary>Autobahn's "[in/out]" compression ratios, e.g. "[0.123/0.456]" ("-" for a direction without compressed
    /// messages); empty when the case negotiated no compression.</summary>
    public required string CompressionRatios { get; init; }
    /// <summary>"compressed ÷ uncompressed payload octets: received (in) 0.123, sent (out) 0.456"; empty without compression.</summary>
    public required string CompressionRatiosTitle { get; init; }
    public required bool HasCompression { get; init; }
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
    /// <summary>True when the peer is a client (the harness was the server).</summary>
    public required bool IsClient { get; init; }
    /// <summary>Labels whose words depend on which side the harness was on.</summary>
    public required RoleWordingView Wording { get; init; }
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
    /// <summary>The permessage-deflate agreement and octets both ways; null when the case negotiated no compression.</summary>
    public CompressionView? Compression { get; init; }
    public required bool HasCompression { get; init; }
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
    /// <summary>The summary matrix row of this case, e.g. "row-1-1-1".</summary>
    public required string RowAnchor { get; init; }
    /// <summary>Neighbours in case order within the target (for prev/next links); empty at the ends.</summary>
    public required string PrevAnchor { get; init; }
    public required string PrevId { get; init; }
    public required bool HasPrev { get; init; }
    public required string NextAnchor { get; init; }
    public required string NextId { get; init; }
    public required bool HasNext { get; init; }
    /// <summary>Where received events first depart from the nearest expected outcome, e.g. "event 1: expected nothing,
    /// received pong (126 octets: …)"; empty when an outcome matched or nothing was expected.</summary>
    public required string FirstDifference { get; init; }
    public required bool HasFirstDifference { get; init; }
    /// <summary>True when the behaviour is OK or INFORMATIONAL and the close verdict is OK or INFORMATIONAL.</summary>
    public required bool IsOk { get; init; }
}

/// <summary>
/// The case detail's labels for the harness's role: testing a server the harness is the client and sends the stimulus
/// as one; testing a client it is the server, so the request in the handshake is the peer's and the response its own.
/// </summary>
public sealed class RoleWordingView
{
    /// <summary>Label of the stimulus row: "Sent", or "Sent by the harness (as server)".</summary>
    public required string Sent { get; init; }
    /// <summary>Label of the expected-behaviour row: "A conforming peer", or "A conforming client".</summary>
    public required string ConformingPeer { get; init; }
    /// <summary>Which side wrote which handshake head; empty when the harness is the client (request first, as always).</summary>
    public required string HandshakeNote { get; init; }
    public required bool HasHandshakeNote { get; init; }
    /// <summary>Shown instead of a missing request, e.g. "no request was sent".</summary>
    public required string NoRequest { get; init; }
    /// <summary>Shown instead of a missing response, e.g. "no response was received".</summary>
    public required string NoResponse { get; init; }
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
    /// <summary>True on the first event that differs from the other side (expected vs received).</summary>
    public bool IsFirstDifference { get; init; }
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
    /// <summary>The previewed octets as text: the decoded text, or for binary previews printable ASCII with '.' for
    /// the rest; " ..." when cut.</summary>
    public required string PayloadText { get; init; }
    /// <summary>The previewed octets in hex, space-separated pairs ("48 65 6c"); " ..." when cut; empty without payload.</summary>
    public required string PayloadHex { get; init; }
    public required bool HasPayloadHex { get; init; }
    /// <summary>True when the payload is longer than its preview.</summary>
    public required bool PayloadTruncated { get; init; }
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

/// <summary>What permessage-deflate did on a case's connection: the agreement and, per direction, the payload octets of
/// the messages that went compressed, before and after compression.</summary>
public sealed class CompressionView
{
    /// <summary>The accepted extension as the peer wrote it in its handshake response (peer-controlled).</summary>
    public required string Agreement { get; init; }
    /// <summary>Autobahn's "[in/out]", e.g. "[0.123/0.456]"; "-" for a direction without compressed messages.</summary>
    public required string Ratios { get; init; }
    /// <summary>"Received (in)", then "Sent (out)".</summary>
    public required IReadOnlyList<CompressionDirectionView> Directions { get; init; }
}

public sealed class CompressionDirectionView
{
    public required string Title { get; init; }
    /// <summary>Payload octets of the messages before compression (received: once decompressed).</summary>
    public required string Octets { get; init; }
    /// <summary>The same messages' compressed payload octets.</summary>
    public required string CompressedOctets { get; init; }
    /// <summary>Compressed ÷ uncompressed, three decimals, e.g. "0.123"; "none compressed" without such messages.</summary>
    public required string Ratio { get; init; }
}
