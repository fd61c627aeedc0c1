using System.Reflection;
using System.Text;

namespace Wsconform.Reports;

/// <summary>
/// The HTML report's template files: <c>index.hbs</c> (the page) and partials (every other <c>*.hbs</c>, and every
/// <c>*.css</c> and <c>*.js</c>, registered under the file name without extension, e.g. <c>{{> case}}</c>, <c>{{> styles}}</c>).
/// The defaults ship as embedded resources; a user directory overrides them file by file, so a user may copy only
/// the file they want to change.
/// </summary>
internal sealed class TemplateSet
{
    public const string IndexName = "index";
    private const string ResourcePrefix = "Wsconform.Reports.Templates.";

    private static readonly Lazy<IReadOnlyDictionary<string, TemplateFile>> Embedded = new(LoadEmbedded);

    private TemplateSet(IReadOnlyDictionary<string, TemplateFile> files) => Files = files;

    /// <summary>Template text by partial name; <see cref="IndexName"/> is the page itself.</summary>
    public IReadOnlyDictionary<string, TemplateFile> Files { get; }

    public TemplateFile Index => Files.TryGetValue(IndexName, out var index)
        ? index
        : throw new InvalidOperationException("The HTML templates have no index.hbs.");

    /// <summary>The embedded templates, overridden by the files of <paramref name="directory"/> when given.</summary>
    public static TemplateSet Load(string? directory)
    {
        var files = new Dictionary<string, TemplateFile>(Embedded.Value, StringComparer.OrdinalIgnoreCase);
        if (directory is null)
        {
            return new TemplateSet(files);
        }
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"HTML template directory '{directory}' does not exist.");
        }
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (TryName(Path.GetFileName(path), out var name))
            {
                files[name] = new TemplateFile(path, File.ReadAllText(path, Encoding.UTF8));
            }
        }
        return new TemplateSet(files);
    }

    private static Dictionary<string, TemplateFile> LoadEmbedded()
    {
        var assembly = typeof(TemplateSet).Assembly;
        var files = new Dictionary<string, TemplateFile>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !TryName(resource[ResourcePrefix.Length..], out var name))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded template '{resource}' cannot be opened.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            files[name] = new TemplateFile($"embedded:{resource[ResourcePrefix.Length..]}", reader.ReadToEnd());
        }
        return files;
    }

    private static bool TryName(string fileName, out string name)
    {
        var extension = Path.GetExtension(fileName);
        if (extension.Equals(".hbs", StringComparison.OrdinalIgnoreCase) || extension.Equals(".css", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".js", StringComparison.OrdinalIgnoreCase))
        {
            name = Path.GetFileNameWithoutExtension(fileName);
            return name.Length > 0;
        }
        name = "";
        return false;
    }
}

/// <summary>One template file: where it came from (for error messages) and its text.</summary>
internal sealed record TemplateFile(string Source, string Text);
