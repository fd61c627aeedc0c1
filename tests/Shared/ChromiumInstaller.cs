using System.Diagnostics;

namespace Wsconform.TestSupport;

/// <summary>
/// Debian's <c>chromium</c> for the tests that need a browser (the report in a browser, the browser as a WebSocket
/// client): found on PATH, else installed with apt-get as root within a deadline. Linked into each test project that
/// needs it. Never throws for a missing browser: a test without one is skipped with the reason, never failed.
/// </summary>
internal static class ChromiumInstaller
{
    /// <summary>Waiting for another installer, apt-get update and apt-get install, all together.</summary>
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan LockRetry = TimeSpan.FromSeconds(1);

    /// <summary>Debian names the program chromium; some distributions chromium-browser.</summary>
    private static readonly string[] Names = ["chromium", "chromium-browser"];

    /// <summary>Test projects run as parallel processes; this file lock lets one install while the others wait for it.</summary>
    private static readonly string LockFile = Path.Combine(Path.GetTempPath(), "wsconform-chromium-install.lock");

    /// <summary>The chromium executable, installing it with apt-get when missing; null and the reason when neither works.</summary>
    public static async Task<(string? Path, string Reason)> FindOrInstallAsync()
    {
        if (Find() is { } found) return (found, "");
        if (FindOnPath("apt-get") is null) return (null, "chromium is not installed and there is no apt-get to install it");
        if (!Environment.IsPrivilegedProcess) return (null, "chromium is not installed and installing it with apt-get needs root");
        using var deadline = new CancellationTokenSource(InstallTimeout);
        try
        {
            using var installing = await AcquireInstallLockAsync(deadline.Token);
            if (Find() is { } installedMeanwhile) return (installedMeanwhile, "");
            var (updateCode, updateOut) = await RunAptGetAsync(["update", "-q"], deadline.Token);
            if (updateCode != 0) return (null, $"apt-get update failed ({updateCode}): {Tail(updateOut)}");
            var (installCode, installOut) = await RunAptGetAsync(["install", "-y", "--no-install-recommends", "chromium"], deadline.Token);
            if (installCode != 0) return (null, $"apt-get install chromium failed ({installCode}): {Tail(installOut)}");
        }
        catch (OperationCanceledException)
        {
            return (null, $"installing chromium took longer than {InstallTimeout.TotalMinutes} minutes");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"apt-get could not run: {e.Message}");
        }
        return Find() is { } installed ? (installed, "") : (null, "apt-get installed chromium but it is not on PATH");
    }

    private static string? Find() => Names.Select(FindOnPath).FirstOrDefault(path => path is not null);

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>An exclusive lock on <see cref="LockFile"/> (.NET takes an advisory flock for FileShare.None), retried until the deadline.</summary>
    private static async Task<FileStream> AcquireInstallLockAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(LockRetry, ct);
            }
        }
    }

    /// <summary>
    /// Runs apt-get, waiting (within the deadline) while another apt or dpkg holds its locks: the interop tests install
    /// their peers with apt-get at the same time.
    /// </summary>
    private static async Task<(int Code, string Output)> RunAptGetAsync(string[] args, CancellationToken ct)
    {
        while (true)
        {
            var (code, output) = await RunAsync("apt-get", ["-o", "DPkg::Lock::Timeout=60", .. args], ct);
            if (code == 0 || !output.Contains("Could not get lock", StringComparison.Ordinal)) return (code, output);
            await Task.Delay(LockRetry, ct);
        }
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
        var stdout = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = p.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited in the meantime.
            }
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
