using Wsconform.Engine.Scripting;
using Wsconform.Model;

namespace Wsconform.Cases;

/// <summary>Builders for a case's expected outcome lists, in Autobahn's matching order (OK first, then NON-STRICT).</summary>
public static class Outcomes
{
    /// <summary><c>OK = []</c>: the case passes only if the peer sends no message, ping or pong at all.</summary>
    public static readonly IReadOnlyList<ExpectedOutcomeSpec> Nothing = Ok();

    /// <summary><c>OK = events</c>, compared exactly (order, kinds, payload octets).</summary>
    public static IReadOnlyList<ExpectedOutcomeSpec> Ok(params ExpectedEvent[] events) => [new(Behavior.Ok, [.. events])];

    /// <summary>
    /// <c>OK = events, NON-STRICT = []</c>: the peer should process the valid frames before the violation, but
    /// failing the connection before answering them is tolerated (3.2–3.4, 4.x.3–5, 5.15, 7.1.6).
    /// </summary>
    public static IReadOnlyList<ExpectedOutcomeSpec> OkOrNothingNonStrict(params ExpectedEvent[] events) =>
        [new(Behavior.Ok, [.. events]), new(Behavior.NonStrict, [])];

    /// <summary>
    /// <c>OK = ok, NON-STRICT = nonStrict</c> with a non-empty NON-STRICT list: the fail-fast cases 6.4.x, where
    /// <c>[timeout A]</c> is OK and <c>[timeout A, timeout B]</c> (the peer only failed at the end) is NON-STRICT.
    /// </summary>
    public static IReadOnlyList<ExpectedOutcomeSpec> OkOrNonStrict(IReadOnlyList<ExpectedEvent> ok, IReadOnlyList<ExpectedEvent> nonStrict) =>
        [new(Behavior.Ok, ok), new(Behavior.NonStrict, nonStrict)];

    /// <summary>
    /// No event lists at all (Autobahn's <c>expected = {}</c>): the case's own trial sets the behaviour verdict
    /// (category 9's <see cref="RoundTrips"/>). Such cases must not auto-close on a match.
    /// </summary>
    public static readonly IReadOnlyList<ExpectedOutcomeSpec> SetByTrial = [];
}
