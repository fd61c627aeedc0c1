using System.Text.Json.Serialization;

namespace Wsconform.Reports.Json;

/// <summary>
/// Source-generated (de)serialisation of results.json and of the lines of results.jsonl (the run's journal, which holds
/// the same case objects): no reflection at run time, trimming-safe, and the options that define the format live in
/// one attribute. Null for a non-nullable member and a missing required key are errors on reading, so a damaged file
/// is rejected instead of half-read.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    // Durations are measured, but a NaN from a broken clock must not make the whole report unwritable.
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    // Newer minor additions (extra keys) are readable by older tools; only schemaVersion gates compatibility.
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ResultsDocument))]
[JsonSerializable(typeof(JournalHeaderDto))]
[JsonSerializable(typeof(JournalCaseLineDto))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;
