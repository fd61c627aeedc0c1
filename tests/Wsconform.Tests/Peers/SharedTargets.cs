using System.Diagnostics;

namespace Wsconform.Tests.Peers;

/// <summary>
/// Starts the third-party servers of <c>../shared/targets</c> (python websockets, Node ws) for interop tests. When a
/// peer cannot be started (no shared folder, no apt or npm, no network to the registries), the test is skipped with the
/// reason: the build never fails because a peer is unavailable.
/// </summary>
public static class SharedTargets
{
    /// <summary>Installing a peer can take a while on a fresh machine (apt-get update, npm install).</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <c>NAME.sh</c>, which starts the server (or finds it running) and waits for its port.</summary>
    public static async Task<Uri> StartAsync(string name, int port)
    {
        var script = Path.Combine(TargetsDirectory() ?? Skip("the folder ../shared/targets was not found beside the repository"), $"{name}.sh");
        if (!File.Exists(script)) Skip($"{script} does not exist");
        var (exitCode, output) = await RunAsync(script);
        if (exitCode != 0) Skip($"{name} could not be started (exit {exitCode}): {Tail(output)}");
        return new Uri($"ws://127.0.0.1:{port}/");
    }

    public static async Task StopAsync(string name)
    {
        if (TargetsDirectory() is { } directory) await RunAsync(Path.Combine(directory, "stop.sh"), name);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string script, string? argument = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        if (argument is not null) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {StartTimeout.TotalMinutes} minutes");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Walks up from the test binaries to the repository root (the folder with Conformance.sln), then to ../shared/targets.</summary>
    private static string? TargetsDirectory()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln")))
            {
                var targets = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "targets"));
                return Directory.Exists(targets) ? targets : null;
            }
        }
        return null;
    }

    internal static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }

    /// <summary>Skips the test with the reason: a third-party peer or client that cannot be had never fails the build.</summary>
    internal static string Skip(string reason)
    {
        Assert.Ignore($"third-party peer unavailable, test skipped: {reason}");
        return reason;
    }
}
