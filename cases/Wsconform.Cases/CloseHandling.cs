using Wsconform.Engine.Scripting;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Category 7, "Close Handling": the harness starts the closing handshake (the Close is part of the stimulus)
/// and the case judges how the peer answers: the reply code, whether it ignores frames after the Close, and how
/// it treats malformed close bodies and invalid codes. RFC 6455 §5.5.1, §7.1, §7.4. Every case arms the 1 s kill
/// timer. 7.7.x, 7.9.x and 7.13.x are generated from their code tables; the ID is part of each row.
/// </summary>
public static class CloseHandling
{
    public const string Category = "Close Handling";
    public const string BasicGroup = "Basic close behavior (fuzzer initiated)";
    public const string PayloadLengthGroup = "Close frame structure: payload length (fuzzer initiated)";
    public const string PayloadValueGroup = "Close frame structure: payload value (fuzzer initiated)";
    public const string ValidCodesGroup = "Close frame structure: valid close codes (fuzzer initiated)";
    public const string InvalidCodesGroup = "Close frame structure: invalid close codes (fuzzer initiated)";
    public const string InformationalGroup = "Informational close information (fuzzer initiated)";

    private const string Fragment1 = "fragment1";
    private const string Fragment2 = "fragment2";

    private const string AnswerCloseRequirement =
        "An endpoint that receives a Close frame must answer with a Close frame (normally echoing the code) unless it " +
        "already sent one; data received after the Close is discarded, and after the handshake the server closes TCP.";

    private static string KillNote => $" Kill timer {Timers.Kill.TotalSeconds:0} s.";

    // ---------------------------------------------------------------- 7.1 Basic close behavior

    /// <summary>7.1.2–7.1.4: the harness's Close 1000, then one more frame the peer must ignore.</summary>
    private sealed record FrameAfterCloseRow(string Id, FrameSpec Frame, string What);

    private static readonly FrameAfterCloseRow[] FramesAfterClose =
    [
        new("7.1.2", Frames.RawClose(), "a second close frame with an empty payload"),
        new("7.1.3", Frames.Ping(), "an empty ping"),
        new("7.1.4", Frames.Text(Payloads.HelloWorldNoComma), $"a text frame \"{Payloads.HelloWorldNoComma}\""),
    ];

    // ---------------------------------------------------------------- 7.3 payload length

    /// <summary>A close body of a given length: the step that sends it, whether it is well-formed, and the close it earns.</summary>
    private sealed record CloseBodyRow(string Id, SendClose Close, int Octets, string What, bool WellFormed, ExpectedClose ExpectedClose);

    private static readonly CloseBodyRow[] CloseBodies =
    [
        new("7.3.1", new SendClose(), 0, "nothing (no code, no reason)", true, CloseExpectations.HarnessClosesNormally),
        new("7.3.2", new SendClose(RawPayload: Payloads.Utf8("a")), 1, "the single octet \"a\", too short to hold a code", false, CloseExpectations.HarnessClosesWithBadClose),
        new("7.3.3", new SendClose(CloseExpectations.NormalClosure), 2, "code 1000 and no reason", true, CloseExpectations.HarnessClosesNormally),
        new("7.3.4", new SendClose(CloseExpectations.NormalClosure, Payloads.Utf8(Payloads.HelloWorldNoComma)), 14, $"code 1000 and the reason \"{Payloads.HelloWorldNoComma}\"", true, CloseExpectations.HarnessClosesNormally),
        new("7.3.5", new SendClose(CloseExpectations.NormalClosure, Payloads.TextOf(123)), 125, "code 1000 and a reason of 123 '*' octets, the largest a control frame allows", true, CloseExpectations.HarnessClosesNormally),
        new("7.3.6", new SendClose(RawPayload: Payloads.CloseBody(CloseExpectations.NormalClosure, Payloads.TextOf(124))), 126, "code 1000 and a reason of 124 '*' octets, one over the control-frame limit (16-bit length form)", false, CloseExpectations.HarnessClosesWithBadClose),
    ];

    // ---------------------------------------------------------------- 7.7 / 7.9 / 7.13 close codes

    /// <summary>A close code the harness sends alone (2-octet body), with what the RFC says about it.</summary>
    private sealed record CodeRow(string Id, int Code, string Meaning);

