using Wsconform.Engine.Scripting;
using Wsconform.Model;

namespace Wsconform.Engine.Serving;

/// <summary>
/// The results of serve mode, per agent, in memory (as Autobahn keeps them): a case run again for the same agent replaces
/// the earlier result. Thread-safe; waiters are woken when a result arrives.
/// </summary>
internal sealed class ClientResults(int maxAgents)
{
    private readonly object _gate = new();
    /// <summary>Agents in the order they were first seen.</summary>
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Agent> _agents = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();
    private long _version;
    private int _running;

    private sealed class Agent
    {
        public Dictionary<string, CaseResult> Results { get; } = new(StringComparer.Ordinal);
        public string? UserAgent { get; set; }
        public DateTimeOffset? FirstStarted { get; set; }
        public DateTimeOffset? LastEnded { get; set; }
    }

    /// <summary>Bumped by every stored result, so a report writer can tell whether anything changed since it last wrote.</summary>
    public long Version
    {
        get { lock (_gate) return _version; }
    }

    /// <summary>Agents seen so far (an agent counts once it has started a case), in order of appearance.</summary>
    public IReadOnlyList<string> Agents
    {
        get { lock (_gate) return _order.ToArray(); }
    }

    /// <summary>
    /// Makes room for <paramref name="agent"/>; false when it is new and <c>maxAgents</c> are already known (a
    /// client inventing a fresh name per request must not grow the server's memory without bound).
    /// </summary>
    public bool TryAdmit(string agent, string? userAgent)
    {
        lock (_gate)
        {
            if (!_agents.TryGetValue(agent, out var entry))
            {
                if (_agents.Count >= maxAgents) return false;
                _agents[agent] = entry = new Agent();
                _order.Add(agent);
            }
            if (userAgent is not null) entry.UserAgent = userAgent;
            return true;
        }
    }

    public void Store(string agent, CaseResult result)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (!_agents.TryGetValue(agent, out var entry))
            {
                _agents[agent] = entry = new Agent();
                _order.Add(agent);
            }
            entry.Results[result.Id] = result;
            var ended = result.Started.AddMilliseconds(Math.Max(0, result.DurationMs));
            if (entry.FirstStarted is null || result.Started < entry.FirstStarted) entry.FirstStarted = result.Started;
            if (entry.LastEnded is null || ended > entry.LastEnded) entry.LastEnded = ended;
            _version++;
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    /// <summary>A <c>/runCase</c> connection started (see <see cref="WaitUntilIdleAsync"/>).</summary>
    public void RunStarted()
    {
        lock (_gate) _running++;
    }

    /// <summary>A <c>/runCase</c> connection ended, its result stored or not.</summary>
    public void RunEnded()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _running--;
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    /// <summary>
    /// Waits until no case is running, or <paramref name="timeout"/> passes. A driver asks for the reports right after its
    /// last case's closing handshake, a moment before the server has stored that case (it does so once TCP is gone).
    /// </summary>
    public async Task WaitUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (_running == 0) return;
                signal = _changed.Task;
            }
            try
            {
                await signal.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public CaseResult? Get(string agent, string caseId)
    {
        lock (_gate)
            return _agents.TryGetValue(agent, out var entry) && entry.Results.TryGetValue(caseId, out var result) ? result : null;
    }

    /// <summary>The result once it exists, or null when <paramref name="timeout"/> passes first.</summary>
    public async Task<CaseResult?> WaitForAsync(string agent, string caseId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (_agents.TryGetValue(agent, out var entry) && entry.Results.TryGetValue(caseId, out var result)) return result;
                signal = _changed.Task;
            }
            try
            {
                await signal.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Get(agent, caseId);
            }
        }
    }

    /// <summary>
    /// Everything so far as a run: one target per agent (URL <c>client:&lt;agent&gt;</c>, marking it as a client), its
    /// cases in numeric ID order.
    /// </summary>
    public RunResult Snapshot(DateTimeOffset startedAt, RunSettings settings)
    {
        lock (_gate)
        {
            var other = new Dictionary<string, string>(settings.Other, StringComparer.Ordinal);
            var targets = new List<TargetResult>();
            foreach (var name in _order)
            {
                var entry = _agents[name];
                if (entry.Results.Count == 0) continue;
                if (entry.UserAgent is { } userAgent) other[RunSettings.ClientUserAgentKey(name)] = userAgent;
                targets.Add(new TargetResult
                {
                    Target = TargetInfo.ForClient(name),
                    Cases = entry.Results.Values.OrderBy(r => r.Id, CaseIds.NumericOrder).ToArray(),
                    RunPhaseMs = entry.FirstStarted is { } first && entry.LastEnded is { } last ? Math.Round((last - first).TotalMilliseconds, 3) : 0,
                });
            }
            return new RunResult
            {
                ToolVersion = ToolInfo.Version,
                StartedAt = startedAt,
                FinishedAt = DateTimeOffset.UtcNow,
                Settings = settings with { Other = other },
                Targets = targets,
            };
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
