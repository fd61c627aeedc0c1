using System.Text.RegularExpressions;

namespace Wsconform.Reports.Gate;

/// <summary>
/// Autobahn's case pattern rule, the same as <c>Wsconform.Engine.Scripting.CaseIds.Matches</c>: a pattern with
/// <c>*</c> is a wildcard anchored at the start of the ID ("1.*" matches 1.1.1; "1*" also matches 12.1.1); a pattern
/// without <c>*</c> must equal the ID. Duplicated on purpose: the reports project must not reference the engine, and
/// the model (which both reference) is outside this change. A test in Wsconform.Tests checks both agree.
/// </summary>
public static class CasePattern
{
    public static bool Matches(string pattern, string id)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(id);
        if (!pattern.Contains('*', StringComparison.Ordinal)) return string.Equals(pattern, id, StringComparison.Ordinal);
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal);
        return Regex.IsMatch(id, regex, RegexOptions.CultureInvariant);
    }

    /// <summary>Orders IDs as numeric tuples (2.10 after 2.9), as the engine does.</summary>
    public static int CompareIds(string? a, string? b)
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

    public static readonly IComparer<string> NumericOrder = Comparer<string>.Create(CompareIds);
}
