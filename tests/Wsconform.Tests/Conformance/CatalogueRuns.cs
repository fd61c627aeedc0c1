using Wsconform.Cases;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Model;

namespace Wsconform.Tests.Conformance;

/// <summary>Runs catalogue cases against a URL and indexes the results by case ID.</summary>
internal static class CatalogueRuns
{
    public static async Task<IReadOnlyDictionary<string, CaseResult>> RunAsync(Uri url, IReadOnlyCollection<string>? ids = null)
    {
        var cases = ids is null ? Catalogue.ForServers : Catalogue.ForServers.Where(c => ids.Contains(c.Id)).ToList();
        var result = await TargetRunner.RunAsync(new TargetOptions { Url = url }, cases, new RunOptions()).ConfigureAwait(false);
        return result.Cases.ToDictionary(c => c.Id);
    }

    /// <summary>The IDs Autobahn marks informational: both verdicts are INFORMATIONAL whatever the peer does.</summary>
    public static bool IsInformational(string id) => Catalogue.Get(id).Rule == VerdictRule.Informational;

    /// <summary>Every case ID of the catalogue, for one named test per case.</summary>
    public static IEnumerable<string> AllIds => Catalogue.ForServers.Select(c => c.Id);

    /// <summary>
    /// The whole catalogue, except that of the compression trials only rows 1–6 of each sub-category run (messages up to
    /// 8 KiB): rows 7–18 repeat the same checks with larger messages and cost minutes per peer.
    /// </summary>
    public static IReadOnlyList<string> WithSmallCompressionTrials { get; } = AllIds.Where(id => !IsLargeCompressionTrial(id)).ToArray();

    public static bool IsLargeCompressionTrial(string id) =>
        id.Split('.') is ["12" or "13", _, var row] && int.Parse(row, System.Globalization.CultureInfo.InvariantCulture) > 6;

    /// <summary>A failure message that shows why, from the recorded exchange.</summary>
    public static string Explain(CaseResult r) =>
        $"{r.Id}: behavior {r.Behavior.ToAutobahnString()} ({r.Result}); close {r.BehaviorClose.ToAutobahnString()} ({r.ResultClose}); " +
        $"received [{string.Join(", ", r.Received)}]; violations [{string.Join("; ", r.Violations.Select(v => v.Description))}]";
}
