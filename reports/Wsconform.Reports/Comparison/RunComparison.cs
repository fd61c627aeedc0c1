using Wsconform.Model;
using Wsconform.Reports.Gate;

namespace Wsconform.Reports.Comparison;

/// <summary>How one case changed between two runs.</summary>
public enum ChangeKind { Regression, Improvement, Changed, New, Removed }

/// <summary>One case that differs between the old and the new run of a target.</summary>
public sealed record CaseChange(string Id, ChangeKind Kind, CaseResult? Old, CaseResult? New)
{
    public override string ToString() => Kind switch
    {
        ChangeKind.New => $"{Id}: new, behavior {New!.Behavior.ToAutobahnString()}; behaviorClose {New.BehaviorClose.ToAutobahnString()}",
        ChangeKind.Removed => $"{Id}: removed, was behavior {Old!.Behavior.ToAutobahnString()}; behaviorClose {Old.BehaviorClose.ToAutobahnString()}",
        _ => $"{Id}: behavior {Old!.Behavior.ToAutobahnString()} -> {New!.Behavior.ToAutobahnString()}; behaviorClose {Old.BehaviorClose.ToAutobahnString()} -> {New.BehaviorClose.ToAutobahnString()}",
    };
}

/// <summary>The changes of one target (matched by agent, else by URL); Old or New is null for a target only one run has.</summary>
public sealed record TargetComparison(TargetInfo? Old, TargetInfo? New, IReadOnlyList<CaseChange> Changes)
{
    public string Name => (New ?? Old)!.Agent;
    public IEnumerable<CaseChange> Of(ChangeKind kind) => Changes.Where(c => c.Kind == kind);
}

/// <summary>Compares two runs: regressions (a verdict got worse), improvements, other changes, new and removed cases.</summary>
public static class RunComparison
{
    public static IReadOnlyList<TargetComparison> Compare(RunResult oldRun, RunResult newRun)
    {
        ArgumentNullException.ThrowIfNull(oldRun);
        ArgumentNullException.ThrowIfNull(newRun);
        var comparisons = new List<TargetComparison>();
        var unmatchedOld = oldRun.Targets.ToList();
        foreach (var target in newRun.Targets)
        {
            var old = unmatchedOld.FirstOrDefault(o => string.Equals(o.Target.Agent, target.Target.Agent, StringComparison.Ordinal))
                ?? unmatchedOld.FirstOrDefault(o => string.Equals(o.Target.Url, target.Target.Url, StringComparison.Ordinal));
            if (old is not null) unmatchedOld.Remove(old);
            comparisons.Add(new TargetComparison(old?.Target, target.Target, CompareCases(old?.Cases ?? [], target.Cases)));
        }
        foreach (var old in unmatchedOld)
            comparisons.Add(new TargetComparison(old.Target, null, CompareCases(old.Cases, [])));
        return comparisons;
    }

    /// <summary>Case changes in case ID order; unchanged cases are left out.</summary>
    public static IReadOnlyList<CaseChange> CompareCases(IReadOnlyList<CaseResult> oldCases, IReadOnlyList<CaseResult> newCases)
    {
        var old = oldCases.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var current = newCases.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var changes = new List<CaseChange>();
        foreach (var id in old.Keys.Union(current.Keys).Order(CasePatterns.NumericOrder))
        {
            old.TryGetValue(id, out var before);
            current.TryGetValue(id, out var after);
            if (before is null) changes.Add(new CaseChange(id, ChangeKind.New, null, after));
            else if (after is null) changes.Add(new CaseChange(id, ChangeKind.Removed, before, null));
            else if (Classify(before, after) is { } kind) changes.Add(new CaseChange(id, kind, before, after));
        }
        return changes;
    }

    /// <summary>Null when both verdicts are the same; a regression when either axis got worse.</summary>
    public static ChangeKind? Classify(CaseResult before, CaseResult after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Behavior == after.Behavior && before.BehaviorClose == after.BehaviorClose) return null;
        var behavior = Rank(after.Behavior).CompareTo(Rank(before.Behavior));
        var close = Rank(after.BehaviorClose).CompareTo(Rank(before.BehaviorClose));
        if (behavior > 0 || close > 0) return ChangeKind.Regression;
        if (behavior < 0 || close < 0) return ChangeKind.Improvement;
        return ChangeKind.Changed;
    }

    /// <summary>Severity of a behavior verdict: higher is worse (OK and INFORMATIONAL equal; FAILED and ERROR equal).</summary>
    public static int Rank(Behavior behavior) => behavior switch
    {
        Behavior.Ok or Behavior.Informational => 0,
        Behavior.NonStrict => 1,
        Behavior.Unimplemented => 2,
        _ => 3,
    };

    /// <summary>Severity of a close verdict: higher is worse.</summary>
    public static int Rank(CloseBehavior close) => close switch
    {
        CloseBehavior.Ok or CloseBehavior.Informational => 0,
        CloseBehavior.FailedByClient => 1,
        CloseBehavior.Unclean or CloseBehavior.WrongCode => 2,
        _ => 3,
    };

    /// <summary>
    /// Combines runs (e.g. one CI job per target) into one: targets matched by agent and URL have their cases joined;
    /// the same case of the same target in two runs is an error.
    /// </summary>
    /// <exception cref="InvalidDataException">A case appears twice for one target.</exception>
    public static RunResult Merge(IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("nothing to merge", nameof(runs));
        var targets = new List<TargetResult>();
        foreach (var target in runs.SelectMany(r => r.Targets))
        {
            var index = targets.FindIndex(t => t.Target.Agent == target.Target.Agent && t.Target.Url == target.Target.Url);
            if (index < 0)
            {
                targets.Add(target);
                continue;
            }
            var existing = targets[index];
            var twice = existing.Cases.Select(c => c.Id).Intersect(target.Cases.Select(c => c.Id), StringComparer.Ordinal).FirstOrDefault();
            if (twice is not null)
                throw new InvalidDataException($"case {twice} of target '{target.Target.Agent}' ({target.Target.Url}) is in more than one file");
            targets[index] = existing with
            {
                Cases = existing.Cases.Concat(target.Cases).OrderBy(c => c.Id, CasePatterns.NumericOrder).ToList(),
                RunPhaseMs = existing.RunPhaseMs + target.RunPhaseMs,
            };
        }
        var first = runs[0];
        return new RunResult
        {
            ToolVersion = string.Join(", ", runs.Select(r => r.ToolVersion).Distinct(StringComparer.Ordinal)),
            StartedAt = runs.Min(r => r.StartedAt),
            FinishedAt = runs.Max(r => r.FinishedAt),
            Settings = first.Settings with
            {
                Cases = runs.SelectMany(r => r.Settings.Cases).Distinct(StringComparer.Ordinal).ToList(),
                Exclude = runs.Count == 1 ? first.Settings.Exclude
                    : runs.Select(r => (IEnumerable<string>)r.Settings.Exclude).Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal)).ToList(),
                Other = new Dictionary<string, string>(first.Settings.Other) { ["merged"] = $"{runs.Count} results files" },
            },
            Targets = targets,
            // Partial when any part is: the selection is then what all parts had selected (a complete part, all it ran).
            Interrupted = runs.Any(r => r.Interrupted is not null)
                ? new RunInterruption(runs.Sum(r => r.Interrupted?.SelectedCases ?? r.CaseCount))
                : null,
        };
    }
}
