using System.Diagnostics;

namespace Wsconform.Tests.Clients;

/// <summary>
/// Finds the real WebSocket clients of <c>tests/clients/</c> and what they need (python3-websockets, Node and npm's ws,
/// chromium, installed when missing); a client that is not available skips its test with the reason, as
/// <c>Peers/SharedTargets</c> does for unavailable servers.
/// </summary>
internal static class RealClients
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The repository root: the folder with Conformance.sln above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Conformance.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    /// <summary>A driver script of <c>tests/clients/</c>.</summary>
    public static string Script(string name) => Path.Combine(RepositoryRoot(), "tests", "clients", name);

    /// <summary>
    /// Installs Debian's python3-websockets when missing (with the shared targets' installer, which the python server
    /// target uses too) and skips unless Debian's python3 can import it.
    /// </summary>
    public static async Task RequirePythonWebsocketsAsync()
    {
        if (!File.Exists(Python)) Skip($"{Python} is not installed");
        var (code, output) = await RunAsync(Python, ["-c", "import websockets; print(websockets.__version__)"], TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            var common = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "targets", "common.sh"));
            if (File.Exists(common))
            {
                var install = await RunAsync("bash", ["-c", $"source '{common}' && apt_ensure python3-websockets"], TimeSpan.FromMinutes(5));
                TestContext.Out.WriteLine($"installing python3-websockets: exit {install.ExitCode} {Tail(install.Output)}");
                (code, output) = await RunAsync(Python, ["-c", "import websockets; print(websockets.__version__)"], TimeSpan.FromSeconds(30));
            }
        }
        if (code != 0) Skip($"python3-websockets is not installed (apt-get install python3-websockets): {Tail(output)}");
        TestContext.Out.WriteLine($"python websockets {output.Trim()}");
    }

    /// <summary>The npm install directory of ws (from ../shared/targets/ws-npm-install.sh); skips when node or ws is unavailable.</summary>
    public static async Task<string> RequireNodeWsAsync()
    {
        if (FindOnPath("node") is null) Skip("node is not installed");
        var install = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "targets", "ws-npm-install.sh"));
        if (!File.Exists(install)) Skip($"{install} does not exist (the shared targets folder installs ws from npm)");
        var (code, output) = await RunAsync("bash", [install], TimeSpan.FromMinutes(5));
        var module = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (code != 0 || module is null || !File.Exists(Path.Combine(module, "package.json")))
            Skip($"ws could not be installed from npm (exit {code}): {Tail(output)}");
        return module!;
    }

    /// <summary>
    /// The module directory of ws at exactly <paramref name="version"/>, installed from npm into the shared targets' state
    /// folder (<c>$WST_STATE</c>, default <c>/tmp/conformance-targets</c>) when missing; skips when node or npm cannot have it.
    /// </summary>
    public static async Task<string> RequireNodeWsAsync(string version)
    {
        if (FindOnPath("node") is null || FindOnPath("npm") is null) Skip("node or npm is not installed");
        var state = Environment.GetEnvironmentVariable("WST_STATE") is { Length: > 0 } configured ? configured : "/tmp/conformance-targets";
        var prefix = Path.Combine(state, "build", $"ws-{version}");
        var module = Path.Combine(prefix, "node_modules", "ws");
        if (!File.Exists(Path.Combine(module, "package.json")) || !File.ReadAllText(Path.Combine(module, "package.json")).Contains($"\"version\": \"{version}\"", StringComparison.Ordinal))
        {
            Directory.CreateDirectory(prefix);
            var (code, output) = await RunAsync("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--silent", $"ws@{version}"], TimeSpan.FromMinutes(5));
            if (code != 0 || !File.Exists(Path.Combine(module, "package.json"))) Skip($"ws@{version} could not be installed from npm (exit {code}): {Tail(output)}");
        }
        return module;
    }

    /// <summary>The chromium executable, installed with apt-get when missing (as the browser tests do); skips when it cannot be had.</summary>
    public static async Task<string> RequireChromiumAsync()
    {
        var (chromium, reason) = await TestSupport.ChromiumInstaller.FindOrInstallAsync();
        if (chromium is null) Skip(reason);
        return chromium!;
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs a program to its end (killing its tree at the timeout); returns its exit code (-1: timed out) and stdout + stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"timed out after {timeout.TotalSeconds} s: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public static string Tail(string output) => Peers.SharedTargets.Tail(output);

    /// <summary>Skips the test: a missing third-party client never fails the build (see <see cref="Peers.SharedTargets.Skip"/>).</summary>
    public static void Skip(string reason) => Peers.SharedTargets.Skip(reason);
}
