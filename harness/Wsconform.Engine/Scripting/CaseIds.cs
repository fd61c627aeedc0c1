using System.Text.RegularExpressions;

namespace Wsconform.Engine.Scripting;

/// <summary>Case ID ordering and selection, as Autobahn does them (catalogue §0, §3.1).</summary>
public static class CaseIds
{
    /// <summary>Orders IDs as numeric tuples, so 2.10 follows 2.9 and 6.10.1 follows 6.9.4.</summary>
    public static readonly IComparer<string> NumericOrder = Comparer<string>.Create(Compare);

    public static int Compare(string? a, string? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var left = a.Split('.');
        var right = b.Split('.');
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            var order = int.TryParse(left[i], out var l) && int.TryParse(right[i], out var r)
                ? l.CompareTo(r)
                : string.CompareOrdinal(left[i], right[i]);
            if (order != 0) return order;
        }
        return left.Length.CompareTo(right.Length);
    }

    /// <summary>
    /// Autobahn's pattern rule: a pattern with <c>*</c> is a wildcard matched from the start of the ID
    /// ("1.*" matches 1.1.1; "1*" also matches 12.1.1); a pattern without <c>*</c> must equal the ID.
    /// </summary>
    public static bool Matches(string pattern, string id)
    {
        if (!pattern.Contains('*')) return string.Equals(pattern, id, StringComparison.Ordinal);
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal);
        return Regex.IsMatch(id, regex, RegexOptions.CultureInvariant);
    }

    /// <summary>The cases matching any include pattern and no exclude pattern, in numeric ID order.</summary>
    public static IReadOnlyList<ConformanceCase> Select(IEnumerable<ConformanceCase> catalogue, IReadOnlyCollection<string> include, IReadOnlyCollection<string> exclude) =>
        catalogue
            .Where(c => include.Any(p => Matches(p, c.Id)) && !exclude.Any(p => Matches(p, c.Id)))
            .OrderBy(c => c.Id, NumericOrder)
            .ToList();
}
