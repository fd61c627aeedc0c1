using System.CommandLine;
using System.Globalization;
using Wsconform.Model;
using Wsconform.Reports;
using Wsconform.Reports.Gate;

namespace Wsconform.Cli;

/// <summary><c>wsconform expect init --from results.json</c>: freeze a finished run's verdicts into an expectations file.</summary>
internal static class ExpectCommand
{
    public const string DefaultFile = "expectations.json";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var from = new Option<string>("--from")
        {
            Description = "results.json of a finished run.",
            HelpName = "FILE",
            Required = true,
        };
        var output = new Option<string>("--out")
        {
            Description = "Expectations file to write (replaced if it exists).",
            HelpName = "FILE",
            DefaultValueFactory = _ => DefaultFile,
        };
        var policy = new Option<string>("--policy")
        {
            Description = "Policy written into the file, for cases the run did not have: strict, default or lenient.",
            HelpName = "strict|default|lenient",
            DefaultValueFactory = _ => "default",
        };
        policy.AcceptOnlyFromAmong("strict", "default", "lenient");

        var init = new Command("init", "Write an expectations file that freezes a finished run: every case must keep exactly its behavior and behaviorClose.")
        {
            from, output, policy,
        };
        init.SetAction(parse => Init(parse.GetValue(from)!, parse.GetValue(output) ?? DefaultFile,
            PolicyRules.TryParse(parse.GetValue(policy)) ?? Policy.Default, stdout, stderr));

        return new Command("expect", "Work with expectations files (wsconform run --expect FILE).") { init };
    }

    private static int Init(string from, string output, Policy policy, TextWriter stdout, TextWriter stderr)
    {
        if (!ResultsFiles.TryRead(from, stderr, out var run)) return ExitCodes.Usage;
        if (Directory.Exists(output))
        {
            stderr.WriteLine($"wsconform: --out '{output}' is a directory, not a file");
            return ExitCodes.Usage;
        }
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(output));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            File.WriteAllText(output, ExpectationsFile.Freeze(run!, policy, Path.GetFileName(from)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            stderr.WriteLine($"wsconform: cannot write '{output}': {Program.OneLine(ex.Message)}");
            return ExitCodes.Usage;
        }
        var cases = run!.Targets.SelectMany(t => t.Cases).Select(c => c.Id).Distinct(StringComparer.Ordinal).Count();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {Path.GetFullPath(output)}: {cases} case(s) frozen at their current verdicts, policy {policy.ToText()} for any other case."));
        return ExitCodes.Ok;
    }
}

/// <summary>Reading results.json files given on the command line, with one-line errors.</summary>
internal static class ResultsFiles
{
    public static bool TryRead(string path, TextWriter stderr, out RunResult? run)
    {
        run = null;
        try
        {
            run = ResultsJson.ReadFile(path);
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            stderr.WriteLine($"wsconform: {path}: file not found");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"wsconform: {Program.OneLine(ex.Message)}");
        }
        return false;
    }
}
