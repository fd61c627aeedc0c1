using System.Globalization;
using System.Text;
using HandlebarsDotNet;
using Wsconform.Model;

namespace Wsconform.Reports;

/// <summary>
/// Writes <c>index.html</c>: one self-contained page (inline CSS; no scripts, fonts or images, so it opens from
/// file:// and offline) with the run header, verdict totals, one summary table per category and a detail section per
/// case, laid out and coloured like Autobahn|Testsuite's report.
/// </summary>
/// <remarks>
/// The page is rendered by Handlebars.Net from templates embedded in this assembly (<c>Templates/index.hbs</c> with
/// the partials <c>case.hbs</c>, <c>wirelog.hbs</c>, <c>wirestats.hbs</c> and <c>styles.css</c>). The templates see a
/// <see cref="ReportViewModel"/> and contain no logic beyond <c>each</c>/<c>if</c>. Every value goes through
/// Handlebars' default <c>{{ }}</c> HTML escaping (which also escapes quotes, backtick and '='), so peer-controlled
/// text (close reasons, headers, payload previews) cannot inject markup.
/// </remarks>
/// <param name="templateDirectory">A folder with the user's own <c>index.hbs</c> and/or partials; files present there
/// replace the embedded ones of the same name, missing ones fall back to the embedded defaults.</param>
public sealed class HtmlReportWriter(string? templateDirectory = null) : IReportWriter
{
    /// <summary>File name written into the output directory.</summary>
    public const string FileName = "index.html";

    /// <summary>UTF-8 without a BOM; the page declares its charset in a meta tag.</summary>
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public string Name => "html";

    /// <summary>The folder templates are read from, or null for the embedded defaults.</summary>
    public string? TemplateDirectory { get; } = templateDirectory;

    public async Task<string> WriteAsync(RunResult run, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        // Build everything that can fail before the file is touched.
        var model = ReportViewModel.From(run);
        var render = Compile(TemplateSet.Load(TemplateDirectory));
        var path = Path.GetFullPath(Path.Combine(outputDirectory, FileName));
        await AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                render(writer, model);
                await writer.FlushAsync(ct).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Renders the page into a string; for tests and for callers that embed the report elsewhere.</summary>
    public string Render(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var render = Compile(TemplateSet.Load(TemplateDirectory));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        render(writer, ReportViewModel.From(run));
        return writer.ToString();
    }

    private static Action<TextWriter, ReportViewModel> Compile(TemplateSet templates)
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration
        {
            // The view model pre-formats its numbers; this makes anything a user's template prints culture-proof too.
            FormatProvider = CultureInfo.InvariantCulture,
        });
        var current = templates.Index;
        try
        {
            foreach (var (name, file) in templates.Files)
            {
                if (!string.Equals(name, TemplateSet.IndexName, StringComparison.OrdinalIgnoreCase))
                {
                    current = file;
                    handlebars.RegisterTemplate(name, file.Text);
                }
            }
            current = templates.Index;
            using var reader = new StringReader(current.Text);
            var template = handlebars.Compile(reader);
            return (writer, model) =>
            {
                try
                {
                    template(writer, model);
                }
                catch (HandlebarsException e)
                {
                    throw new InvalidOperationException($"HTML template {current.Source}: {e.Message}", e);
                }
            };
        }
        catch (HandlebarsException e)
        {
            throw new InvalidOperationException($"HTML template {current.Source}: {e.Message}", e);
        }
    }
}
