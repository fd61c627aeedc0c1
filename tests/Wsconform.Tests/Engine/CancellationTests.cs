using System.Collections.Concurrent;
using Wsconform.Cases;
using Wsconform.Echo;
using Wsconform.Engine.Running;
using Wsconform.Model;

namespace Wsconform.Tests.Engine;

/// <summary>Ctrl+C abandons the cases in flight: no verdict for what the harness itself cut short.</summary>
[TestFixture]
public sealed class CancellationTests
{
    private EchoServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await EchoServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    [CancelAfter(30_000)]
    public async Task CaseRunner_CancelledInTheMiddleOfACase_ThrowsInsteadOfJudgingTheDroppedConnection()
    {
        // 5.19 pauses for a second between its parts: cancelled in that pause, the session drops the connection, which
        // must not be judged (it would be an ERROR for the case deadline).
        var paused = Catalogue.All.Single(c => c.Id == "5.19");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var act = () => CaseRunner.RunAsync(paused, new TargetOptions { Url = _server.Url }, ProtocolTimeouts.Autobahn, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task TargetRunner_Cancelled_ThrowsAndReportsOnlyTheCasesThatFinished()
    {
        var cases = Catalogue.All.Where(c => c.Id.StartsWith("5.", StringComparison.Ordinal) || c.Id.StartsWith("6.4.", StringComparison.Ordinal)).ToList();
        var reported = new ConcurrentQueue<CaseResult>();
        using var cancel = new CancellationTokenSource();
        var progress = new Reporter(result =>
        {
            reported.Enqueue(result);
            if (reported.Count == 3) cancel.Cancel();
        });

        var act = () => TargetRunner.RunAsync(new TargetOptions { Url = _server.Url }, cases, new RunOptions { Parallel = 2 }, progress, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        reported.Count.Should().BeLessThan(cases.Count, "the run stopped");
        reported.Where(r => r.Behavior == Behavior.Error).Select(r => $"{r.Id}: {r.Result}").Should().BeEmpty("abandoned cases are not reported");
    }

    /// <summary>Reports on the calling thread, as the CLI's progress does.</summary>
    private sealed class Reporter(Action<CaseResult> report) : IProgress<CaseResult>
    {
        public void Report(CaseResult value) => report(value);
    }
}
