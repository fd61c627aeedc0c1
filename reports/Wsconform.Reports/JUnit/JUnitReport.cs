using System.Globalization;
using System.Text;
using System.Xml;
using Wsconform.Model;
using Wsconform.Reports.Gate;
using GateApi = Wsconform.Reports.Gate.Gate;

namespace Wsconform.Reports.JUnit;

/// <summary>
/// JUnit XML in the shape CI viewers read (Jenkins, GitLab, GitHub test reporters, Azure DevOps): <c>testsuites</c> →
/// one <c>testsuite</c> per target and category → one <c>testcase</c> per case. A case that did not meet its expectation
/// is a <c>failure</c> (an <c>error</c> when its behavior is ERROR: the case could not run); an excluded case, or an
/// UNIMPLEMENTED one that the expectation lets pass, is <c>skipped</c>; a NON-STRICT case that passes carries a
/// <c>system-out</c> note. So failures + errors always equals the gate's unmet count.
/// </summary>
public static class JUnitReport
{
    /// <summary>Judges <paramref name="run"/> against <paramref name="expectations"/> and writes the XML atomically.</summary>
    public static Task WriteAsync(RunResult run, ExpectationSet expectations, string path, CancellationToken cancellationToken = default) =>
        WriteAsync(run, GateApi.Evaluate(run, expectations), path, cancellationToken);

