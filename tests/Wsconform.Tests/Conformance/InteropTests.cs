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
    /// <summary>
    /// Cases whose outcome depends on timing (Autobahn issue #38): a peer that fails the connection before its echo of
    /// the preceding valid frame leaves the socket gets NON-STRICT instead of OK. python websockets does, most of the time.
    /// </summary>
    private static readonly string[] RaceDependent = ["3.2", "3.3", "3.4", "4.1.3", "4.1.4", "4.1.5", "4.2.3", "4.2.4", "4.2.5", "5.15"];

    [Test]
    public async Task BuiltInKestrelServer_PassesEveryCase()
    {
        await using var server = await EchoServer.StartAsync();
        AssertVerdicts(await CatalogueRuns.RunAsync(server.Url), nonStrictAllowed: []);
    }

    [Test]
    public async Task NodeWs_PassesEveryCase()
    {
        var url = await SharedTargets.StartAsync("node-ws", 9102);
        try
        {
            AssertVerdicts(await CatalogueRuns.RunAsync(url), nonStrictAllowed: []);
        }
        finally
        {
            await SharedTargets.StopAsync("node-ws");
        }
    }

    [Test]
    public async Task PythonWebsockets_PassesEveryCase_NonStrictOnlyWhereRaceDependent()
    {
        var url = await SharedTargets.StartAsync("python-websockets", 9101);
        try
        {
            AssertVerdicts(await CatalogueRuns.RunAsync(url), nonStrictAllowed: RaceDependent);
        }
        finally
        {
            await SharedTargets.StopAsync("python-websockets");
        }
    }

    private static void AssertVerdicts(IReadOnlyDictionary<string, CaseResult> results, IReadOnlyCollection<string> nonStrictAllowed)
    {
        results.Should().HaveCount(CatalogueRuns.AllIds.Count());
        using var scope = new FluentAssertions.Execution.AssertionScope();
        foreach (var result in results.Values)
        {
            var explanation = CatalogueRuns.Explain(result);
            if (CatalogueRuns.IsInformational(result.Id))
            {
                (result.Behavior, result.BehaviorClose).Should().Be((Behavior.Informational, CloseBehavior.Informational), explanation);
                continue;
            }
            var allowed = nonStrictAllowed.Contains(result.Id) ? new[] { Behavior.Ok, Behavior.NonStrict } : [Behavior.Ok];
            result.Behavior.Should().BeOneOf(allowed, explanation);
            result.BehaviorClose.Should().Be(CloseBehavior.Ok, explanation);
            result.Violations.Should().BeEmpty(explanation);
        }
    }
}
