using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Wsconform.Wire.Deflate;

/// <summary>
/// A parsed <c>Sec-WebSocket-Extensions</c> header (RFC 6455 §9.1): the elements of every header line in order, or the
/// first syntax problem. The input comes from the peer under test, so parsing never throws for any text, does work
/// linear in its length, and stops with an error beyond <see cref="MaxElements"/> elements or
/// <see cref="MaxParametersPerElement"/> parameters in one element.
/// </summary>
/// <remarks>
/// Grammar (RFC 6455 §9.1): <c>1#( extension-token *( ";" extension-param ) )</c>, <c>extension-param = token [ "="
/// (token | quoted-string) ]</c>, where a quoted-string value must be a token once unquoted. Spaces and tabs are
/// allowed around <c>,</c> <c>;</c> and <c>=</c> (the implied linear white space of the RFC 2616 rules RFC 6455 uses).
/// Empty list elements (<c>a, , b</c>) are skipped, as RFC 7230 §7 tells recipients to do, so a value with no element at
/// all parses as an empty list; whether the header may be present and empty is for the handshake validator to judge.
/// </remarks>
public sealed class ExtensionHeader
{
    /// <summary>Most elements accepted over all header lines; a peer sending more is hostile or broken.</summary>
    public const int MaxElements = 64;

    /// <summary>Most parameters accepted in one element.</summary>
    public const int MaxParametersPerElement = 64;

    /// <summary>Longest quotation of the peer's text in an error, so a 100 KB header gives a readable sentence.</summary>
    private const int ExcerptLength = 60;

    private ExtensionHeader(IReadOnlyList<ExtensionElement> elements, string? error)
    {
        Elements = elements;
        Error = error;
    }

    /// <summary>Every element of every header line, in order; empty when <see cref="Error"/> is set.</summary>
    public IReadOnlyList<ExtensionElement> Elements { get; }

    /// <summary>One sentence naming the first syntax problem and quoting the text where it starts; null when valid.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Error is null;

    /// <summary>Parses one header line.</summary>
    public static ExtensionHeader Parse(string? headerValue) => Parse([headerValue]);

    /// <summary>
    /// Parses every <c>Sec-WebSocket-Extensions</c> line of one message, in order: several lines form one list
    /// (RFC 6455 §9.1, RFC 7230 §3.2.2). Null lines are skipped.
    /// </summary>
    public static ExtensionHeader Parse(IEnumerable<string?> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);

        var elements = new List<ExtensionElement>();
        foreach (string? value in headerValues)
        {
            if (value is null)
            {
                continue;
            }

            if (ParseLine(value, elements) is { } error)
            {
                return new ExtensionHeader([], error);
            }
        }