    /// <summary>Codes a peer must accept on the wire (RFC 6455 §7.4.1, §7.4.2), in Autobahn's order.</summary>
    private static readonly CodeRow[] ValidCodes =
    [
        new("7.7.1", 1000, "normal closure"),
        new("7.7.2", 1001, "going away"),
        new("7.7.3", 1002, "protocol error"),
        new("7.7.4", 1003, "unsupported data"),
        new("7.7.5", 1007, "invalid frame payload data"),
        new("7.7.6", 1008, "policy violation"),
        new("7.7.7", 1009, "message too big"),
        new("7.7.8", 1010, "mandatory extension (defined as sent by clients; Autobahn sends it in both roles)"),
        new("7.7.9", 1011, "internal error"),
        new("7.7.10", 3000, "first code of the IANA-registered range 3000–3999 for libraries and frameworks"),
        new("7.7.11", 3999, "last code of the IANA-registered range 3000–3999"),
        new("7.7.12", 4000, "first code of the private-use range 4000–4999"),
        new("7.7.13", 4999, "last code of the private-use range 4000–4999"),
    ];

    /// <summary>Codes that must never appear on the wire (RFC 6455 §7.4.1, §7.4.2), in Autobahn's order.</summary>
    private static readonly CodeRow[] InvalidCodes =
    [
        new("7.9.1", 0, "below 1000, a range that is not used"),
        new("7.9.2", 999, "below 1000, a range that is not used"),
        new("7.9.3", 1004, "reserved, with no meaning defined"),
        new("7.9.4", 1005, "reserved for the API (no status code present) and must not be sent in a Close frame"),
        new("7.9.5", 1006, "reserved for the API (abnormal closure) and must not be sent in a Close frame"),
        new("7.9.6", 1016, "in 1016–2999, reserved for future revisions of the protocol"),
        new("7.9.7", 1100, "in 1016–2999, reserved for future revisions of the protocol"),
        new("7.9.8", 2000, "in 1016–2999, reserved for future revisions of the protocol"),
        new("7.9.9", 2999, "in 1016–2999, reserved for future revisions of the protocol"),
    ];

    /// <summary>Codes RFC 6455 leaves undefined (5000 and above); the outcome is recorded, not judged.</summary>
    private static readonly CodeRow[] UndefinedCodes =
    [
        new("7.13.1", 5000, "the first value above the defined ranges"),
        new("7.13.2", 65535, "the largest value a 2-octet code can hold"),
    ];

    public static IReadOnlyList<ConformanceCase> Cases { get; } =
    [
        EchoThenClose(),
        .. FramesAfterClose.Select(FrameAfterClose),
        FragmentAcrossClose(),
        CloseRace(),
        .. CloseBodies.Select(CloseBody),
        InvalidUtf8Reason(),
        .. ValidCodes.Select(ValidCode),
        .. InvalidCodes.Select(InvalidCode),
        .. UndefinedCodes.Select(UndefinedCode),
    ];

