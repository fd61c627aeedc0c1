using System.CommandLine;
using System.CommandLine.Invocation;
using Wsconform.Engine;

namespace Wsconform.Cli;

/// <summary>Entry point. <see cref="RunAsync"/> is the whole tool with its console passed in, so tests run it in-process.</summary>
public static class Program
{
    /// <summary>Set to 1 to print the stack trace of an internal error.</summary>
    public const string DebugVariable = "WSCONFORM_DEBUG";

    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        // First Ctrl+C: stop gracefully (the run is cancelled, the echo server stopped). Second: the default kill.
        Console.CancelKeyPress += (_, e) =>
        {
            if (cancellation.IsCancellationRequested) return;
            e.Cancel = true;
            cancellation.Cancel();
        };
        // SIGTERM (kill, docker stop) stops as gracefully as Ctrl+C: serve writes its reports, run stops its echo server.
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            if (cancellation.IsCancellationRequested) return;
            context.Cancel = true;
            cancellation.Cancel();
        });
        return await RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
    }

    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code (<see cref="ExitCodes"/>).</summary>
    /// <param name="stdout">Results, tables, JSON. A progress bar is drawn only when this is the console's own terminal.</param>
    /// <param name="stderr">Errors, one line each.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var parse = BuildRootCommand(stdout, stderr).Parse(args);
            if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
            {
                foreach (var error in parse.Errors)
                    stderr.WriteLine($"wsconform: {OneLine(error.Message)}");
                return ExitCodes.Usage;
            }
            var invocation = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                // Ctrl+C is handled by Main through the cancellation token.
                ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine("wsconform: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"wsconform: internal error: {OneLine(ex.Message)}");
            if (Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true")
                stderr.WriteLine(ex.ToString());
            else
                stderr.WriteLine($"run with {DebugVariable}=1 for the stack trace");
            return ExitCodes.InternalError;
        }
    }

    internal static RootCommand BuildRootCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("wsconform: a WebSocket (RFC 6455) conformance harness, successor of Autobahn|Testsuite.")
        {
            RunCommand.Create(stdout, stderr),
            ListCommand.Create(stdout, stderr),
            ExpectCommand.Create(stdout, stderr),
            CompareCommand.Create(stdout, stderr),
            MergeCommand.Create(stdout, stderr),
            ServeCommand.Create(stdout, stderr),
            RunClientCommand.Create(stdout, stderr),
        };
        // The default prints the entry assembly's version, which is the test host's when run in-process.
        foreach (var version in root.Options.OfType<VersionOption>())
            version.Action = new PrintVersionAction();
        return root;
    }

    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(ToolInfo.Version);
            return ExitCodes.Ok;
        }
    }
}
