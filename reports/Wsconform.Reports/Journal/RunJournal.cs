using Microsoft.Win32.SafeHandles;
using Wsconform.Model;
using Wsconform.Reports.Json;

namespace Wsconform.Reports.Journal;

/// <summary>
/// The run's journal, <c>results.jsonl</c> in the report directory: a header line, then one line per case appended the
/// moment the case finishes, so a crash, <c>kill -9</c> or Ctrl+C loses no finished case and <c>wsconform run --resume</c>
/// can run only the rest. Thread-safe: cases finish concurrently.
/// </summary>
/// <remarks>
/// <para>Each line goes to the file in one positioned write (the line and its line break together) before
/// <see cref="Append"/> returns, so it is in the operating system's hands: a process that is killed, or crashes, right
/// after loses nothing. A process killed in the middle of that write leaves at most one incomplete last line, which
/// <see cref="JournalReader"/> ignores and <see cref="Continue"/> cuts off before appending.</para>
/// <para>Every append is then flushed to the disk (fsync) by one background flush at a time, which covers every line
/// written before it started (group commit), so a power cut loses at most the last few milliseconds. Flushing inside
/// <see cref="Append"/> instead was measured at 1 to 2 ms per case, serialised under the lock: 578 cases finishing 32 at a
/// time held case threads up to 190 ms (p99 30 to 110 ms), where timing-sensitive cases must not wait.</para>
/// <para>Serialisation happens outside the lock, so concurrent cases only queue for the write itself.</para>
/// </remarks>
public sealed class RunJournal : IDisposable
{
    /// <summary>File name in the report directory.</summary>
    public const string FileName = "results.jsonl";

    private static readonly ReadOnlyMemory<byte> LineBreak = "\n"u8.ToArray();

    private readonly object _gate = new();
    private readonly SafeFileHandle _file;
    private long _length;
    private bool _closed;
    /// <summary>The background flush, while one runs.</summary>
    private Task? _flushing;
    /// <summary>A line was written after the running flush started: it needs another round.</summary>
    private bool _flushAgain;

    private RunJournal(SafeFileHandle file, long length)
    {
        _file = file;
        _length = length;
    }

    /// <summary>The journal's path in <paramref name="outputDirectory"/>.</summary>
    public static string PathIn(string outputDirectory) => Path.GetFullPath(Path.Combine(outputDirectory, FileName));

    /// <summary>The full path of the journal.</summary>
    public string FilePath { get; private init; } = "";

    /// <summary>The first write that failed (a full disk...); from then on nothing more is appended. Null while all is well.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>
    /// Starts a fresh journal holding only <paramref name="header"/>. It replaces any earlier journal atomically, so the
    /// directory never holds a journal without a header, nor an earlier run's cases under a new header.
    /// </summary>
    public static async Task<RunJournal> StartAsync(string outputDirectory, JournalHeader header, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(header);
        var path = PathIn(outputDirectory);
        var line = JournalJson.HeaderLine(header);
        await AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            await stream.WriteAsync(line, ct).ConfigureAwait(false);
            await stream.WriteAsync(LineBreak, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return Open(path, line.Length + LineBreak.Length);
    }

    /// <summary>
    /// Reopens the journal <paramref name="contents"/> was read from, to append the cases of a resumed run. A torn last
    /// line is cut off first, so the next case starts on a line of its own.
    /// </summary>
    public static RunJournal Continue(string outputDirectory, JournalContents contents)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(contents);
        return Open(PathIn(outputDirectory), contents.CompleteLength);
    }

    private static RunJournal Open(string path, long length)
    {
        // Readers may look at the journal while the run goes on (FileShare.Read); nobody else may write it.
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        try
        {
            if (RandomAccess.GetLength(file) != length)
            {
                RandomAccess.SetLength(file, length);
                RandomAccess.FlushToDisk(file);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return new RunJournal(file, length) { FilePath = path };
    }

    /// <summary>
    /// Appends <paramref name="result"/> as a case of target <paramref name="target"/> (its position in the header): in the
    /// file when this returns, on the disk a flush later. Never throws for the file system: false when the journal could
    /// not be written (see <see cref="Failure"/>) or is closed, and the run goes on without it.
    /// </summary>
    public bool Append(int target, CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ReadOnlyMemory<byte> line = JournalJson.CaseLine(target, result);
        lock (_gate)
        {
            if (_closed || Failure is not null) return false;
            try
            {
                // One gathering write: a line is either complete in the file or the torn last one.
                RandomAccess.Write(_file, [line, LineBreak], _length);
                _length += line.Length + LineBreak.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Failure = e;
                return false;
            }
            if (_flushing is null)
                _flushing = Task.Run(FlushWhileWritten);
            else
                _flushAgain = true;
            return true;
        }
    }

    /// <summary>Flushes to the disk until a flush has covered every line written.</summary>
    private void FlushWhileWritten()
    {
        while (true)
        {
            try
            {
                RandomAccess.FlushToDisk(_file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (_gate) Failure ??= e;
            }
            lock (_gate)
            {
                if (!_flushAgain)
                {
                    _flushing = null;
                    return;
                }
                _flushAgain = false;
            }
        }
    }

    /// <summary>Waits for the last flush and closes the file; later appends are refused (a case that ends after its
    /// run was abandoned).</summary>
    public void Dispose()
    {
        Task? flushing;
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            flushing = _flushing;
        }
        // Appends are refused from here on, so the running flush is the last; the file stays open until it is done.
        flushing?.Wait();
        _file.Dispose();
    }
}
