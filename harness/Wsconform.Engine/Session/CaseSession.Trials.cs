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
    private TaskCompletionSource<CompletedMessage>? _awaitedEcho;
    private TrialOutcome? _trialOutcome;

    private async Task RunRoundTripsAsync(RoundTrips trial)
    {
        var samples = new List<double>(trial.Count);
        var frames = Fragmentation.Plan(trial.Opcode, trial.Payload.Length, trial.FragmentSize ?? int.MaxValue).ToArray();
        _recorder.Suspend($"{trial.Count} round trip(s) of {trial.Payload.Length} octets");
        _assembler.RetainPayload = false;
        try
        {
            for (var i = 0; i < trial.Count; i++)
            {
                var echo = new TaskCompletionSource<CompletedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_gate)
                {
                    if (_state != SessionState.Open) break;
                    _awaitedEcho = echo;
                }
                var started = Stopwatch.GetTimestamp();
                foreach (var frame in frames)
                    await SendPatternFrameAsync(frame, trial.Payload, trial.ChopSize).ConfigureAwait(false);
                var received = await echo.Task.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

                var expectedBinary = trial.Opcode == Opcode.Binary;
                if (received.IsBinary != expectedBinary || received.Length != trial.Payload.Length)
                {
                    var what = received.IsBinary != expectedBinary
                        ? $"a {(received.IsBinary ? "binary" : "text")} message instead of {(expectedBinary ? "binary" : "text")}"
                        : $"{received.Length} octets instead of {trial.Payload.Length}";
                    EndTrial(Behavior.Failed, $"Echo {i + 1} of {trial.Count} differs in type or length: {what}.", trial, samples);
                    break;
                }
            }
            lock (_gate)
            {
                if (_trialOutcome is null && samples.Count == trial.Count)
                    _trialOutcome = new TrialOutcome(Behavior.Ok, $"Received all {trial.Count} echo(es) with the right type and length.", Stats(trial, samples));
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
                _trialOutcome ??= new TrialOutcome(Behavior.Failed, IncompleteResult(trial, samples.Count), Stats(trial, samples));
            }
            _assembler.RetainPayload = true;
            // Issue 9: a flood that hit the receive cap keeps the log suspended (see OverReceiveCapAsync).
            if (!Volatile.Read(ref _receiveCapExceeded)) _recorder.Resume("trial over");
        }
        // Autobahn closes normally once the trial is decided, whatever the verdict.
        await StartClosingHandshakeAsync(1000, ReadOnlyMemory<byte>.Empty, rawPayload: null, flushNow: true).ConfigureAwait(false);
    }

    /// <summary>Called by the read loop for each complete message; true when a trial took it.</summary>
    private bool OfferToTrial(CompletedMessage message)
    {
        TaskCompletionSource<CompletedMessage>? echo;
        lock (_gate)
        {
            echo = _awaitedEcho;
            _awaitedEcho = null;
        }
        if (echo is null) return false;
        echo.TrySetResult(message);
        return true;
    }

    private void EndTrial(Behavior verdict, string result, RoundTrips trial, List<double> samples)
    {
        lock (_gate) _trialOutcome ??= new TrialOutcome(verdict, result, Stats(trial, samples));
    }

    private string IncompleteResult(RoundTrips trial, int completed)
    {
        bool timedOut;
        int? peerCode;
        lock (_gate)
        {
            timedOut = _closeTimerFired;
            peerCode = _closeReceived && !_closedByMe ? _remoteCloseCode : null;
        }
        if (timedOut) return $"{trial.TimeoutResult} ({completed} of {trial.Count} echo(es) came back)";
        var how = peerCode is { } code ? $" (the peer closed with {code})" : "";
        return $"The connection ended after {completed} of {trial.Count} echo(es){how}.";
    }

    private static RoundTripStats Stats(RoundTrips trial, List<double> samples) =>
        new(trial.Count, samples.Count, samples.Select(s => Math.Round(s, 4)).ToArray());
}
