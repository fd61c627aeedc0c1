using Wsconform.Model;

namespace Wsconform.Reports.Gate;

/// <summary>How one case's verdicts compare with what was expected of it.</summary>
/// <param name="Id">The case ID.</param>
/// <param name="Met">True when both verdicts are allowed (always true for an excluded case).</param>
/// <param name="Excluded">True when the expectations exclude the case: it is not judged.</param>
/// <param name="Expected">What was allowed, e.g. "behavior OK|NON-STRICT; behaviorClose OK|INFORMATIONAL (policy default)".</param>
/// <param name="Actual">What the case got, e.g. "behavior FAILED; behaviorClose WRONG CODE".</param>
/// <param name="Reason">The reason given with the expectation entry that applied, if any.</param>
public sealed record CaseCheck(string Id, bool Met, bool Excluded, string Expected, string Actual, string? Reason)
{
    /// <summary>The target's agent name when the check belongs to a run (set by <see cref="Gate.Evaluate"/>); null otherwise.</summary>
    public string? Target { get; init; }

    /// <summary>The expectation entry that applied: its pattern or ID, or null when the policy applied.</summary>
    public string? Entry { get; init; }

    /// <summary>One line: "6.4.3: expected behavior OK|INFORMATIONAL; …, got behavior NON-STRICT; … (reason)".</summary>
    public override string ToString() =>
        $"{(Target is null ? "" : Target + " ")}{Id}: expected {Expected}, got {Actual}{(Reason is null ? "" : $" ({Reason})")}";
}

/// <summary>The result of gating a whole run.</summary>
/// <param name="Checks">One check per case per target, in target then case order.</param>
public sealed record GateOutcome(IReadOnlyList<CaseCheck> Checks)
{
    /// <summary>True when every case met its expectation.</summary>
    public bool Passed => Unmet.Count == 0;

    /// <summary>The checks that were not met, in order.</summary>
    public IReadOnlyList<CaseCheck> Unmet { get; } = Checks.Where(c => !c.Met).ToList();

    /// <summary>The checks of excluded cases.</summary>
    public IReadOnlyList<CaseCheck> ExcludedChecks => Checks.Where(c => c.Excluded).ToList();
}

/// <summary>Judges a finished run against an expectation set.</summary>
public static class Gate
{
    public static GateOutcome Evaluate(RunResult run, ExpectationSet expectations)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(expectations);
        var checks = new List<CaseCheck>();
        foreach (var target in run.Targets)
        {
            foreach (var result in target.Cases)
                checks.Add(expectations.Check(result) with { Target = target.Target.Agent });
        }
        return new GateOutcome(checks);
    }
}

/// <summary>An expectations file is malformed. The message is one line naming the file and the problem.</summary>
public sealed class ExpectationsException : Exception
{
    public ExpectationsException()
    {
    }

    public ExpectationsException(string message) : base(message)
    {
    }

    public ExpectationsException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
