using Spectre.Console;

namespace Wsconform.Cli;

/// <summary>Spectre.Console consoles over the tool's stdout: live and coloured on a terminal, plain text otherwise.</summary>
internal static class CliConsole
{
    /// <summary>Width of tables written to a pipe, a file or a test's writer.</summary>
    private const int PlainWidth = 120;

    /// <summary>
    /// Creates the report directory before anything runs, so an unwritable --out is a one-line usage error (exit 2)
    /// instead of a run whose results cannot be saved.
    /// </summary>
    /// <param name="fullPath">The directory, resolved.</param>
    /// <param name="asGiven">The path as the user wrote it, for the message.</param>
    public static bool TryCreateOutputDirectory(string fullPath, string asGiven, TextWriter stderr)
    {
        try
        {
            Directory.CreateDirectory(fullPath);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            stderr.WriteLine($"wsconform: cannot create --out directory '{asGiven}': {Program.OneLine(ex.Message)}");
            return false;
        }
    }

    /// <summary>True when <paramref name="stdout"/> is the process's console output and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter stdout) => ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;

    public static IAnsiConsole Create(TextWriter stdout)
    {
        if (IsTerminal(stdout))
            return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(stdout),
        });
        console.Profile.Width = PlainWidth;
        console.Profile.Capabilities.Unicode = false;
        return console;
    }

    /// <summary>A table in the style of the output: rounded on a terminal, ASCII in logs.</summary>
    public static Table NewTable(IAnsiConsole console) =>
        new Table().Border(console.Profile.Capabilities.Unicode && console.Profile.Capabilities.Ansi ? TableBorder.Rounded : TableBorder.Ascii);
}

/// <summary>
/// Output lines for commands whose connections report concurrently (serve, run-client): TextWriters are not
/// thread-safe, so every line is written under one lock; errors get the usual "wsconform: " one-line form.
/// </summary>
internal sealed class LockedLines(TextWriter stdout, TextWriter stderr)
{
    private readonly object _gate = new();

    public void Out(string line)
    {
        lock (_gate) stdout.WriteLine(line);
    }

    public void Err(string line)
    {
        lock (_gate) stderr.WriteLine($"wsconform: {Program.OneLine(line)}");
    }
}
