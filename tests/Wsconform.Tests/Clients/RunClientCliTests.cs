using Wsconform.Cli;

namespace Wsconform.Tests.Clients;

/// <summary><c>wsconform run-client</c>'s command line and how it treats clients that do not run their case; no real client needed.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RunClientCliTests
{
    private static async Task<(int Code, string Stdout, string Stderr, string ResultsJson)> RunAsync(params string[] args)
    {
        var output = Path.Combine(Path.GetTempPath(), "wsconform-run-client-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await Program.RunAsync(["run-client", .. args, "--out", output], stdout, stderr);
            var results = Path.Combine(output, "results.json");
            return (code, stdout.ToString(), stderr.ToString(), File.Exists(results) ? await File.ReadAllTextAsync(results) : "");
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public async Task ExecWithoutUrlPlaceholder_IsAUsageError()
    {
        var (code, _, stderr, _) = await RunAsync("--exec", "echo hello", "--cases", "1.1.1");
        code.Should().Be(ExitCodes.Usage);
        stderr.Should().Contain("{url}");
    }

    [Test]
    public async Task CommandTheShellCannotFind_IsAOneLineUsageError()
    {
        if (OperatingSystem.IsWindows()) return;
        var (code, _, stderr, _) = await RunAsync("--exec", "/nonexistent/wsconform-client {url}", "--cases", "1.1.1");
        code.Should().Be(ExitCodes.Usage);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("cannot start").And.Contain("/nonexistent/wsconform-client");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ClientThatExitsWithoutConnecting_IsErrorWithItsStderrInTheWireLog()
    {
        if (OperatingSystem.IsWindows()) return;
        var (code, stdout, _, results) = await RunAsync("--exec", "echo \"no connection to $WSCONFORM_URL\" >&2; exit 3 # {url}", "--cases", "1.1.1");
        code.Should().Be(ExitCodes.ExpectationsNotMet);
        stdout.Should().Contain("1.1.1 ERROR / ERROR: The case could not run: the client exited with code 3 without running the case");
        results.Should().Contain("client stderr").And.Contain("no connection to ws://127.0.0.1:").And.Contain("runCase?case=1\\u0026agent=client");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ClientThatHangs_IsKilledAtTheDeadlineAndTheCaseIsError()
    {
        if (OperatingSystem.IsWindows()) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (code, stdout, _, _) = await RunAsync("--exec", "sleep 30 # {url}", "--cases", "1.1.1", "--timeout-per-case", "1");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
        code.Should().Be(ExitCodes.ExpectationsNotMet);
        stdout.Should().Contain("the client did not finish the case within 1 s (its process tree was killed)");
    }
}
