using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Wsconform.Cases;
using Wsconform.Cli;

namespace Wsconform.Tests.Cli;

/// <summary><c>wsconform run</c> in-process, against the built-in echo server and against nothing.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RunCommandEndToEndTests
{
    private string _out = null!;

    [SetUp]
    public void CreateOutputDirectory() => _out = Path.Combine(Path.GetTempPath(), "wsconform-cli-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOutputDirectory()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    [Test]
    public async Task Run_WithoutUrl_TestsTheBuiltInEchoServerAndWritesReports()
    {
        var clock = Stopwatch.StartNew();
        var junit = Path.Combine(_out, "junit.xml");
        var outcome = await CliRunner.RunAsync("run", "--out", _out, "--junit", junit);
        clock.Stop();
        ValidateAgainstJUnitSchema(junit);

        // Without --expect the built-in server's known results gate the run: a newcomer's first run passes (exit 0)
        // exactly when the server still does what that file records.
        var run = Wsconform.Reports.ResultsJson.ReadFile(Path.Combine(_out, "results.json"));
        var known = Wsconform.Reports.Gate.ExpectationSet.Parse(Wsconform.Echo.EchoServer.KnownResultsJson, "known results");
        var gate = Wsconform.Reports.Gate.Gate.Evaluate(run, known);
        gate.Unmet.Should().BeEmpty("the built-in server's known results list every verdict it gets that is not OK");
        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        run.Targets[0].Cases.Where(c => c.Id is "6.4.3" or "6.4.4").Should().OnlyContain(c => c.Behavior == Wsconform.Model.Behavior.NonStrict,
            "the built-in server is NON-STRICT on 6.4.3/6.4.4");
        outcome.Stdout.Should().Contain("built-in echo server")
            .And.Contain($"{Catalogue.ForServers.Count} case(s)")
            .And.Contain("run phase")
            .And.Contain("Reports:");
        File.Exists(Path.Combine(_out, "results.json")).Should().BeTrue();
        File.Exists(Path.Combine(_out, "index.html")).Should().BeTrue();
        File.Exists(Path.Combine(_out, "index.json")).Should().BeTrue("Autobahn's index.json is always written");
        outcome.Stdout.Should().Contain(Path.Combine(_out, "results.json"));
        // Design goal: the whole catalogue against the echo server in well under 5 s; 30 s only catches a hang.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task Run_WithASelection_RunsOnlyThoseCasesAndPrintsProgressLines()
    {
        // Category 1 (framing) passes on the built-in server, so the default gate exits 0.
        const string first = "1";
        var expected = Catalogue.ForServers.Count(c => c.Id.StartsWith(first + ".", StringComparison.Ordinal));

        var outcome = await CliRunner.RunAsync("run", "--cases", first + ".*", "--parallel", "4", "--out", _out);

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        outcome.Stdout.Should().Contain($"{expected} case(s) against ws://127.0.0.1:")
            .And.Contain($"{expected}/{expected} cases (100%)");
    }

    [Test]
    public async Task Run_AgainstAClosedPort_ExitsWithUnreachableAndOneLine()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var outcome = await CliRunner.RunAsync("run", $"ws://127.0.0.1:{port}/", "--out", _out);

        outcome.ExitCode.Should().Be(ExitCodes.Unreachable, outcome.Stderr);
        outcome.StderrLines.Should().ContainSingle().Which.Should().StartWith($"wsconform: cannot test ws://127.0.0.1:{port}/");
        Directory.Exists(_out).Should().BeFalse("nothing ran, so no report is written");
    }

    [Test]
    public async Task Run_WhenAReportCannotBeWritten_PrintsTheSummaryAndExitsWithInternalError()
    {
        Directory.CreateDirectory(Path.Combine(_out, "results.json")); // a directory where the JSON file must go

        var outcome = await CliRunner.RunAsync("run", "--cases", Catalogue.ForServers[0].Id, "--out", _out);

        outcome.ExitCode.Should().Be(ExitCodes.InternalError, outcome.Stderr);
        outcome.Stdout.Should().Contain("run phase", "the results are still shown");
        outcome.StderrLines.Should().ContainSingle().Which.Should().StartWith("wsconform: ").And.Contain("json");
    }

    [Test]
    public async Task Run_WithOutPointingAtAFile_IsAUsageError()
    {
        Directory.CreateDirectory(_out);
        var file = Path.Combine(_out, "taken");
        await File.WriteAllTextAsync(file, "x");

        var outcome = await CliRunner.RunAsync("run", "--out", file);

        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().Contain("is a file, not a directory");
    }

    [Test]
    public async Task Run_WhenCancelled_ExitsWith130()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var code = await Program.RunAsync(["run", "--out", _out], stdout, stderr, cancelled.Token);

        code.Should().Be(ExitCodes.Cancelled);
        stderr.ToString().Trim().Should().Be("wsconform: cancelled");
    }

    /// <summary>The JUnit file of a full run is valid JUnit with one testcase per case and no failure.</summary>
    private static void ValidateAgainstJUnitSchema(string path)
    {
        var root = JUnitSchema.AssertValid(path);
        ((int)root.Attribute("tests")!).Should().Be(Catalogue.ForServers.Count, "one testcase per case of the run");
        ((int)root.Attribute("failures")!).Should().Be(0, "the built-in server meets its known results");
    }
}
