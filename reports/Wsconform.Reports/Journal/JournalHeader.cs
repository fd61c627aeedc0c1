using System.Globalization;
using Wsconform.Model;

namespace Wsconform.Reports.Journal;

/// <summary>
/// The first line of <c>results.jsonl</c>: what the run set out to do. <c>wsconform run --resume</c> compares it with the
/// run asked for (<see cref="DifferenceFrom"/>) before keeping any of the journal's cases.
/// </summary>
public sealed record JournalHeader
{
    public required string ToolVersion { get; init; }
    /// <summary>When the run first started; a resumed run reports this start.</summary>
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>The options as the report records them (informative; the targets' case lists are what is compared).</summary>
    public required RunSettings Settings { get; init; }
    public required IReadOnlyList<JournalTarget> Targets { get; init; }

    /// <summary>
    /// Null when <paramref name="requested"/> is the run this journal belongs to: the same tool version and, target by
    /// target, the same server (the built-in echo server counts as the same whatever its port), agent, origin,
    /// subprotocols and selected case IDs. Otherwise the first difference, in words, for a one-line error. The parallelism
    /// and the gate options (--expect, --policy, --junit) may change between the two: they do not change what a case does.
    /// </summary>
    public string? DifferenceFrom(JournalHeader requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (ToolVersion != requested.ToolVersion)
            return $"the journal was written by wsconform {ToolVersion}, this is wsconform {requested.ToolVersion}";
        if (Targets.Count != requested.Targets.Count)
            return string.Create(CultureInfo.InvariantCulture, $"the journal's run has {Targets.Count} target(s), this run {requested.Targets.Count}");
        for (var i = 0; i < Targets.Count; i++)
        {
            if (Targets[i].DifferenceFrom(requested.Targets[i]) is { } difference)
                return Targets.Count == 1 ? difference : string.Create(CultureInfo.InvariantCulture, $"target {i + 1}: {difference}");
        }
        return null;
    }
}

/// <summary>A target of a run and the cases selected for it.</summary>
/// <param name="Url">The server's URL; for the built-in echo server the URL it had in that run (a new port each time).</param>
/// <param name="Agent">The agent name given (--agent, a spec's "agent"); null when reports take the server's.</param>
/// <param name="BuiltIn">The built-in echo server.</param>
/// <param name="Origin">The Origin header sent, if any.</param>
/// <param name="Protocols">Subprotocols offered, in order.</param>
/// <param name="CaseIds">The cases selected for the target, in run order.</param>
public sealed record JournalTarget(string Url, string? Agent, bool BuiltIn, string? Origin, IReadOnlyList<string> Protocols, IReadOnlyList<string> CaseIds)
{
    /// <summary>How many IDs a difference in the case selection names.</summary>
    private const int IdsNamed = 3;

    internal string? DifferenceFrom(JournalTarget requested)
    {
        if (BuiltIn != requested.BuiltIn || (!BuiltIn && Url != requested.Url))
            return $"the journal's run tested {Server(this)}, this run tests {Server(requested)}";
        if (Agent != requested.Agent)
            return $"the agent is {Quoted(Agent)} in the journal, {Quoted(requested.Agent)} in this run";
        if (Origin != requested.Origin)
            return $"the origin is {Quoted(Origin)} in the journal, {Quoted(requested.Origin)} in this run";
        if (!Protocols.SequenceEqual(requested.Protocols, StringComparer.Ordinal))
            return $"the subprotocols are {List(Protocols)} in the journal, {List(requested.Protocols)} in this run";

        var onlyThere = CaseIds.Except(requested.CaseIds, StringComparer.Ordinal).ToList();
        var onlyHere = requested.CaseIds.Except(CaseIds, StringComparer.Ordinal).ToList();
        if (onlyThere.Count == 0 && onlyHere.Count == 0) return null;
        var parts = new List<string>(2);
        if (onlyThere.Count > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{onlyThere.Count} case(s) of the journal are not selected now ({Named(onlyThere)})"));
        if (onlyHere.Count > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{onlyHere.Count} case(s) selected now are not in the journal ({Named(onlyHere)})"));
        return "the case selection differs: " + string.Join("; ", parts);
    }

    private static string Server(JournalTarget target) => target.BuiltIn ? "the built-in echo server" : target.Url;

    private static string Quoted(string? value) => value is null ? "none" : $"'{value}'";

    private static string List(IReadOnlyList<string> values) => values.Count == 0 ? "none" : string.Join(", ", values);

    private static string Named(IReadOnlyList<string> ids) =>
        string.Join(", ", ids.Take(IdsNamed)) + (ids.Count > IdsNamed ? ", ..." : "");
}
