using System.Collections.Concurrent;
using System.Text;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Running;

/// <summary>Runs a list of cases against one target, concurrently up to <see cref="RunOptions.Parallel"/>.</summary>
public static class TargetRunner
{
    /// <summary>
    /// Runs every case on a fresh connection, each under a hard deadline, and returns the results in case ID order.
    /// Never throws for anything the peer does: a case that cannot run becomes an ERROR result.
    /// </summary>
    /// <param name="progress">Told about each case as it finishes (from any thread).</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled: the cases in flight
    /// were abandoned without a result, and have all ended when this is thrown. <paramref name="progress"/> has been told
    /// about every case that finished before.</exception>
    public static async Task<TargetResult> RunAsync(TargetOptions target, IReadOnlyList<ConformanceCase> cases, RunOptions options,
        IProgress<CaseResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Parallel, 1);
        var ordered = cases.OrderBy(c => c.Id, CaseIds.NumericOrder).ToArray();
        var results = new CaseResult[ordered.Length];
        var phase = new RunPhaseClock();
        var budget = new MemoryBudget(options.MemoryBudgetBytes);
        var slots = new SemaphoreSlim(options.Parallel, options.Parallel);
        var bulkSlots = new SemaphoreSlim(BulkParallel, BulkParallel);
        var compressionSlots = new SemaphoreSlim(CompressionParallel, CompressionParallel);

        async Task RunOneAsync(int index)
        {
            var bulk = SchedulingClassOf(ordered[index]) switch
            {
                SchedulingClass.Bulk => bulkSlots,
                SchedulingClass.Compression => compressionSlots,
                _ => null,
            };
            if (bulk is not null) await bulk.WaitAsync(cancellationToken).ConfigureAwait(false);
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var memory = await budget.AcquireAsync(MemoryBudget.WeightOf(ordered[index]), cancellationToken).ConfigureAwait(false);
                phase.CaseStarted();
                var result = await CaseRunner.RunAsync(ordered[index], target, options.Timeouts, cancellationToken).ConfigureAwait(false);
                phase.CaseEnded();
                results[index] = result;
                progress?.Report(result);
            }
            finally
            {
                slots.Release();
                bulk?.Release();
            }
        }

        Task RunAllAsync(IEnumerable<int> indices) => Task.WhenAll(indices.Select(RunOneAsync));

        // Scheduling keeps timing honest without making the run long (see SchedulingClass):
        // the quick cases and the cases with fixed waits start together; the bulk transfers start once the quick cases
        // are done, so a 16 MiB echo never delays a case with a 1 s timer, and overlap only the idle waits of 5.19/6.4.x;
        // the round-trip-latency cases run last, one at a time, on a quiet machine.
        var byClass = Enumerable.Range(0, ordered.Length).ToLookup(i => SchedulingClassOf(ordered[i]));
        var waiting = RunAllAsync(byClass[SchedulingClass.FixedWaits]);
        try
        {
            await RunAllAsync(byClass[SchedulingClass.Quick]).ConfigureAwait(false);
            await RunAllAsync(byClass[SchedulingClass.Bulk].OrderByDescending(i => MemoryBudget.WeightOf(ordered[i]))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The waiting cases are abandoned too; they end before this throws, so no case of the run reports after it.
            await waiting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        await waiting.ConfigureAwait(false);
        ReleaseBulkMemory();
        await RunAllAsync(byClass[SchedulingClass.Compression]).ConfigureAwait(false);
        foreach (var index in byClass[SchedulingClass.Apart]) await RunOneAsync(index).ConfigureAwait(false);

        return Assemble(target, results, Math.Round(phase.ElapsedMs, 3));
    }

    /// <summary>
    /// The target's result from its case results (in any order; returned in case ID order): the agent is the configured
    /// one, else the first Server header a case saw, else host:port. Also used for a target whose cases came from several
    /// sessions (a resumed run) or whose run was interrupted.
    /// </summary>
    public static TargetResult Assemble(TargetOptions target, IEnumerable<CaseResult> cases, double runPhaseMs)
    {
        ArgumentNullException.ThrowIfNull(target);
        var ordered = cases.OrderBy(c => c.Id, CaseIds.NumericOrder).ToArray();
        var serverHeader = ordered.Select(r => ServerHeaderOf(r.HandshakeResponse)).FirstOrDefault(h => h is not null);
        var agent = target.Agent ?? serverHeader ?? $"{target.Url.Host}:{target.Url.Port}";
        return new TargetResult
        {
            Target = new TargetInfo(target.Url.ToString(), agent, serverHeader),
            Cases = ordered,
            RunPhaseMs = runPhaseMs,
        };
    }

    /// <summary>
    /// Bulk transfers (category 9) run at most this many at a time. They measure limits and throughput, not concurrency;
    /// more of them at once only slow each other and, against a single-threaded peer, push its answers to the quick
    /// cases past Autobahn's 1 s windows.
    /// </summary>
    private const int BulkParallel = 2;

    /// <summary>
    /// Compression trials (categories 12, 13) run this many at a time: each is 1000 sequential round trips whose cost is
    /// zlib on both sides, so a few at once keep both cores busy while more only queue behind each other and stretch every
    /// case's 60 s timer.
    /// </summary>
    private const int CompressionParallel = 4;

    /// <summary>How the runner schedules a case.</summary>
    private enum SchedulingClass
    {
        /// <summary>Small messages, over in milliseconds against a healthy peer (most cases).</summary>
        Quick,
        /// <summary>Scripted waits (5.19, 5.20, 6.4.x): long, but idle; they start first since they set the run's length.</summary>
        FixedWaits,
        /// <summary>Messages of 1 MiB and more (category 9): CPU- and memory-heavy, kept away from the quick cases' timers.</summary>
        Bulk,
        /// <summary>Compression trials (12.x, 13.x): CPU-bound on both sides, after the bulk transfers.</summary>
        Compression,
        /// <summary>Cases that must have the machine to themselves (round-trip latency, 9.7/9.8).</summary>
        Apart,
    }

    private static SchedulingClass SchedulingClassOf(ConformanceCase c) =>
        c.RunsApart ? SchedulingClass.Apart
        : MemoryBudget.WeightOf(c) > 0 ? SchedulingClass.Bulk
        : c.Script.Any(step => step is CompressedRoundTrips) ? SchedulingClass.Compression
        : CaseDeadline.ScriptedDelays(c) > TimeSpan.Zero ? SchedulingClass.FixedWaits
        : SchedulingClass.Quick;

    /// <summary>
    /// The bulk transfers leave tens of MiB of large-object garbage (16 MiB messages). Left to itself the collector
    /// grows the heap over it through the compression phase's steady stream of 128 KiB buffers instead of reusing it,
    /// which doubled peak RSS; one compacting collection between the phases hands it back once.
    /// </summary>
    private static void ReleaseBulkMemory()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    internal static string? ServerHeaderOf(string? responseHead)
    {
        if (responseHead is null) return null;
        var end = Handshake.HttpHead.FindEnd(Encoding.Latin1.GetBytes(responseHead));
        var head = Handshake.HttpHead.Parse(Encoding.Latin1.GetBytes(end > 0 ? responseHead : responseHead + "\r\n\r\n"));
        return head.Value("Server");
    }

    /// <summary>From the first case's start to the last case's end, whatever order they run in.</summary>
    private sealed class RunPhaseClock
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private long _firstStartTicks = long.MaxValue;
        private long _lastEndTicks;

        public void CaseStarted()
        {
            var now = _clock.ElapsedTicks;
            long seen;
            while (now < (seen = Interlocked.Read(ref _firstStartTicks)) && Interlocked.CompareExchange(ref _firstStartTicks, now, seen) != seen) { }
        }

        public void CaseEnded()
        {
            var now = _clock.ElapsedTicks;
            long seen;
            while (now > (seen = Interlocked.Read(ref _lastEndTicks)) && Interlocked.CompareExchange(ref _lastEndTicks, now, seen) != seen) { }
        }

        public double ElapsedMs => _lastEndTicks == 0 ? 0 : (_lastEndTicks - _firstStartTicks) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
    }
}

