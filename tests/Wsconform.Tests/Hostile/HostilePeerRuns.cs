using System.Collections.Concurrent;
using System.Diagnostics;
using Wsconform.Cases;
using Wsconform.Engine;
using Wsconform.Engine.Running;
using Wsconform.Model;
using Wsconform.Reports;
using FluentAssertions.Execution;

namespace Wsconform.Tests.Hostile;

/// <summary>
/// Issue 9: the full catalogue against each hostile peer of <see cref="HostilePeer"/>. The run must complete, every case
/// must have a verdict (ERROR with a reason when it could not run) within its deadline, the run must stay within
/// <see cref="RunBound"/> and the process's managed heap within <see cref="ManagedHeapBound"/>, and the report must render.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HostilePeerRuns
{
    /// <summary>
    /// Short protocol timeouts so sixteen full runs fit in about three minutes. Against a peer that never answers, a run
    /// lasts about 34 of these timeouts whatever Parallel is: the 42 bulk cases (category 9) run two at a time and the 12
    /// round-trip-latency cases (9.7, 9.8) one at a time, by design of TargetRunner's scheduling.
    /// </summary>
    private static readonly ProtocolTimeouts Timeouts = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(0.5));

    private const int Parallel = 64;

    /// <summary>A whole run against one hostile peer finishes within this (most take a few seconds; see the figures).</summary>
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Peak managed heap (GC.GetTotalMemory samples) of the test process during one run. The samples include garbage
    /// not yet collected, and category 9's legitimate 16 MiB transfers (within the run's 256 MiB memory budget) put them
    /// anywhere between 300 and 560 MiB from run to run, so the bound leaves room for that noise. Unbounded growth is
    /// what it must catch: before each case capped what it keeps, the flood peer drove the heap to 2.9 GiB.
    /// </summary>
    private const long ManagedHeapBound = 1024L * 1024 * 1024;

    /// <summary>Slack on top of a case's own deadline for scheduling on a loaded 2-core machine.</summary>
    private static readonly TimeSpan DurationMargin = TimeSpan.FromSeconds(5);

    private static readonly ConcurrentDictionary<string, string> Figures = new();

    public static IEnumerable<string> PeerNames => HostilePeer.Names;

    [TestCaseSource(nameof(PeerNames))]
    public async Task FullCatalogue_AgainstHostilePeer_CompletesBoundedInTimeAndMemory(string peerName)
    {
        await using var peer = HostilePeer.Start(peerName);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var baselineManaged = GC.GetTotalMemory(false);
        process.Refresh();
        var baselineWorkingSet = process.WorkingSet64;
        long peakManaged = baselineManaged, peakWorkingSet = baselineWorkingSet;

        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                try { await Task.Delay(50, sampling.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
        });

        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        TargetResult target;
        try
        {
            target = await TargetRunner.RunAsync(peer.Target, Catalogue.ForServers, new RunOptions { Parallel = Parallel, Timeouts = Timeouts })
                .WaitAsync(RunBound + TimeSpan.FromSeconds(30));
        }
        finally
        {
            clock.Stop();
            await sampling.CancelAsync();
            await sampler;
        }

        var counts = target.Cases.GroupBy(c => c.Behavior).OrderBy(g => g.Key)
            .Select(g => $"{g.Key.ToAutobahnString()} {g.Count()}");
        var line = $"{peerName,-28} wall {clock.Elapsed.TotalSeconds,6:0.0} s  peak managed {(peakManaged - baselineManaged) / 1048576.0,7:0.0} MiB over baseline "
                   + $"({peakManaged / 1048576.0:0} MiB)  peak working set {peakWorkingSet / 1048576.0,5:0} MiB  connections {peer.Accepted,4}  {string.Join(", ", counts)}";
        var reasons = target.Cases.Where(c => c.Behavior == Behavior.Error).GroupBy(c => c.Result).OrderByDescending(g => g.Count())
            .Take(3).Select(g => $"{g.Count()}x {g.Key}");
        Figures[peerName] = line;
        await TestContext.Out.WriteLineAsync(string.Join(Environment.NewLine, reasons.Select(r => "    " + r)));
        await TestContext.Out.WriteLineAsync(line);

        using (new AssertionScope())
        {
            clock.Elapsed.Should().BeLessThan(RunBound, "a run against a hostile peer must stay bounded in time");
            peakManaged.Should().BeLessThan(ManagedHeapBound, "a hostile peer must not make the harness hold unbounded memory");
            target.Cases.Should().HaveCount(Catalogue.ForServers.Count).And.OnlyContain(c => c != null);
            foreach (var result in target.Cases)
            {
                Enum.IsDefined(result.Behavior).Should().BeTrue($"{result.Id} has a verdict");
                if (result.Behavior == Behavior.Error)
                {
                    result.Result.Should().MatchRegex(@"^The case could not run: \S", $"{result.Id} is ERROR and must say why");
                    result.Result.Should().NotContainAny(["\n", "\r"], $"{result.Id}'s ERROR reason is one line");
                }
                var deadline = CaseDeadline.ForSession(Catalogue.Get(result.Id), Timeouts) + Timeouts.OpenHandshake + DurationMargin;
                result.DurationMs.Should().BeLessThan(deadline.TotalMilliseconds, $"{result.Id} must end within its deadline ({result.Result})");
                result.WireLog.Count.Should().BeLessThanOrEqualTo(Wsconform.Engine.Session.WireRecorder.MaxEntries + 1, $"{result.Id}'s wire log is capped");
            }
        }

        var run = new RunResult
        {
            ToolVersion = ToolInfo.Version,
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            Settings = new RunSettings { Parallel = Parallel },
            Targets = [target],
        };
        var directory = Path.Combine(Path.GetTempPath(), "wsconform-hostile-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = await ReportSet.WriteAllAsync(run, directory);
            written.Select(Path.GetFileName).Should().Contain(["results.json", "index.html"]);
            foreach (var file in written) new FileInfo(file).Length.Should().BePositive($"{file} was written");
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [OneTimeTearDown]
    public async Task PrintFiguresAsync()
    {
        await TestContext.Out.WriteLineAsync($"hostile peers: full catalogue ({Catalogue.ForServers.Count} cases), Parallel {Parallel}, timeouts {Timeouts.OpenHandshake.TotalSeconds}/{Timeouts.CloseHandshake.TotalSeconds}/{Timeouts.ServerConnectionDrop.TotalSeconds} s, bounds: run {RunBound.TotalSeconds} s, managed heap {ManagedHeapBound / 1048576} MiB");
        foreach (var name in HostilePeer.Names)
            if (Figures.TryGetValue(name, out var line)) await TestContext.Out.WriteLineAsync(line);
    }
}

/// <summary>The receive caps that stop a flood (issue 9) sit well above anything a catalogue case expects.</summary>
[TestFixture]
public sealed class HostileReceiveCaps
{
    [Test]
    public void ReceiveCaps_AreFarAboveWhatAnyCatalogueCaseExpects()
    {
        var mostEvents = Catalogue.ForServers.SelectMany(c => c.Expected).Select(o => o.Events.Count).DefaultIfEmpty(0).Max();
        mostEvents.Should().BeLessThan(Wsconform.Engine.Session.CaseSession.MaxReceivedEvents / 10);
    }
}
