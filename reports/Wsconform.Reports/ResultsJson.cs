using System.Text.Json;
using Wsconform.Model;
using Wsconform.Reports.Json;

namespace Wsconform.Reports;

/// <summary>
/// Reads a <c>results.json</c> written by <see cref="JsonReportWriter"/> back into the model, for compare and merge.
/// Anything that is not a results file of a supported schema version is rejected with an
/// <see cref="InvalidDataException"/> whose message says in one line what is wrong.
/// </summary>
public static class ResultsJson
{
    /// <summary>Reads a results document from <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON, not a wsconform results file, an unsupported
    /// schemaVersion, or content that does not fit the schema.</exception>
    public static RunResult Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, "results document");
    }

    /// <summary>Reads the results file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">As <see cref="Read(Stream)"/>; the message names the file.</exception>
    public static RunResult ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    private static RunResult Read(Stream stream, string source)
    {
        ReadOnlyMemory<byte> utf8 = ReadAll(stream);
        if (utf8.Span.StartsWith(Utf8Bom))
        {
            // Editors add a BOM; the JSON reader does not accept one.
            utf8 = utf8[Utf8Bom.Length..];
        }
        if (utf8.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Invalid(source, "the file is empty", null);
        }
        CheckHeader(utf8.Span, source);
        ResultsDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8.Span, JsonReportWriter.Context.ResultsDocument);
        }
        catch (JsonException e)
        {
            throw Invalid(source, OneLine(e.Message), e);
        }
        if (document is null)
        {
            throw Invalid(source, "the document is null", null);
        }
        try
        {
            return ResultsJsonMapper.ToModel(document);
        }
        catch (InvalidDataException e)
        {
            throw Invalid(source, e.Message, e);
        }
    }

    /// <summary>
    /// Checks "schema" and "schemaVersion" before anything else: a file of another version may have a different shape,
    /// and "unsupported version 2" is a far better message than whatever the first mismatching key would produce.
    /// The scan skips every nested value, so it costs one pass of the tokenizer and no allocation per value.
    /// </summary>
    private static void CheckHeader(ReadOnlySpan<byte> utf8, string source)
    {
        string? schema = null;
        int? version = null;
        var versionSeen = false;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read())
            {
                throw Invalid(source, "the file is empty", null);
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid(source, $"expected a JSON object at the top level, found {reader.TokenType}", null);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("schema"u8))
                {
                    reader.Read();
                    schema = reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType.ToString();
                }
                else if (reader.ValueTextEquals("schemaVersion"u8))
                {
                    reader.Read();
                    versionSeen = true;
                    version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"malformed JSON: {OneLine(e.Message)}", e);
        }

        if (schema != ResultsJsonMapper.SchemaName)
        {
            throw Invalid(source, schema is null
                ? $"not a wsconform results file (no \"schema\": \"{ResultsJsonMapper.SchemaName}\" key)"
                : $"not a wsconform results file (\"schema\" is '{schema}', expected '{ResultsJsonMapper.SchemaName}')", null);
        }
        if (!versionSeen)
        {
            throw Invalid(source, "\"schemaVersion\" is missing", null);
        }
        if (version != RunResult.CurrentSchemaVersion)
        {
            var found = version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not an integer";
            throw Invalid(source, $"unsupported schemaVersion {found}; this wsconform reads schemaVersion {RunResult.CurrentSchemaVersion}", null);
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static byte[] ReadAll(Stream stream)
    {
        if (stream is MemoryStream memory && memory.Position == 0 && memory.TryGetBuffer(out var buffer))
        {
            return buffer.AsSpan().ToArray();
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static InvalidDataException Invalid(string source, string problem, Exception? inner) =>
        new($"{source}: {problem}", inner);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
