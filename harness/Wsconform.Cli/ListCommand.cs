using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Wsconform.Cases;
using Wsconform.Engine.Scripting;

namespace Wsconform.Cli;

/// <summary><c>wsconform list</c>: the catalogue, or a selection of it, as a table or as JSON.</summary>
internal static class ListCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cases = CommonOptions.Cases();
        var exclude = CommonOptions.Exclude();
        var format = new Option<string>("--format")
        {
            Description = "Output format: 'text' (a table) or 'json' (an array of case objects on stdout, nothing else).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command("list", "List the cases of the catalogue (ID, category, RFC sections, requirement).")
        {
            cases, exclude, format,
        };
        command.SetAction(parse => Execute(
            InputValidation.SplitPatterns(parse.GetValue(cases)),
            InputValidation.SplitPatterns(parse.GetValue(exclude)),
            parse.GetValue(format) ?? "text",
            stdout, stderr));
        return command;
    }

    private static int Execute(IReadOnlyList<string> include, IReadOnlyList<string> exclude, string format, TextWriter stdout, TextWriter stderr)
    {
        var error = InputValidation.SelectCases(Catalogue.All, include, exclude, out var selected);
        if (error is not null)
        {
            stderr.WriteLine($"wsconform: {error}");
            return ExitCodes.Usage;
        }
        if (format == "json")
            WriteJson(selected, stdout);
        else
            WriteTable(selected, stdout);
        return ExitCodes.Ok;
    }

    private static void WriteJson(IReadOnlyList<ConformanceCase> cases, TextWriter stdout)
    {
        var listings = cases.Select(c => new CaseListing(c.Id, c.Category, c.Group, c.RfcSections, c.Requirement, c.Stimulus, c.ExpectedBehaviour)).ToList();
        stdout.WriteLine(JsonSerializer.Serialize(listings, ListJsonContext.Relaxed.ListCaseListing));
    }

    private static void WriteTable(IReadOnlyList<ConformanceCase> cases, TextWriter stdout)
    {
        var console = CliConsole.Create(stdout);
        var table = CliConsole.NewTable(console)
            .AddColumn("ID")
            .AddColumn("Category / group")
            .AddColumn("RFC")
            .AddColumn("Requirement");
        foreach (var c in cases)
        {
            var category = c.Group is null ? c.Category : $"{c.Category} / {c.Group}";
            table.AddRow(new Text(c.Id), new Text(category), new Text(string.Join(", ", c.RfcSections)), new Text(c.Requirement));
        }
        console.Write(table);
        console.WriteLine($"{cases.Count} case(s)");
    }
}

/// <summary>One case in <c>wsconform list --format json</c>. Property names are the JSON contract.</summary>
internal sealed record CaseListing(
    string Id,
    string Category,
    string? Group,
    IReadOnlyList<string> RfcSections,
    string Requirement,
    string Stimulus,
    string ExpectedBehaviour);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<CaseListing>))]
internal sealed partial class ListJsonContext : JsonSerializerContext
{
    /// <summary>Writes "§" and quotes as themselves: the output is for people and JSON parsers, never for HTML.</summary>
    public static ListJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
