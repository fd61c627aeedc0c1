using Wsconform.Model;

namespace Wsconform.Engine.Scripting;

/// <summary>Case selection, as Autobahn does it (catalogue §3.1); the rules themselves are <see cref="CasePatterns"/>.</summary>
public static class CaseIds
{
    /// <summary>Orders IDs as numeric tuples, so 2.10 follows 2.9 and 6.10.1 follows 6.9.4.</summary>
    public static IComparer<string> NumericOrder => CasePatterns.NumericOrder;

    public static int Compare(string? a, string? b) => CasePatterns.Compare(a, b);

    /// <summary>Autobahn's pattern rule (see <see cref="CasePatterns.Matches"/>).</summary>
    public static bool Matches(string pattern, string id) => CasePatterns.Matches(pattern, id);

    /// <summary>The cases matching any include pattern and no exclude pattern, in numeric ID order.</summary>
    public static IReadOnlyList<ConformanceCase> Select(IEnumerable<ConformanceCase> catalogue, IReadOnlyCollection<string> include, IReadOnlyCollection<string> exclude) =>
        catalogue
            .Where(c => include.Any(p => Matches(p, c.Id)) && !exclude.Any(p => Matches(p, c.Id)))
            .OrderBy(c => c.Id, NumericOrder)
            .ToList();
}
