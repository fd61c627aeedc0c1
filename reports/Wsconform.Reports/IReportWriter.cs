using Wsconform.Model;

namespace Wsconform.Reports;

/// <summary>
/// Turns a finished <see cref="RunResult"/> into one report file. Every format reads the same immutable model and
/// recomputes nothing the model already holds (the BenchmarkDotNet exporter idea: one input, one small interface).
/// </summary>
public interface IReportWriter
{
    /// <summary>Short name used in messages and on the command line, e.g. "json" or "html".</summary>
    string Name { get; }

    /// <summary>
    /// Writes the report into <paramref name="outputDirectory"/> (which must exist) and returns the full path written.
    /// The file is replaced atomically: readers see either the old report or the complete new one, never half a file.
    /// </summary>
    Task<string> WriteAsync(RunResult run, string outputDirectory, CancellationToken cancellationToken = default);
}
