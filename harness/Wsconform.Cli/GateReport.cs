using Wsconform.Model;
using System.Globalization;
using Wsconform.Reports.Gate;

namespace Wsconform.Cli;

/// <summary>Plain lines on stdout (after the Spectre summary): the gate's part of the summary: which expectations applied, and every case that did not meet its own.</summary>
internal static class GateReport
{
    public static void Write(TextWriter console, GateOutcome outcome, ExpectationSet expectations, string? expectFile)
    {
        var source = expectFile is null
            ? $"policy {expectations.Policy.ToText()} (no --expect file)"
            : $"{expectFile}, policy {expectations.Policy.ToText()} for cases without an entry";
        var excluded = outcome.Checks.Count(c => c.Excluded);
        var met = outcome.Checks.Count(c => c.Met && !c.Excluded);
        console.WriteLine();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Expectations: {source}: {met} met, {excluded} excluded, {outcome.Unmet.Count} not met."));

        // An entry that selects nothing in this run is most often a typo; say so, but it is not an error
        // (a selection with --cases legitimately leaves some entries idle).
        var ids = outcome.Checks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in expectations.Entries)
        {
            if (!ids.Any(id => CasePatterns.Matches(entry.Key, id)))
                console.WriteLine($"  note: expectation entry \"{entry.Key}\" matches no case of this run");
        }
        if (outcome.Passed)
        {
            console.WriteLine("Every case met its expectation.");
            return;
        }
        console.WriteLine("Not met:");
        var multiTarget = outcome.Checks.Select(c => c.Target).Distinct(StringComparer.Ordinal).Count() > 1;
        foreach (var check in outcome.Unmet)
        {
            // One line per case, never wrapped, so CI logs can be grepped.
            var prefix = multiTarget && check.Target is not null ? $"[{Program.OneLine(check.Target)}] " : "";
            console.WriteLine($"  {prefix}{check.Id}: got {check.Actual}; expected {check.Expected}"
                + (check.Reason is null ? "" : $"; reason: {Program.OneLine(check.Reason)}"));
        }
    }
}
