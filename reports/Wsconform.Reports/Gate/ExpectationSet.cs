using System.Text.Json;
using Wsconform.Model;

namespace Wsconform.Reports.Gate;

/// <summary>
/// What a project expects of each case: per case ID or Autobahn pattern, the verdicts allowed (or "excluded"), and a
/// named <see cref="Policy"/> for every case without an entry. The most specific entry wins: an exact ID over any
/// pattern, a longer pattern over a shorter one, and between patterns of equal length the one written first.
/// File format: README "Expectations and the CI gate" and <c>Gate/expectations.schema.json</c>.
/// </summary>
public sealed class ExpectationSet
{
    private readonly List<Entry> _exact;
    private readonly List<Entry> _patterns;

    private ExpectationSet(Policy policy, List<Entry> entries)
    {
        Policy = policy;
        _exact = entries.Where(e => !e.Key.Contains('*', StringComparison.Ordinal)).ToList();
        // Longest pattern first; OrderBy is stable, so file order breaks ties.
        _patterns = entries.Where(e => e.Key.Contains('*', StringComparison.Ordinal)).OrderByDescending(e => e.Key.Length).ToList();
        Entries = entries;
    }

    /// <summary>The policy for cases without an entry.</summary>
    public Policy Policy { get; }

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>One entry of the file.</summary>
    /// <param name="Key">Case ID or pattern.</param>
    /// <param name="Behavior">Allowed behavior verdicts; null: the policy's.</param>
    /// <param name="BehaviorClose">Allowed close verdicts; null: the policy's.</param>
    /// <param name="Excluded">The case is not judged.</param>
    /// <param name="Reason">Why, in the user's words.</param>
    public sealed record Entry(string Key, IReadOnlySet<Behavior>? Behavior, IReadOnlySet<CloseBehavior>? BehaviorClose, bool Excluded, string? Reason);

    /// <summary>No entries, only a policy: what <c>wsconform run</c> applies without <c>--expect</c>.</summary>
    public static ExpectationSet ForPolicy(Policy policy) => new(policy, []);

    /// <summary>The same entries under another policy (the CLI's <c>--policy</c>).</summary>
    public ExpectationSet WithPolicy(Policy policy) => new(policy, Entries.ToList());

