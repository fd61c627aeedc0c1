using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Wsconform.Model;

namespace Wsconform.Reports.Gate;

/// <summary>Writes expectations files (<c>wsconform expect init</c>).</summary>
public static class ExpectationsFile
{
    /// <summary>
    /// An expectations document that freezes a finished run: one exact entry per case with today's behavior and
    /// behaviorClose, so any change (better or worse) fails the gate until the file is updated. When several targets
    /// ran a case, the entry allows every verdict seen.
    /// </summary>
    public static string Freeze(RunResult run, Policy policy, string? from = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var byCase = new SortedDictionary<string, (SortedSet<Behavior> Behavior, SortedSet<CloseBehavior> Close)>(CasePatterns.NumericOrder);
        foreach (var result in run.Targets.SelectMany(t => t.Cases))
        {
            if (!byCase.TryGetValue(result.Id, out var sets))
                byCase[result.Id] = sets = (new SortedSet<Behavior>(), new SortedSet<CloseBehavior>());
            sets.Behavior.Add(result.Behavior);
            sets.Close.Add(result.BehaviorClose);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            var agents = string.Join(", ", run.Targets.Select(t => t.Target.Agent));
            json.WriteString("description", FormattableString.Invariant(
                $"Frozen from {from ?? "a run"} ({agents}, {run.StartedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, wsconform {run.ToolVersion}) by 'wsconform expect init'. Cases without an entry follow the policy."));
            json.WriteString("policy", policy.ToText());
            json.WriteStartObject("cases");
            foreach (var (id, sets) in byCase)
            {
                json.WriteStartObject(id);
                WriteList(json, "behavior", sets.Behavior.Select(b => b.ToAutobahnString()));
                WriteList(json, "behaviorClose", sets.Close.Select(b => b.ToAutobahnString()));
                json.WriteString("reason", "frozen");
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
