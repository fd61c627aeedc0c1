using System.Globalization;
using System.Text;
using Wsconform.Model;
using Wsconform.Reports.Gate;

namespace Wsconform.NUnit;

/// <summary>
/// The text of a conformance test's outcome, laid out for a test explorer's failure pane: the verdict line first,
/// then what the case is about, then the evidence (events, close facts, violations). Peer-controlled text (payload
/// previews, close reasons, the handshake response) goes in as received; a test explorer shows plain text only.
/// </summary>
internal static class CaseMessage
{
    /// <summary>Event lists are cut here: category 9 cases receive up to 1000 messages.</summary>
    private const int MaxEventsShown = 12;

    /// <summary>The message an unmet expectation fails the test with.</summary>
    public static string Unmet(CaseResult result, CaseCheck check, bool handshakeCase)
    {
        var text = new StringBuilder();
        if (result.Behavior == Behavior.Error)
            text.AppendLine(CultureInfo.InvariantCulture, $"{result.Id} could not run (ERROR): {result.Result}");
        else
            text.AppendLine(CultureInfo.InvariantCulture, $"{result.Id} did not meet its expectation.");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Expected: {check.Expected}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Actual:   {check.Actual}");
        if (check.Reason is not null) text.AppendLine(CultureInfo.InvariantCulture, $"  Expectation's reason: {check.Reason}");
        text.AppendLine();

        text.AppendLine(CultureInfo.InvariantCulture, $"Case:        {result.Id} {result.Category}{(result.Group is null ? "" : " / " + result.Group)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Requirement: {result.Requirement}");
        text.AppendLine(CultureInfo.InvariantCulture, $"RFC:         {string.Join(", ", result.RfcSections)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Stimulus:    {result.Stimulus}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Conforming:  {result.ExpectedBehaviour}");
        text.AppendLine();

        text.AppendLine(CultureInfo.InvariantCulture, $"behavior {result.Behavior.ToAutobahnString()}: {result.Result}");
        text.AppendLine(CultureInfo.InvariantCulture, $"behaviorClose {result.BehaviorClose.ToAutobahnString()}: {result.ResultClose}");
        text.AppendLine();

        if (handshakeCase || result.Behavior == Behavior.Error)
        {
            text.AppendLine("Handshake response:");
            text.AppendLine(result.HandshakeResponse is null ? "  (none)" : Indent(result.HandshakeResponse.TrimEnd()));
        }

        AppendEvents(text, "Received events", result.Received);
        foreach (var outcome in result.Expected)
            AppendEvents(text, $"Expected events for {outcome.Verdict.ToAutobahnString()}", outcome.Events);

        text.AppendLine(CultureInfo.InvariantCulture, $"Close: {Describe(result.Close)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Expected close: {Describe(result.ExpectedClose)}");

        if (result.Violations.Count == 0)
        {
            text.AppendLine("Violations: none");
        }
        else
        {
            text.AppendLine("Violations:");
            foreach (var violation in result.Violations)
                text.AppendLine(CultureInfo.InvariantCulture, $"  {violation.TimeMs,8:0.0} ms  {violation.RfcSection}: {violation.Description}");
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>What a passing test writes to its output: the verdicts, and why a verdict other than OK passed.</summary>
    public static string Passed(CaseResult result, CaseCheck check)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{result.Id}: behavior {result.Behavior.ToAutobahnString()}, behaviorClose {result.BehaviorClose.ToAutobahnString()} ({result.DurationMs.ToString("0", CultureInfo.InvariantCulture)} ms)");
        if (result.Behavior == Behavior.Ok && result.BehaviorClose == CloseBehavior.Ok) return text.ToString();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"  allowed: {check.Expected}");
        if (check.Reason is not null) text.AppendLine(CultureInfo.InvariantCulture, $"  reason:  {check.Reason}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  result:  {result.Result}");
        if (result.BehaviorClose != CloseBehavior.Ok) text.AppendLine(CultureInfo.InvariantCulture, $"  close:   {result.ResultClose}");
        return text.ToString().TrimEnd();
    }

    private static void AppendEvents(StringBuilder text, string title, IReadOnlyList<CaseEvent> events)
    {
        if (events.Count == 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{title}: none");
            return;
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{title} ({events.Count}):");
        foreach (var caseEvent in events.Take(MaxEventsShown)) text.AppendLine(CultureInfo.InvariantCulture, $"  {caseEvent}");
        if (events.Count > MaxEventsShown) text.AppendLine(CultureInfo.InvariantCulture, $"  … and {events.Count - MaxEventsShown} more");
    }

    /// <summary>Close facts as one line, only the facts that hold.</summary>
    private static string Describe(CloseFacts close)
    {
        var facts = new List<string>
        {
            close.WasClean ? "clean" : $"not clean{(close.WasNotCleanReason is null ? "" : $" ({close.WasNotCleanReason})")}",
            close.ClosedByMe ? "the harness sent the first Close" : "the peer sent the first Close or none",
        };
        if (close.FailedByMe) facts.Add("the harness failed the connection");
        if (close.DroppedByMe) facts.Add("the harness dropped TCP");
        if (close.LocalCloseCode is { } local) facts.Add($"harness close code {local}{Reason(close.LocalCloseReason)}");
        if (close.RemoteCloseCode is { } remote) facts.Add($"peer close code {remote}{Reason(close.RemoteCloseReason)}");
        else facts.Add("no close code from the peer");
        if (close.WasOpenHandshakeTimeout) facts.Add("opening handshake timed out");
        if (close.WasCloseHandshakeTimeout) facts.Add("closing handshake timed out");
        if (close.WasServerConnectionDropTimeout) facts.Add("the server did not drop TCP in time");
        if (close.TcpEnd is not null) facts.Add($"TCP: {close.TcpEnd}");
        return string.Join("; ", facts);
    }

    private static string Describe(ExpectedClose expected)
    {
        var codes = expected.CloseCodes.Count == 0 ? "any code" : "code " + string.Join(" or ", expected.CloseCodes);
        return $"{(expected.ClosedByHarness ? "the harness closes" : "the peer closes")}, {codes}{(expected.RequireClean ? ", clean" : "")}";
    }

    private static string Reason(string? reason) => string.IsNullOrEmpty(reason) ? "" : $" '{reason}'";

    private static string Indent(string block) =>
        string.Join(Environment.NewLine, block.ReplaceLineEndings("\n").Split('\n').Select(line => "  " + line));
}
