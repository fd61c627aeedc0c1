using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Wsconform.Benchmarks.Support;

/// <summary>How <see cref="ChildProcess"/> measures a child's peak resident set and CPU time.</summary>
internal enum ChildMeasure
{
    /// <summary>Not measured.</summary>
    None,

    /// <summary>
    /// The child runs under <c>/usr/bin/time -f "%M %U %S" -o FILE</c>: its ru_maxrss in KiB and its user and system CPU
    /// seconds, from the kernel's rusage of the waited child: exact and race-free.
    /// </summary>
    GnuTime,

    /// <summary>
    /// VmHWM from <c>/proc/PID/status</c> and utime+stime from <c>/proc/PID/stat</c> every 50 ms while it runs, the
    /// largest (last) kept: a peak, or the CPU spent, in the last 50 ms before exit can be missed.
    /// </summary>
    PollProc,
}

/// <summary>Runs a child to completion with its output captured (so it never sees a terminal), timing spawn to exit.</summary>
internal static class ChildProcess
{
    public const string GnuTimePath = "/usr/bin/time";

    /// <summary>GNU time when it exists, else polling /proc.</summary>
    public static ChildMeasure BestMeasure => File.Exists(GnuTimePath) ? ChildMeasure.GnuTime : ChildMeasure.PollProc;

    /// <summary>One line saying how <paramref name="measure"/> measures.</summary>
    public static string Describe(ChildMeasure measure) => measure switch
    {
        ChildMeasure.GnuTime => $"{GnuTimePath} -f \"%M %U %S\" (the kernel's ru_maxrss and user+sys CPU of the waited child; the wrapper adds about a millisecond to the wall time)",
        ChildMeasure.PollProc => "VmHWM from /proc/<pid>/status and utime+stime from /proc/<pid>/stat polled every 50 ms, the last/largest value kept " +
                                 "(a peak, or CPU spent, in the last 50 ms before exit can be missed)",
        _ => "not measured",
    };

    /// <param name="ExitCode">The child's exit code; -1 when it timed out.</param>
    /// <param name="WallMs">Spawn to exit.</param>
    /// <param name="TimedOut">Killed after the time limit.</param>
    /// <param name="Tail">The last 20 lines of stdout and stderr, interleaved.</param>
    /// <param name="Output">Everything the child wrote to stdout.</param>
    /// <param name="PeakRssBytes">Peak resident set; null when not measured or unreadable.</param>
    /// <param name="CpuMs">User + system CPU time; null when not measured or unreadable.</param>
    public sealed record Outcome(int ExitCode, double WallMs, bool TimedOut, string Tail, string Output, long? PeakRssBytes, double? CpuMs);

    public static async Task<Outcome> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout,
        ChildMeasure measure, CancellationToken ct)
    {
        string? timeFile = null;
        if (measure == ChildMeasure.GnuTime)
        {
            // GNU time waits for the child and writes its maximum resident set size (KiB) and CPU seconds to the file; its
            // exit code is the child's. Output goes to a file so it never mixes with the child's stderr.
            timeFile = Path.Combine(Path.GetTempPath(), $"wsconform-bench-{Guid.NewGuid():N}.time");
            arguments = ["-f", "%M %U %S", "-o", timeFile, fileName, .. arguments];
            fileName = GnuTimePath;
        }
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);

        var captured = new StringBuilder();
        var stdout = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data, toStdout: true);
        process.ErrorDataReceived += (_, e) => Append(e.Data, toStdout: false);

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var stopPolling = new CancellationTokenSource();
        var polled = measure == ChildMeasure.PollProc ? PollProcAsync(process.Id, stopPolling.Token) : Task.FromResult<(long?, double?)>((null, null));
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Only the child this method started, by its own handle.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            timedOut = true;
        }
        clock.Stop();
        await stopPolling.CancelAsync().ConfigureAwait(false);
        var (peak, cpu) = measure switch
        {
            ChildMeasure.GnuTime => ReadGnuTime(timeFile!),
            ChildMeasure.PollProc => await polled.ConfigureAwait(false),
            _ => (null, null),
        };

        string tail, output;
        lock (captured)
        {
            tail = string.Join('\n', captured.ToString().Split('\n').TakeLast(20));
            output = stdout.ToString();
        }
        return new Outcome(timedOut ? -1 : process.ExitCode, clock.Elapsed.TotalMilliseconds, timedOut, tail.TrimEnd(), output, peak, cpu);

        void Append(string? line, bool toStdout)
        {
            if (line is null) return;
            lock (captured)
            {
                captured.Append(line).Append('\n');
                if (toStdout) stdout.Append(line).Append('\n');
            }
        }
    }

    /// <summary>
    /// The last line of GNU time's output file ("Command exited with non-zero status N" may precede it): "%M %U %S",
    /// KiB and seconds, to bytes and milliseconds.
    /// </summary>
    private static (long? PeakRssBytes, double? CpuMs) ReadGnuTime(string file)
    {
        try
        {
            var last = File.ReadAllLines(file).LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
            var fields = last.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long? peak = fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
            double? cpu = fields.Length > 2
                          && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var user)
                          && double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var sys)
                ? (user + sys) * 1000
                : null;
            return (peak, cpu);
        }
        catch (IOException)
        {
            return (null, null);
        }
        finally
        {
            try { File.Delete(file); }
            catch (IOException) { }
        }
    }

    /// <summary>
    /// Reads VmHWM (the kernel's own high-water mark of the resident set) and utime+stime every 50 ms until stopped or
    /// the process is gone.
    /// </summary>
    private static async Task<(long? PeakRssBytes, double? CpuMs)> PollProcAsync(int pid, CancellationToken stop)
    {
        long? max = null;
        double? cpu = null;
        var status = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status";
        while (!stop.IsCancellationRequested)
        {
            try
            {
                foreach (var line in await File.ReadAllLinesAsync(status, CancellationToken.None).ConfigureAwait(false))
                {
                    // "VmHWM:\t  123456 kB"
                    if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                    var digits = line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim();
                    if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                        max = Math.Max(max ?? 0, kib * 1024);
                }
                if (ProcStat.CpuMs(pid) is { } sample)
                    cpu = sample;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                break; // exited (and perhaps reaped) between two polls
            }
            try { await Task.Delay(50, stop).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
        return (max, cpu);
    }
}

/// <summary>CPU time of a live process from <c>/proc/PID/stat</c> (Linux).</summary>
internal static class ProcStat
{
    private static readonly Lazy<double> ClockTicksPerSecond = new(ReadClockTicks);

    /// <summary>Clock ticks per second of /proc's utime and stime (<c>getconf CLK_TCK</c>; 100 when that cannot be run).</summary>
    public static double TicksPerSecond => ClockTicksPerSecond.Value;

    /// <summary>
    /// utime + stime of process <paramref name="pid"/> (all its threads, live and exited), in milliseconds; null when
    /// the file cannot be read or parsed (the process is gone).
    /// </summary>
    public static double? CpuMs(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'. Field 3 (state)
        // is then index 0, so utime (field 14) is index 11 and stime (field 15) index 12.
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
            return null;
        return (utime + stime) * 1000.0 / TicksPerSecond;
    }

    private static double ReadClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (getconf is null) return 100;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return double.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return 100;
        }
    }
}
