using Wsconform.Model;
using Wsconform.Tests.Peers;

namespace Wsconform.Tests.Conformance;

/// <summary>
/// Every case against the strict reference server (the faulty server with no fault): a conforming peer must get OK on
/// both verdicts, or INFORMATIONAL where the case is informational. This is the "can pass" half of every case.
/// Of the compression trials (12.x, 13.x) only rows 1–6 run here (messages up to 8 KiB): with both ends in this process
/// the 216 trials cost about ten minutes of CPU on two cores. Rows 7–18 pass against Node ws with deflate in
/// <see cref="InteropTests"/>, which runs all 216.
/// </summary>
[TestFixture]
public class FaultlessPeerTests
{
    private FaultyServer _server = null!;
    private IReadOnlyDictionary<string, CaseResult> _results = null!;

    [OneTimeSetUp]
    public async Task RunCatalogueOnceAsync()
    {
        _server = FaultyServer.Start(ServerFault.None);
        _results = await CatalogueRuns.RunAsync(_server.Url, CatalogueRuns.WithSmallCompressionTrials);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCaseSource(typeof(CatalogueRuns), nameof(CatalogueRuns.WithSmallCompressionTrials))]
    public void Case_AgainstConformingPeer_Passes(string id)
    {
        var result = _results[id];
        var expected = CatalogueRuns.IsInformational(id) ? (Behavior.Informational, CloseBehavior.Informational) : (Behavior.Ok, CloseBehavior.Ok);
        (result.Behavior, result.BehaviorClose).Should().Be(expected, CatalogueRuns.Explain(result));
        result.Violations.Should().BeEmpty("a conforming peer breaks no rule");
    }
}
