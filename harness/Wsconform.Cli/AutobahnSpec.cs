using System.Text.Json;
using System.Text.RegularExpressions;
using Wsconform.Cases;
using Wsconform.Engine.Scripting;

namespace Wsconform.Cli;

/// <summary>
/// Reads Autobahn's <c>fuzzingclient.json</c> (catalogue §3.1) for <c>wsconform run --spec</c>: <c>servers</c> (agent, url,
/// origin, protocols, options), <c>cases</c>, <c>exclude-cases</c>, <c>exclude-agent-cases</c>, <c>outdir</c>.
/// Options only change Autobahn's own fuzzer; none is needed here, so each one gets a one-line note and is ignored,
/// as are unknown keys and <c>hostname</c> (SNI follows the URL's host).
/// </summary>
internal static class AutobahnSpec
{
    public static string? Apply(string specFile, RunCommand.Request request, bool outGiven, TextWriter stdout, out RunCommand.Request result)
    {
        result = request;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(specFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return $"--spec {specFile}: file not found";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return $"--spec {specFile}: {(ex is JsonException ? "malformed JSON: " : "")}{Program.OneLine(ex.Message)}";
        }
        using (document)
        {
            try
            {
                result = Read(document.RootElement, specFile, request, outGiven, stdout);
                return null;
            }
            catch (SpecException ex)
            {
                return $"--spec {specFile}: {ex.Message}";
            }
        }
    }

    private sealed class SpecException(string message) : Exception(message);

    private static RunCommand.Request Read(JsonElement root, string specFile, RunCommand.Request request, bool outGiven, TextWriter stdout)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new SpecException("expected a JSON object at the top level");
        var include = (IReadOnlyList<string>)["*"];
        IReadOnlyList<string> exclude = [];
        var agentExcludes = new List<(string AgentPattern, IReadOnlyList<string> Cases)>();
        string? outdir = null;
        JsonElement? servers = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "servers":
                    servers = property.Value;
                    break;
                case "cases":
                    include = Strings(property.Value, "cases");
                    break;
                case "exclude-cases":
                    exclude = Strings(property.Value, "exclude-cases");
                    break;
                case "exclude-agent-cases":
                    if (property.Value.ValueKind != JsonValueKind.Object) throw new SpecException("\"exclude-agent-cases\" must be an object of agent pattern → case patterns");
                    foreach (var agent in property.Value.EnumerateObject())
                        agentExcludes.Add((agent.Name, Strings(agent.Value, $"exclude-agent-cases \"{agent.Name}\"")));
                    break;
                case "outdir":
                    outdir = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : throw new SpecException("\"outdir\" must be a string");
                    break;
                case "options":
                    NoteOptions(property.Value, "options", specFile, stdout);
                    break;
                default:
                    stdout.WriteLine($"note: {specFile}: key \"{property.Name}\" is not used by wsconform run and is ignored");
                    break;
            }
        }
        if (servers is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
            throw new SpecException("\"servers\" must be a non-empty array (wsconform tests servers, as Autobahn's fuzzingclient)");

        if (InputValidation.SelectCases(Catalogue.ForServers, include, exclude, out var selected) is { } selectError)
            throw new SpecException(selectError.Replace("--cases", "\"cases\"", StringComparison.Ordinal).Replace("--exclude", "\"exclude-cases\"", StringComparison.Ordinal));

        var targets = new List<RunCommand.SpecTarget>();
        var index = 0;
        foreach (var server in list.EnumerateArray())
        {
            var where = $"servers[{index++}]";
            if (server.ValueKind != JsonValueKind.Object) throw new SpecException($"{where} must be an object");
            string? url = null, agent = null, origin = null;
            IReadOnlyList<string> protocols = [];
            foreach (var property in server.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "url":
                        url = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : throw new SpecException($"{where}.url must be a string");
                        break;
                    case "agent":
                        agent = property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Null => null,
                            _ => throw new SpecException($"{where}.agent must be a string"),
                        };
                        break;
                    case "origin":
                        origin = property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Null => null,
                            _ => throw new SpecException($"{where}.origin must be a string or null"),
                        };
                        break;
                    case "protocols":
                        protocols = property.Value.ValueKind == JsonValueKind.Null ? [] : Strings(property.Value, $"{where}.protocols");
                        break;
                    case "options":
                        NoteOptions(property.Value, $"{where}.options", specFile, stdout);
                        break;
                    case "hostname":
                        stdout.WriteLine($"note: {specFile}: {where}.hostname is ignored (TLS SNI is the URL's host)");
                        break;
                    default:
                        stdout.WriteLine($"note: {specFile}: {where} key \"{property.Name}\" is not used and is ignored");
                        break;
                }
            }
            if (url is null) throw new SpecException($"{where} has no \"url\"");
            if (InputValidation.ParseUrl(url, out var uri) is { } urlError) throw new SpecException($"{where}: {urlError}");
            if (origin is not null && InputValidation.CheckOrigin(origin) is { } originError) throw new SpecException($"{where}: {originError.Replace("--origin", "origin", StringComparison.Ordinal)}");
            foreach (var protocol in protocols)
            {
                if (InputValidation.CheckProtocol(protocol) is { } protocolError) throw new SpecException($"{where}: {protocolError.Replace("--protocol", "protocol", StringComparison.Ordinal)}");
            }
            if (agent is not null && InputValidation.CheckAgent(agent) is { } agentError) throw new SpecException($"{where}: {agentError.Replace("--agent", "agent", StringComparison.Ordinal)}");

            // exclude-agent-cases: both patterns anchored at both ends, '*' a wildcard (Autobahn). Without an agent
            // the URL's host:port stands for it (Autobahn would use the Server header, known only after connecting).
            var name = agent?.Trim() ?? $"{uri!.Host}:{uri.Port}";
            var excluded = agentExcludes.Where(a => Anchored(a.AgentPattern, name)).SelectMany(a => a.Cases).ToList();
            var mine = selected.Where(c => !excluded.Any(p => Anchored(p, c.Id))).ToList();
            if (mine.Count == 0) throw new SpecException($"{where}: exclude-agent-cases leaves no case to run for agent '{name}'");
            targets.Add(new RunCommand.SpecTarget(uri!, agent?.Trim(), origin, protocols, mine));
        }
        var duplicate = targets.Where(t => t.Agent is not null).GroupBy(t => t.Agent, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new SpecException($"agent '{duplicate.Key}' appears twice (reports are keyed by agent)");

        return request with
        {
            Cases = include,
            Exclude = exclude,
            Selected = selected,
            SpecTargets = targets,
            OutputDirectory = !outGiven && outdir is not null ? outdir : request.OutputDirectory,
        };
    }

    private static void NoteOptions(JsonElement options, string where, string specFile, TextWriter stdout)
    {
        if (options.ValueKind == JsonValueKind.Null) return;
        if (options.ValueKind != JsonValueKind.Object) throw new SpecException($"\"{where}\" must be an object");
        foreach (var option in options.EnumerateObject())
            stdout.WriteLine($"note: {specFile}: {where}.{option.Name} is an Autobahn fuzzer option with no wsconform equivalent; ignored");
    }

    private static IReadOnlyList<string> Strings(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw new SpecException($"\"{where}\" must be an array of strings");
        return value.EnumerateArray().Select(e => e.GetString()!.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Autobahn's exclude-agent-cases match: '*' is a wildcard, the pattern must cover the whole text.</summary>
    internal static bool Anchored(string pattern, string text) =>
        Regex.IsMatch(text, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}
