using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Wsconform.Cli;
using Wsconform.Tests.Cli;
using Wsconform.Reports.Tests;

namespace Wsconform.Tests.Serving;

/// <summary><c>wsconform serve</c> through the command line, in-process.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class ServeCliTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Help_SaysWhatIsNotApplicableAndWhatIsNotSupported(CancellationToken ct)
    {
        var outcome = await CliRunner.RunAsync("serve", "--help");
        outcome.ExitCode.Should().Be(ExitCodes.Ok);
        outcome.Stdout.Should().Contain("/getCaseCount").And.Contain("/runCase?case=N&agent=NAME")
            .And.Contain("not applicable").And.Contain("0.1-0.7").And.Contain("0.8-0.9 judge the client's own handshake").And.Contain("14.1.x").And.Contain("direct command mode")
            .And.Contain("--port").And.Contain("[default: 9001]").And.Contain("--cert").And.Contain("--key");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task PortInUse_IsOneLineAndExit3(CancellationToken ct)
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var outcome = await CliRunner.RunAsync("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            outcome.ExitCode.Should().Be(ExitCodes.Unreachable);
            outcome.StderrLines.Should().ContainSingle().Which.Should().Be($"wsconform: cannot listen on 127.0.0.1:{port}: the port is already in use (choose another with --port)");
        }
        finally
        {
            taken.Stop();
        }
    }

    [TestCase("--cases", "0.1.*", "none of the 8 selected case(s) applies to clients")]
    [TestCase("--host", "example.org", "--host 'example.org' is not an IP address")]
    [TestCase("--port", "70000", "--port must be 0 to 65535")]
    [TestCase("--cert", "x.pem", "--cert and --key go together")]
    [CancelAfter(60_000)]
    public async Task BadOptions_AreUsageErrors(string option, string value, string message, CancellationToken ct)
    {
        var outcome = await CliRunner.RunAsync("serve", option, value);
        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().Contain(message);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Serve_DrivenToStopServer_PrintsOneLinePerCase_WritesReports_Exits0(CancellationToken ct)
    {
        var output = Path.Combine(Path.GetTempPath(), "wsconform-serve-cli-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        try
        {
            var serving = Program.RunAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--cases", "1.1.1,1.1.2", "--out", output], stdout, stderr, ct);
            var baseUrl = $"ws://127.0.0.1:{port}";
            var count = await RetryUntilListeningAsync(() => AutobahnDriver.GetCaseCountAsync(baseUrl, ct), serving);
            count.Should().Be(2);
            for (var n = 1; n <= count; n++) await AutobahnDriver.RunCaseAsync(baseUrl, n, "cli agent", ct);
            await AutobahnDriver.ReceiveAllAsync(new Uri($"{baseUrl}/stopServer"), ct);

            (await serving.WaitAsync(TimeSpan.FromSeconds(30), ct)).Should().Be(ExitCodes.Ok, stderr.ToString());
            var lines = stdout.ToString();
            lines.Should().Contain($"serve: 2 case(s) at ws://127.0.0.1:{port}\n")
                .And.Contain($"  driver: ws://127.0.0.1:{port}/getCaseCount, then ws://127.0.0.1:{port}/runCase?case=N&agent=NAME for N = 1..2, then ")
                .And.Contain("agent cli agent: 1.1.1 OK / OK")
                .And.Contain("agent cli agent: 1.1.2 OK / OK")
                .And.Contain("stopping: /stopServer");
            using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json"), ct));
            var target = results.RootElement.GetProperty("targets").EnumerateArray().Single();
            target.GetProperty("url").GetString().Should().Be("client:cli agent");
            target.GetProperty("agent").GetString().Should().Be("cli agent");
            using var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "index.json"), ct));
            index.RootElement.GetProperty("cli agent").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("1.1.1", "1.1.2");
            File.Exists(Path.Combine(output, "index.html")).Should().BeTrue();
            File.Exists(Path.Combine(output, "cli_agent_case_1_1_1.json")).Should().BeTrue();
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task CtrlC_WritesTheReportsBeforeStopping(CancellationToken ct)
    {
        var output = Path.Combine(Path.GetTempPath(), "wsconform-serve-cli-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var serving = Program.RunAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--cases", "2.1", "--out", output], stdout, stderr, ctrlC.Token);
            var baseUrl = $"ws://127.0.0.1:{port}";
            await RetryUntilListeningAsync(() => AutobahnDriver.GetCaseCountAsync(baseUrl, ct), serving);
            await AutobahnDriver.RunCaseAsync(baseUrl, 1, "interrupted", ct);
            await ctrlC.CancelAsync();

            (await serving.WaitAsync(TimeSpan.FromSeconds(30), ct)).Should().Be(ExitCodes.Cancelled);
            stdout.ToString().Should().Contain("stopping: interrupted (Ctrl+C or SIGTERM)").And.Contain("reports written (1 agent(s), 1 result(s))");
            using var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "index.json"), ct));
            index.RootElement.GetProperty("interrupted").GetProperty("2.1").GetProperty("behavior").GetString().Should().Be("OK");
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task CertAndKey_ServeWss(CancellationToken ct)
    {
        using var certificates = new Transport.TestCertificates();
        var directory = Path.Combine(Path.GetTempPath(), "wsconform-serve-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var certFile = Path.Combine(directory, "server.crt");
        var keyFile = Path.Combine(directory, "server.key");
        await File.WriteAllTextAsync(certFile, certificates.Localhost.ExportCertificatePem(), ct);
        await File.WriteAllTextAsync(keyFile, certificates.Localhost.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), ct);
        var port = FreePort();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var serving = Program.RunAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--cases", "1.1.1", "--cert", certFile, "--key", keyFile, "--out", Path.Combine(directory, "out")], stdout, stderr, stop.Token);
            var url = new Uri($"wss://localhost:{port}/runCase?case=1&agent=tls");
            var end = await RetryUntilListeningAsync(async () =>
            {
                using var client = AutobahnDriver.NewClient(o => o.RemoteCertificateValidationCallback = (_, _, _, _) => true);
                await client.ConnectAsync(url, ct);
                client.Abort();
                return "connected";
            }, serving);
            end.Should().Be("connected");
            var echoed = await AutobahnDriver.EchoAsync(url, ct, o => o.RemoteCertificateValidationCallback = (_, _, _, _) => true);
            echoed.Should().Be("closed by server with 1000");
            await stop.CancelAsync();
            (await serving.WaitAsync(TimeSpan.FromSeconds(30), ct)).Should().Be(ExitCodes.Cancelled, stderr.ToString());
            stdout.ToString().Should().Contain($"at wss://127.0.0.1:{port}\n").And.Contain("agent tls: 1.1.1 OK / OK");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // ---------------------------------------------------------------- the gate: --expect, --policy, --junit

    /// <summary>Both cases are OK / OK for ClientWebSocket; strict, so only an entry can make one of them pass otherwise.</summary>
    private const string MetExpectations = """{ "policy": "strict", "cases": { "1.1.*": ["OK"] } }""";

    /// <summary><see cref="MetExpectations"/> with one entry changed: 1.1.2 is now expected to fail.</summary>
    private const string UnmetExpectations = """{ "policy": "strict", "cases": { "1.1.*": ["OK"], "1.1.2": { "behavior": ["FAILED"], "reason": "changed for the test" } } }""";

    /// <summary>
    /// Runs <c>serve --cases 1.1.1,1.1.2</c> with <paramref name="options"/> on a free port, drives both cases for each
    /// agent with the Autobahn driver loop, then <paramref name="stop"/>s it; returns the exit code and the output.
    /// </summary>
    private static async Task<CliRunner.Outcome> ServeAndDriveAsync(string[] options, string[] agents, Func<string, CancellationTokenSource, Task> stop,
        CancellationToken ct)
    {
        var port = FreePort();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var serving = Program.RunAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cases", "1.1.1,1.1.2", .. options],
            stdout, stderr, ctrlC.Token);
        var baseUrl = $"ws://127.0.0.1:{port}";
        await RetryUntilListeningAsync(() => AutobahnDriver.GetCaseCountAsync(baseUrl, ct), serving);
        foreach (var agent in agents)
        {
            for (var n = 1; n <= 2; n++) await AutobahnDriver.RunCaseAsync(baseUrl, n, agent, ct);
        }
        await stop(baseUrl, ctrlC);
        var code = await serving.WaitAsync(TimeSpan.FromSeconds(30), ct);
        return new CliRunner.Outcome(code, stdout.ToString(), stderr.ToString());
    }

    private static Task StopServer(string baseUrl, CancellationTokenSource _) => AutobahnDriver.ReceiveAllAsync(new Uri($"{baseUrl}/stopServer"), CancellationToken.None);

    [Test]
    [CancelAfter(120_000)]
    public async Task Gate_ExpectationsMet_Exit0_AndUpdateReportsWritesTheJUnitFileToo(CancellationToken ct)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("expect.json"), MetExpectations, ct);
        var junit = dir.Combine("ci/junit.xml");
        var afterUpdate = false;

        var outcome = await ServeAndDriveAsync(["--expect", dir.Combine("expect.json"), "--junit", junit, "--out", dir.Combine("out")], ["gated"],
            async (baseUrl, _) =>
            {
                await AutobahnDriver.UpdateReportsAsync(baseUrl, "gated", ct);
                afterUpdate = File.Exists(junit);
                await StopServer(baseUrl, _);
            }, ct);

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stdout + outcome.Stderr);
        afterUpdate.Should().BeTrue("/updateReports writes the JUnit file with the other reports");
        outcome.Stdout.Should().Contain($"Expectations: {dir.Combine("expect.json")}, policy strict for cases without an entry: 2 met, 0 excluded, 0 not met.")
            .And.Contain("Every case met its expectation.").And.Contain("client 'gated' (the harness was the server)");
        var root = JUnitSchema.AssertValid(junit);
        ((int)root.Attribute("tests")!).Should().Be(2);
        ((int)root.Attribute("failures")!).Should().Be(0);
        outcome.Stderr.Should().BeEmpty();
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Gate_OneExpectationChanged_Exit1_NamingTheCaseOfEachAgent_AndJUnitFailsIt(CancellationToken ct)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("expect.json"), UnmetExpectations, ct);
        var junit = dir.Combine("junit.xml");

        // Stopped the other way a driver can: its last /updateReports asks the server to shut down.
        var outcome = await ServeAndDriveAsync(["--expect", dir.Combine("expect.json"), "--junit", junit, "--out", dir.Combine("out")], ["a", "b"],
            (baseUrl, _) => AutobahnDriver.ReceiveAllAsync(new Uri($"{baseUrl}/updateReports?agent=b&shutdownOnComplete=true"), ct), ct);

        outcome.ExitCode.Should().Be(ExitCodes.ExpectationsNotMet, outcome.Stdout + outcome.Stderr);
        outcome.Stdout.Should().Contain("stopping: /updateReports?shutdownOnComplete=true").And.Contain("2 met, 0 excluded, 2 not met.")
            .And.Contain("  [a] 1.1.2: got behavior OK; behaviorClose OK; expected behavior FAILED; behaviorClose OK|INFORMATIONAL (entry \"1.1.2\", else policy strict); reason: changed for the test")
            .And.Contain("  [b] 1.1.2: got behavior OK").And.NotContain("1.1.1: got");
        outcome.StderrLines.Should().Equal("wsconform: 2 case(s) did not meet their expectation");
        var root = JUnitSchema.AssertValid(junit);
        ((int)root.Attribute("tests")!).Should().Be(4, "two cases for each of two agents");
        root.Descendants("failure").Select(f => f.Parent!.Attribute("name")!.Value.Split(' ')[0]).Should().Equal("1.1.2", "1.1.2");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Gate_CtrlC_IsJudgedAndWritesJUnit_ButExitsWith130(CancellationToken ct)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("expect.json"), UnmetExpectations, ct);
        var junit = dir.Combine("junit.xml");

        var outcome = await ServeAndDriveAsync(["--expect", dir.Combine("expect.json"), "--junit", junit, "--out", dir.Combine("out")], ["c"],
            (_, ctrlC) => ctrlC.CancelAsync(), ct);

        outcome.ExitCode.Should().Be(ExitCodes.Cancelled);
        outcome.Stdout.Should().Contain("stopping: interrupted").And.Contain("  1.1.2: got behavior OK");
        ((int)JUnitSchema.AssertValid(junit).Attribute("failures")!).Should().Be(1);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Gate_MalformedExpect_IsOneLineExit2_BeforeTheServerStarts(CancellationToken ct)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("bad.json"), """{ "cases": { "1.1.1": ["PASS"] } }""", ct);

        var outcome = await CliRunner.RunAsync("serve", "--port", "0", "--expect", dir.Combine("bad.json"), "--out", dir.Combine("out"));

        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().StartWith($"wsconform: --expect {dir.Combine("bad.json")}: cases \"1.1.1\": 'PASS' is not a behavior verdict");
        outcome.Stdout.Should().BeEmpty("the server never started");
        Directory.Exists(dir.Combine("out")).Should().BeFalse();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The CLI starts listening a moment after it is called: retry while the connection is refused.</summary>
    private static async Task<T> RetryUntilListeningAsync<T>(Func<Task<T>> action, Task<int> serving)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (System.Net.WebSockets.WebSocketException) when (attempt < 100 && !serving.IsCompleted)
            {
                await Task.Delay(100);
            }
        }
    }
}
