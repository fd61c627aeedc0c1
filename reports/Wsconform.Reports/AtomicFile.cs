namespace Wsconform.Reports;

/// <summary>
/// Writes a file through a temporary sibling and a final rename, so a crash, a full disk or a cancelled run never
/// leaves a truncated report where the previous complete one was.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Prefix of temporary files; they are hidden on Unix and easy to spot (and delete) if a process dies mid-write.</summary>
    internal const string TempPrefix = ".wsconform-";
    internal const string TempSuffix = ".tmp";

    /// <summary>
    /// Creates a temporary file next to <paramref name="path"/>, lets <paramref name="write"/> fill it, flushes it to
    /// disk and moves it over <paramref name="path"/>. The temporary file is deleted when anything fails.
    /// </summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no parent directory", nameof(path));
        // Same directory as the target: File.Move is then a rename on one file system, which is atomic.
        var tempPath = Path.Combine(directory, $"{TempPrefix}{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            var stream = new FileStream(tempPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 64 * 1024,
            });
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                // Flush(true) reaches the disk, so the rename never publishes a file whose data is still only in a cache.
                stream.Flush(flushToDisk: true);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
