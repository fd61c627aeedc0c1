using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Category 14, "Frame Encoding", which Autobahn never tested: how the peer reacts to the client's masking (RFC 6455
/// §5.1, §5.3) and to payload lengths in a longer form than needed or with the forbidden top bit (§5.2). Ordinary
/// scripted cases over the standard handshake.
/// </summary>
public static class FrameEncoding
{
    public const string Category = "Frame Encoding";
    public const string MaskingGroup = "Masking";
    public const string LengthGroup = "Payload length encoding";

    /// <summary>Payload of the masking cases (5 octets, also the real payload of 14.2.3).</summary>
    public const string Hello = "Hello";

    /// <summary>The 64-bit length of 14.2.3: 5 with the most significant bit set.</summary>
    public const ulong TopBitLength = 0x8000_0000_0000_0005;

    private static readonly string Kill = $" Kill timer {Timers.Kill.TotalSeconds:0} s.";

    /// <summary>A frame the peer must fail the connection on (nothing echoed, Close 1002 or a drop).</summary>
    private sealed record FailRow(string Id, string Group, IReadOnlyList<string> Rfc, string Requirement, FrameSpec Frame, string What);

    /// <summary>A frame the peer must (or, when <paramref name="Informational"/>, may) echo.</summary>
    private sealed record EchoRow(string Id, string Group, IReadOnlyList<string> Rfc, string Requirement, FrameSpec Frame, string What, bool Informational);

    private const string MustMask =
        "Every frame a client sends is masked; a server that receives an unmasked frame must fail the connection " +
        "(Close 1002 is the appropriate code).";

    private const string AnyKey =
        "The masking key is any 32-bit value the client picks; the server unmasks by XOR whatever the key, including " +
        "one that leaves the payload unchanged (all zeros) or inverts every bit (all ones).";

    private const string NonMinimal =
        "Senders must use the shortest length form (7-bit up to 125, 16-bit up to 65535); the RFC obliges senders, not " +
        "receivers, and says nothing of how a receiver treats a longer form, so either reaction is recorded.";

    private static readonly FailRow[] Failing =
    [
        new("14.1.1", MaskingGroup, [HandshakeRfc.FramingOverview, HandshakeRfc.Masking, Rfc.FailConnection], MustMask,
            Frames.Text(Hello) with { Masked = false }, $"an unmasked text frame \"{Hello}\" (MASK bit 0, no masking key)"),
        new("14.1.2", MaskingGroup, [HandshakeRfc.FramingOverview, HandshakeRfc.Masking, Rfc.FailConnection], MustMask,
            Frames.Ping(Hello) with { Masked = false }, $"an unmasked ping \"{Hello}\" (MASK bit 0, no masking key)"),
        new("14.2.3", LengthGroup, [Rfc.BaseFraming, Rfc.FailConnection],
            "In the 64-bit length form the most significant bit must be 0; a frame that sets it is malformed and the " +
            "receiver must fail the connection.",
            Frames.Text(Hello) with { DeclaredLength = TopBitLength, LengthEncoding = LengthEncoding.Extended64 },
            $"a text frame whose 64-bit length field is 0x8000000000000005 (top bit set), followed by the {Hello.Length} octets \"{Hello}\""),
    ];

    private static readonly EchoRow[] Echoing =
    [
        new("14.1.3", MaskingGroup, [HandshakeRfc.Masking, HandshakeRfc.FramingOverview], AnyKey,
            Frames.Text(Hello) with { MaskKey = 0x0000_0000 }, $"a text frame \"{Hello}\" masked with the key 00 00 00 00", false),
        new("14.1.4", MaskingGroup, [HandshakeRfc.Masking, HandshakeRfc.FramingOverview], AnyKey,
            Frames.Text(Hello) with { MaskKey = 0xFFFF_FFFF }, $"a text frame \"{Hello}\" masked with the key ff ff ff ff", false),
        new("14.2.1", LengthGroup, [Rfc.BaseFraming], NonMinimal,
            Frames.Text(Payloads.TextOf(100)) with { LengthEncoding = LengthEncoding.Extended16 },
            "a text frame of 100 '*' octets whose length is written in the 16-bit form (126, then 00 64) instead of the 7-bit form", true),
        new("14.2.2", LengthGroup, [Rfc.BaseFraming], NonMinimal,
            Frames.Text(Payloads.TextOf(200)) with { LengthEncoding = LengthEncoding.Extended64 },
            "a text frame of 200 '*' octets whose length is written in the 64-bit form (127, then 00 00 00 00 00 00 00 c8) instead of the 16-bit form", true),
    ];

    public static IReadOnlyList<ConformanceCase> Cases { get; } =
        [.. Failing.Select(Fail), .. Echoing.Select(Echo)];

    private static ConformanceCase Fail(FailRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        Group = row.Group,
        RfcSections = row.Rfc,
        Requirement = row.Requirement,
        Stimulus = $"Sends {row.What}." + Kill,
        ExpectedBehaviour =
            "MUST: the peer sends nothing back and fails the connection: Close 1002, a Close without a code, or a TCP " +
            "drop. An echo or pong is FAILED.",
        Script = [new SendFrame(row.Frame), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.FailFastProtocolError,
    };

    private static ConformanceCase Echo(EchoRow row)
    {
        var echo = ExpectedEvent.TextOctets(row.Frame.Payload);
        return new()
        {
            Id = row.Id,
            Category = Category,
            Group = row.Group,
            RfcSections = row.Rfc,
            Requirement = row.Requirement,
            Stimulus = $"Sends {row.What}." + Kill,
            ExpectedBehaviour = row.Informational
                ? "INFORMATIONAL: the result says whether the peer echoed the message (the OK list) or failed the " +
                  "connection without echoing (the NON-STRICT list); both verdicts are INFORMATIONAL whatever happens."
                : "MUST: the peer echoes the text unchanged; the harness then closes with 1000 and the closing " +
                  "handshake completes cleanly. No echo, or a different one, is FAILED.",
            Script = [new SendFrame(row.Frame), new KillAfter(Timers.Kill)],
            Expected = row.Informational ? Outcomes.OkOrNothingNonStrict(echo) : Outcomes.Ok(echo),
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
            Rule = row.Informational ? VerdictRule.Informational : VerdictRule.Standard,
        };
    }
}
