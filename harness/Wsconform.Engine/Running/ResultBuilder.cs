using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Model;

namespace Wsconform.Engine.Running;

/// <summary>Builds the immutable <see cref="CaseResult"/> from a case, what was observed and the judgement.</summary>
public static class ResultBuilder
{
    public static CaseEvent ToModel(ReceivedEvent e) =>
        new(e.Kind, e.Kind == EventKind.Timeout ? null : PayloadViews.Create(e.Payload.Span), e.IsBinary, e.Tag);

    public static CaseEvent ToModel(ExpectedEvent e) =>
        new(e.Kind, e.Kind == EventKind.Timeout ? null : PayloadViews.Create(e.Payload.Span), e.IsBinary, e.Tag);

    /// <summary>The result of a case that ran to the end of its connection.</summary>
    public static CaseResult Completed(ConformanceCase c, DateTimeOffset started, SessionOutcome outcome, Judgement judgement,
        string? request, string? response, WireRecorder recorder) =>
        Base(c, started, recorder) with
        {
            Behavior = judgement.Behavior,
            BehaviorClose = judgement.BehaviorClose,
            Result = judgement.Result,
            ResultClose = judgement.ResultClose,
            DurationMs = Math.Round(outcome.OpenDurationMs, 3),
            Received = outcome.Received.Select(ToModel).ToArray(),
            Close = outcome.Close,
            Violations = outcome.Violations,
            Stats = outcome.Stats,
            RoundTrips = outcome.Trial?.RoundTrips,
            Compression = outcome.Compression,
            HandshakeRequest = request,
            HandshakeResponse = response,
        };

    /// <summary>The result of a case that is only about the handshake: the probe's verdict, no closing handshake to judge.</summary>
    /// <param name="noResponse">Why no response arrived (the harness as client), or null.</param>
    public static CaseResult HandshakeOnly(ConformanceCase c, DateTimeOffset started, HandshakeVerdict verdict, string request, string? response,
        string? noResponse, WireRecorder recorder) =>
        Base(c, started, recorder) with
        {
            Behavior = verdict.Verdict,
            BehaviorClose = CloseBehavior.Ok,
            Result = verdict.Result,
            ResultClose = "The case ends with the opening handshake; there is no closing handshake to judge.",
            DurationMs = Math.Round(recorder.NowMs, 3),
            Close = new CloseFacts { WasNotCleanReason = noResponse },
            Stats = recorder.Stats(),
            HandshakeRequest = request,
            HandshakeResponse = response,
        };

    /// <summary>The result of a case that could not run (refused, handshake rejected, harness fault): ERROR with its reason.</summary>
    public static CaseResult Error(ConformanceCase c, DateTimeOffset started, string reason, string? request, string? response,
        WireRecorder recorder, CloseFacts? close = null) =>
        Base(c, started, recorder) with
        {
            Stats = recorder.Stats(),
            Behavior = Behavior.Error,
            BehaviorClose = CloseBehavior.Error,
            Result = $"The case could not run: {reason}",
            ResultClose = "The WebSocket opening handshake was never completed, so there is no close to judge.",
            DurationMs = Math.Round(recorder.NowMs, 3),
            Close = close ?? new CloseFacts { WasNotCleanReason = reason },
            HandshakeRequest = request,
            HandshakeResponse = response,
        };

    private static CaseResult Base(ConformanceCase c, DateTimeOffset started, WireRecorder recorder) => new()
    {
        Id = c.Id,
        Category = c.Category,
        Group = c.Group,
        RfcSections = c.RfcSections,
        Requirement = c.Requirement,
        Stimulus = c.Stimulus,
        ExpectedBehaviour = c.ExpectedBehaviour,
        Behavior = Behavior.Error,
        BehaviorClose = CloseBehavior.Error,
        Result = "",
        ResultClose = "",
        Started = started,
        DurationMs = 0,
        Expected = c.Expected.Select(o => new ExpectedOutcome(o.Verdict, o.Events.Select(ToModel).ToArray())).ToArray(),
        Received = [],
        ExpectedClose = c.ExpectedClose,
        Close = new CloseFacts(),
        Violations = [],
        WireLog = recorder.Snapshot(),
    };
}
