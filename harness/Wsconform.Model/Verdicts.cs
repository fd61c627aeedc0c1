namespace Wsconform.Model;

/// <summary>
/// The <c>behavior</c> verdict of a case, with Autobahn|Testsuite's vocabulary so results compare one to one
/// with published Autobahn reports, plus <see cref="Error"/> for a case the harness could not run.
/// </summary>
public enum Behavior
{
    /// <summary>The peer did what the case expects (Autobahn "OK").</summary>
    Ok,
    /// <summary>Conformant, but not the canonical or SHOULD-level behaviour (Autobahn "NON-STRICT").</summary>
    NonStrict,
    /// <summary>A MUST was violated (Autobahn "FAILED").</summary>
    Failed,
    /// <summary>Behaviour the RFC leaves open; recorded, never a failure (Autobahn "INFORMATIONAL").</summary>
    Informational,
    /// <summary>The peer does not implement the optional feature under test (Autobahn "UNIMPLEMENTED").</summary>
    Unimplemented,
    /// <summary>The case could not run: connection refused, handshake rejected, harness fault. Not a peer verdict.</summary>
    Error,
}

/// <summary>
/// The <c>behaviorClose</c> verdict: how the connection ended, judged as Autobahn judges it
/// (catalogue §1.2), plus <see cref="Error"/> when the case could not run.
/// </summary>
public enum CloseBehavior
{
    Ok,
    /// <summary>The wrong endpoint failed the connection, or the opening handshake never completed.</summary>
    Failed,
    /// <summary>The peer's Close carried a code the case does not allow.</summary>
    WrongCode,
    /// <summary>The case requires a clean closing handshake and it was not clean.</summary>
    Unclean,
    /// <summary>Client mode only: the harness had to drop TCP although the server should have.</summary>
    FailedByClient,
    Informational,
    Error,
}

/// <summary>Text forms of the verdicts exactly as Autobahn writes them in its JSON.</summary>
public static class VerdictText
{
    public static string ToAutobahnString(this Behavior behavior) => behavior switch
    {
        Behavior.Ok => "OK",
        Behavior.NonStrict => "NON-STRICT",
        Behavior.Failed => "FAILED",
        Behavior.Informational => "INFORMATIONAL",
        Behavior.Unimplemented => "UNIMPLEMENTED",
        Behavior.Error => "ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(behavior), behavior, null),
    };

    public static string ToAutobahnString(this CloseBehavior behavior) => behavior switch
    {
        CloseBehavior.Ok => "OK",
        CloseBehavior.Failed => "FAILED",
        CloseBehavior.WrongCode => "WRONG CODE",
        CloseBehavior.Unclean => "UNCLEAN",
        CloseBehavior.FailedByClient => "FAILED BY CLIENT",
        CloseBehavior.Informational => "INFORMATIONAL",
        CloseBehavior.Error => "ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(behavior), behavior, null),
    };

    /// <summary>Parses the Autobahn text form; throws <see cref="FormatException"/> naming the bad value.</summary>
    public static Behavior ParseBehavior(string text) => text.Trim().ToUpperInvariant() switch
    {
        "OK" => Behavior.Ok,
        "NON-STRICT" => Behavior.NonStrict,
        "FAILED" => Behavior.Failed,
        "INFORMATIONAL" => Behavior.Informational,
        "UNIMPLEMENTED" => Behavior.Unimplemented,
        "ERROR" => Behavior.Error,
        _ => throw new FormatException($"'{text}' is not a behavior verdict (OK, NON-STRICT, FAILED, INFORMATIONAL, UNIMPLEMENTED, ERROR)"),
    };

    /// <summary>Parses the Autobahn text form; throws <see cref="FormatException"/> naming the bad value.</summary>
    public static CloseBehavior ParseCloseBehavior(string text) => text.Trim().ToUpperInvariant() switch
    {
        "OK" => CloseBehavior.Ok,
        "FAILED" => CloseBehavior.Failed,
        "WRONG CODE" => CloseBehavior.WrongCode,
        "UNCLEAN" => CloseBehavior.Unclean,
        "FAILED BY CLIENT" => CloseBehavior.FailedByClient,
        "INFORMATIONAL" => CloseBehavior.Informational,
        "ERROR" => CloseBehavior.Error,
        _ => throw new FormatException($"'{text}' is not a close verdict (OK, FAILED, WRONG CODE, UNCLEAN, FAILED BY CLIENT, INFORMATIONAL, ERROR)"),
    };
}
