using System.Diagnostics;
using Wsconform.Engine.Scripting;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Session;

/// <summary>The behaviour verdict a performance trial decided, with its round-trip times.</summary>
public sealed record TrialOutcome(Behavior Verdict, string Result, RoundTripStats RoundTrips);

/// <summary>
/// Performance trials (Autobahn's categories 9, 12, 13): messages sent one at a time, each after the previous echo,
/// every echo checked for type and length. The trial, not event matching, decides the behaviour verdict.
/// </summary>
public sealed partial class CaseSession
{
    /// <summary>The echo the running trial waits for; null when no trial runs (messages then go to the event list).</summary>
    private AwaitedEcho? _awaitedEcho;

    /// <summary>
    /// An echo a trial waits for, and the check the read loop applies to it as soon as it is complete, while the
    /// payload the assembler lends is still valid. The task's result is null for a right echo, else how it is wrong.
    /// </summary>
    private sealed record AwaitedEcho(TaskCompletionSource<string?> Verdict, Func<CompletedMessage, string?> Check);
    private TrialOutcome? _trialOutcome;

    private Task RunRoundTripsAsync(RoundTrips trial)
    {
        var frames = Fragmentation.Plan(trial.Opcode, trial.Payload.Length, trial.FragmentSize ?? int.MaxValue).ToArray();
        var expectedBinary = trial.Opcode == Opcode.Binary;
        return RunTrialAsync(trial.Count, trial.TimeoutResult, $"{trial.Count} round trip(s) of {trial.Payload.Length} octets", checkContent: false,
            send: async _ =>
            {
                foreach (var frame in frames)
                    await SendPatternFrameAsync(frame, trial.Payload, trial.ChopSize).ConfigureAwait(false);
            },
            // Autobahn's category 9 checks type and length only.
            check: echo => TypeOrLengthDiffers(echo, expectedBinary, trial.Payload.Length),
            okResult: $"Received all {trial.Count} echo(es) with the right type and length.");
    }

    /// <summary>
    /// The loop every trial shares: send message <c>i</c>, wait for its echo, time the round trip, let
    /// <paramref name="check"/> judge the echo (null = right); the first wrong echo fails the trial. The wire log is
    /// suspended meanwhile, as Autobahn's is. Whatever the verdict, the harness then closes normally with 1000.
    /// </summary>
    /// <param name="checkContent">The check compares payloads: the assembler keeps each echo's octets, lent, not copied.</param>
    private async Task RunTrialAsync(int count, string timeoutResult, string logNote, bool checkContent,
        Func<int, Task> send, Func<CompletedMessage, string?> check, string okResult)
    {
        var samples = new List<double>(count);
        _recorder.Suspend(logNote);
        _assembler.RetainPayload = checkContent;
        _assembler.LendPayload = checkContent;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var echo = new AwaitedEcho(new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously), check);
                lock (_gate)
                {
                    if (_state != SessionState.Open) break;
                    _awaitedEcho = echo;
                }
                var started = Stopwatch.GetTimestamp();
                await send(i).ConfigureAwait(false);
                var wrongEcho = await echo.Verdict.Task.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (wrongEcho is { } wrong)
                {
                    EndTrial(Behavior.Failed, $"Echo {i + 1} of {count} {wrong}.", count, samples);
                    break;
                }
            }
            lock (_gate)
            {
                if (_trialOutcome is null && samples.Count == count)
                    _trialOutcome = new TrialOutcome(Behavior.Ok, okResult, Stats(count, samples));
            }
        }
        catch (OperationCanceledException)
        {
            // The connection went away or the case timer closed it: the outcome says how far the trial got.
        }
        finally
        {
            lock (_gate)
            {
                _awaitedEcho = null;
                _trialOutcome ??= new TrialOutcome(Behavior.Failed, IncompleteResult(count, timeoutResult, samples.Count), Stats(count, samples));
            }
            _assembler.RetainPayload = true;
            _assembler.LendPayload = false;
            // Issue 9: a flood that hit the receive cap keeps the log suspended (see OverReceiveCapAsync).
            if (!Volatile.Read(ref _receiveCapExceeded)) _recorder.Resume("trial over");
        }
        // Autobahn closes normally once the trial is decided, whatever the verdict.
        await StartClosingHandshakeAsync(1000, ReadOnlyMemory<byte>.Empty, rawPayload: null, flushNow: true).ConfigureAwait(false);
    }

    /// <summary>Null when the echo has the expected type and length, else how it differs.</summary>
    private static string? TypeOrLengthDiffers(CompletedMessage echo, bool expectedBinary, long expectedLength)
    {
        if (echo.IsBinary != expectedBinary)
            return $"differs in type: a {(echo.IsBinary ? "binary" : "text")} message instead of {(expectedBinary ? "binary" : "text")}";
        return echo.Length != expectedLength ? $"differs in length: {echo.Length} octets instead of {expectedLength}" : null;
    }

    /// <summary>Called by the read loop for each complete message; true when a trial took it.</summary>
    private bool OfferToTrial(CompletedMessage message)
    {
        AwaitedEcho? echo;
        lock (_gate)
        {
            echo = _awaitedEcho;
            _awaitedEcho = null;
        }
        if (echo is null) return false;
        // Checked here, on the read loop, before the next frame can reuse a lent payload.
        echo.Verdict.TrySetResult(echo.Check(message));
        return true;
    }

    private void EndTrial(Behavior verdict, string result, int count, List<double> samples)
    {
        lock (_gate) _trialOutcome ??= new TrialOutcome(verdict, result, Stats(count, samples));
    }

    private string IncompleteResult(int count, string timeoutResult, int completed)
    {
        bool timedOut;
        int? peerCode;
        lock (_gate)
        {
            timedOut = _closeTimerFired;
            peerCode = _closeReceived && !_closedByMe ? _remoteCloseCode : null;
        }
        if (timedOut) return $"{timeoutResult} ({completed} of {count} echo(es) came back)";
        var how = peerCode is { } code ? $" (the peer closed with {code})" : "";
        return $"The connection ended after {completed} of {count} echo(es){how}.";
    }

    private static RoundTripStats Stats(int count, List<double> samples) =>
        new(count, samples.Count, samples.Select(s => Math.Round(s, 4)).ToArray());
}
