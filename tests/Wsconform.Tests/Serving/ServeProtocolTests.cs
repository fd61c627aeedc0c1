using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Wsconform.Engine.Running;
using Wsconform.Engine.Serving;
using Wsconform.Model;

namespace Wsconform.Tests.Serving;

/// <summary>
/// The URL protocol of <c>wsconform serve</c> (Autobahn's fuzzingserver paths) and how the server treats clients that
/// break the rules: an unmasked frame, an unknown path, a request that never comes.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class ServeProtocolTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task UnmaskedClientFrame_FailsTheConnectionWith1002_AndTheCaseIsFailed(CancellationToken ct)
    {
        await using var host = ServeHost.Start("1.1.2");
        await using var client = await RawClient.ConnectAsync(host.Server.Port, ct);
        await client.SendAsync(RawClient.UpgradeRequest("/runCase?casetuple=1.1.2&agent=raw", host.Server.Port), ct);
        var head = await client.ReadHeadAsync(ct);
        head.Should().StartWith("HTTP/1.1 101 ");

        // 1.1.2 sends one text message of 125 '*'; echo it back without the mask a client must apply (RFC 6455 §5.1).
        var (opcode, _, payload) = await client.ReadFrameAsync(ct);
        opcode.Should().Be(1);
        await client.SendAsync(RawClient.UnmaskedFrame(1, payload), ct);

        var (closeOpcode, _, closeBody) = await client.ReadFrameAsync(ct);
        closeOpcode.Should().Be(8, "the server fails the connection with a Close frame (Autobahn's failByDrop=false)");
        BinaryPrimitives.ReadUInt16BigEndian(closeBody).Should().Be(1002);
        await client.SendAsync(RawClient.MaskedFrame(8, [0x03, 0xE8]), ct);
        (await client.WaitForServerCloseAsync(ct)).Should().BeTrue();

        var result = await host.Server.WaitForResultAsync("raw", "1.1.2", TimeSpan.FromSeconds(30), ct);
        result.Should().NotBeNull();
        result!.Behavior.Should().Be(Behavior.Failed);
        result.Close.FailedByMe.Should().BeTrue();
        result.Close.LocalCloseCode.Should().Be(1002);
        result.Violations.Should().ContainSingle().Which.Description.Should().Contain("unmasked");
        result.HandshakeRequest.Should().Contain("GET /runCase?casetuple=1.1.2&agent=raw HTTP/1.1");
        result.HandshakeResponse.Should().StartWith("HTTP/1.1 101 ").And.Contain("Server: wsconform/");

        // /getCaseStatus reports the same verdict, in Autobahn's shape.
        var status = await AutobahnDriver.ReceiveAllAsync(new Uri($"{host.BaseUrl}/getCaseStatus?case=1&agent=raw"), ct);
        status.Should().Equal("""{"behavior":"FAILED"}""");
        host.Lines.Should().Contain(line => line.StartsWith("agent raw: 1.1.2 FAILED / ", StringComparison.Ordinal));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task GetCaseInfo_ReturnsTheIdAndDescription_AndGetCaseStatusWaitsForTheResult(CancellationToken ct)
    {
        await using var host = ServeHost.Start("1.1.1,2.*");
        var info = await AutobahnDriver.ReceiveAllAsync(new Uri($"{host.BaseUrl}/getCaseInfo?case=2"), ct);
        using var document = JsonDocument.Parse(info.Single());
        document.RootElement.GetProperty("id").GetString().Should().Be("2.1");
        document.RootElement.GetProperty("description").GetString().Should().Be(host.Server.Cases[1].Stimulus);

        // Asked before the case runs: the answer comes once the result exists.
        var status = AutobahnDriver.ReceiveAllAsync(new Uri($"{host.BaseUrl}/getCaseStatus?case=2&agent=waiter"), ct);
        var end = await AutobahnDriver.EchoAsync(new Uri($"{host.BaseUrl}/runCase?casetuple=2.1&agent=waiter"), ct);
        (await status).Should().Equal(["""{"behavior":"OK"}"""], $"the client saw: {end}");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task GetCaseStatus_WithoutAResult_ClosesWithoutAMessageAfterItsWait(CancellationToken ct)
    {
        await using var host = ServeHost.Start("1.1.1", statusWait: TimeSpan.FromMilliseconds(200));
        var status = await AutobahnDriver.ReceiveAllAsync(new Uri($"{host.BaseUrl}/getCaseStatus?case=1&agent=nobody"), ct);
        status.Should().BeEmpty();
    }

    [TestCase("/nowhere", "unknown path '/nowhere'")]
    [TestCase("/", "unknown path '/'")]
    [TestCase("/runCase?case=1", "agent parameter is missing")]
    [TestCase("/runCase?case=0&agent=a", "case=0 is not a case number")]
    [TestCase("/runCase?case=2&agent=a", "numbered 1 to 1")]
    [TestCase("/runCase?casetuple=0.1.1&agent=a", "case 0.1.1 is not in this server's run list")]
    [TestCase("/getCaseInfo", "names no case")]
    [CancelAfter(30_000)]
    public async Task BadPathsAndParameters_GetA400NamingTheProblem(string target, string problem, CancellationToken ct)
    {
        await using var host = ServeHost.Start("1.1.1");
        await using var client = await RawClient.ConnectAsync(host.Server.Port, ct);
        await client.SendAsync(RawClient.UpgradeRequest(target, host.Server.Port), ct);
        var response = await client.ReadToEndAsync(ct);
        response.Should().StartWith("HTTP/1.1 400 Bad Request\r\n").And.Contain(problem);
        if (problem.StartsWith("unknown path", StringComparison.Ordinal))
            response.Should().Contain("/getCaseCount").And.Contain("/runCase?case=N&agent=NAME").And.Contain("direct command mode is not supported");
        host.Warnings.Should().Contain(w => w.Contains(problem, StringComparison.Ordinal));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task PlainHttpRequest_IsRefusedWithTheHandshakeProblem(CancellationToken ct)
    {
        await using var host = ServeHost.Start("1.1.1");
        await using var client = await RawClient.ConnectAsync(host.Server.Port, ct);
        await client.SendAsync($"GET /getCaseCount HTTP/1.1\r\nHost: 127.0.0.1:{host.Server.Port}\r\n\r\n", ct);
        var response = await client.ReadToEndAsync(ct);
        response.Should().StartWith("HTTP/1.1 400 Bad Request\r\n").And.Contain("Upgrade");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task SilentClient_IsDroppedAfterTheOpenHandshakeTimeout_AndTheServerGoesOn(CancellationToken ct)
    {
        var timeouts = ProtocolTimeouts.Autobahn with { OpenHandshake = TimeSpan.FromMilliseconds(300) };
        await using var host = ServeHost.Start("1.1.1", timeouts);
        await using var silent = await RawClient.ConnectAsync(host.Server.Port, ct);
        (await silent.WaitForServerCloseAsync(ct)).Should().BeTrue();
        host.Warnings.Should().Contain(w => w.Contains("no complete upgrade request within the open-handshake timeout", StringComparison.Ordinal));

        // A client that stops in the middle of its request is dropped the same way.
        await using var halfway = await RawClient.ConnectAsync(host.Server.Port, ct);
        await halfway.SendAsync("GET /getCaseCount HTTP/1.1\r\nHost: 127.0", ct);
        (await halfway.WaitForServerCloseAsync(ct)).Should().BeTrue();

        (await AutobahnDriver.GetCaseCountAsync(host.BaseUrl, ct)).Should().Be(1);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task OversizedRequestHead_GetsA431(CancellationToken ct)
    {
        await using var host = ServeHost.Start("1.1.1");
        await using var client = await RawClient.ConnectAsync(host.Server.Port, ct);
        await client.SendAsync("GET /getCaseCount HTTP/1.1\r\nX-Filler: " + new string('x', 20_000), ct);
        var response = await client.ReadToEndAsync(ct);
        response.Should().StartWith("HTTP/1.1 431 ");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task SeveralClientsAtOnce_EachAgentGetsItsOwnResults(CancellationToken ct)
    {
        await using var host = ServeHost.Start("1.1.*,2.1,2.2");
        string[] agents = ["alpha", "beta", "gamma"];
        await Task.WhenAll(agents.Select(agent => Task.Run(async () =>
        {
            var count = await AutobahnDriver.GetCaseCountAsync(host.BaseUrl, ct);
            for (var n = 1; n <= count; n++) await AutobahnDriver.RunCaseAsync(host.BaseUrl, n, agent, ct);
        }, ct)));
        // A case run again for the same agent replaces its result.
        await AutobahnDriver.EchoAsync(new Uri($"{host.BaseUrl}/runCase?casetuple=1.1.1&agent=alpha"), ct);
        await AutobahnDriver.UpdateReportsAsync(host.BaseUrl, "alpha", ct);

        host.Server.Agents.Should().BeEquivalentTo(agents);
        var run = host.Server.Snapshot();
        run.Targets.Select(t => t.Target.Agent).Should().BeEquivalentTo(agents);
        run.Targets.Should().OnlyContain(t => t.Cases.Count == host.Server.Cases.Count && t.Cases.All(c => c.Behavior == Behavior.Ok));
        using var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(host.OutputDirectory, "index.json"), ct));
        index.RootElement.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(agents);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task StopServer_WritesTheReportsAndSignalsTheStop(CancellationToken ct)
    {
        await using var host = ServeHost.Start("1.1.1");
        await AutobahnDriver.EchoAsync(new Uri($"{host.BaseUrl}/runCase?case=1&agent=stopper"), ct);
        host.Server.StopRequested.IsCompleted.Should().BeFalse();
        await AutobahnDriver.ReceiveAllAsync(new Uri($"{host.BaseUrl}/stopServer"), ct);
        await host.Server.StopRequested.WaitAsync(TimeSpan.FromSeconds(10), ct);
        File.Exists(Path.Combine(host.OutputDirectory, "results.json")).Should().BeTrue();
        // Nothing changed since: the final write of the CLI is skipped.
        (await host.Server.WriteReportsAsync(onlyIfChanged: true, ct)).Should().BeEmpty();
    }

    [Test]
    public void Agent_NamesAreChecked()
    {
        ServeRequest.CheckAgent("ok agent", 200).Should().BeNull();
        ServeRequest.CheckAgent(null, 200).Should().Contain("missing");
        ServeRequest.CheckAgent(" ", 200).Should().Contain("empty");
        ServeRequest.CheckAgent(new string('a', 201), 200).Should().Contain("longer");
        ServeRequest.CheckAgent("a\nb", 200).Should().Contain("control");
        var parsed = ServeRequest.TryParse("/runCase?case=3&agent=my+client%2F1.0&agent=ignored", out var error);
        error.Should().BeNull();
        parsed!.Path.Should().Be(ServePath.RunCase);
        parsed["case"].Should().Be("3");
        parsed["agent"].Should().Be("my client/1.0");
        Encoding.UTF8.GetByteCount(parsed["agent"]!).Should().Be(13);
    }
}
