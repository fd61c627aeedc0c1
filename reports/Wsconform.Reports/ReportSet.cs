using Wsconform.Model;

namespace Wsconform.Reports;

/// <summary>The standard set of reports and a way to write them all, each one isolated from the others' failures.</summary>
public static class ReportSet
{
    /// <summary>results.json and index.html.</summary>
    public static IReadOnlyList<IReportWriter> Default(string? templateDirectory = null) =>
        [new JsonReportWriter(), new HtmlReportWriter(templateDirectory)];

    /// <summary>
    /// Creates <paramref name="outputDirectory"/> if needed and runs every writer of <see cref="Default"/>, returning
    /// the paths written.
    /// </summary>
    /// <exception cref="AggregateException">One or more writers failed; the others still ran. Each inner exception is a
    /// <see cref="ReportWriterException"/> naming its writer.</exception>
    public static Task<IReadOnlyList<string>> WriteAllAsync(
        RunResult run,
        string outputDirectory,
        string? templateDirectory = null,
        CancellationToken cancellationToken = default) =>
        WriteAllAsync(run, outputDirectory, Default(templateDirectory), cancellationToken);

    /// <summary>As <see cref="WriteAllAsync(RunResult, string, string?, CancellationToken)"/> with any set of writers.</summary>
    public static async Task<IReadOnlyList<string>> WriteAllAsync(
        RunResult run,
        string outputDirectory,
        IReadOnlyList<IReportWriter> writers,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(writers);
        Directory.CreateDirectory(outputDirectory);

        var written = new List<string>(writers.Count);
        var failures = new List<ReportWriterException>();
        foreach (var writer in writers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                written.Add(await writer.WriteAsync(run, outputDirectory, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Cancellation is the caller's decision, not a writer failure.
                throw;
            }
            catch (Exception e)
            {
                failures.Add(new ReportWriterException(writer.Name, e));
            }
        }

        if (failures.Count > 0)
        {
            var names = string.Join(", ", failures.Select(f => f.WriterName));
            var done = written.Count == 0 ? "nothing was written" : "written: " + string.Join(", ", written);
            throw new AggregateException($"Report writer(s) failed: {names} ({done})", failures);
        }
        return written;
    }
}

/// <summary>A report writer failed; <see cref="WriterName"/> says which, the inner exception says why.</summary>
public sealed class ReportWriterException(string writerName, Exception innerException)
    : Exception($"Report writer '{writerName}' failed: {innerException.Message}", innerException)
{
    public string WriterName { get; } = writerName;
}