    private static ConformanceCase EchoThenClose() => new()
    {
        Id = "7.1.1",
        Category = Category,
        Group = BasicGroup,
        RfcSections = [Rfc.Close, Rfc.CloseConnection],
        Requirement = AnswerCloseRequirement,
        Stimulus = $"Sends a text frame \"{Payloads.HelloWorldNoComma}\"; once it is echoed the harness starts the closing handshake with 1000." + KillNote,
        ExpectedBehaviour = "The peer echoes the text, then answers the Close with 1000 (or no code) and the closing handshake completes cleanly.",
        Script = [new SendFrame(Frames.Text(Payloads.HelloWorldNoComma)), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Ok(ExpectedEvent.Text(Payloads.HelloWorldNoComma)),
        ExpectedClose = CloseExpectations.HarnessClosesNormally,
        Rule = VerdictRule.WrongCodeFailsBehavior,
    };

    private static ConformanceCase FrameAfterClose(FrameAfterCloseRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        Group = BasicGroup,
        RfcSections = [Rfc.Close, Rfc.ClosingOverview, Rfc.CloseConnection],
        Requirement = AnswerCloseRequirement,
        Stimulus = $"Starts the closing handshake with Close 1000, then immediately sends {row.What}." + KillNote,
        ExpectedBehaviour = "The peer answers the Close with 1000 (or no code), ignores the frame that followed it (sends no reply to it) and the closing handshake completes cleanly.",
        Script = [new SendClose(CloseExpectations.NormalClosure), new SendFrame(row.Frame), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.HarnessClosesNormally,
        AutoCloseOnMatch = false,
        Rule = VerdictRule.WrongCodeFailsBehavior,
    };

    private static ConformanceCase FragmentAcrossClose() => new()
    {
        Id = "7.1.5",
        Category = Category,
        Group = BasicGroup,
        RfcSections = [Rfc.Close, Rfc.ClosingOverview, Rfc.Fragmentation],
        Requirement = AnswerCloseRequirement,
        Stimulus =
            $"Sends a text frame \"{Fragment1}\" with FIN=0, then starts the closing handshake with Close 1000, then sends " +
            $"the continuation \"{Fragment2}\" with FIN=1." + KillNote,
        ExpectedBehaviour = "The peer answers the Close with 1000 (or no code) and does not echo the message completed after the Close; the closing handshake completes cleanly.",
        Script =
        [
            new SendFrame(Frames.Text(Fragment1, fin: false)),
            new SendClose(CloseExpectations.NormalClosure),
            new SendFrame(Frames.Continuation(Fragment2, fin: true)),
            new KillAfter(Timers.Kill),
        ],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.HarnessClosesNormally,
        AutoCloseOnMatch = false,
        Rule = VerdictRule.WrongCodeFailsBehavior,
    };

    private static ConformanceCase CloseRace() => new()
    {
        Id = "7.1.6",
        Category = Category,
        Group = BasicGroup,
        RfcSections = [Rfc.Close, Rfc.ClosingOverview],
        Requirement =
            "On receiving a Close an endpoint may first finish sending a message in progress, and it discards data that " +
            "arrives after the Close; whether messages received just before the Close are still answered is left to the " +
            "implementation.",
        Stimulus =
            $"Sends, back to back: a {Payloads.CloseRaceLength}-octet text frame (\"{Payloads.CloseRacePattern}\" repeated, 256 KiB), " +
            $"a text frame \"{Payloads.HelloWorldNoComma}\", a Close 1000 (starting the closing handshake) and an empty ping." + KillNote,
        ExpectedBehaviour =
            "Informational. Either the peer processes the messages before the Close (the OK list expects only the echo of " +
            "\"Hello World!\"), or it processes the Close first and echoes nothing (NON-STRICT list); both verdicts are " +
            "reported as INFORMATIONAL whatever happens, with a note on which order was seen.",
        Script =
        [
            new SendFrame(Frames.Text(Payloads.CloseRaceText)),
            new SendFrame(Frames.Text(Payloads.HelloWorldNoComma)),
            new SendClose(CloseExpectations.NormalClosure),
            new SendFrame(Frames.Ping()),
            new KillAfter(Timers.Kill),
        ],
        Expected = Outcomes.OkOrNothingNonStrict(ExpectedEvent.Text(Payloads.HelloWorldNoComma)),
        ExpectedClose = CloseExpectations.HarnessClosesNormally,
        AutoCloseOnMatch = false,
        Rule = VerdictRule.Informational,
    };

    private static ConformanceCase CloseBody(CloseBodyRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        Group = PayloadLengthGroup,
        RfcSections = row.WellFormed ? [Rfc.Close, Rfc.CloseConnection] : [Rfc.Close, Rfc.ControlFrames, Rfc.FailConnection],
        Requirement = row.WellFormed
            ? "A Close body is empty or starts with a 2-octet code followed by an optional UTF-8 reason, at most 125 octets in all; the receiver must accept it and answer with a Close."
            : "A Close body of 1 octet, or any control frame payload over 125 octets, is a protocol error; the receiver must fail the connection (Close 1002 or a TCP drop).",
        Stimulus = $"Starts the closing handshake with a Close frame whose body has {row.Octets} octet{(row.Octets == 1 ? "" : "s")}: {row.What}." + KillNote,
        ExpectedBehaviour = row.WellFormed
            ? "The peer answers with Close 1000 (or no code) and the closing handshake completes cleanly."
            : "The peer answers with Close 1002 or drops TCP; a clean handshake is not required.",
        Script = [row.Close, new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = row.ExpectedClose,
        AutoCloseOnMatch = false,
        Rule = VerdictRule.WrongCodeFailsBehavior,
    };

    private static ConformanceCase InvalidUtf8Reason() => new()
    {
        Id = "7.5.1",
        Category = Category,
        Group = PayloadValueGroup,
        RfcSections = [Rfc.Close, Rfc.Utf8Errors, Rfc.FailConnection],
        Requirement = "The reason in a Close body must be valid UTF-8; a receiver that finds invalid UTF-8 there must fail the connection (1007, or 1002).",
        Stimulus =
            "Starts the closing handshake with Close 1000 whose 20-octet reason is not UTF-8: \"κόσμε\", the encoded surrogate " +
            "ed a0 80, then \"edited\" (hex cebae1bdb9cf83cebcceb5eda080656469746564; 22-octet body)." + KillNote,
        ExpectedBehaviour = "The peer answers with Close 1007 or 1002, or drops TCP; a clean handshake is not required.",
        Script = [new SendClose(CloseExpectations.NormalClosure, Payloads.InvalidUtf8Reason), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.HarnessClosesWithBadReason,
        AutoCloseOnMatch = false,
        Rule = VerdictRule.WrongCodeFailsBehavior,
    };

    private static ConformanceCase ValidCode(CodeRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        Group = ValidCodesGroup,
        RfcSections = [row.Code < 3000 ? Rfc.DefinedStatusCodes : Rfc.ReservedStatusCodes, Rfc.Close],
        Requirement = $"Close code {row.Code} ({row.Meaning}) may appear on the wire; a receiver must accept it and answer with a Close, echoing the code or using 1000.",
        Stimulus = $"Starts the closing handshake with a Close frame carrying code {row.Code} and no reason (2-octet body)." + KillNote,
        ExpectedBehaviour = row.Code == CloseExpectations.NormalClosure
            ? "The peer answers with Close 1000 (or no code) and the closing handshake completes cleanly."
            : $"The peer answers with Close 1000 or {row.Code} (or no code) and the closing handshake completes cleanly.",
        Script = [new SendClose(row.Code), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.HarnessClosesWithValidCode(row.Code),
        Rule = VerdictRule.WrongCodeFailsBehavior,
    };

    private static ConformanceCase InvalidCode(CodeRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        Group = InvalidCodesGroup,
        RfcSections = [Rfc.DefinedStatusCodes, Rfc.ReservedStatusCodes, Rfc.FailConnection],
        Requirement = $"Close code {row.Code} is {row.Meaning}; a receiver that gets it in a Close frame must treat it as a protocol error and fail the connection.",
        Stimulus = $"Starts the closing handshake with a Close frame carrying code {row.Code} and no reason (2-octet body)." + KillNote,
        ExpectedBehaviour = "The peer answers with Close 1002 or drops TCP; a clean handshake is not required.",
        Script = [new SendClose(row.Code), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.HarnessClosesWithBadClose,
        Rule = VerdictRule.WrongCodeFailsBehavior,
    };

    private static ConformanceCase UndefinedCode(CodeRow row) => new()
    {
        Id = row.Id,
        Category = Category,
        Group = InformationalGroup,
        RfcSections = [Rfc.ReservedStatusCodes, Rfc.Close],
        Requirement = $"RFC 6455 defines no meaning for close codes of 5000 and above ({row.Code} is {row.Meaning}); how a receiver reacts is not specified.",
        Stimulus = $"Starts the closing handshake with a Close frame carrying code {row.Code} and no reason (2-octet body)." + KillNote,
        ExpectedBehaviour = $"Informational: any outcome is recorded (Autobahn lists 1000, {row.Code} and 1002 as the expected reply codes); both verdicts are INFORMATIONAL.",
        Script = [new SendClose(row.Code), new KillAfter(Timers.Kill)],
        Expected = Outcomes.Nothing,
        ExpectedClose = CloseExpectations.HarnessClosesWithUndefinedCode(row.Code),
        AutoCloseOnMatch = false,
        Rule = VerdictRule.Informational,
    };
}
