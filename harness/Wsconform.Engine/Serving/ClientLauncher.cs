using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Model;

namespace Wsconform.Engine.Serving;

/// <summary>The client command could not be started at all (no shell, or the shell did not find the command).</summary>
public sealed class ClientStartException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// <c>wsconform run-client</c>'s per-case step: launches the client command once for a case of a running
/// <see cref="CaseServer"/>, with <c>{url}</c> replaced by the case's <c>/runCase</c> URL, waits for the case's result
/// (or its deadline), then ends the client's process tree if it is still alive.
/// </summary>
public static class ClientLauncher
{
    /// <summary>The placeholder the command must contain.</summary>
    public const string UrlPlaceholder = "{url}";

    /// <summary>How much of the client's stderr is kept for the wire log.</summary>
    public const int StderrTailChars = 2048;

    /// <summary>Slack on top of a case's own deadline: starting an interpreter or a browser takes a while.</summary>
    public static readonly TimeSpan StartMargin = TimeSpan.FromSeconds(10);

    /// <summary>How long a client that has finished its case may take to exit on its own before it is killed.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long the server may take to store a case after the client process ended (TCP is gone by then).</summary>
    private static readonly TimeSpan ResultAfterExit = TimeSpan.FromSeconds(3);

    /// <summary>The environment variable that also holds the case's URL, for commands that prefer it to <c>{url}</c>.</summary>
    public const string UrlVariable = "WSCONFORM_URL";

    /// <summary>
    /// The command with <c>{url}</c> replaced by the URL quoted for the shell (its <c>&amp;</c> would otherwise end the
    /// command): single quotes for <c>/bin/sh</c>, double quotes for <c>cmd.exe</c>. A placeholder the user already
    /// quoted (<c>'{url}'</c>, <c>"{url}"</c>) is replaced with its quotes.
    /// </summary>
    public static string Substitute(string commandTemplate, string url)
    {
        ArgumentNullException.ThrowIfNull(commandTemplate);
        ArgumentNullException.ThrowIfNull(url);
        var quoted = OperatingSystem.IsWindows() ? $"\"{url}\"" : $"'{url.Replace("'", "'\\''", StringComparison.Ordinal)}'";
        return commandTemplate
            .Replace($"'{UrlPlaceholder}'", quoted, StringComparison.Ordinal)
            .Replace($"\"{UrlPlaceholder}\"", quoted, StringComparison.Ordinal)
            .Replace(UrlPlaceholder, quoted, StringComparison.Ordinal);
    }

    /// <summary>The deadline of one case: the session's own deadline, the open-handshake timeout and <see cref="StartMargin"/>.</summary>
    public static TimeSpan DefaultDeadline(ConformanceCase conformanceCase, ProtocolTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(conformanceCase);
        ArgumentNullException.ThrowIfNull(timeouts);
        return CaseDeadline.ForSession(conformanceCase, timeouts) + timeouts.OpenHandshake + StartMargin;
    }

