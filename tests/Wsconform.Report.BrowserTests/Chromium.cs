using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Wsconform.Report.BrowserTests;

/// <summary>
/// Debian's <c>chromium</c>, found on PATH or installed with apt-get (5-minute limit), started headless with the
/// DevTools protocol on a free port. <see cref="FindOrInstallAsync"/> returns null with a reason instead of throwing, so the
/// fixture can skip its tests when there is no browser.
/// </summary>
internal sealed partial class Chromium : IAsyncDisposable
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process process;
    private readonly string profile;

    private Chromium(Process process, string profile, Uri browserWebSocket)
    {
        this.process = process;
        this.profile = profile;
        BrowserWebSocket = browserWebSocket;
    }

    /// <summary>"ws://127.0.0.1:PORT/devtools/browser/…" as printed on stderr.</summary>
    public Uri BrowserWebSocket { get; }

    /// <summary>The HTTP endpoint of the DevTools server (for /json/list).</summary>
    public Uri HttpEndpoint => new($"http://{BrowserWebSocket.Host}:{BrowserWebSocket.Port}/");

    /// <summary>The chromium executable, installing it with apt-get when missing; null and a reason when neither works.</summary>
    public static async Task<(string? Path, string Reason)> FindOrInstallAsync()
    {
        if (FindOnPath() is { } found)
        {
            return (found, "");
        }
        if (FindOnPath("apt-get") is null)
        {
            return (null, "chromium is not installed and there is no apt-get to install it");
        }
        using var cts = new CancellationTokenSource(InstallTimeout);
        try
        {
            var (updateCode, updateOut) = await RunAsync("apt-get", ["update", "-q"], cts.Token);
            if (updateCode != 0)
            {
                return (null, $"apt-get update failed ({updateCode}): {Tail(updateOut)}");
            }
            var (installCode, installOut) = await RunAsync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], cts.Token);
            if (installCode != 0)
            {
                return (null, $"apt-get install chromium failed ({installCode}): {Tail(installOut)}");
            }
        }
        catch (OperationCanceledException)
        {
            return (null, $"installing chromium took longer than {InstallTimeout.TotalMinutes} minutes");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"apt-get could not run: {e.Message}");
        }
        return FindOnPath() is { } installed ? (installed, "") : (null, "apt-get installed chromium but it is not on PATH");
    }

    public static async Task<Chromium> StartAsync(string executable)
    {
        var profile = Path.Combine(Path.GetTempPath(), "wsconform-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--window-size=1280,1600", $"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank",
        })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException($"chromium exited before DevTools listened: {stderr}"));
                return;
            }
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
            if (DevToolsLine().Match(e.Data) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var url = await listening.Task.WaitAsync(StartTimeout);
            return new Chromium(process, profile, url);
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill(process);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        process.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();

    private static string? FindOnPath(string name = "chromium")
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Kill(p);
            throw;
        }
        return (p.ExitCode, await stdout + await stderr);
    }

    private static string Tail(string text)
    {
        var line = text.Trim().Split('\n').LastOrDefault() ?? "";
        return line.Length > 200 ? line[^200..] : line;
    }
}
