using System.CommandLine;

namespace Wsconform.Cli;

/// <summary>Options shared by several commands (a fresh instance per command).</summary>
internal static class CommonOptions
{
    public static Option<string[]> Cases() => new("--cases")
    {
        Description = "Case IDs or patterns to select, Autobahn style ('5.*', '6.4.1', '1*' also matches 12.x); repeatable and/or comma-separated. Quote patterns so the shell does not expand them.",
        HelpName = "PATTERN",
        DefaultValueFactory = _ => ["*"],
    };

    public static Option<string[]> Exclude() => new("--exclude")
    {
        Description = "Case IDs or patterns to leave out; repeatable and/or comma-separated.",
        HelpName = "PATTERN",
    };
}