/// <summary>Result of <see cref="TargetProbe.CheckAsync"/>.</summary>
/// <param name="Error">One line naming the problem (DNS, refused, TLS, handshake), or null when the target answered with a valid upgrade.</param>
/// <param name="ServerHeader">The Server header of the response, if any.</param>
public sealed record ProbeResult(string? Error, string? ServerHeader)
{
    public bool Ok => Error is null;
}

/// <summary>One connection attempt before a run, so an unreachable target gets one clear error instead of N ERROR cases.</summary>
public static class TargetProbe
{
    public static async Task<ProbeResult> CheckAsync(TargetOptions target, ProtocolTimeouts timeouts, CancellationToken cancellationToken = default)
    {
        OpenedConnection opened;
        try
        {
            opened = await OpeningHandshake.ConnectAsync(target, timeouts, new WireRecorder(), cancellationToken).ConfigureAwait(false);
        }
        catch (HandshakeException e)
        {
            return new ProbeResult(e.Message, null);
        }
        await using (opened.Connection)
        {
            try
            {
                // Say goodbye properly so the probe does not show up as an error in the target's own logs.
                var close = FrameEncoder.Encode(FrameSpec.Of(Opcode.Close, CloseBody.Build(1000, [])), masked: true, PayloadMask.NewKey());
                using var timeout = new CancellationTokenSource(timeouts.CloseHandshake);
                await opened.Connection.WriteAsync(close, timeout.Token).ConfigureAwait(false);
                var buffer = new byte[256];
                while (await opened.Connection.ReadAsync(buffer, timeout.Token).ConfigureAwait(false) > 0) { }
            }
            catch (Exception e) when (CaseSession.IsConnectionGone(e)) { }
        }
        return new ProbeResult(null, opened.ResponseHead.Value("Server"));
    }
}
