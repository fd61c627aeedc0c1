using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Category 3, "Reserved Bits" (no sub-categories). No extension is negotiated, so any RSV bit must make the peer
/// fail the connection (RFC 6455 §5.2). RSV values use Autobahn's numbering: 4 = RSV1, 2 = RSV2, 1 = RSV3.
/// </summary>
public static class ReservedBits
{
    public const string Category = "Reserved Bits";

    private const string Requirement =
        "RSV1, RSV2 and RSV3 must be 0 unless a negotiated extension defines them; with no extension negotiated, a " +
        "receiver that sees a set RSV bit must fail the connection.";

    /// <summary>A single frame carrying RSV bits, sent alone.</summary>
    private sealed record LoneFrameRow(string Id, int Rsv, FrameSpec Frame, string What, string? Note = null);

    private static readonly LoneFrameRow[] LoneFrames =
    [
        new("3.1", 1, Frames.Text(Payloads.HelloWorld, rsv: 1), "a text frame \"Hello, world!\""),
        new("3.5", 5, Frames.Binary(Payloads.BinarySample, rsv: 5), "a binary frame with the 8 octets 00 ff fe fd fc fb 00 ff"),
        // Autobahn's description of 3.6 says "Ping", but the frame it sends is binary; we reproduce the frame.
        new("3.6", 6, Frames.Binary(Payloads.Utf8(Payloads.HelloWorld), rsv: 6), "a binary frame \"Hello, world!\"", "Autobahn's description says ping, but the frame it sends is binary."),
        new("3.7", 7, Frames.RawClose(rsv: 7), "an empty close frame", "The frame is sent as a plain frame, not as the harness's closing handshake."),
    ];

    /// <summary>A valid text message, then the same text with RSV bits, then a ping.</summary>
    private sealed record SandwichRow(string Id, int Rsv, Delivery Delivery);

    private static readonly SandwichRow[] Sandwiches =
    [
        new("3.2", 2, Delivery.BackToBack),
        new("3.3", 3, Delivery.FrameWise),
        new("3.4", 4, Delivery.OctetWise),
    ];

    public static IReadOnlyList<ConformanceCase> Cases { get; } =
        [.. LoneFrames.Select(LoneFrame), .. Sandwiches.Select(Sandwich)];

    private static string Bits(int rsv)
    {
        var names = new List<string>();
        if ((rsv & 4) != 0) names.Add("RSV1");
        if ((rsv & 2) != 0) names.Add("RSV2");
        if ((rsv & 1) != 0) names.Add("RSV3");
        return $"RSV = {rsv} ({string.Join(" + ", names)})";
    }

    private static ConformanceCase LoneFrame(LoneFrameRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        RfcSections = [Rfc.BaseFraming, Rfc.Extensibility, Rfc.FailConnection],
        Requirement = Requirement,
        Stimulus = $"Sends {row.What} with {Bits(row.Rsv)}.{(row.Note is null ? "" : " " + row.Note)} Kill timer {Timers.Kill.TotalSeconds:0} s.",
        ExpectedBehaviour = "The peer sends nothing back and fails the connection: Close 1002, a Close without a code, or a TCP drop.",
        Script = [new SendFrame(row.Frame), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.FailFastProtocolError,
    };

    private static ConformanceCase Sandwich(SandwichRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        RfcSections = [Rfc.BaseFraming, Rfc.Extensibility, Rfc.FailConnection],
        Requirement = Requirement,
        Stimulus =
            $"Sends a valid text frame \"Hello, world!\", then the same text with {Bits(row.Rsv)}, then an empty ping; " +
            $"{row.Delivery.Describe()}. Kill timer {Timers.Kill.TotalSeconds:0} s.",
        ExpectedBehaviour =
            "The peer echoes the first, valid message, then fails the connection on the RSV bits (Close 1002, a Close " +
            "without a code, or a TCP drop); no pong may arrive. Failing before the echo is tolerated (NON-STRICT).",
        Script =
        [
            row.Delivery.Send(Frames.Text(Payloads.HelloWorld)),
            row.Delivery.Send(Frames.Text(Payloads.HelloWorld, rsv: row.Rsv)),
            row.Delivery.Send(Frames.Ping()),
            new KillAfter(Timers.Kill),
        ],
        Expected = Outcomes.OkOrNothingNonStrict(ExpectedEvent.Text(Payloads.HelloWorld)),
        ExpectedClose = CloseExpectations.FailFastProtocolError,
    };
}
