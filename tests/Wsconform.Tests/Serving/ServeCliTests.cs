using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Wsconform.Cli;
using Wsconform.Tests.Cli;

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
            .And.Contain("not applicable").And.Contain("category 0").And.Contain("14.1.x").And.Contain("direct command mode")
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
