using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Wsconform.Report.BrowserTests;

/// <summary>
/// Chromium (found or installed by <see cref="Wsconform.TestSupport.ChromiumInstaller"/>) started headless with the
/// DevTools protocol on a free port.
/// </summary>
internal sealed partial class Chromium : IAsyncDisposable
{
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
}
