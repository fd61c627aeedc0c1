using Wsconform.Engine.Scripting;

namespace Wsconform.Cases;

/// <summary>
/// Category 2, "Pings/Pongs" (no sub-categories): pings of various payloads must be answered with identical pongs
/// (RFC 6455 §5.5.2), an over-long ping must fail the connection (§5.5), unsolicited pongs must be ignored (§5.5.3).
/// </summary>
public static class PingsPongs
{
    public const string Category = "Pings/Pongs";

    /// <summary>A ping the peer must answer: the payload, how it is described, and how it is delivered.</summary>
    private sealed record PingRow(string Id, ReadOnlyMemory<byte> Payload, string What, Delivery Delivery, TimeSpan CloseTimer);

    private static readonly PingRow[] AnsweredPings =
    [
        new("2.1", ReadOnlyMemory<byte>.Empty, "an empty payload", Delivery.BackToBack, Timers.Close),
        new("2.2", Payloads.Utf8(Payloads.HelloWorld), "the 13-octet text payload \"Hello, world!\"", Delivery.BackToBack, Timers.Close),
        new("2.3", Payloads.BinarySample, "the 8-octet binary payload 00 ff fe fd fc fb 00 ff", Delivery.BackToBack, Timers.Close),
        new("2.4", Payloads.BinaryOf(125), "125 octets of 0xFE, the largest payload a control frame may carry", Delivery.BackToBack, Timers.Close),
        new("2.6", Payloads.BinaryOf(125), "125 octets of 0xFE", Delivery.OctetWise, Timers.CloseChoppedPing),
    ];

    /// <summary>An unsolicited pong followed by the harness's own normal Close.</summary>
    private sealed record UnsolicitedPongRow(string Id, string Payload, string What);

    private static readonly UnsolicitedPongRow[] UnsolicitedPongs =
    [
        new("2.7", "", "an empty payload"),
        new("2.8", Payloads.UnsolicitedPongPayload, "the 24-octet payload \"unsolicited pong payload\""),
    ];

    /// <summary>Ten pings in a row; 2.11 writes each one octet at a time.</summary>
    private sealed record PingBurstRow(string Id, Delivery Delivery);

    private static readonly PingBurstRow[] PingBursts =
    [
        new("2.10", Delivery.BackToBack),
        new("2.11", Delivery.OctetWise),
    ];

    /// <summary>Number of pings in 2.10 / 2.11.</summary>
    private const int BurstSize = 10;

    /// <summary>2.5's ping payload: one octet over the control-frame limit, so the 16-bit length form is used.</summary>
    private const int OverlongPingLength = 126;

    public static IReadOnlyList<ConformanceCase> Cases { get; } =
    [
        .. AnsweredPings.Select(AnsweredPing),
        OverlongPing(),
        .. UnsolicitedPongs.Select(UnsolicitedPong),
        PongThenPing(),
        .. PingBursts.Select(PingBurst),
    ];

