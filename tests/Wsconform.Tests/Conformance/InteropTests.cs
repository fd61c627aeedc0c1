using Wsconform.Echo;
using Wsconform.Model;
using Wsconform.Tests.Peers;

namespace Wsconform.Tests.Conformance;

/// <summary>
/// The catalogue against real implementations nobody on this project wrote: the built-in Kestrel echo server
/// (ASP.NET Core's managed WebSocket), python websockets and Node ws. Their verdicts are the ones Autobahn publishes for
/// them; every verdict is checked against a per-peer table so a change in the harness that moves a verdict shows up.
/// </summary>
public class InteropTests
{
    /// <summary>A verdict a peer is known to get on a case other than OK, and why (from its recorded exchange).</summary>
    private sealed record Known(Behavior[] Behaviors, CloseBehavior Close, string Why);

    private static IEnumerable<KeyValuePair<string, Known>> NonStrict(string why, params string[] ids) =>
        ids.Select(id => KeyValuePair.Create(id, new Known([Behavior.NonStrict], CloseBehavior.Ok, why)));

    /// <summary>
    /// Cases whose outcome depends on timing (Autobahn issue #38): a peer that fails the connection before its echo of
    /// the preceding valid frame leaves the socket gets NON-STRICT instead of OK.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, Known>> RaceDependent(string why) =>
        new[] { "3.2", "3.3", "3.4", "4.1.3", "4.1.4", "4.1.5", "4.2.3", "4.2.4", "4.2.5", "5.15" }
            .Select(id => KeyValuePair.Create(id, new Known([Behavior.Ok, Behavior.NonStrict], CloseBehavior.Ok, why)));

    private static IEnumerable<KeyValuePair<string, Known>> Failed(string why, params string[] ids) =>
        ids.Select(id => KeyValuePair.Create(id, new Known([Behavior.Failed], CloseBehavior.Ok, why)));

    private static IEnumerable<KeyValuePair<string, Known>> WrongCode(string why, params string[] ids) =>
        ids.Select(id => KeyValuePair.Create(id, new Known([Behavior.Ok], CloseBehavior.WrongCode, why)));

    /// <summary>The IDs of the compression categories (12, 13, 15): they need permessage-deflate (RFC 7692).</summary>
    private static readonly string[] CompressionIds =
        CatalogueRuns.AllIds.Where(id => id.StartsWith("12.", StringComparison.Ordinal) || id.StartsWith("13.", StringComparison.Ordinal)
                                         || id.StartsWith("15.", StringComparison.Ordinal)).ToArray();

    /// <summary>A peer that does not negotiate permessage-deflate: every compression case is UNIMPLEMENTED, as in Autobahn.</summary>
    private static IEnumerable<KeyValuePair<string, Known>> NoCompression() =>
        CompressionIds.Select(id => KeyValuePair.Create(id, new Known([Behavior.Unimplemented], CloseBehavior.Ok, "does not accept permessage-deflate")));

    /// <summary>Category 0.4.2-0.4.4: a 400 refusal without Sec-WebSocket-Version is NON-STRICT (RFC 6455 §4.2.2, §4.4).</summary>
    private static IEnumerable<KeyValuePair<string, Known>> RefusesVersionWithoutListingIt(params string[] ids) =>
        NonStrict("answers an unsupported version with 400 and no Sec-WebSocket-Version header listing 13", ids);

    /// <summary>
    /// ASP.NET Core's managed WebSocket checks UTF-8 per completed frame, so a bad octet inside one frame is only caught at
    /// its end. Its handshake upgrades an HTTP/1.0 request and a repeated or listed Sec-WebSocket-Version, and refuses
    /// other versions with a bare 400.
    /// </summary>
    private static readonly Dictionary<string, Known> Kestrel = new(
        NonStrict("fails on invalid UTF-8 only once the frame is complete", "6.4.3", "6.4.4")
        .Concat(Failed("upgrades (101) a GET request line with HTTP/1.0", "0.3.11"))
        .Concat(Failed("upgrades (101) a request whose Sec-WebSocket-Version is '13, 8' or appears twice", "0.4.5", "0.4.6"))
        .Concat(RefusesVersionWithoutListingIt("0.4.2", "0.4.3", "0.4.4"))
        .Concat(NoCompression()));

    /// <summary>
    /// ws checks UTF-8 once per message; since 8.x it also refuses messages of more than 16384 fragments with 1008. Its
    /// handshake upgrades HTTP/1.0, a request without Host and version 8; it answers a length with the top bit set with 1009.
    /// </summary>
    private static readonly Dictionary<string, Known> NodeWs = new(
        NonStrict("validates UTF-8 once the whole message is in", "6.4.1", "6.4.2", "6.4.3", "6.4.4")
        .Concat(new[] { "9.3.1", "9.3.2", "9.4.1", "9.4.2" }.Select(id => KeyValuePair.Create(id,
            new Known([Behavior.Failed], CloseBehavior.Failed, "ws refuses more than 16384 fragments per message (maxFragments) with 1008"))))
        .Concat(Failed("upgrades (101) a GET request line with HTTP/1.0", "0.3.11"))
        .Concat(Failed("upgrades (101) a request without Host", "0.3.12"))
        // ws speaks versions 8 and 13, which RFC 6455 §4.4 allows: 0.4.2 records it as informational.
        .Append(KeyValuePair.Create("0.4.2", new Known([Behavior.Informational], CloseBehavior.Ok, "upgrades (101) Sec-WebSocket-Version: 8, a draft version ws still speaks")))
        .Concat(WrongCode("fails a 64-bit length with the top bit set with 1009 (too big), not 1002", "14.2.3"))
        .Concat(NoCompression()));

