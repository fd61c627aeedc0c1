using Wsconform.Cases;
using Wsconform.Engine.Scripting;

namespace Wsconform.Cli;

/// <summary>
/// Checks of user input. Each returns null when the input is fine, else one line naming the problem and the
/// offending value, fit to print after "wsconform: ".
/// </summary>
internal static class InputValidation
{
    /// <summary>Headers the harness writes itself; a user value would corrupt the opening handshake.</summary>
    private static readonly string[] HandshakeHeaders =
        ["Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Accept", "Sec-WebSocket-Extensions", "Content-Length", "Transfer-Encoding"];

    /// <summary>A ws:// or wss:// URL without a fragment (RFC 6455 §3).</summary>
    public static string? ParseUrl(string text, out Uri? url)
    {
        url = null;
        var shown = Shorten(text);
        if (string.IsNullOrWhiteSpace(text))
            return "the target URL is empty";
        if (text.StartsWith('-'))
            return $"unknown option '{shown}' (see wsconform run --help)";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || !text.Contains("://", StringComparison.Ordinal))
        {
            var hint = text.Contains('*', StringComparison.Ordinal) || text.Contains(',', StringComparison.Ordinal)
                ? " (to select several case patterns, repeat --cases or separate them with commas)"
                : " (expected ws://host[:port][/path] or wss://...)";
            return $"invalid URL '{shown}': not an absolute URL{hint}";
        }
        if (parsed.Scheme is not ("ws" or "wss"))
            return $"unsupported URL scheme '{parsed.Scheme}' in '{shown}': use ws:// or wss://";
        if (text.Contains('#', StringComparison.Ordinal))
            return $"invalid URL '{shown}': a WebSocket URL must not have a #fragment (RFC 6455 §3)";
        if (string.IsNullOrEmpty(parsed.Host))
            return $"invalid URL '{shown}': no host";
        if (!string.IsNullOrEmpty(parsed.UserInfo))
            return $"invalid URL '{shown}': a WebSocket URL has no user info (RFC 6455 §3); send credentials with --header \"Authorization: ...\"";
        url = parsed;
        return null;
    }

    /// <summary>One <c>--header "Name: value"</c>.</summary>
    public static string? ParseHeader(string text, out KeyValuePair<string, string> header)
    {
        header = default;
        var shown = Shorten(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            return $"--header '{shown}' has no colon: expected \"Name: value\"";
        var name = text[..colon].Trim();
        var value = text[(colon + 1)..].Trim();
        if (name.Length == 0)
            return $"--header '{shown}' has no name before the colon: expected \"Name: value\"";
        if (!IsToken(name))
            return $"--header '{shown}': '{Shorten(name)}' is not a valid header name (RFC 9110 token)";
        if (ContainsLineBreakOrNul(value))
            return $"--header '{Shorten(name)}' value contains a line break or NUL";
        if (HandshakeHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            return $"--header '{name}' is written by the harness itself and cannot be set";
        if (name.Equals("Origin", StringComparison.OrdinalIgnoreCase))
            return "--header 'Origin': use --origin instead";
        if (name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))
            return "--header 'Sec-WebSocket-Protocol': use --protocol instead (repeatable)";
        header = new KeyValuePair<string, string>(name, value);
        return null;
    }

    /// <summary>The <c>--origin</c> value: any single-line text (browsers send a serialized origin, RFC 6454).</summary>
    public static string? CheckOrigin(string origin) =>
        origin.Trim().Length == 0 ? "--origin is empty"
        : ContainsLineBreakOrNul(origin) ? "--origin contains a line break or NUL"
        : null;

    /// <summary>One <c>--protocol</c>: a subprotocol name must be a token (RFC 6455 §4.1).</summary>
    public static string? CheckProtocol(string protocol) =>
        IsToken(protocol) ? null : $"--protocol '{Shorten(protocol)}' is not a valid subprotocol name (RFC 6455 §4.1: a token, no spaces, commas or separators)";

    public static string? CheckParallel(int parallel) =>
        parallel >= 1 ? null : $"--parallel must be at least 1 (got {parallel})";

    public static string? CheckCaFile(string path) =>
        File.Exists(path) ? null
        : Directory.Exists(path) ? $"--ca '{Shorten(path)}' is a directory, not a certificate file"
        : $"--ca file '{Shorten(path)}' does not exist";

    public static string? CheckOutputDirectory(string path) =>
        string.IsNullOrWhiteSpace(path) ? "--out is empty"
        : File.Exists(path) ? $"--out '{Shorten(path)}' is a file, not a directory"
        : null;

    public static string? CheckAgent(string agent) =>
        agent.Trim().Length == 0 ? "--agent is empty"
        : ContainsLineBreakOrNul(agent) ? "--agent contains a line break or NUL"
        : null;

    /// <summary>Patterns from repeated and/or comma-separated option values, trimmed, empty ones dropped.</summary>
    public static IReadOnlyList<string> SplitPatterns(IEnumerable<string>? values) =>
        (values ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Applies <c>--cases</c> and <c>--exclude</c> to the catalogue. Every include pattern must match at least one
    /// case (a typo must not silently run nothing), and something must be left after exclusion.
    /// </summary>
    public static string? SelectCases(IReadOnlyList<ConformanceCase> catalogue, IReadOnlyList<string> include, IReadOnlyList<string> exclude,
        out IReadOnlyList<ConformanceCase> selected)
    {
        selected = [];
        if (include.Count == 0)
            return "--cases has no pattern";
        foreach (var pattern in include)
        {
            if (!catalogue.Any(c => CaseIds.Matches(pattern, c.Id)))
                return $"no case matches --cases {pattern}" + (pattern.Contains('*', StringComparison.Ordinal) ? "" : $" (IDs match exactly; use '{pattern}.*' for a group)");
        }
        selected = CaseIds.Select(catalogue, include.ToArray(), exclude.ToArray());
        return selected.Count == 0 ? $"--exclude {string.Join(',', exclude)} leaves no case to run" : null;
    }

    /// <summary>
    /// <see cref="SelectCases"/> over the whole catalogue, then only the cases that apply to a <paramref name="peer"/>;
    /// a selection of which none applies is an error naming why (the others are <paramref name="leftOut"/>).
    /// </summary>
    public static string? SelectCasesFor(PeerKind peer, IReadOnlyList<string> include, IReadOnlyList<string> exclude,
        out IReadOnlyList<ConformanceCase> applicable, out IReadOnlyList<(ConformanceCase Case, string Reason)> leftOut)
    {
        applicable = [];
        leftOut = [];
        if (SelectCases(Catalogue.All, include, exclude, out var selected) is { } error) return error;
        (applicable, leftOut) = CaseApplicability.Split(selected, peer);
        if (applicable.Count > 0) return null;
        return $"none of the {selected.Count} selected case(s) applies to {PeersName(peer)} ({DescribeLeftOut(leftOut)})" +
               (peer == PeerKind.Server ? "; test clients with 'wsconform serve'" : "");
    }

    /// <summary>The line a command prints about the selected cases that do not apply to its kind of peer.</summary>
    public static string LeftOutLine(PeerKind peer, IReadOnlyList<(ConformanceCase Case, string Reason)> leftOut) =>
        $"  not applicable to {PeersName(peer)}, left out: {DescribeLeftOut(leftOut)}";

    /// <summary>"46 case(s) because it tests a server's opening handshake (0.1.1 ... 0.7.2); 4 ...".</summary>
    internal static string DescribeLeftOut(IReadOnlyList<(ConformanceCase Case, string Reason)> leftOut) =>
        string.Join("; ", leftOut.GroupBy(l => l.Reason).Select(g =>
        {
            var ids = g.Select(l => l.Case.Id).ToList();
            var shown = ids.Count <= 4 ? string.Join(", ", ids) : $"{ids[0]} ... {ids[^1]}";
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ids.Count} case(s) because {g.Key} ({shown})");
        }));

    private static string PeersName(PeerKind peer) => peer == PeerKind.Server ? "servers" : "clients";

    /// <summary>RFC 9110 §5.6.2 token: visible ASCII except separators.</summary>
    internal static bool IsToken(string text) =>
        text.Length > 0 && text.All(c => c is >= '!' and <= '~' && !"\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal));

    private static bool ContainsLineBreakOrNul(string text) => text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0;

    /// <summary>Keeps an echoed value short and on one line.</summary>
    private static string Shorten(string text)
    {
        var single = text.Replace('\r', ' ').Replace('\n', ' ');
        return single.Length <= 200 ? single : single[..200] + "…";
    }
}
