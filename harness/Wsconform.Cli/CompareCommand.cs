using System.CommandLine;
using System.Globalization;
using Wsconform.Model;
using Wsconform.Reports;
using Wsconform.Reports.Comparison;
using Wsconform.Reports.Gate;

namespace Wsconform.Cli;

/// <summary><c>wsconform compare OLD.json NEW.json</c>: what changed between two runs; exit 1 on a regression.</summary>
internal static class CompareCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var oldFile = new Argument<string>("OLD") { Description = "results.json of the earlier run (the baseline)." };
        var newFile = new Argument<string>("NEW") { Description = "results.json of the later run." };
        var command = new Command("compare", "Compare two results.json files per target: regressions (exit 1), improvements, other changes, new and removed cases.")
        {
            oldFile, newFile,
        };
        command.SetAction(parse =>
        {
            if (!ResultsFiles.TryRead(parse.GetValue(oldFile)!, stderr, out var before)) return ExitCodes.Usage;
            if (!ResultsFiles.TryRead(parse.GetValue(newFile)!, stderr, out var after)) return ExitCodes.Usage;
            return Print(RunComparison.Compare(before!, after!), stdout, stderr);
        });
        return command;
    }

    internal static int Print(IReadOnlyList<TargetComparison> comparisons, TextWriter stdout, TextWriter stderr)
    {
        var regressions = 0;
        foreach (var target in comparisons)
        {
            var where = target switch
            {
                { Old: null } => " (only in NEW)",
                { New: null } => " (only in OLD)",
                _ => "",
            };
            stdout.WriteLine($"Target {target.Name} at {(target.New ?? target.Old)!.Url}{where}:");
            if (target.Changes.Count == 0) stdout.WriteLine("  no change");
            foreach (var (kind, title) in new[]
                     {
                         (ChangeKind.Regression, "regressions"), (ChangeKind.Improvement, "improvements"), (ChangeKind.Changed, "other changes"),
                         (ChangeKind.New, "new cases"), (ChangeKind.Removed, "removed cases"),
                     })
            {
                var changes = target.Of(kind).ToList();
                if (changes.Count == 0) continue;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {title} ({changes.Count}):"));
                foreach (var change in changes) stdout.WriteLine("    " + change);
            }
            regressions += target.Of(ChangeKind.Regression).Count();
        }
        var all = comparisons.SelectMany(c => c.Changes).ToList();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{regressions} regression(s), {all.Count(c => c.Kind == ChangeKind.Improvement)} improvement(s), {all.Count(c => c.Kind == ChangeKind.Changed)} other change(s), {all.Count(c => c.Kind == ChangeKind.New)} new, {all.Count(c => c.Kind == ChangeKind.Removed)} removed"));
        if (regressions == 0) return ExitCodes.Ok;
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wsconform: {regressions} regression(s)"));
        return ExitCodes.ExpectationsNotMet;
    }
}

/// <summary><c>wsconform merge A.json B.json ... --out DIR</c>: one report from separate runs (e.g. one CI job per target).</summary>
internal static class MergeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("FILES") { Description = "results.json files to combine.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out")
        {
            Description = "Directory for the combined reports (results.json, index.html, Autobahn index.json); created if missing.",
            HelpName = "DIR",
            Required = true,
        };
        var expect = new Option<string?>("--expect")
        {
            Description = "Also gate the combined run on this expectations file (exit 1 when a case does not meet it). Without it merge does not judge.",
            HelpName = "FILE",
        };
        var command = new Command("merge", "Combine results.json files into one report with a matrix of targets x cases.") { files, output, expect };
        command.SetAction(async (parse, ct) =>
        {
            var runs = new List<RunResult>();
            foreach (var file in parse.GetValue(files) ?? [])
            {
                if (!ResultsFiles.TryRead(file, stderr, out var run)) return ExitCodes.Usage;
                runs.Add(run!);
            }
            var outDir = parse.GetValue(output)!;
            if (InputValidation.CheckOutputDirectory(outDir) is { } outError)
            {
                stderr.WriteLine($"wsconform: {outError}");
                return ExitCodes.Usage;
            }
            ExpectationSet? expectations = null;
            if (parse.GetValue(expect) is { } expectFile)
            {
                try
                {
                    expectations = ExpectationSet.Load(expectFile);
                }
                catch (ExpectationsException ex)
                {
                    stderr.WriteLine($"wsconform: --expect {Program.OneLine(ex.Message)}");
                    return ExitCodes.Usage;
                }
            }
            RunResult merged;
            try
            {
                merged = RunComparison.Merge(runs);
            }
            catch (InvalidDataException ex)
            {
                stderr.WriteLine($"wsconform: cannot merge: {ex.Message}");
                return ExitCodes.Usage;
            }
            IReadOnlyList<string> paths;
            try
            {
                paths = await ReportSet.WriteAllAsync(merged, Path.GetFullPath(outDir), RunCommand.ReportWriters(), ct).ConfigureAwait(false);
            }
            catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is ReportWriterException))
            {
                foreach (var failure in ex.InnerExceptions) stderr.WriteLine($"wsconform: {Program.OneLine(failure.Message)}");
                return ExitCodes.InternalError;
            }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Merged {runs.Count} file(s): {merged.Targets.Count} target(s), {merged.Targets.Sum(t => t.Cases.Count)} case result(s)."));
            foreach (var path in paths) stdout.WriteLine("  " + path);
            if (expectations is null) return ExitCodes.Ok;
            var outcome = Gate.Evaluate(merged, expectations);
            GateReport.Write(stdout, outcome, expectations, parse.GetValue(expect));
            return outcome.Passed ? ExitCodes.Ok : ExitCodes.ExpectationsNotMet;
        });
        return command;
    }
}
