using Wsconform.Engine.Scripting;

namespace Wsconform.Engine.Running;

/// <summary>
/// Limits how many big-message cases are in flight at once, by the memory they may need. Waiters are served in
/// arrival order, and a case needing more than the whole budget still runs, alone, so nothing can starve.
/// </summary>
public sealed class MemoryBudget(long bytes)
{
    private readonly object _gate = new();
    private readonly Queue<(long Need, TaskCompletionSource Ready)> _waiters = new();
    private long _available = bytes;

    public long Capacity { get; } = bytes;

    /// <summary>
    /// Memory a case may hold at once: twice its largest message (the echo it receives, in a buffer that grows as the
    /// octets arrive). What it sends costs nothing here: generated payloads are streamed in small chunks. Cases with
    /// small messages need nothing from the budget.
    /// </summary>
    public static long WeightOf(ConformanceCase conformanceCase)
    {
        long largest = 0;
        foreach (var step in conformanceCase.Script)
        {
            long size = step switch
            {
                RoundTrips trial => trial.Payload.Length,
                SendMessage message => message.Payload.Length,
                SendFrame frame => frame.Frame.Payload.Length,
                // The decompressed echo of a compressed message is kept whole to compare it.
                SendCompressed message => message.Message.Length,
                _ => 0,
            };
            largest = Math.Max(largest, size);
        }
        return largest < SmallMessage ? 0 : 2 * largest;
    }

    /// <summary>Messages below this size are not worth accounting for.</summary>
    private const long SmallMessage = 1024 * 1024;

    public async Task<IDisposable> AcquireAsync(long need, CancellationToken cancellationToken)
    {
        need = Math.Min(need, Capacity);
        if (need <= 0) return Lease.None;
        TaskCompletionSource ready;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _available >= need)
            {
                _available -= need;
                return new Lease(this, need);
            }
            ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue((need, ready));
        }
        await ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(this, need);
    }

    private void Release(long amount)
    {
        var wake = new List<TaskCompletionSource>();
        lock (_gate)
        {
            _available += amount;
            while (_waiters.TryPeek(out var next) && _available >= next.Need)
            {
                _waiters.Dequeue();
                _available -= next.Need;
                wake.Add(next.Ready);
            }
        }
        foreach (var ready in wake) ready.TrySetResult();
    }

    private sealed class Lease(MemoryBudget? budget, long amount) : IDisposable
    {
        public static readonly Lease None = new(null, 0);
        private int _released;

        public void Dispose()
        {
            if (budget is not null && Interlocked.Exchange(ref _released, 1) == 0) budget.Release(amount);
        }
    }
}
