using System.Globalization;
using System.Text.Json;
using Wsconform.Model;
using Wsconform.Reports.Journal;

namespace Wsconform.Reports.Json;

/// <summary>
/// Lines of results.jsonl to and from the model. A case line holds the case exactly as results.json does (the same DTO,
/// mapper and serializer context), written without indentation so that one JSON object is one line.
/// </summary>
internal static class JournalJson
{
    public const string SchemaName = "wsconform-journal";
    public const int SchemaVersion = 1;

    /// <summary>results.json's context and encoder, unindented.</summary>
    private static readonly ResultsJsonContext LineContext = new(new JsonSerializerOptions(JsonReportWriter.Context.Options) { WriteIndented = false });

    /// <summary>The header line, without its line break.</summary>
    public static byte[] HeaderLine(JournalHeader header) => JsonSerializer.SerializeToUtf8Bytes(new JournalHeaderDto
    {
        Schema = SchemaName,
        SchemaVersion = SchemaVersion,
        ToolVersion = header.ToolVersion,
        StartedAt = ResultsJsonMapper.FormatTime(header.StartedAt),
        Settings = ResultsJsonMapper.ToDto(header.Settings),
        Targets = header.Targets.Select(t => new JournalTargetDto
        {
            Url = t.Url,
            Agent = t.Agent,
            BuiltIn = t.BuiltIn,
            Origin = t.Origin,
            Protocols = t.Protocols,
            Cases = t.CaseIds,
        }).ToArray(),
    }, LineContext.JournalHeaderDto);

    /// <summary>A case line, without its line break.</summary>
    public static byte[] CaseLine(int target, CaseResult result) =>
        JsonSerializer.SerializeToUtf8Bytes(new JournalCaseLineDto { Target = target, Case = ResultsJsonMapper.ToDto(result) }, LineContext.JournalCaseLineDto);

    /// <exception cref="InvalidDataException">Not a journal header of a supported version, in one line.</exception>
    public static JournalHeader ReadHeader(ReadOnlySpan<byte> line)
    {
        JournalHeaderDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(line, LineContext.JournalHeaderDto);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a wsconform journal header ({OneLine(e.Message)})", e);
        }
        if (dto is null || dto.Schema != SchemaName)
            throw new InvalidDataException($"not a wsconform journal header (no \"schema\": \"{SchemaName}\")");
        if (dto.SchemaVersion != SchemaVersion)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"unsupported schemaVersion {dto.SchemaVersion}; this wsconform reads schemaVersion {SchemaVersion}"));
        return new JournalHeader
        {
            ToolVersion = dto.ToolVersion,
            StartedAt = ResultsJsonMapper.ParseTime(dto.StartedAt, "startedAt"),
            Settings = ResultsJsonMapper.ToModel(dto.Settings),
            Targets = dto.Targets.Select(t => new JournalTarget(t.Url, t.Agent, t.BuiltIn, t.Origin, t.Protocols, t.Cases)).ToArray(),
        };
    }

    /// <exception cref="InvalidDataException">Not a case line, in one line.</exception>
    public static JournalEntry ReadCase(ReadOnlySpan<byte> line)
    {
        JournalCaseLineDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(line, LineContext.JournalCaseLineDto);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a case line ({OneLine(e.Message)})", e);
        }
        if (dto is null) throw new InvalidDataException("not a case line (null)");
        return new JournalEntry(dto.Target, ResultsJsonMapper.ToModel(dto.Case));
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
