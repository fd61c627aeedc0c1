using System.Diagnostics;
using System.Text;

namespace Wsconform.Tests.Cli;

/// <summary>
/// The real <c>wsconform</c> as a child process (<c>dotnet wsconform.dll ...</c>, the build the test project copies
/// next to itself), for what only a process can show: being killed, or stopped by a signal. Every wait has a deadline.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private CliProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string Stdout
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Everything the child wrote so far, for assertion messages.</summary>
    public string Output => $"stdout:\n{Stdout}\nstderr:\n{Stderr}";

    public static CliProcess Start(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "wsconform.dll");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (SigintIgnoredHere())
        {
            // A process that ignores SIGINT (a background job of a non-interactive shell, as CI runners may start the test
            // host) passes that on to its children, and .NET then never sees Ctrl+C. A terminal's shell resets it for the
            // commands it runs; do the same for the child.
            info.FileName = "env";
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add(DotnetHost());
        }
        info.ArgumentList.Add(cli);
        foreach (var arg in args) info.ArgumentList.Add(arg);

        var process = new Process { StartInfo = info };
        var child = new CliProcess(process);
        process.OutputDataReceived += (_, e) => Append(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(child._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;

        static void Append(StringBuilder to, string? line)
        {
            if (line is null) return;
            lock (to) to.Append(line).Append('\n');
        }
    }

    /// <summary>Waits until <paramref name="path"/> has at least <paramref name="lines"/> complete lines; fails at the deadline or when the child ends first.</summary>
    public async Task WaitForLinesAsync(string path, int lines, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (CountLines(path) < lines)
        {
            if (_process.HasExited)
                Assert.Fail($"wsconform ended (exit code {_process.ExitCode}) before {path} had {lines} line(s)\n{Output}");
            if (clock.Elapsed > deadline)
                Assert.Fail($"{path} did not reach {lines} line(s) within {deadline.TotalSeconds} s\n{Output}");
            await Task.Delay(20);
        }
    }

    /// <summary>Complete lines in <paramref name="path"/> (0 while it does not exist); the child may be writing it.</summary>
    public static int CountLines(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var count = 0;
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer)) > 0) count += buffer.AsSpan(0, read).Count((byte)'\n');
            return count;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>SIGKILL to the child and its descendants: what a crash or <c>kill -9</c> does.</summary>
    public async Task KillHardAsync(TimeSpan deadline)
    {
        _process.Kill(entireProcessTree: true);
        await ExitCodeAsync(deadline);
    }

    /// <summary>Sends a signal by name ("INT", "TERM") with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await kill.WaitForExitAsync(timeout.Token);
        kill.ExitCode.Should().Be(0, $"kill -{signal} {Id} is sent");
    }

    /// <summary>The exit code, once the child has ended and its output is read; fails (and kills it) at the deadline.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"wsconform did not end within {deadline.TotalSeconds} s\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>Runs wsconform to its end.</summary>
    public static async Task<(int ExitCode, CliProcess Process)> RunAsync(TimeSpan deadline, params string[] args)
    {
        var child = Start(args);
        return (await child.ExitCodeAsync(deadline), child);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static bool SigintIgnoredHere()
    {
        const ulong sigint = 1UL << (2 - 1);
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) : null;
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & sigint) != 0;
    }

    /// <summary>The <c>dotnet</c> host running these tests, else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
}