    /// <summary>
    /// Runs case number <paramref name="caseNumber"/> (1-based, <see cref="CaseServer.Cases"/> order) with one launch of
    /// <paramref name="commandTemplate"/>, and returns its result as stored in <paramref name="server"/>. A client that
    /// ran no case gets an ERROR result saying why; a result of ERROR or FAILED gets the tail of the client's stderr as a
    /// note in its wire log. Throws <see cref="ClientStartException"/> when the command cannot be started.
    /// </summary>
    public static async Task<CaseResult> RunCaseAsync(CaseServer server, int caseNumber, string agent, string commandTemplate, TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(commandTemplate);
        ArgumentOutOfRangeException.ThrowIfLessThan(caseNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(caseNumber, server.Cases.Count);
        var conformanceCase = server.Cases[caseNumber - 1];
        var url = string.Create(CultureInfo.InvariantCulture,
            $"{server.Url.GetLeftPart(UriPartial.Authority)}/runCase?case={caseNumber}&agent={Uri.EscapeDataString(agent)}");
        var command = Substitute(commandTemplate, url);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var stderr = new TailBuffer(StderrTailChars);

        using var process = new Process { StartInfo = ShellStart(command), EnableRaisingEvents = true };
        process.StartInfo.Environment[UrlVariable] = url;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        try
        {
            if (!process.Start()) throw new ClientStartException($"cannot start the client command '{command}'");
        }
        catch (Win32Exception e)
        {
            throw new ClientStartException($"cannot start the client command ({process.StartInfo.FileName}): {e.Message}", e);
        }
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        CaseResult? result;
        var exitedByItself = false;
        try
        {
            using var caseDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var resultTask = server.WaitForResultAsync(agent, conformanceCase.Id, deadline, caseDeadline.Token);
            var exitTask = process.WaitForExitAsync(caseDeadline.Token);
            var first = await Task.WhenAny(resultTask, exitTask).ConfigureAwait(false);
            if (first == exitTask && !resultTask.IsCompleted)
            {
                // The client ended first: the server stores its case as soon as it sees TCP go, give it a moment.
                var remaining = deadline - clock.Elapsed;
                var wait = remaining < ResultAfterExit ? remaining : ResultAfterExit;
                await Task.WhenAny(resultTask, Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken)).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            result = resultTask.IsCompletedSuccessfully ? resultTask.Result : null;
            if (result is null) await caseDeadline.CancelAsync().ConfigureAwait(false);

            if (result is not null && !process.HasExited)
            {
                // Clients usually exit once the case's connection is closed; a driver that lingers is ended.
                try { await process.WaitForExitAsync(cancellationToken).WaitAsync(ExitGrace, cancellationToken).ConfigureAwait(false); }
                catch (TimeoutException) { }
            }
        }
        finally
        {
            exitedByItself = process.HasExited;
            await EndAsync(process).ConfigureAwait(false);
        }

        if (result is null)
        {
            var exitCode = exitedByItself ? process.ExitCode : (int?)null;
            // sh: 126 (not executable) and 127 (not found) before any connection: the command cannot start.
            if (exitCode is 126 or 127)
            {
                throw new ClientStartException(string.Create(CultureInfo.InvariantCulture,
                    $"the client command cannot start (exit {exitCode}): {(OneLine(stderr.Text) is { Length: > 0 } text ? text : command)}"));
            }
            var missing = exitCode is { } code
                ? string.Create(CultureInfo.InvariantCulture, $"the client exited with code {code} without running the case")
                : string.Create(CultureInfo.InvariantCulture, $"the client did not finish the case within {deadline.TotalSeconds:0.###} s (its process tree was killed)");
            var recorder = new WireRecorder();
            result = ResultBuilder.Error(conformanceCase, started, missing, null, null, recorder) with { DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 3) };
            result = WithStderr(result, stderr.Text);
            server.Record(agent, result);
            return result;
        }

        if (result.Behavior is Behavior.Error or Behavior.Failed)
        {
            result = WithStderr(result, stderr.Text);
            server.Record(agent, result);
        }
        return result;
    }

    /// <summary>Appends the client's stderr tail (when it wrote any) to the wire log as a note.</summary>
    private static CaseResult WithStderr(CaseResult result, string tail)
    {
        if (tail.Length == 0) return result;
        var at = result.WireLog.Count > 0 ? result.WireLog[^1].TimeMs : result.DurationMs;
        var note = new WireLogEntry
        {
            TimeMs = at,
            Kind = WireEntryKind.Note,
            Text = string.Create(CultureInfo.InvariantCulture, $"client stderr (last {StderrTailChars} characters at most):\n{tail}"),
        };
        return result with { WireLog = [.. result.WireLog, note] };
    }

    /// <summary>Kills the process tree if it is still alive and waits (bounded) for it and its output pipes.</summary>
    private static async Task EndAsync(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException) { }
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
    }

    private static ProcessStartInfo ShellStart(string command)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (OperatingSystem.IsWindows())
        {
            start.FileName = "cmd.exe";
            start.ArgumentList.Add("/c");
        }
        else
        {
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
        }
        start.ArgumentList.Add(command);
        return start;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The last <c>capacity</c> characters of a stream of lines; thread-safe.</summary>
    private sealed class TailBuffer(int capacity)
    {
        private readonly StringBuilder _text = new();

        public void AppendLine(string line)
        {
            lock (_text)
            {
                _text.Append(line).Append('\n');
                if (_text.Length > capacity) _text.Remove(0, _text.Length - capacity);
            }
        }

        public string Text
        {
            get { lock (_text) return _text.ToString().TrimEnd('\n'); }
        }
    }
}
