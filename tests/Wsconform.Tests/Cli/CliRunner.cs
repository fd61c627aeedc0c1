using Wsconform.Cli;

namespace Wsconform.Tests.Cli;

/// <summary>Runs the <c>wsconform</c> entry point in-process with captured output.</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var code = await Program.RunAsync(args, stdout, stderr, deadline.Token);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }
}
