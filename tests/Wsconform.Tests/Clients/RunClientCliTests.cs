using Wsconform.Cli;
using Wsconform.Reports.Tests;
using Wsconform.Tests.Cli;

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

    // ---------------------------------------------------------------- the gate: --expect, --policy, --junit

    /// <summary>A client that never connects: both cases end ERROR / ERROR at once, so the gate has fixed verdicts to judge.</summary>
    private const string NeverConnects = "exit 3 # {url}";

    /// <summary>Expectations the never-connecting client meets: under strict, only these entries let ERROR pass.</summary>
    private const string ErrorsExpected =
        """{ "policy": "strict", "cases": { "1.1.*": { "behavior": ["ERROR"], "behaviorClose": ["ERROR"], "reason": "this client never connects" } } }""";

    [Test]
    [CancelAfter(60_000)]
    public async Task ExpectationsMet_Exit0_AndTheJUnitFileIsWritten()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("expect.json"), ErrorsExpected);

        var (code, stdout, stderr, _) = await RunAsync("--exec", NeverConnects, "--cases", "1.1.1,1.1.2",
            "--expect", dir.Combine("expect.json"), "--junit", dir.Combine("junit.xml"));

        code.Should().Be(ExitCodes.Ok, stdout + stderr);
        stdout.Should().Contain($"Expectations: {dir.Combine("expect.json")}, policy strict for cases without an entry: 2 met, 0 excluded, 0 not met.")
            .And.Contain("  " + dir.Combine("junit.xml"), "the JUnit file is listed with the reports");
        var root = JUnitSchema.AssertValid(dir.Combine("junit.xml"));
        ((int)root.Attribute("tests")!).Should().Be(2);
        ((int)root.Attribute("errors")!).Should().Be(0);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task OneExpectationChanged_Exit1_NamingTheCase_AndJUnitReportsIt()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("expect.json"), ErrorsExpected.Replace("\"cases\": {", "\"cases\": { \"1.1.2\": [\"OK\"],", StringComparison.Ordinal));

        var (code, stdout, stderr, _) = await RunAsync("--exec", NeverConnects, "--cases", "1.1.1,1.1.2",
            "--expect", dir.Combine("expect.json"), "--junit", dir.Combine("junit.xml"));

        code.Should().Be(ExitCodes.ExpectationsNotMet);
        stdout.Should().Contain("1 met, 0 excluded, 1 not met.").And.Contain("  1.1.2: got behavior ERROR; behaviorClose ERROR; expected behavior OK;")
            .And.NotContain("1.1.1: got");
        stderr.Trim().Should().Be("wsconform: 1 case(s) did not meet their expectation");
        var root = JUnitSchema.AssertValid(dir.Combine("junit.xml"));
        root.Descendants("error").Select(e => e.Parent!.Attribute("name")!.Value.Split(' ')[0]).Should().Equal("1.1.2");
    }

    [Test]
    public async Task PolicyOption_OverridesTheDefault()
    {
        if (OperatingSystem.IsWindows()) return;
        var (code, stdout, _, _) = await RunAsync("--exec", NeverConnects, "--cases", "1.1.1", "--policy", "lenient");

        code.Should().Be(ExitCodes.ExpectationsNotMet, "lenient still fails ERROR");
        stdout.Should().Contain("Expectations: policy lenient (no --expect file)");
    }

    [Test]
    public async Task MalformedExpect_IsOneLineExit2_AndNoClientIsLaunched()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("bad.json"), """{ "cases": { "1.1.1": ["PASS"] } }""");
        var launched = dir.Combine("launched");

        var (code, stdout, stderr, _) = await RunAsync("--exec", $"touch '{launched}' # {{url}}", "--cases", "1.1.1", "--expect", dir.Combine("bad.json"));

        code.Should().Be(ExitCodes.Usage);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith($"wsconform: --expect {dir.Combine("bad.json")}: cases \"1.1.1\": 'PASS' is not a behavior verdict");
        stdout.Should().BeEmpty("the server never started");
        File.Exists(launched).Should().BeFalse();
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