    private static ConformanceCase AnsweredPing(PingRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        RfcSections = [Rfc.Ping, Rfc.Pong],
        Requirement = "An endpoint that receives a Ping must answer with a Pong whose payload is identical to the Ping's, as soon as practical.",
        Stimulus = $"Sends one ping with {row.What}, {row.Delivery.DescribeSingle()}. Close timer {row.CloseTimer.TotalSeconds:0} s.",
        ExpectedBehaviour = "The peer answers with exactly one pong carrying the same payload; the harness then closes with 1000 and the peer completes the closing handshake cleanly.",
        Script = [row.Delivery.Send(Frames.Ping(row.Payload)), new CloseAfter(row.CloseTimer)],
        Expected = Outcomes.Ok(ExpectedEvent.Pong(row.Payload)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
    };

    private static ConformanceCase OverlongPing() => new()
    {
        Id = "2.5",
        Category = Category,
        RfcSections = [Rfc.ControlFrames, Rfc.FailConnection],
        Requirement = "Control frames carry at most 125 octets of payload; a receiver must treat a longer control frame as a protocol error and fail the connection.",
        Stimulus = $"Sends one ping with {OverlongPingLength} octets of 0xFE (minimal 16-bit length form, as Autobahn encodes it). Kill timer {Timers.Kill.TotalSeconds:0} s.",
        ExpectedBehaviour = "The peer sends no pong and fails the connection: Close 1002, a Close without a code, or a TCP drop.",
        Script = [new SendFrame(Frames.Ping(Payloads.BinaryOf(OverlongPingLength))), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.FailFastProtocolError,
    };

    private static ConformanceCase UnsolicitedPong(UnsolicitedPongRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        RfcSections = [Rfc.Pong, Rfc.Close],
        Requirement = "A Pong may be sent unsolicited (a one-way heartbeat) and no reply is expected; a receiver must not fail the connection because of it.",
        Stimulus = $"Sends an unsolicited pong with {row.What}, then immediately starts the closing handshake with Close 1000. Close timer {Timers.Close.TotalSeconds:0} s.",
        ExpectedBehaviour = "The peer sends nothing in reply to the pong and answers the Close with 1000 (or no code), completing the closing handshake cleanly.",
        Script = [new SendFrame(Frames.Pong(row.Payload)), new SendClose(CloseExpectations.NormalClosure), new CloseAfter(Timers.Close)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.HarnessClosesNormally,
    };

    private static ConformanceCase PongThenPing() => new()
    {
        Id = "2.9",
        Category = Category,
        RfcSections = [Rfc.Pong, Rfc.Ping],
        Requirement = "An unsolicited Pong is ignored; a following Ping must still be answered with a Pong of identical payload.",
        Stimulus = $"Sends an unsolicited pong with \"{Payloads.UnsolicitedPongPayload}\", then a ping with \"{Payloads.PingPayload}\", back to back. Close timer {Timers.Close.TotalSeconds:0} s.",
        ExpectedBehaviour = "The peer answers only the ping, with one pong carrying \"ping payload\"; the harness then closes with 1000 and the peer completes the closing handshake cleanly.",
        Script =
        [
            new SendFrame(Frames.Pong(Payloads.UnsolicitedPongPayload)),
            new SendFrame(Frames.Ping(Payloads.PingPayload)),
            new CloseAfter(Timers.Close),
        ],
        Expected = Outcomes.Ok(ExpectedEvent.Pong(Payloads.PingPayload)),
        ExpectedClose = CloseExpectations.EchoThenNormalClose,
    };

    private static ConformanceCase PingBurst(PingBurstRow row)
    {
        var payloads = Enumerable.Range(0, BurstSize).Select(i => $"payload-{i}").ToArray();
        return new ConformanceCase
        {
            Id = row.Id,
            Category = Category,
            RfcSections = [Rfc.Ping, Rfc.Pong],
            Requirement =
                "Every Ping must be answered with a Pong of identical payload. Note: RFC 6455 §5.5.3 allows an endpoint " +
                "that has several pings pending to answer only the most recent one; Autobahn nevertheless demands a pong " +
                "for each of the ten pings, and this case reproduces that stricter check.",
            Stimulus =
                $"Sends {BurstSize} pings in a row with payloads \"payload-0\" to \"payload-9\", {row.Delivery.Describe()}. " +
                $"Close timer {Timers.ClosePingBurst.TotalSeconds:0} s.",
            ExpectedBehaviour =
                "The peer answers with ten pongs, \"payload-0\" to \"payload-9\", in order (stricter than the RFC, which " +
                "would allow only the last one to be answered); the harness then closes with 1000 and the peer completes " +
                "the closing handshake cleanly.",
            Script = [.. payloads.Select(p => row.Delivery.Send(Frames.Ping(p))), new CloseAfter(Timers.ClosePingBurst)],
            Expected = Outcomes.Ok([.. payloads.Select(ExpectedEvent.Pong)]),
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
        };
    }
}
