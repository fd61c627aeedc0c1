using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Category 5, "Fragmentation" (no sub-categories): legal fragmented messages, control frames injected between
/// fragments, and the illegal shapes a receiver must reject (fragmented control frames, continuations with nothing
/// to continue, a new data frame inside an open message). RFC 6455 §5.4, §5.5.
/// </summary>
public static class Fragmentation
{
    public const string Category = "Fragmentation";

    private const string Fragment1 = "fragment1";
    private const string Fragment2 = "fragment2";
    private const string Fragment3 = "fragment3";
    private const string Fragment4 = "fragment4";
    private const string Fragment5 = "fragment5";
    private const string FirstPing = "pongme 1!";
    private const string SecondPing = "pongme 2!";

    private const string FailBehaviour = "fails the connection: Close 1002, a Close without a code, or a TCP drop";

    /// <summary>5.1/5.2: a control frame split over two frames (FIN=0, then a continuation).</summary>
    private sealed record FragmentedControlRow(string Id, Opcode Opcode);

    private static readonly FragmentedControlRow[] FragmentedControls =
    [
        new("5.1", Opcode.Ping),
        new("5.2", Opcode.Pong),
    ];

    /// <summary>A legal scenario repeated for each way of putting the frames on the wire.</summary>
    private sealed record DeliveryRow(string Id, Delivery Delivery);

    private static readonly DeliveryRow[] TwoFragmentTexts =
    [
        new("5.3", Delivery.BackToBack),
        new("5.4", Delivery.FrameWise),
        new("5.5", Delivery.OctetWise),
    ];

    private static readonly DeliveryRow[] PingBetweenFragments =
    [
        new("5.6", Delivery.BackToBack),
        new("5.7", Delivery.FrameWise),
        new("5.8", Delivery.OctetWise),
    ];

    /// <summary>5.9–5.14: a continuation frame with no message in progress, final (FIN=1) or not, then a valid text.</summary>
    private sealed record StrayContinuationRow(string Id, bool Fin, Delivery Delivery);

    private static readonly StrayContinuationRow[] StrayContinuations =
    [
        new("5.9", true, Delivery.BackToBack),
        new("5.10", true, Delivery.FrameWise),
        new("5.11", true, Delivery.OctetWise),
        new("5.12", false, Delivery.BackToBack),
        new("5.13", false, Delivery.FrameWise),
        new("5.14", false, Delivery.OctetWise),
    ];

    /// <summary>5.16/5.17: twice a stray continuation (FIN as given) followed by a fragmented text.</summary>
    private sealed record StrayBeforeMessageRow(string Id, bool StrayFin);

    private static readonly StrayBeforeMessageRow[] StraysBeforeMessage =
    [
        new("5.16", false),
        new("5.17", true),
    ];

    /// <summary>5.19/5.20: a five-fragment text with two pings inside and a pause in the middle.</summary>
    private static readonly DeliveryRow[] PausedMessages =
    [
        new("5.19", Delivery.BackToBack),
        new("5.20", Delivery.FrameWise),
    ];

    public static IReadOnlyList<ConformanceCase> Cases { get; } =
    [
        .. FragmentedControls.Select(FragmentedControl),
        .. TwoFragmentTexts.Select(TwoFragmentText),
        .. PingBetweenFragments.Select(PingBetween),
        .. StrayContinuations.Select(StrayContinuation),
        ContinuationAfterFinishedMessage(),
        .. StraysBeforeMessage.Select(StrayBeforeMessage),
        TextInsteadOfContinuation(),
        .. PausedMessages.Select(PausedMessage),
    ];

    private static string Fin(bool fin) => fin ? "FIN=1" : "FIN=0";

    private static string KillNote => $" Kill timer {Timers.Kill.TotalSeconds:0} s.";

    private static string CloseNote => $" Close timer {Timers.Close.TotalSeconds:0} s.";

    private static ConformanceCase FragmentedControl(FragmentedControlRow row)
    {
        var name = row.Opcode == Opcode.Ping ? "ping" : "pong";
        return new ConformanceCase
        {
            Id = row.Id,
            Category = Category,
            RfcSections = [Rfc.ControlFrames, Rfc.Fragmentation, Rfc.FailConnection],
            Requirement = "Control frames must not be fragmented; a control frame with FIN=0 is a protocol error and the receiver must fail the connection.",
            Stimulus = $"Sends a {name} frame \"{Fragment1}\" with FIN=0, then a continuation frame \"{Fragment2}\" with FIN=1, back to back." + KillNote,
            ExpectedBehaviour = $"The peer sends nothing back (in particular no pong) and {FailBehaviour}.",
            Script =
            [
                new SendFrame(FrameSpec.Of(row.Opcode, Payloads.Utf8(Fragment1), fin: false)),
                new SendFrame(Frames.Continuation(Fragment2, fin: true)),
                new KillAfter(Timers.Kill),
            ],
            Expected = Outcomes.Nothing,
            ExpectedClose = CloseExpectations.FailFastProtocolError,
        };
    }

