using System.Collections.Concurrent;
using Wsconform.Cases;
using Wsconform.Cli;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Serving;
using Wsconform.Reports;

namespace Wsconform.Tests.Serving;

/// <summary>
/// <c>wsconform serve</c>'s engine started in-process on a free loopback port, with its reports going to a temporary
/// folder through the writers the CLI uses, and its output lines collected.
/// </summary>
internal sealed class ServeHost : IAsyncDisposable
{
    private ServeHost(CaseServer server, string outputDirectory)
    {
        Server = server;
        OutputDirectory = outputDirectory;
    }

    public CaseServer Server { get; }
    public string OutputDirectory { get; }
    public ConcurrentQueue<string> Lines { get; } = new();
    public ConcurrentQueue<string> Warnings { get; } = new();

    /// <summary><c>ws://127.0.0.1:port</c>, no trailing slash, as a driver appends paths to it.</summary>
    public string BaseUrl => Server.Url.ToString().TrimEnd('/');

    public static ServeHost Start(string casePatterns, ProtocolTimeouts? timeouts = null, TimeSpan? statusWait = null)
    {
        var selection = CaseIds.Select(Catalogue.All, casePatterns.Split(','), []);
        var applicable = CaseApplicability.Split(selection, PeerKind.Client).Applicable;
        var output = Path.Combine(Path.GetTempPath(), "wsconform-serve-" + Guid.NewGuid().ToString("N"));
        ServeHost? host = null;
        var options = new ServeOptions
        {
            Port = 0,
            Cases = applicable,
            Timeouts = timeouts ?? ProtocolTimeouts.Autobahn,
            StatusWait = statusWait ?? TimeSpan.FromSeconds(60),
            WriteReports = (run, ct) => ReportSet.WriteAllAsync(run, output, RunCommand.ReportWriters(), ct),
            CaseFinished = served => host?.Lines.Enqueue(ServeCommand.FormatCase(served)),
            Log = line => host?.Lines.Enqueue(line),
            Warn = line => host?.Warnings.Enqueue(line),
        };
        host = new ServeHost(CaseServer.Start(options), output);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (Directory.Exists(OutputDirectory)) Directory.Delete(OutputDirectory, recursive: true);
    }
}
