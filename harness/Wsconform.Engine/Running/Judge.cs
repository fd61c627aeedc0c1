using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Running;

/// <summary>The two verdicts of a case and the sentences that explain them.</summary>
public sealed record Judgement(Behavior Behavior, string Result, CloseBehavior BehaviorClose, string ResultClose);

/// <summary>
/// Decides a case's verdicts from what the session observed, exactly as Autobahn|Testsuite does (catalogue §1.1, §1.2),
/// so the results compare one to one with published Autobahn reports.
/// </summary>
public static class Judge
{
    /// <summary>Close code 1008, "Policy Violation" (RFC 6455 §7.4.1).</summary>
    private const int PolicyViolation = 1008;

    public static Judgement Decide(ConformanceCase conformanceCase, SessionOutcome outcome, EndpointRole role)
    {
        // Performance trials decide their own behaviour verdict (Autobahn's categories 9, 12, 13).
        var (behavior, result) = outcome.Trial is { } trial ? (trial.Verdict, trial.Result) : JudgeEvents(conformanceCase, outcome.Received);
        if (conformanceCase.ExpectedSentFrames is { } expectedFrames && !SentFramesMatch(expectedFrames, outcome.Stats.FramesSentByOpcode))
        {
            // 10.1.1 checks the harness's own fragmentation; Autobahn downgrades the case when it is off.
            behavior = Behavior.Failed;
            result = $"The harness sent data frames {Format(outcome.Stats.FramesSentByOpcode)} instead of {Format(expectedFrames)}.";
        }
        var (closeBehavior, closeResult) = JudgeClose(conformanceCase.ExpectedClose, outcome.Close, role);
        var expected = conformanceCase.ExpectedClose;

        // Invalid UTF-8 cases: if the harness had to close, the peer never noticed the bad payload at all.
        if (expected.ClosedByWrongEndpointIsFatal && expected.ClosedByHarness != outcome.Close.ClosedByMe)
        {
            behavior = Behavior.Failed;
            result = "The peer did not fail the connection itself, so it did not detect the invalid payload.";
        }

        switch (conformanceCase.Rule)
        {
            case VerdictRule.WrongCodeFailsBehavior when closeBehavior == CloseBehavior.WrongCode:
                behavior = Behavior.Failed;
                result = $"{result} The peer's close code was wrong, which fails the case.";
                break;
            case VerdictRule.PeerLimitInformational when behavior == Behavior.Failed && !outcome.Close.ClosedByMe
                                                          && outcome.Close.RemoteCloseCode is WireViolation.MessageTooBig or PolicyViolation:
                // RFC 6455 §10.4: an implementation may limit message size; refusing cleanly is not a failure.
                behavior = Behavior.Informational;
                result = $"Informational: the peer refused the message with close code {outcome.Close.RemoteCloseCode} (a size limit, which RFC 6455 §10.4 allows).";
                closeBehavior = CloseBehavior.Informational;
                closeResult = $"Informational: {closeResult}";
                break;
            case VerdictRule.Informational:
                result = $"Informational: {(behavior == Behavior.Failed ? "the events match no listed outcome" : $"the events match the {behavior.ToAutobahnString()} outcome")} ({Describe(outcome.Received)}).";
                closeResult = $"Informational: {closeResult}";
                behavior = Behavior.Informational;
                closeBehavior = CloseBehavior.Informational;
                break;
        }
        return new Judgement(behavior, result, closeBehavior, closeResult);
    }

    /// <summary>The first expected list equal to the received events decides; none → FAILED (catalogue §1.1).</summary>
    private static (Behavior, string) JudgeEvents(ConformanceCase conformanceCase, IReadOnlyList<ReceivedEvent> received)
    {
        foreach (var outcome in conformanceCase.Expected)
        {
            if (EventMatching.Equal(received, outcome.Events))
                return (outcome.Verdict, "Actual events match at least one expected.");
        }
        return (Behavior.Failed, "Actual events differ from any expected.");
    }

    /// <summary>Autobahn's close checks, in its order (catalogue §1.2).</summary>
    private static (CloseBehavior, string) JudgeClose(ExpectedClose expected, CloseFacts close, EndpointRole role)
    {
        if (expected.ClosedByHarness != close.ClosedByMe)
            return (CloseBehavior.Failed, expected.ClosedByHarness
                ? "The connection was failed by the wrong endpoint: the peer closed although the harness was expected to."
                : "The connection was failed by the wrong endpoint: the harness had to close although the peer was expected to fail the connection.");
        if (expected.RequireClean && !close.WasClean)
            return (CloseBehavior.Unclean, $"The spec requires the connection to be closed cleanly here ({close.WasNotCleanReason ?? "not clean"}).");
        if (close.RemoteCloseCode is { } code && !expected.CloseCodes.Contains(code))
            return (CloseBehavior.WrongCode, $"The close code should have been {string.Join(",", expected.CloseCodes)} or empty, but was {code}.");
        if (role == EndpointRole.Client && close.DroppedByMe)
            return (CloseBehavior.FailedByClient, "It is preferred that the server close the TCP connection.");
        return (CloseBehavior.Ok, "Connection was properly closed.");
    }

    /// <summary>Compares data-frame counts (opcodes 0–2) only: the close frames of the closing handshake vary by peer.</summary>
    private static bool SentFramesMatch(IReadOnlyDictionary<int, int> expected, IReadOnlyDictionary<int, int> sent) =>
        Enumerable.Range(0, 3).All(opcode => expected.GetValueOrDefault(opcode) == sent.GetValueOrDefault(opcode));

    private static string Format(IReadOnlyDictionary<int, int> counts) =>
        "{" + string.Join(", ", counts.Where(c => c.Key <= 2).OrderBy(c => c.Key).Select(c => $"opcode {c.Key}: {c.Value}")) + "}";

    private static string Describe(IReadOnlyList<ReceivedEvent> received) =>
        received.Count == 0 ? "no events" : string.Join(", ", received.Select(e => ResultBuilder.ToModel(e).ToString()));
}