    /// <summary>Reads the expectations file at <paramref name="path"/>.</summary>
    /// <exception cref="ExpectationsException">The file is missing, unreadable or malformed; one line naming it.</exception>
    public static ExpectationSet Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var problem = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : OneLine(e.Message);
            throw new ExpectationsException($"{path}: {problem}", e);
        }
        return Parse(json, path);
    }

    /// <summary>Parses an expectations document; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="ExpectationsException">Malformed; one line "source: problem".</exception>
    public static ExpectationSet Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        if (json.Length > 0 && json[0] == '\uFEFF') json = json[1..];
        if (string.IsNullOrWhiteSpace(json)) throw Fail(source, "the file is empty");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ExpectationsException($"{source}: malformed JSON: {OneLine(e.Message)}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Fail(source, $"expected a JSON object at the top level, found {Kind(root)}");
            var policy = Policy.Default;
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw Fail(source, $"key \"{property.Name}\" appears twice");
                switch (property.Name)
                {
                    case "$schema":
                    case "description":
                        if (property.Value.ValueKind != JsonValueKind.String)
                            throw Fail(source, $"\"{property.Name}\" must be a string, found {Kind(property.Value)}");
                        break;
                    case "policy":
                        policy = property.Value.ValueKind == JsonValueKind.String && PolicyRules.TryParse(property.Value.GetString()) is { } p
                            ? p
                            : throw Fail(source, $"\"policy\" must be \"strict\", \"default\" or \"lenient\", found {Shown(property.Value)}");
                        break;
                    case "cases":
                        entries = ParseCases(property.Value, source);
                        break;
                    default:
                        throw Fail(source, $"unknown key \"{property.Name}\" (expected \"policy\", \"cases\", \"description\", \"$schema\")");
                }
            }
            return new ExpectationSet(policy, entries);
        }
    }

    private static List<Entry> ParseCases(JsonElement cases, string source)
    {
        if (cases.ValueKind != JsonValueKind.Object)
            throw Fail(source, $"\"cases\" must be an object of case ID or pattern → expectation, found {Kind(cases)}");
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in cases.EnumerateObject())
        {
            var key = property.Name;
            var where = $"cases \"{key}\"";
            if (key.Trim().Length == 0 || key != key.Trim() || key.Any(char.IsWhiteSpace))
                throw Fail(source, $"{where}: a case ID or pattern must not be empty or contain spaces");
            if (!seen.Add(key)) throw Fail(source, $"{where} appears twice");
            entries.Add(ParseEntry(key, property.Value, source, where));
        }
        return entries;
    }

    private static Entry ParseEntry(string key, JsonElement value, string source, string where)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when string.Equals(value.GetString(), "excluded", StringComparison.OrdinalIgnoreCase):
                return new Entry(key, null, null, true, null);
            case JsonValueKind.String:
            case JsonValueKind.Array:
                return new Entry(key, Behaviors(value, source, where), null, false, null);
            case JsonValueKind.Object:
                break;
            default:
                throw Fail(source, $"{where}: expected a verdict list, \"excluded\" or an object, found {Kind(value)}");
        }

        IReadOnlySet<Behavior>? behavior = null;
        IReadOnlySet<CloseBehavior>? close = null;
        bool? excluded = null;
        string? reason = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!seen.Add(property.Name)) throw Fail(source, $"{where}: key \"{property.Name}\" appears twice");
            switch (property.Name)
            {
                case "behavior":
                    behavior = Behaviors(property.Value, source, where + " behavior");
                    break;
                case "behaviorClose":
                    close = CloseBehaviors(property.Value, source, where + " behaviorClose");
                    break;
                case "excluded":
                    excluded = property.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw Fail(source, $"{where}: \"excluded\" must be true or false, found {Shown(property.Value)}"),
                    };
                    break;
                case "reason":
                    reason = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()
                        : throw Fail(source, $"{where}: \"reason\" must be a string, found {Kind(property.Value)}");
                    if (string.IsNullOrWhiteSpace(reason)) reason = null;
                    break;
                default:
                    throw Fail(source, $"{where}: unknown key \"{property.Name}\" (expected \"behavior\", \"behaviorClose\", \"excluded\", \"reason\")");
            }
        }
        if (excluded == true && (behavior is not null || close is not null))
            throw Fail(source, $"{where}: an excluded entry cannot also list verdicts");
        if (excluded != true && behavior is null && close is null)
            throw Fail(source, $"{where}: lists neither \"behavior\" nor \"behaviorClose\" (use \"excluded\": true to exclude the case)");
        return new Entry(key, behavior, close, excluded == true, reason);
    }

    private static HashSet<Behavior> Behaviors(JsonElement value, string source, string where) =>
        Verdicts(value, source, where, VerdictText.ParseBehavior);

    private static HashSet<CloseBehavior> CloseBehaviors(JsonElement value, string source, string where) =>
        Verdicts(value, source, where, VerdictText.ParseCloseBehavior);

    private static HashSet<T> Verdicts<T>(JsonElement value, string source, string where, Func<string, T> parse)
    {
        IEnumerable<JsonElement> items = value.ValueKind switch
        {
            JsonValueKind.String => [value],
            JsonValueKind.Array => value.EnumerateArray().ToList(),
            _ => throw Fail(source, $"{where}: expected a verdict or a list of verdicts, found {Kind(value)}"),
        };
        var set = new HashSet<T>();
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.String)
                throw Fail(source, $"{where}: verdicts are strings, found {Kind(item)}");
            try
            {
                set.Add(parse(item.GetString()!));
            }
            catch (FormatException e)
            {
                throw Fail(source, $"{where}: {e.Message}");
            }
        }
        if (set.Count == 0) throw Fail(source, $"{where}: the verdict list is empty (nothing could pass)");
        return set;
    }

    /// <summary>The entry that applies to <paramref name="caseId"/>, or null when the policy applies.</summary>
    public Entry? EntryFor(string caseId)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        return _exact.FirstOrDefault(e => string.Equals(e.Key, caseId, StringComparison.Ordinal))
            ?? _patterns.FirstOrDefault(e => CasePatterns.Matches(e.Key, caseId));
    }

    /// <summary>True when the entry that applies to the case excludes it.</summary>
    public bool IsExcluded(string caseId) => EntryFor(caseId)?.Excluded == true;

    /// <summary>Judges one case result.</summary>
    public CaseCheck Check(CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var entry = EntryFor(result.Id);
        var actual = $"behavior {result.Behavior.ToAutobahnString()}; behaviorClose {result.BehaviorClose.ToAutobahnString()}";
        if (entry is { Excluded: true })
            return new CaseCheck(result.Id, true, true, $"excluded ({Describe(entry.Key)})", actual, entry.Reason) { Entry = entry.Key };

        var behavior = entry?.Behavior ?? PolicyRules.AllowedBehavior(Policy);
        var close = entry?.BehaviorClose ?? PolicyRules.AllowedClose(Policy);
        var met = behavior.Contains(result.Behavior) && close.Contains(result.BehaviorClose);
        var source = entry is null ? $"policy {Policy.ToText()}" : Describe(entry.Key)
            + (entry.Behavior is null || entry.BehaviorClose is null ? $", else policy {Policy.ToText()}" : "");
        var expected = $"behavior {List(behavior, VerdictText.ToAutobahnString)}; behaviorClose {List(close, VerdictText.ToAutobahnString)} ({source})";
        return new CaseCheck(result.Id, met, false, expected, actual, entry?.Reason) { Entry = entry?.Key };
    }

    private static string Describe(string key) => $"entry \"{key}\"";

    private static string List<T>(IEnumerable<T> verdicts, Func<T, string> text) where T : struct, Enum =>
        string.Join('|', verdicts.Order().Select(text));

    private static ExpectationsException Fail(string source, string problem) => new($"{source}: {OneLine(problem)}");

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };

    private static string Shown(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 60 ? text : text[..60] + "…";
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