    /// <summary>The same ws with permessage-deflate on (threshold 0: every message compressed): every compression case passes.</summary>
    private static readonly Dictionary<string, Known> NodeWsDeflate = new();

    /// <summary>
    /// python websockets checks UTF-8 per frame and fails the connection before echoing frames still queued. Its handshake
    /// upgrades a request without Host and refuses other versions with a bare 400; a length with the top bit set gets 1009.
    /// </summary>
    private static readonly Dictionary<string, Known> PythonWebsockets = new(
        NonStrict("fails on invalid UTF-8 only once the frame is complete", "6.4.3", "6.4.4")
        .Concat(RaceDependent("fails the connection before its echo of the preceding valid frame is sent"))
        .Concat(Failed("upgrades (101) a request without Host", "0.3.12"))
        .Concat(RefusesVersionWithoutListingIt("0.4.2", "0.4.3", "0.4.4"))
        .Concat(WrongCode("fails a 64-bit length with the top bit set with 1009 (too big), not 1002", "14.2.3")));

    [Test]
    public async Task BuiltInKestrelServer_GetsItsKnownVerdicts()
    {
        await using var server = await EchoServer.StartAsync();
        AssertVerdicts(await CatalogueRuns.RunAsync(server.Url, CatalogueRuns.WithSmallCompressionTrials), Kestrel, CatalogueRuns.WithSmallCompressionTrials.Count);
    }

    /// <summary>
    /// The built-in server with ASP.NET Core's permessage-deflate turned on: the compression categories with the small
    /// trial rows. System.Net.WebSockets does not check RSV1 on control frames once compression is agreed.
    /// </summary>
    [Test]
    public async Task BuiltInKestrelServerWithCompression_GetsItsKnownCompressionVerdicts()
    {
        var ids = CompressionIds.Where(id => !CatalogueRuns.IsLargeCompressionTrial(id)).ToArray();
        await using var server = await EchoServer.StartWithCompressionAsync();
        AssertVerdicts(await CatalogueRuns.RunAsync(server.Url, ids), KestrelWithCompression, ids.Length);
    }

    private static readonly Dictionary<string, Known> KestrelWithCompression = new(
        [KeyValuePair.Create("15.1.2", new Known([Behavior.Failed], CloseBehavior.Failed,
            "answers a ping with RSV1 set with a pong instead of failing the connection (RFC 7692 §6.1)"))]);

    [Test]
    public Task NodeWs_GetsItsKnownVerdicts() => RunSharedTargetAsync("node-ws", 9102, NodeWs);

    /// <summary>Only the compression categories: everything else is the plain node-ws run above, on the same library.</summary>
    [Test]
    public Task NodeWsWithDeflate_PassesEveryCompressionCase() => RunSharedTargetAsync("node-ws-deflate", 9103, NodeWsDeflate, CompressionIds);

    [Test]
    public Task PythonWebsockets_GetsItsKnownVerdicts() =>
        RunSharedTargetAsync("python-websockets", 9101, PythonWebsockets, CatalogueRuns.WithSmallCompressionTrials);

    private static async Task RunSharedTargetAsync(string name, int port, IReadOnlyDictionary<string, Known> known, IReadOnlyCollection<string>? ids = null)
    {
        var url = await SharedTargets.StartAsync(name, port);
        try
        {
            AssertVerdicts(await CatalogueRuns.RunAsync(url, ids), known, ids?.Count);
        }
        finally
        {
            await SharedTargets.StopAsync(name);
        }
    }

    private static void AssertVerdicts(IReadOnlyDictionary<string, CaseResult> results, IReadOnlyDictionary<string, Known> known, int? count = null)
    {
        results.Should().HaveCount(count ?? CatalogueRuns.AllIds.Count());
        using var scope = new FluentAssertions.Execution.AssertionScope();
        foreach (var result in results.Values)
        {
            var explanation = CatalogueRuns.Explain(result);
            if (CatalogueRuns.IsInformational(result.Id))
            {
                (result.Behavior, result.BehaviorClose).Should().Be((Behavior.Informational, CloseBehavior.Informational), explanation);
                continue;
            }
            var expected = known.GetValueOrDefault(result.Id) ?? new Known([Behavior.Ok], CloseBehavior.Ok, "conforming behaviour");
            result.Behavior.Should().BeOneOf(expected.Behaviors, $"{expected.Why}: {explanation}");
            result.BehaviorClose.Should().Be(expected.Close, $"{expected.Why}: {explanation}");
            result.Violations.Should().BeEmpty(explanation);
        }
    }
}
