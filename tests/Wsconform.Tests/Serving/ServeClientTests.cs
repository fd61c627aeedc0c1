using System.Net.WebSockets;
using System.Text.Json;
using Wsconform.Model;

namespace Wsconform.Tests.Serving;

/// <summary>
/// <c>wsconform serve</c> driven as Autobahn's fuzzingserver is: a driver written from Autobahn's documentation runs a
/// selection against .NET's <see cref="ClientWebSocket"/> and asks for the reports.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class ServeClientTests
{
    private const string Agent = "dotnet ClientWebSocket";

    [Test]
    [CancelAfter(240_000)]
    public async Task DotNetClientWebSocket_PassesFramingPingsFragmentationAndClose_AndUpdateReportsWritesThem(CancellationToken ct)
    {
        await using var host = ServeHost.Start("1.*,2.*,5.*,7.1.*");
        var ends = await AutobahnDriver.RunAllAsync(host.BaseUrl, Agent, ct);

        ends.Should().HaveCount(host.Server.Cases.Count).And.HaveCount(16 + 11 + 20 + 6);
        var results = host.Server.Cases.Select(c => host.Server.ResultOf(Agent, c.Id)).ToList();
        foreach (var (result, end) in results.Zip(ends))
            TestContext.Out.WriteLine($"{result?.Id}: {result?.Behavior.ToAutobahnString()} / {result?.BehaviorClose.ToAutobahnString()} (client: {end})");
        results.Should().NotContainNulls("updateReports waits for the last case to be stored");

        // Every case passes; 7.1.6 (a message after the harness's Close) is INFORMATIONAL by rule, as in Autobahn.
        var unexpected = results
            .Where(r => r!.Id == "7.1.6"
                ? r is not { Behavior: Behavior.Informational, BehaviorClose: CloseBehavior.Informational }
                : r is not { Behavior: Behavior.Ok, BehaviorClose: CloseBehavior.Ok })
            .Select(r => $"{r!.Id}: {r.Behavior.ToAutobahnString()} / {r.BehaviorClose.ToAutobahnString()}: {r.Result} {r.ResultClose}");
        unexpected.Should().BeEmpty();
        // The client masks (no violation), and the cases where it must fail the connection saw it do so with 1002.
        results.Should().OnlyContain(r => r!.Violations.Count == 0);
        results.Where(r => r!.Id is "2.5" or "5.1" or "5.9" or "5.18").Should().OnlyContain(r => r!.Close.RemoteCloseCode == 1002 && !r.Close.ClosedByMe);

        // updateReports wrote results.json, index.html and Autobahn's index.json for the agent.
        using var resultsJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(host.OutputDirectory, "results.json"), ct));
        var target = resultsJson.RootElement.GetProperty("targets").EnumerateArray().Single();
        target.GetProperty("agent").GetString().Should().Be(Agent);
        target.GetProperty("url").GetString().Should().Be($"client:{Agent}");
        target.GetProperty("cases").GetArrayLength().Should().Be(host.Server.Cases.Count);
        using var index = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(host.OutputDirectory, "index.json"), ct));
        var agentIndex = index.RootElement.GetProperty(Agent);
        agentIndex.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(host.Server.Cases.Select(c => c.Id));
        agentIndex.GetProperty("1.1.1").GetProperty("behavior").GetString().Should().Be("OK");
        File.Exists(Path.Combine(host.OutputDirectory, "index.html")).Should().BeTrue();
        using var caseReport = JsonDocument.Parse(await File.ReadAllTextAsync(
            Path.Combine(host.OutputDirectory, "dotnet_clientwebsocket_case_1_1_1.json"), ct));
        caseReport.RootElement.GetProperty("isServer").GetBoolean().Should().BeTrue("Autobahn's fuzzingserver reports say so");
        caseReport.RootElement.GetProperty("httpRequest").GetString().Should().StartWith("GET /runCase?case=1&agent=dotnet%20ClientWebSocket HTTP/1.1");
        host.Lines.Should().Contain($"agent {Agent}: 1.1.1 OK / OK");
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task Compression_AcceptsTheClientsOffer_MirrorsCategory13_AndIsUnimplementedWithoutAnOffer(CancellationToken ct)
    {
        await using var host = ServeHost.Start("12.1.1,13.5.1,15.1.2,15.3.2");
        static void Deflate(ClientWebSocketOptions o) => o.DangerousDeflateOptions = new WebSocketDeflateOptions();
        await AutobahnDriver.RunAllAsync(host.BaseUrl, "deflate", ct, Deflate);
        await AutobahnDriver.EchoAsync(new Uri($"{host.BaseUrl}/runCase?casetuple=12.1.1&agent=plain"), ct);

        var trial = await host.Server.WaitForResultAsync("deflate", "12.1.1", TimeSpan.FromSeconds(30), ct);
        trial!.Behavior.Should().Be(Behavior.Ok, trial.Result);
        trial.Compression!.Agreement.Should().Be("permessage-deflate");

        // 13.5 asks the client for no context takeover and a 9-bit window (Autobahn's fuzzingserver does the same).
        var mirrored = await host.Server.WaitForResultAsync("deflate", "13.5.1", TimeSpan.FromSeconds(30), ct);
        mirrored!.Behavior.Should().Be(Behavior.Ok, mirrored.Result);
        mirrored.Compression!.Agreement.Should().Be("permessage-deflate; client_no_context_takeover; client_max_window_bits=9");

        var noContext = await host.Server.WaitForResultAsync("deflate", "15.3.2", TimeSpan.FromSeconds(30), ct);
        noContext!.Behavior.Should().Be(Behavior.Ok, noContext.Result);

        // A .NET deviation (SDK 10): with permessage-deflate agreed, ClientWebSocket answers a ping that has RSV1 set
        // with a pong instead of failing the connection (RFC 7692 §6.1, RFC 6455 §5.2); the harness's kill timer ends it.
        var rsv1Ping = await host.Server.WaitForResultAsync("deflate", "15.1.2", TimeSpan.FromSeconds(30), ct);
        rsv1Ping!.Behavior.Should().Be(Behavior.Failed);
        rsv1Ping.Received.Should().ContainSingle().Which.Kind.Should().Be(EventKind.Pong);
        rsv1Ping.Close.LocalCloseCode.Should().Be(1001, "the kill timer failed the connection with Going Away");

        // Without an offer the case does not apply: UNIMPLEMENTED, closed at once with 1000 (as CaseRunner does for servers).
        var plain = await host.Server.WaitForResultAsync("plain", "12.1.1", TimeSpan.FromSeconds(30), ct);
        plain!.Behavior.Should().Be(Behavior.Unimplemented);
        plain.BehaviorClose.Should().Be(CloseBehavior.Ok);
        plain.Result.Should().Contain("did not offer permessage-deflate");
        plain.Close.LocalCloseCode.Should().Be(1000);
        plain.HandshakeResponse.Should().NotContain("Sec-WebSocket-Extensions");
    }
}