        return new ExtensionHeader(elements, null);
    }

    /// <summary>Appends the elements of one line to <paramref name="elements"/>; returns the first problem, or null.</summary>
    private static string? ParseLine(string text, List<ExtensionElement> elements)
    {
        int pos = 0;
        while (true)
        {
            pos = SkipWhitespace(text, pos);
            if (pos == text.Length)
            {
                return null;
            }

            if (text[pos] == ',')
            {
                pos++;
                continue;
            }

            int start = pos;
            int nameEnd = TokenEnd(text, pos);
            if (nameEnd == pos)
            {
                return $"expected an extension name (a token) {At(text, pos)}";
            }

            string name = text[pos..nameEnd];
            pos = nameEnd;
            int contentEnd = pos;
            var parameters = new List<ExtensionParameter>();

            pos = SkipWhitespace(text, pos);
            while (pos < text.Length && text[pos] == ';')
            {
                if (parameters.Count == MaxParametersPerElement)
                {
                    return $"extension {Quote(name)} has more than {MaxParametersPerElement} parameters {At(text, pos)}";
                }

                ParameterRead read = ParseParameter(text, ref pos, name);
                if (read.Parameter is not { } parameter)
                {
                    return read.Error;
                }

                parameters.Add(parameter);
                contentEnd = pos;
                pos = SkipWhitespace(text, pos);
            }

            if (pos < text.Length && text[pos] != ',')
            {
                return $"unexpected {Describe(text[pos])} after extension {Quote(name)}, where ';' or ',' belongs, {At(text, pos)}";
            }

            if (elements.Count == MaxElements)
            {
                return $"the header lists more than {MaxElements} extension elements {At(text, start)}";
            }

            elements.Add(new ExtensionElement(name, parameters) { Text = text[start..contentEnd] });
            if (pos < text.Length)
            {
                pos++;
            }
        }
    }

    /// <summary>Outcome of reading one parameter: exactly one of the two is set.</summary>
    private readonly record struct ParameterRead(ExtensionParameter? Parameter, string? Error);

    /// <summary>
    /// Reads <c>; name [= value]</c> starting at the <c>;</c>. On success leaves <paramref name="pos"/> just after the
    /// parameter's last character.
    /// </summary>
    private static ParameterRead ParseParameter(string text, ref int pos, string extension)
    {
        pos = SkipWhitespace(text, pos + 1);
        int nameEnd = TokenEnd(text, pos);
        if (nameEnd == pos)
        {
            return new ParameterRead(null, $"expected a parameter name (a token) after ';' in extension {Quote(extension)} {At(text, pos)}");
        }

        string name = text[pos..nameEnd];
        pos = nameEnd;

        int equals = SkipWhitespace(text, pos);
        if (equals == text.Length || text[equals] != '=')
        {
            return new ParameterRead(new ExtensionParameter(name, null), null);
        }

        int valueStart = SkipWhitespace(text, equals + 1);
        if (valueStart < text.Length && text[valueStart] == '"')
        {
            if (!TryUnquote(text, valueStart, out string value, out int valueEnd))
            {
                return new ParameterRead(null, $"the quoted value of parameter {Quote(name)} has no closing '\"' {At(text, valueStart)}");
            }

            if (!IsToken(value))
            {
                return new ParameterRead(null,
                    $"the quoted value of parameter {Quote(name)} is not a token once unquoted (RFC 6455 §9.1) {At(text, valueStart)}");
            }

            pos = valueEnd;
            return new ParameterRead(new ExtensionParameter(name, value), null);
        }

        int tokenEnd = TokenEnd(text, valueStart);
        if (tokenEnd == valueStart)
        {
            return new ParameterRead(null, $"expected a value (a token or quoted-string) after '=' for parameter {Quote(name)} {At(text, valueStart)}");
        }

        pos = tokenEnd;
        return new ParameterRead(new ExtensionParameter(name, text[valueStart..tokenEnd]), null);
    }

    /// <summary>
    /// Reads the quoted-string starting at <paramref name="open"/> (RFC 2616 §2.2: a backslash quotes the next
    /// character). False when the closing quote is missing.
    /// </summary>
    private static bool TryUnquote(string text, int open, out string value, out int end)
    {
        var unquoted = new StringBuilder();
        for (int i = open + 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                value = unquoted.ToString();
                end = i + 1;
                return true;
            }

            if (c == '\\')
            {
                if (++i == text.Length)
                {
                    break;
                }

                c = text[i];
            }

            unquoted.Append(c);
        }

        value = "";
        end = text.Length;
        return false;
    }

    /// <summary>True when <paramref name="value"/> is a non-empty HTTP token (RFC 2616 §2.2).</summary>
    internal static bool IsToken(string value) => value.Length > 0 && TokenEnd(value, 0) == value.Length;

    private static int TokenEnd(string text, int pos)
    {
        while (pos < text.Length && IsTokenChar(text[pos]))
        {
            pos++;
        }

        return pos;
    }

    /// <summary>Visible US-ASCII except the separators of RFC 2616 §2.2.</summary>
    private static bool IsTokenChar(char c) => c is > ' ' and < '\x7f' and not
        ('(' or ')' or '<' or '>' or '@' or ',' or ';' or ':' or '\\' or '"' or '/' or '[' or ']' or '?' or '=' or '{' or '}');

    private static int SkipWhitespace(string text, int pos)
    {
        while (pos < text.Length && text[pos] is ' ' or '\t')
        {
            pos++;
        }

        return pos;
    }

    /// <summary>Where a problem starts: the text from there, shortened, or the end of the line.</summary>
    private static string At(string text, int pos) =>
        pos >= text.Length ? "at the end of the header value" : $"at {Quote(text.Substring(pos, Math.Min(text.Length - pos, ExcerptLength + 1)))}";

    private static string Describe(char c) => c < ' ' || c == '\x7f' || c > '~' ? $"character U+{(int)c:X4}" : $"'{c}'";

    /// <summary>
    /// The peer's text in double quotes, at most <see cref="ExcerptLength"/> characters, with quotes and backslashes
    /// escaped by a backslash and control and non-ASCII characters as <c>\uXXXX</c>, so a report line stays one
    /// printable, unambiguous line.
    /// </summary>
    internal static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        int length = Math.Min(text.Length, ExcerptLength);
        for (int i = 0; i < length; i++)
        {
            char c = text[i];
            if (c is < ' ' or > '~')
            {
                quoted.Append($"\\u{(int)c:X4}");
            }
            else if (c is '"' or '\\')
            {
                quoted.Append('\\').Append(c);
            }
            else
            {
                quoted.Append(c);
            }
        }

        if (text.Length > ExcerptLength)
        {
            quoted.Append('…');
        }

        return quoted.Append('"').ToString();
    }
}
