using System.Text.RegularExpressions;

namespace Wsconform.Model;

/// <summary>
/// Case IDs as Autobahn selects and orders them (catalogue §0, §3.1). In the model because both the engine (case
/// selection) and the reports (expectations, comparisons) need exactly the same rule.
/// </summary>
public static class CasePatterns
{
    /// <summary>
    /// Autobahn's pattern rule: a pattern with <c>*</c> is a wildcard matched from the start of the ID ("1.*" matches
    /// 1.1.1; "1*" also matches 12.1.1); a pattern without <c>*</c> must equal the ID.
    /// </summary>
    public static bool Matches(string pattern, string id)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(id);
        if (!pattern.Contains('*', StringComparison.Ordinal)) return string.Equals(pattern, id, StringComparison.Ordinal);
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal);
        return Regex.IsMatch(id, regex, RegexOptions.CultureInvariant);
    }

    /// <summary>Orders IDs as numeric tuples, so 2.10 follows 2.9 and 6.10.1 follows 6.9.4.</summary>
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

    public static readonly IComparer<string> NumericOrder = Comparer<string>.Create(Compare);
}
