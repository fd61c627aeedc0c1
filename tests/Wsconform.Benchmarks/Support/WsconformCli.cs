using System.Runtime.InteropServices;
using System.Text.Json;

namespace Wsconform.Benchmarks.Support;

/// <summary>The built <c>wsconform</c> CLI as the process benchmarks spawn it: where it is, building it, reading its results.json.</summary>
internal static class WsconformCli
{
    public const string CliProject = "harness/Wsconform.Cli";
    private const string CliAssembly = "wsconform.dll";

    /// <summary>The Release build of the CLI under <paramref name="root"/>.</summary>
    public static string DllPath(string root) => Path.Combine(root, CliProject, "bin", "Release", "net10.0", CliAssembly);

    /// <summary>
    /// Builds the CLI (<c>dotnet build harness/Wsconform.Cli -c Release</c>) when <paramref name="force"/> or when it is
    /// missing. Returns null when the build exists afterwards, else why not (the build's last output included).
    /// </summary>
    public static async Task<string?> EnsureBuiltAsync(string root, bool force, TextWriter output, CancellationToken ct)
    {
        var dll = DllPath(root);
        if (!force && File.Exists(dll)) return null;
        output.WriteLine($"Building the CLI: dotnet build {CliProject} -c Release");
        var build = await ChildProcess.RunAsync(DotnetHost(), ["build", CliProject, "-c", "Release", "-nologo", "-v", "q"], root,
            TimeSpan.FromMinutes(5), ChildMeasure.None, ct).ConfigureAwait(false);
        return build.ExitCode == 0 && File.Exists(dll)
            ? null
            : $"build failed (exit code {build.ExitCode}):{Environment.NewLine}{Indent(build.Tail)}";
    }

    /// <summary>What <see cref="ReadResults"/> found in a results.json.</summary>
    /// <param name="RunPhaseMs">The first target's run phase; null when the file cannot be read.</param>
    /// <param name="Cases">How many cases it holds.</param>
    /// <param name="Verdicts">Behaviour counts, most frequent first: "OK=214 FAILED=2", or why the file is unreadable.</param>
    /// <param name="Counts">Behaviour counts by name ("OK", "ERROR", ...).</param>
    /// <param name="DurationsMs">Each case's duration by case ID.</param>
    public sealed record Results(double? RunPhaseMs, int Cases, string Verdicts, IReadOnlyDictionary<string, int> Counts,
        IReadOnlyDictionary<string, double> DurationsMs)
    {
        /// <summary>What a missing or unreadable file gives.</summary>
        public static Results None(string why) => new(null, 0, why, new Dictionary<string, int>(), new Dictionary<string, double>());
    }

    /// <summary>The run phase, case count and behaviour counts of the first target of a results.json.</summary>
    public static Results ReadResults(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var target = document.RootElement.GetProperty("targets")[0];
            var cases = target.GetProperty("cases").EnumerateArray().ToList();
            var behaviors = cases.Select(c => c.GetProperty("behavior").GetString() ?? "?").ToList();
            var durations = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var c in cases)
            {
                if (c.TryGetProperty("id", out var id) && id.GetString() is { } caseId
                    && c.TryGetProperty("durationMs", out var duration) && duration.ValueKind == JsonValueKind.Number)
                    durations[caseId] = duration.GetDouble();
            }
            var counts = behaviors.CountBy(v => v).OrderByDescending(p => p.Value).ToList();
            var verdicts = counts.Select(p => $"{p.Key}={Format.Int(p.Value)}");
            return new Results(target.GetProperty("runPhaseMs").GetDouble(), behaviors.Count, string.Join(" ", verdicts),
                counts.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), durations);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or IOException)
        {
            return Results.None("unreadable: " + e.Message);
        }
    }

    /// <summary>Indents every line of <paramref name="text"/> by four spaces.</summary>
    public static string Indent(string text) =>
        string.Join(Environment.NewLine, text.Split('\n').Select(l => "    " + l.TrimEnd('\r')));

    /// <summary>
    /// The <c>dotnet</c> host: the one the SDK names in DOTNET_HOST_PATH, else the one that owns the runtime this
    /// program runs on, else whatever <c>dotnet</c> is on the PATH.
    /// </summary>
    public static string DotnetHost()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
            return hostPath;
        // RuntimeEnvironment directory: <root>/shared/Microsoft.NETCore.App/<version>/
        var runtimeDir = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (runtimeDir.Parent?.Parent?.Parent is { } dotnetRoot && File.Exists(Path.Combine(dotnetRoot.FullName, exe)))
            return Path.Combine(dotnetRoot.FullName, exe);
        return exe;
    }
}
