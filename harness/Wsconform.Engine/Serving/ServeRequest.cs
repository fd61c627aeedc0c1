using System.Text;

namespace Wsconform.Engine.Serving;

/// <summary>The URL paths of Autobahn's fuzzingserver that <c>wsconform serve</c> answers (catalogue §3.2).</summary>
public enum ServePath
{
    /// <summary><c>/getCaseCount</c>: one text message with the number of selected cases, then a close.</summary>
    GetCaseCount,
    /// <summary><c>/runCase?case=N&amp;agent=A</c> or <c>/runCase?casetuple=X.Y.Z&amp;agent=A</c>: runs one case.</summary>
    RunCase,
    /// <summary><c>/getCaseInfo?case=N</c>: <c>{"id": ..., "description": ...}</c>, then a close.</summary>
    GetCaseInfo,
    /// <summary><c>/getCaseStatus?case=N&amp;agent=A</c>: waits for the result, then <c>{"behavior": ...}</c>.</summary>
    GetCaseStatus,
    /// <summary><c>/updateReports?agent=A</c>: writes the reports of every agent seen so far, then a close.</summary>
    UpdateReports,
    /// <summary><c>/stopServer</c>: writes the reports, closes, and stops the server.</summary>
    StopServer,
}

/// <summary>A request target of the serve protocol: the command and its query parameters (first value of each name).</summary>
public sealed record ServeRequest(ServePath Path, IReadOnlyDictionary<string, string> Query)
{
    /// <summary>The paths, as a one-line list for error messages.</summary>
    public const string ValidPaths =
        "/getCaseCount, /runCase?case=N&agent=NAME, /runCase?casetuple=X.Y.Z&agent=NAME, /getCaseInfo?case=N, " +
        "/getCaseStatus?case=N&agent=NAME, /updateReports?agent=NAME, /stopServer";

    private static readonly Dictionary<string, ServePath> Paths = new(StringComparer.Ordinal)
    {
        ["/getCaseCount"] = ServePath.GetCaseCount,
        ["/runCase"] = ServePath.RunCase,
        ["/getCaseInfo"] = ServePath.GetCaseInfo,
        ["/getCaseStatus"] = ServePath.GetCaseStatus,
        ["/updateReports"] = ServePath.UpdateReports,
        ["/stopServer"] = ServePath.StopServer,
    };

    /// <summary>The value of query parameter <paramref name="name"/>, or null.</summary>
    public string? this[string name] => Query.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// Parses a request target (origin form, <c>/path?query</c>). Paths are case-sensitive, as Autobahn's; a trailing
    /// slash is tolerated. Query values are percent-decoded with '+' as a space (HTML form encoding, as Autobahn's
    /// Twisted parser reads them). Returns null with one line naming the problem when the path is not a serve command.
    /// </summary>
    public static ServeRequest? TryParse(string target, out string? error)
    {
        ArgumentNullException.ThrowIfNull(target);
        error = null;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        if (path.Length > 1 && path.EndsWith('/')) path = path[..^1];
        if (!Paths.TryGetValue(path, out var command))
        {
            error = $"unknown path '{Shorten(path)}'; wsconform serve answers {ValidPaths} (Autobahn's direct command mode is not supported)";
            return null;
        }
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (question >= 0)
        {
            foreach (var pair in target[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Decode(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
                query.TryAdd(name, value);
            }
        }
        return new ServeRequest(command, query);
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    /// <summary>
    /// Checks an agent name: 1–<paramref name="maxLength"/> characters, no control characters. Returns null when fine,
    /// else one line naming the problem.
    /// </summary>
    public static string? CheckAgent(string? agent, int maxLength)
    {
        if (agent is null) return "the agent parameter is missing (agent=NAME names the client in the reports)";
        if (agent.Trim().Length == 0) return "the agent parameter is empty";
        if (agent.Length > maxLength) return $"the agent name is longer than {maxLength} characters";
        if (agent.Any(char.IsControl)) return "the agent name contains a control character";
        return null;
    }

    internal static string Shorten(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 100));
        foreach (var c in text.Take(100)) builder.Append(char.IsControl(c) ? '?' : c);
        if (text.Length > 100) builder.Append("...");
        return builder.ToString();
    }
}
