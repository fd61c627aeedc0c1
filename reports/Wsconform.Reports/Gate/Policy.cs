using Wsconform.Model;

namespace Wsconform.Reports.Gate;

/// <summary>
/// What passes for a case that has no entry of its own in the expectations file.
/// </summary>
public enum Policy
{
    /// <summary>behavior OK or INFORMATIONAL; behaviorClose OK or INFORMATIONAL. NON-STRICT and UNIMPLEMENTED fail.</summary>
    Strict,
    /// <summary>behavior OK, INFORMATIONAL, NON-STRICT or UNIMPLEMENTED; behaviorClose OK or INFORMATIONAL.</summary>
    Default,
    /// <summary>Only FAILED and ERROR fail, on either axis (WRONG CODE, UNCLEAN and FAILED BY CLIENT pass).</summary>
    Lenient,
}

/// <summary>The verdicts each <see cref="Policy"/> lets pass, and its text form.</summary>
public static class PolicyRules
{
    public static IReadOnlySet<Behavior> AllowedBehavior(Policy policy) => policy switch
    {
        Policy.Strict => new HashSet<Behavior> { Behavior.Ok, Behavior.Informational },
        Policy.Default => new HashSet<Behavior> { Behavior.Ok, Behavior.NonStrict, Behavior.Informational, Behavior.Unimplemented },
        Policy.Lenient => new HashSet<Behavior> { Behavior.Ok, Behavior.NonStrict, Behavior.Informational, Behavior.Unimplemented },
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    public static IReadOnlySet<CloseBehavior> AllowedClose(Policy policy) => policy switch
    {
        Policy.Strict or Policy.Default => new HashSet<CloseBehavior> { CloseBehavior.Ok, CloseBehavior.Informational },
        Policy.Lenient => new HashSet<CloseBehavior>
            { CloseBehavior.Ok, CloseBehavior.Informational, CloseBehavior.WrongCode, CloseBehavior.Unclean, CloseBehavior.FailedByClient },
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    /// <summary>"strict", "default" or "lenient".</summary>
    public static string ToText(this Policy policy) => policy switch
    {
        Policy.Strict => "strict",
        Policy.Default => "default",
        Policy.Lenient => "lenient",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    /// <summary>Parses "strict", "default" or "lenient" (case-insensitive); null when the text is none of them.</summary>
    public static Policy? TryParse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "strict" => Policy.Strict,
        "default" => Policy.Default,
        "lenient" => Policy.Lenient,
        _ => null,
    };
}
