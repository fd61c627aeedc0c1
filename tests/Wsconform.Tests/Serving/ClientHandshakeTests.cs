using System.Security.Cryptography;
using Wsconform.Cases;
using Wsconform.Engine.Handshake;
using Wsconform.Model;

namespace Wsconform.Tests.Serving;

/// <summary>
/// The client handshake cases (0.8.x: the client's request; 0.9.x: broken responses it must refuse) against clients written
/// by hand that break exactly one rule each, against the same clients keeping every rule, and against .NET's
/// ClientWebSocket, all through <c>wsconform serve</c>.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class ClientHandshakeTests
{
    private ServeHost _host = null!;

    [OneTimeSetUp]
    public void StartServer() => _host = ServeHost.Start("0.8.*,0.9.*,1.1.1");

    [OneTimeTearDown]
    public async Task StopServer() => await _host.DisposeAsync();

    private int Port => _host.Server.Port;

    /// <summary>A client whose request breaks one rule, the case that judges that rule, and words its result must contain.</summary>
    public sealed record RequestFault(string CaseId, string Name, Func<string, string> Break, string Mentions)
    {
        public override string ToString() => $"{CaseId} {Name}";
    }

    /// <summary>Every request fault: each breaks the rule of its case and keeps the others.</summary>
    public static IReadOnlyList<RequestFault> RequestFaults { get; } =
    [
        new("0.8.1", "HTTP/1.0", r => ReplaceFirst(r, " HTTP/1.1\r\n", " HTTP/1.0\r\n"), "is not HTTP/1.1 or later"),
        new("0.8.1", "a malformed header line", r => ReplaceFirst(r, "Upgrade: websocket\r\n", "Upgrade: websocket\r\nno colon here\r\n"), "malformed header line"),
        new("0.8.2", "no Host", r => RemoveLine(r, "Host:"), "exactly one Host header"),
        new("0.8.3", "no Upgrade", r => RemoveLine(r, "Upgrade:"), "Upgrade: websocket"),
        new("0.8.4", "Connection: keep-alive", r => ReplaceFirst(r, "Connection: Upgrade", "Connection: keep-alive"), "does not contain 'Upgrade'"),
        new("0.8.5", "an 8-octet key", r => ReplaceLine(r, "Sec-WebSocket-Key:", "Sec-WebSocket-Key: AAAAAAAAAAA="), "not the base64 encoding of 16 octets"),
        new("0.8.6", "the RFC's sample key", r => ReplaceLine(r, "Sec-WebSocket-Key:", $"Sec-WebSocket-Key: {ClientHandshakeCases.SampleKey}"), "sample key"),
        new("0.8.7", "version 8", r => ReplaceFirst(r, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"), "is not supported"),
        new("0.8.8", "a frame before the 101", r => r + Latin1(RawClient.MaskedFrame(1, "too early"u8.ToArray())), "octet(s) after its request"),
    ];

    /// <summary>The case IDs some faulty client here shows able to fail (for the catalogue-wide completeness test).</summary>
    public static IEnumerable<string> CaughtCaseIds =>
        RequestFaults.Select(f => f.CaseId).Concat(ClientHandshakeCases.Cases.Where(c => c.Id.StartsWith("0.9.", StringComparison.Ordinal)).Select(c => c.Id));

    private static IEnumerable<string> RequestCaseIds => Catalogue.ForClients.Where(c => c.Id.StartsWith("0.8.", StringComparison.Ordinal)).Select(c => c.Id);
    private static IEnumerable<string> ResponseCaseIds => Catalogue.ForClients.Where(c => c.Id.StartsWith("0.9.", StringComparison.Ordinal)).Select(c => c.Id);

    [TestCaseSource(nameof(RequestFaults))]
    [CancelAfter(30_000)]
    public async Task ARequestBreakingOneRule_FailsTheCaseOfThatRule(RequestFault fault, CancellationToken ct)
    {
        var agent = $"faulty {fault.CaseId} {fault.Name}";
        await RunRawAsync(fault.CaseId, agent, fault.Break, ct);

        var result = await _host.Server.WaitForResultAsync(agent, fault.CaseId, TimeSpan.FromSeconds(15), ct);
        result.Should().NotBeNull();
        result!.Behavior.Should().Be(Behavior.Failed, result.Result);
        result.Result.Should().Contain(fault.Mentions);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task TheSameClientKeepingEveryRule_PassesEveryRequestCase(CancellationToken ct)
    {
        const string agent = "raw client, valid requests";
        foreach (var id in RequestCaseIds)
        {
            await RunRawAsync(id, agent, request => request, ct);
            var result = await _host.Server.WaitForResultAsync(agent, id, TimeSpan.FromSeconds(15), ct);
            result.Should().NotBeNull(id);
            result!.Behavior.Should().Be(Behavior.Ok, $"{id}: {result.Result}");
            result.BehaviorClose.Should().Be(CloseBehavior.Ok, $"{id}: {result.ResultClose}");
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AKeyUsedTwice_FailsTheFreshKeyCaseTheSecondTime(CancellationToken ct)
    {
        var key = NewKey();
        await RunRawAsync("0.8.6", "reuses its key", request => ReplaceLine(request, "Sec-WebSocket-Key:", $"Sec-WebSocket-Key: {key}"), ct);
        var first = await _host.Server.WaitForResultAsync("reuses its key", "0.8.6", TimeSpan.FromSeconds(15), ct);
        first!.Behavior.Should().Be(Behavior.Ok, "the key is new the first time: " + first.Result);

        await RunRawAsync("0.8.6", "reuses its key, again", request => ReplaceLine(request, "Sec-WebSocket-Key:", $"Sec-WebSocket-Key: {key}"), ct);
        var second = await _host.Server.WaitForResultAsync("reuses its key, again", "0.8.6", TimeSpan.FromSeconds(15), ct);
        second!.Behavior.Should().Be(Behavior.Failed);
        second.Result.Should().Contain("an earlier connection to this server used already");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ABrokenRequest_FailsAnyOtherCase_RefusedWith400AsAServerMust(CancellationToken ct)
    {
        await using var client = await RawClient.ConnectAsync(Port, ct);
        await client.SendAsync(RemoveLine(ValidRequest("1.1.1", "no host"), "Host:"), ct);
        var answer = await client.ReadToEndAsync(ct);

        answer.Should().StartWith("HTTP/1.1 400 Bad Request");
        var result = await _host.Server.WaitForResultAsync("no host", "1.1.1", TimeSpan.FromSeconds(15), ct);
        result!.Behavior.Should().Be(Behavior.Failed);
        result.Result.Should().Contain("breaks RFC 6455 §4.1").And.Contain("Host");
        result.HandshakeResponse.Should().StartWith("HTTP/1.1 400");
    }

    /// <summary>How a hand-written client treats the response, and the verdict every 0.9.x case must give it.</summary>
    public sealed record ResponseClient(string Name, Func<RawClient, string, string, CancellationToken, Task> Handle, Behavior Verdict, CloseBehavior Close, string Mentions)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<ResponseClient> ResponseClients { get; } =
    [
        // Checks nothing and echoes: it accepts every broken response.
        new("gullible", async (client, _, _, ct) => await client.EchoUntilCloseAsync(ct), Behavior.Failed, CloseBehavior.Failed, "accepted the broken response"),
        // Checks the response as RFC 6455 §4.1 says (with the harness's own client check) and closes TCP when it is wrong.
        new("strict", async (client, head, key, ct) =>
        {
            if (Problem(head, key) is null) await client.EchoUntilCloseAsync(ct);
        }, Behavior.Ok, CloseBehavior.Ok, "closed TCP without sending a frame"),
        // Checks the response but refuses it with a Close frame, as if the connection were open.
        new("refuses with a Close frame", async (client, head, key, ct) =>
        {
            if (Problem(head, key) is null)
            {
                await client.EchoUntilCloseAsync(ct);
                return;
            }
            await client.SendAsync(RawClient.MaskedFrame(8, [0x03, 0xEA]), ct);
            await client.WaitForServerCloseAsync(ct);
        }, Behavior.NonStrict, CloseBehavior.Ok, "by sending a Close frame (code 1002)"),
        // Notices nothing and says nothing: the connection hangs until the harness gives up.
        new("silent", async (client, _, _, ct) => await client.WaitForServerCloseAsync(ct), Behavior.Failed, CloseBehavior.Failed, "did not fail the connection"),
    ];

    [TestCaseSource(nameof(ResponseClients))]
    [CancelAfter(90_000)]
    public async Task EveryBrokenResponse_IsJudgedByHowTheClientEndsTheConnection(ResponseClient client, CancellationToken ct)
    {
        var agent = $"response client {client.Name}";
        foreach (var id in ResponseCaseIds)
        {
            await using (var raw = await RawClient.ConnectAsync(Port, ct))
            {
                var key = NewKey();
                await raw.SendAsync(ValidRequest(id, agent, key), ct);
                var head = await raw.ReadHeadAsync(ct);
                await client.Handle(raw, head, key, ct);
            }
            var result = await _host.Server.WaitForResultAsync(agent, id, TimeSpan.FromSeconds(15), ct);
            result.Should().NotBeNull(id);
            result!.Behavior.Should().Be(client.Verdict, $"{id}: {result.Result}");
            result.BehaviorClose.Should().Be(client.Close, $"{id}: {result.ResultClose}");
            result.Result.Should().Contain(client.Mentions, id);
        }
    }

    /// <summary>
    /// .NET's ClientWebSocket (SDK 10) ignores a Sec-WebSocket-Extensions header naming an extension it never offered and
    /// uses the connection (RFC 6455 §4.1 says it must fail it); every other check holds.
    /// </summary>
    private static readonly Dictionary<string, Behavior> DotNetDeviations = new(StringComparer.Ordinal) { ["0.9.8"] = Behavior.Failed };

    [Test]
    [CancelAfter(60_000)]
    public async Task DotNetClientWebSocket_SendsAValidRequest_AndRefusesEveryBrokenResponseButAnUnofferedExtension(CancellationToken ct)
    {
        const string agent = "dotnet ClientWebSocket";
        foreach (var id in RequestCaseIds.Concat(ResponseCaseIds))
            await AutobahnDriver.EchoAsync(new Uri($"{_host.BaseUrl}/runCase?casetuple={id}&agent={Uri.EscapeDataString(agent)}"), ct);

        foreach (var id in RequestCaseIds.Concat(ResponseCaseIds))
        {
            var result = await _host.Server.WaitForResultAsync(agent, id, TimeSpan.FromSeconds(15), ct);
            result.Should().NotBeNull(id);
            TestContext.Out.WriteLine($"{id}: {result!.Behavior.ToAutobahnString()} / {result.BehaviorClose.ToAutobahnString()}: {result.Result}");
            result.Behavior.Should().Be(DotNetDeviations.GetValueOrDefault(id, Behavior.Ok), $"{id}: {result.Result}");
        }
    }

    private async Task RunRawAsync(string caseId, string agent, Func<string, string> shape, CancellationToken ct)
    {
        await using var client = await RawClient.ConnectAsync(Port, ct);
        await client.SendAsync(shape(ValidRequest(caseId, agent)), ct);
        var head = await client.ReadHeadAsync(ct);
        if (head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal)) await client.EchoUntilCloseAsync(ct);
        else await client.ReadToEndAsync(ct);
    }

    private string ValidRequest(string caseId, string agent, string? key = null) =>
        RawClient.UpgradeRequest($"/runCase?casetuple={caseId}&agent={Uri.EscapeDataString(agent)}", Port, key ?? NewKey());

    private static string? Problem(string head, string key) =>
        ClientHandshake.Validate(HttpHead.Parse(System.Text.Encoding.Latin1.GetBytes(head)), key, [], []);

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    private static string Latin1(byte[] octets) => System.Text.Encoding.Latin1.GetString(octets);

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var index = text.IndexOf(old, StringComparison.Ordinal);
        index.Should().BeGreaterThanOrEqualTo(0, $"the request contains '{old}'");
        return text[..index] + replacement + text[(index + old.Length)..];
    }

    private static string RemoveLine(string request, string prefix) => ReplaceLine(request, prefix, null);

    private static string ReplaceLine(string request, string prefix, string? replacement)
    {
        var lines = request.Split("\r\n").ToList();
        var index = lines.FindIndex(l => l.StartsWith(prefix, StringComparison.Ordinal));
        index.Should().BeGreaterThan(0, $"the request has a '{prefix}' line");
        if (replacement is null) lines.RemoveAt(index);
        else lines[index] = replacement;
        return string.Join("\r\n", lines);
    }
}
