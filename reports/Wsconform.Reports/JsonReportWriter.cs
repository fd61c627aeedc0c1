using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Wsconform.Model;
using Wsconform.Reports.Json;

namespace Wsconform.Reports;

/// <summary>
/// Writes <c>results.json</c>: the complete run in a versioned, documented format of our own (schema
/// "wsconform-results", <see cref="RunResult.CurrentSchemaVersion"/>), readable back with <see cref="ResultsJson"/>.
/// Verdicts are Autobahn's strings so results compare one to one with Autobahn reports.
/// </summary>
public sealed class JsonReportWriter : IReportWriter
{
    /// <summary>File name written into the output directory.</summary>
    public const string FileName = "results.json";

    /// <summary>Options of the generated context, with an encoder that keeps non-ASCII text (UTF-8 cases!) readable
    /// while still escaping the HTML-sensitive characters &lt; &gt; &amp; ' so the file is safe to embed.</summary>
    internal static readonly ResultsJsonContext Context = new(new JsonSerializerOptions(ResultsJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    });

    public string Name => "json";

    public async Task<string> WriteAsync(RunResult run, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var document = ResultsJsonMapper.ToDocument(run);
        var path = Path.GetFullPath(Path.Combine(outputDirectory, FileName));
        await AtomicFile.WriteAsync(
            path,
            (stream, ct) => JsonSerializer.SerializeAsync(stream, document, Context.ResultsDocument, ct),
            cancellationToken).ConfigureAwait(false);
        return path;
    }
}