    /// <summary>Writes the XML of an already evaluated run atomically to <paramref name="path"/>.</summary>
    public static Task WriteAsync(RunResult run, GateOutcome outcome, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Build(run, outcome);
        return AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken);
    }

    /// <summary>The XML document as UTF-8 bytes (no BOM).</summary>
    public static byte[] Build(RunResult run, GateOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outcome);
        var rows = new List<Row>();
        var checkIndex = 0;
        foreach (var target in run.Targets)
        {
            foreach (var result in target.Cases)
            {
                var check = checkIndex < outcome.Checks.Count ? outcome.Checks[checkIndex] : throw new ArgumentException("the outcome does not belong to the run", nameof(outcome));
                if (check.Id != result.Id) throw new ArgumentException($"the outcome does not belong to the run (case {result.Id} vs check {check.Id})", nameof(outcome));
                checkIndex++;
                rows.Add(new Row(target, result, check, Classify(result, check)));
            }
        }

        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  ", NewLineChars = "\n" };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "wsconform");
            WriteCounts(xml, rows);
            xml.WriteAttributeString("timestamp", Timestamp(run.StartedAt));
            var multiTarget = run.Targets.Count > 1;
            var suiteId = 0;
            foreach (var target in rows.GroupBy(r => r.Target))
            {
                foreach (var suite in target.GroupBy(r => r.Result.Category, StringComparer.Ordinal))
                {
                    var first = suite.First();
                    var prefix = first.Result.Id.Split('.')[0];
                    xml.WriteStartElement("testsuite");
                    xml.WriteAttributeString("name", Clean((multiTarget ? target.Key.Target.Agent + ": " : "") + $"{prefix} {suite.Key}"));
                    WriteCounts(xml, suite.ToList());
                    xml.WriteAttributeString("timestamp", Timestamp(suite.Min(r => r.Result.Started)));
                    xml.WriteAttributeString("hostname", Clean(HostOf(target.Key.Target.Url)));
                    xml.WriteAttributeString("id", suiteId++.ToString(CultureInfo.InvariantCulture));
                    xml.WriteAttributeString("package", Clean(target.Key.Target.Agent));

                    xml.WriteStartElement("properties");
                    WriteProperty(xml, "target.url", target.Key.Target.Url);
                    WriteProperty(xml, "target.agent", target.Key.Target.Agent);
                    WriteProperty(xml, "wsconform.version", run.ToolVersion);
                    xml.WriteEndElement();

                    foreach (var row in suite)
                        WriteCase(xml, row, multiTarget);
                    xml.WriteEndElement();
                }
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    /// <summary>How a case shows in JUnit.</summary>
    public enum Kind { Passed, Failure, Error, Skipped }

    /// <summary>The JUnit outcome of one case given its gate check.</summary>
    public static Kind Classify(CaseResult result, CaseCheck check)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(check);
        if (check.Excluded) return Kind.Skipped;
        if (!check.Met) return result.Behavior == Behavior.Error ? Kind.Error : Kind.Failure;
        return result.Behavior is Behavior.Unimplemented or Behavior.Error ? Kind.Skipped : Kind.Passed;
    }

    private sealed record Row(TargetResult Target, CaseResult Result, CaseCheck Check, Kind Kind);

    private static void WriteCounts(XmlWriter xml, IReadOnlyCollection<Row> rows)
    {
        xml.WriteAttributeString("tests", Count(rows.Count));
        xml.WriteAttributeString("failures", Count(rows.Count(r => r.Kind == Kind.Failure)));
        xml.WriteAttributeString("errors", Count(rows.Count(r => r.Kind == Kind.Error)));
        xml.WriteAttributeString("skipped", Count(rows.Count(r => r.Kind == Kind.Skipped)));
        xml.WriteAttributeString("time", Seconds(rows.Sum(r => r.Result.DurationMs)));
    }

    private static void WriteCase(XmlWriter xml, Row row, bool multiTarget)
    {
        var c = row.Result;
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", Clean($"{c.Id} {ShortRequirement(c.Requirement)}"));
        var classname = c.Group is null ? c.Category : $"{c.Category}.{c.Group}";
        xml.WriteAttributeString("classname", Clean(multiTarget ? $"{row.Target.Target.Agent}.{classname}" : classname));
        xml.WriteAttributeString("time", Seconds(c.DurationMs));
        var reason = row.Check.Reason is null ? "" : $" (reason: {row.Check.Reason})";
        switch (row.Kind)
        {
            case Kind.Failure:
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", Clean($"expected {row.Check.Expected}; got {row.Check.Actual}{reason}"));
                xml.WriteAttributeString("type", "ExpectationNotMet");
                xml.WriteString(Clean(Details(row)));
                xml.WriteEndElement();
                break;
            case Kind.Error:
                xml.WriteStartElement("error");
                xml.WriteAttributeString("message", Clean(c.Result));
                xml.WriteAttributeString("type", "ERROR");
                xml.WriteString(Clean(Details(row)));
                xml.WriteEndElement();
                break;
            case Kind.Skipped:
                xml.WriteStartElement("skipped");
                xml.WriteAttributeString("message", Clean(row.Check.Excluded
                    ? $"excluded by the expectations{reason}"
                    : c.Behavior == Behavior.Unimplemented
                        ? $"UNIMPLEMENTED: the peer does not offer the optional feature under test{UnimplementedDetail(c)}{reason}"
                        : $"{c.Behavior.ToAutobahnString()} allowed by the expectations{reason}"));
                xml.WriteEndElement();
                break;
        }
        if (row.Kind == Kind.Passed && c.Behavior == Behavior.NonStrict)
        {
            xml.WriteElementString("system-out", Clean(
                $"NON-STRICT (passes: {row.Check.Expected}): conformant, but not the canonical or SHOULD-level behaviour. {c.Result}{reason}"));
        }
        xml.WriteEndElement();
    }

    /// <summary>Why the case is UNIMPLEMENTED, from its result sentence (e.g. "The peer did not accept
    /// permessage-deflate (offered: …), so the case does not apply."), so a CI viewer shows the reason beside the skip.</summary>
    private static string UnimplementedDetail(CaseResult c)
    {
        var result = c.Result.ReplaceLineEndings(" ").Trim();
        return result.Length == 0 ? "" : $": {result}";
    }

    /// <summary>The failure body: requirement, expected, observed events, close facts.</summary>
    private static string Details(Row row)
    {
        var c = row.Result;
        var text = new StringBuilder();
        text.Append("Requirement: ").Append(c.Requirement);
        if (c.RfcSections.Count > 0) text.Append(" (").AppendJoin(", ", c.RfcSections).Append(')');
        text.Append('\n');
        text.Append("Expected: ").Append(row.Check.Expected).Append('\n');
        text.Append("Actual: ").Append(row.Check.Actual).Append('\n');
        if (row.Check.Reason is not null) text.Append("Reason: ").Append(row.Check.Reason).Append('\n');
        text.Append("Result: ").Append(c.Result).Append('\n');
        text.Append("Close result: ").Append(c.ResultClose).Append('\n');
        foreach (var outcome in c.Expected)
            text.Append("Expected events (").Append(outcome.Verdict.ToAutobahnString()).Append("): ").Append(Events(outcome.Events)).Append('\n');
        text.Append("Observed events: ").Append(Events(c.Received)).Append('\n');
        var close = c.Close;
        text.Append(CultureInfo.InvariantCulture,
            $"Close: closedByMe={Bool(close.ClosedByMe)}, failedByMe={Bool(close.FailedByMe)}, droppedByMe={Bool(close.DroppedByMe)}, wasClean={Bool(close.WasClean)}, ");
        text.Append(CultureInfo.InvariantCulture,
            $"localCloseCode={close.LocalCloseCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, remoteCloseCode={close.RemoteCloseCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
        if (close.RemoteCloseReason is not null) text.Append(", remoteCloseReason=").Append(close.RemoteCloseReason);
        if (close.WasNotCleanReason is not null) text.Append(", wasNotCleanReason=").Append(close.WasNotCleanReason);
        if (close.TcpEnd is not null) text.Append(", tcp=").Append(close.TcpEnd);
        text.Append('\n');
        foreach (var violation in c.Violations)
            text.Append(CultureInfo.InvariantCulture, $"Violation at {violation.TimeMs:0.###} ms ({violation.RfcSection}): {violation.Description}\n");
        return text.ToString();
    }

    private static string Events(IReadOnlyList<CaseEvent> events) => events.Count == 0 ? "(none)" : string.Join("; ", events);

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>The first sentence of the requirement, at most 100 characters.</summary>
    private static string ShortRequirement(string requirement)
    {
        var text = requirement.ReplaceLineEndings(" ").Trim();
        var stop = text.IndexOf(". ", StringComparison.Ordinal);
        if (stop > 0) text = text[..(stop + 1)];
        return text.Length <= 100 ? text : text[..99] + "…";
    }

    private static void WriteProperty(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Clean(value));
        xml.WriteEndElement();
    }

    private static string HostOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "unknown";

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Seconds(double ms) => (ms / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Replaces characters XML 1.0 cannot carry (control characters, lone surrogates) with U+FFFD: peer text may hold them.</summary>
    internal static string Clean(string text)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            bool ok;
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean?.Append(ch).Append(text[i + 1]);
                i++;
                continue;
            }
            ok = XmlConvert.IsXmlChar(ch);
            if (!ok && clean is null) clean = new StringBuilder(text.Length).Append(text, 0, i);
            clean?.Append(ok ? ch : '\uFFFD');
        }
        return clean?.ToString() ?? text;
    }
}