    private static ConformanceCase TwoFragmentText(DeliveryRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        RfcSections = [Rfc.Fragmentation, Rfc.ReceivingData],
        Requirement = "A receiver must accept a message split into a first frame (FIN=0) and continuation frames, the last with FIN=1, and deliver the concatenated payload as one message.",
        Stimulus = $"Sends a text frame \"{Fragment1}\" with FIN=0, then a continuation \"{Fragment2}\" with FIN=1; {row.Delivery.Describe()}." + CloseNote,
        ExpectedBehaviour = "The peer echoes one text message \"fragment1fragment2\"; the harness then closes with 1000 and the peer completes the closing handshake cleanly.",
        Script =
        [
            row.Delivery.Send(Frames.Text(Fragment1, fin: false)),
            row.Delivery.Send(Frames.Continuation(Fragment2, fin: true)),
            new CloseAfter(Timers.Close),
        ],
        Expected = Outcomes.Ok(ExpectedEvent.Text(Fragment1 + Fragment2)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
    };

    private static ConformanceCase PingBetween(DeliveryRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        RfcSections = [Rfc.Fragmentation, Rfc.Ping],
        Requirement = "Control frames may be injected between the fragments of a message and must be handled there; a Ping in the middle of a message is answered with a Pong of identical payload.",
        Stimulus = $"Sends a text frame \"{Fragment1}\" with FIN=0, a ping \"{Payloads.PingPayload}\", then a continuation \"{Fragment2}\" with FIN=1; {row.Delivery.Describe()}." + CloseNote,
        ExpectedBehaviour = "The peer answers the ping with a pong \"ping payload\" first, then echoes one text message \"fragment1fragment2\"; the harness then closes with 1000 and the peer completes the closing handshake cleanly.",
        Script =
        [
            row.Delivery.Send(Frames.Text(Fragment1, fin: false)),
            row.Delivery.Send(Frames.Ping(Payloads.PingPayload)),
            row.Delivery.Send(Frames.Continuation(Fragment2, fin: true)),
            new CloseAfter(Timers.Close),
        ],
        Expected = Outcomes.Ok(ExpectedEvent.Pong(Payloads.PingPayload), ExpectedEvent.Text(Fragment1 + Fragment2)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
    };

    private static ConformanceCase StrayContinuation(StrayContinuationRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        RfcSections = [Rfc.Fragmentation, Rfc.FailConnection],
        Requirement = "A continuation frame is only legal while a fragmented message is in progress; a continuation with nothing to continue is a protocol error and the receiver must fail the connection.",
        Stimulus =
            $"Sends a continuation frame \"{Payloads.NonContinuationPayload}\" (24 octets) with {Fin(row.Fin)} while no message is in progress, " +
            $"then a valid text frame \"{Payloads.HelloWorld}\"; {row.Delivery.Describe()}." + KillNote,
        ExpectedBehaviour = $"The peer {FailBehaviour}; the following text must not be echoed.",
        Script =
        [
            row.Delivery.Send(Frames.Continuation(Payloads.NonContinuationPayload, row.Fin)),
            row.Delivery.Send(Frames.Text(Payloads.HelloWorld)),
            new KillAfter(Timers.Kill),
        ],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.FailFastProtocolError,
    };

    private static ConformanceCase ContinuationAfterFinishedMessage() => new()
    {
        Id = "5.15",
        Category = Category,
        RfcSections = [Rfc.Fragmentation, Rfc.FailConnection],
        Requirement = "Once a fragmented message has ended (FIN=1), a further continuation frame has nothing to continue; the receiver must fail the connection.",
        Stimulus =
            $"Sends a text frame \"{Fragment1}\" with FIN=0, a continuation \"{Fragment2}\" with FIN=1 (a complete message), " +
            $"then a continuation \"{Fragment3}\" with FIN=0 (nothing to continue) and a text frame \"{Fragment4}\"; frames written back to back." + KillNote,
        ExpectedBehaviour =
            $"The peer echoes the complete message \"fragment1fragment2\", then {FailBehaviour}. Failing before the echo is tolerated (NON-STRICT).",
        Script =
        [
            new SendFrame(Frames.Text(Fragment1, fin: false)),
            new SendFrame(Frames.Continuation(Fragment2, fin: true)),
            new SendFrame(Frames.Continuation(Fragment3, fin: false)),
            new SendFrame(Frames.Text(Fragment4)),
            new KillAfter(Timers.Kill),
        ],
        Expected = Outcomes.OkOrNothingNonStrict(ExpectedEvent.Text(Fragment1 + Fragment2)),
        ExpectedClose = CloseExpectations.FailFastProtocolError,
    };

    private static ConformanceCase StrayBeforeMessage(StrayBeforeMessageRow row)
    {
        // Autobahn sends the three-frame group twice in a row.
        const int repetitions = 2;
        var group = new Step[]
        {
            new SendFrame(Frames.Continuation(Fragment1, row.StrayFin)),
            new SendFrame(Frames.Text(Fragment2, fin: false)),
            new SendFrame(Frames.Continuation(Fragment3, fin: true)),
        };
        return new ConformanceCase
        {
            Id = row.Id,
            Category = Category,
            RfcSections = [Rfc.Fragmentation, Rfc.FailConnection],
            Requirement = "A continuation frame with no message in progress is a protocol error; the receiver must fail the connection at once and not process the message that follows.",
            Stimulus =
                $"Sends, twice in a row: a continuation \"{Fragment1}\" with {Fin(row.StrayFin)} (nothing to continue), a text frame \"{Fragment2}\" " +
                $"with FIN=0, and a continuation \"{Fragment3}\" with FIN=1; frames written back to back." + KillNote,
            ExpectedBehaviour = $"The peer sends nothing back (no echo of \"fragment2fragment3\") and {FailBehaviour}.",
            Script = [.. Enumerable.Repeat(group, repetitions).SelectMany(g => g), new KillAfter(Timers.Kill)],
            Expected = Outcomes.Nothing,
            ExpectedClose = CloseExpectations.FailFastProtocolError,
        };
    }

    private static ConformanceCase TextInsteadOfContinuation() => new()
    {
        Id = "5.18",
        Category = Category,
        RfcSections = [Rfc.Fragmentation, Rfc.FailConnection],
        Requirement = "Fragments of different messages must not interleave: while a message is in progress, the next data frame must be a continuation; a new text or binary frame is a protocol error and the receiver must fail the connection.",
        Stimulus = $"Sends a text frame \"{Fragment1}\" with FIN=0, then a second text frame (not a continuation) \"{Fragment2}\" with FIN=1; frames written back to back." + KillNote,
        ExpectedBehaviour = $"The peer sends nothing back and {FailBehaviour}.",
        Script =
        [
            new SendFrame(Frames.Text(Fragment1, fin: false)),
            new SendFrame(Frames.Text(Fragment2, fin: true)),
            new KillAfter(Timers.Kill),
        ],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.FailFastProtocolError,
    };

    private static ConformanceCase PausedMessage(DeliveryRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        RfcSections = [Rfc.Fragmentation, Rfc.Ping, Rfc.ReceivingData],
        Requirement =
            "Control frames injected between fragments must be handled while the message is still open; each Ping is " +
            "answered with a Pong of identical payload, and the fragments are delivered as one message when the last arrives.",
        Stimulus =
            $"Part 1: a text frame \"{Fragment1}\" with FIN=0, a continuation \"{Fragment2}\" with FIN=0, a ping \"{FirstPing}\". " +
            $"Then waits {Timers.PauseBetweenParts.TotalSeconds:0} s. Part 2: continuations \"{Fragment3}\" and \"{Fragment4}\" with FIN=0, " +
            $"a ping \"{SecondPing}\", a continuation \"{Fragment5}\" with FIN=1. Delivery: {row.Delivery.Describe()}. " +
            $"Close timer {Timers.Close.TotalSeconds:0} s, armed after part 2.",
        ExpectedBehaviour =
            "The peer answers \"pongme 1!\" (ideally during the pause, before the message ends), then \"pongme 2!\", then " +
            "echoes one text message \"fragment1fragment2fragment3fragment4fragment5\"; only the final order is checked. " +
            "The harness then closes with 1000 and the peer completes the closing handshake cleanly.",
        Script =
        [
            row.Delivery.Send(Frames.Text(Fragment1, fin: false)),
            row.Delivery.Send(Frames.Continuation(Fragment2, fin: false)),
            row.Delivery.Send(Frames.Ping(FirstPing)),
            new Delay(Timers.PauseBetweenParts, "A"),
            row.Delivery.Send(Frames.Continuation(Fragment3, fin: false)),
            row.Delivery.Send(Frames.Continuation(Fragment4, fin: false)),
            row.Delivery.Send(Frames.Ping(SecondPing)),
            row.Delivery.Send(Frames.Continuation(Fragment5, fin: true)),
            new CloseAfter(Timers.Close),
        ],
        Expected = Outcomes.Ok(
            ExpectedEvent.Pong(FirstPing),
            ExpectedEvent.Pong(SecondPing),
            ExpectedEvent.Text(Fragment1 + Fragment2 + Fragment3 + Fragment4 + Fragment5)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
    };
}
