using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Wsconform.Model;

namespace Wsconform.Cli;

/// <summary>The end-of-run summary on the console: verdict counts, per-category rows, timings, the cases to look at.</summary>
internal static class ConsoleReport
{
    /// <summary>How the summary counts a case.</summary>
    internal enum Outcome
    {
        /// <summary>Both verdicts OK or INFORMATIONAL.</summary>
        Ok,
        /// <summary>The peer lacks the optional feature (e.g. permessage-deflate); counted, not listed.</summary>
        Unimplemented,
        /// <summary>Anything else: NON-STRICT, FAILED, WRONG CODE, UNCLEAN, ERROR...; listed one by one.</summary>
        NotOk,
    }

    internal static Outcome Classify(CaseResult result)
    {
        if (result.Behavior == Behavior.Unimplemented) return Outcome.Unimplemented;
        var behaviorOk = result.Behavior is Behavior.Ok or Behavior.Informational;
        var closeOk = result.BehaviorClose is CloseBehavior.Ok or CloseBehavior.Informational;
        return behaviorOk && closeOk ? Outcome.Ok : Outcome.NotOk;
    }

    public static void Write(IAnsiConsole console, TargetResult result, TimeSpan total)
    {
        var cases = result.Cases;
        console.WriteLine();
        var title = result.Target.IsClient ? $"client '{result.Target.Agent}' (the harness was the server)"
            : $"{result.Target.Agent} at {result.Target.Url}" + (result.Target.BuiltIn ? " (built-in echo server)" : "");
        console.Write(new Text(title + Environment.NewLine, new Style(decoration: Decoration.Bold)));

        console.Write(VerdictTable(console, cases));
        console.Write(CategoryTable(console, cases));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cases.Count} case(s): run phase {result.RunPhaseMs:N0} ms, total {total.TotalMilliseconds:N0} ms"));

        var unimplemented = cases.Count(c => Classify(c) == Outcome.Unimplemented);
        if (unimplemented > 0)
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{unimplemented} case(s) UNIMPLEMENTED (optional feature not offered by the peer), not listed."));

        var notOk = cases.Where(c => Classify(c) == Outcome.NotOk).ToList();
        if (notOk.Count == 0)
        {
            console.Write(new Markup("[green]No case needs attention.[/]" + Environment.NewLine));
            return;
        }
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{notOk.Count} case(s) not OK:"));
        var table = CliConsole.NewTable(console).AddColumn("ID").AddColumn("Behavior").AddColumn("Close").AddColumn("Result");
        foreach (var c in notOk)
        {
            // The sentence that explains the verdict that is off; peer-controlled text, so never parsed as markup.
            var sentence = c.Behavior is Behavior.Ok or Behavior.Informational ? c.ResultClose : c.Result;
            table.AddRow(new Text(c.Id), Verdict(c.Behavior.ToAutobahnString(), IsBad(c.Behavior)),
                Verdict(c.BehaviorClose.ToAutobahnString(), IsBad(c.BehaviorClose)), new Text(sentence));
        }
        console.Write(table);
    }

    private static Table VerdictTable(IAnsiConsole console, IReadOnlyList<CaseResult> cases)
    {
        var table = CliConsole.NewTable(console).AddColumn("Verdict").AddColumn(new TableColumn("behavior").RightAligned())
            .AddColumn(new TableColumn("behaviorClose").RightAligned());
        // The union of both vocabularies in Autobahn's order; "-" where a verdict does not exist for that column.
        (string Name, Behavior? Behavior, CloseBehavior? Close)[] rows =
        [
            ("OK", Behavior.Ok, CloseBehavior.Ok),
            ("NON-STRICT", Behavior.NonStrict, null),
            ("INFORMATIONAL", Behavior.Informational, CloseBehavior.Informational),
            ("UNIMPLEMENTED", Behavior.Unimplemented, null),
            ("FAILED", Behavior.Failed, CloseBehavior.Failed),
            ("WRONG CODE", null, CloseBehavior.WrongCode),
            ("UNCLEAN", null, CloseBehavior.Unclean),
            ("FAILED BY CLIENT", null, CloseBehavior.FailedByClient),
            ("ERROR", Behavior.Error, CloseBehavior.Error),
        ];
        foreach (var (name, behavior, close) in rows)
        {
            table.AddRow(
                new Text(name),
                new Text(behavior is { } b ? Count(cases.Count(c => c.Behavior == b)) : "-"),
                new Text(close is { } k ? Count(cases.Count(c => c.BehaviorClose == k)) : "-"));
        }
        return table;
    }

    private static Table CategoryTable(IAnsiConsole console, IReadOnlyList<CaseResult> cases)
    {
        var table = CliConsole.NewTable(console).AddColumn("Category").AddColumn(new TableColumn("Cases").RightAligned())
            .AddColumn(new TableColumn("OK").RightAligned()).AddColumn(new TableColumn("Other").RightAligned());
        // Results come in case ID order, so first appearance gives the catalogue's category order.
        foreach (var group in cases.GroupBy(c => c.Category, StringComparer.Ordinal))
        {
            var ok = group.Count(c => Classify(c) == Outcome.Ok);
            var total = group.Count();
            var prefix = group.First().Id.Split('.')[0];
            table.AddRow(new Text($"{prefix} {group.Key}"), new Text(Count(total)), new Text(Count(ok)),
                Verdict(Count(total - ok), total - ok > 0));
        }
        return table;
    }

    private static bool IsBad(Behavior behavior) => behavior is Behavior.Failed or Behavior.Error;

    private static bool IsBad(CloseBehavior close) => close is not (CloseBehavior.Ok or CloseBehavior.Informational);

    private static IRenderable Verdict(string text, bool bad) => new Text(text, bad ? new Style(Color.Red) : Style.Plain);

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
