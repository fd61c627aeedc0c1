using System.Globalization;
using Wsconform.Engine.Scripting;
using Wsconform.Engine.Session;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Running;

/// <summary>
/// Judges a client that received a broken 101 (0.9.x). RFC 6455 §4.1: when the response breaks a rule the client MUST
/// fail the WebSocket connection, and with the handshake failed there is no WebSocket connection, only TCP, to close
/// (§7.1.7 sends a Close frame only on an established connection). The harness sends a message behind the response, so a
/// client that accepted the response shows it by answering.
/// </summary>
public static class BrokenResponseJudge
{
    public static Judgement Decide(ConformanceCase conformanceCase, SessionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(conformanceCase);
        ArgumentNullException.ThrowIfNull(outcome);
        var window = conformanceCase.Script.OfType<KillAfter>().Select(k => k.After.TotalSeconds).DefaultIfEmpty(0).Max();
        var closeFramesReceived = outcome.Stats.FramesReceivedByOpcode.GetValueOrDefault((int)Opcode.Close);

        var (behavior, result) = outcome switch
        {
            { Received.Count: > 0 } => (Behavior.Failed,
                $"The client accepted the broken response: it used the connection ({Describe(outcome.Received)}) where it must have failed it."),
            { Close.ClosedByMe: true } => (Behavior.Failed, string.Create(CultureInfo.InvariantCulture,
                $"The client did not fail the connection: it neither closed it nor answered within {window:0.#} s of the broken response, so the harness closed it.")),
            _ when closeFramesReceived > 0 => (Behavior.NonStrict,
                $"The client refused the response, but by sending a Close frame{(outcome.Close.RemoteCloseCode is { } code ? $" (code {code})" : "")}, as if " +
                "the WebSocket connection had been established; with the handshake failed only the TCP connection is to be closed."),
            _ => (Behavior.Ok, "The client failed the connection: it closed TCP without sending a frame."),
        };
        var (closeBehavior, closeResult) = outcome.Close.ClosedByMe
            ? (CloseBehavior.Failed, "The harness had to close the connection the client should have failed.")
            : (CloseBehavior.Ok, $"The client ended the connection ({outcome.Close.TcpEnd ?? "closed"}).");
        return new Judgement(behavior, result, closeBehavior, closeResult);
    }

    private static string Describe(IReadOnlyList<ReceivedEvent> received) =>
        string.Join(", ", received.Take(3).Select(e => e.Kind switch
        {
            EventKind.Message => e.IsBinary ? "a binary message" : "a text message",
            EventKind.Ping => "a ping",
            EventKind.Pong => "a pong",
            _ => e.Kind.ToString().ToLowerInvariant(),
        })) + (received.Count > 3 ? ", ..." : "");
}
