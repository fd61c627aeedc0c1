using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Category 6, "UTF-8 Handling": text messages must be valid UTF-8 as a whole (RFC 6455 §5.6), frame boundaries may
/// fall inside a code point (§5.4), and invalid text makes the receiver fail the connection, with 1007 (§8.1).
/// 6.1–6.3 fragment a few fixed payloads in different ways, 6.4 checks fail-fast with timed parts, and 6.5–6.23 are
/// the single-frame vectors of <see cref="Utf8Vectors"/>. Valid payloads are echoed and the harness closes normally;
/// for invalid ones the peer must fail the connection itself, and a peer that never does fails the case outright.
/// Payloads are raw octets throughout: a C# string cannot hold invalid UTF-8.
/// </summary>
public static class Utf8Handling
{
    public const string Category = "UTF-8 Handling";
    public const string ZeroPayloadFragmentsGroup = "Valid UTF-8 with zero payload fragments";
    public const string FragmentedValidGroup = "Valid UTF-8 unfragmented, fragmented on code-points and within code-points";
    public const string FragmentedInvalidGroup = "Invalid UTF-8 differently fragmented";
    public const string FailFastGroup = "Fail-fast on invalid UTF-8";

    /// <summary>The tag of the timeout marker recorded after part 1 of a 6.4.x case (Autobahn's <c>continueLater(1, part2, "A")</c>).</summary>
    public const string FirstMarker = "A";
    /// <summary>The tag of the timeout marker recorded after part 2 of a 6.4.x case.</summary>
    public const string SecondMarker = "B";

    /// <summary>6.1.3's middle fragment.</summary>
    private const string MiddleFramePayload = "middle frame payload";

    /// <summary>S = "Hello-µ@ßöäüàá-UTF-8!!" (29 octets), the mixed-script text of 6.2.</summary>
    private static readonly ReadOnlyMemory<byte> MixedText = Convert.FromHexString("48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121");

    /// <summary>
    /// K = "κόσμε" (11 octets; the ό is U+1F79, three octets), Markus Kuhn's Greek sample. Kept as octets so the source
    /// file's normalisation cannot change it.
    /// </summary>
    private static readonly ReadOnlyMemory<byte> Kosme = Convert.FromHexString("cebae1bdb9cf83cebcceb5");

    /// <summary>
    /// V = K + <c>ed a0 80</c> + "edited" (20 octets), the invalid text of 6.3 (and the close reason of 7.5.1). Octet
    /// 11 (0xED) is a valid lead; octet 12 (0xA0) is the first invalid one: <c>ed a0 80</c> would encode the surrogate U+D800.
    /// </summary>
    private static readonly ReadOnlyMemory<byte> SurrogateText = Payloads.InvalidUtf8Reason;

    /// <summary>
    /// W = K + <c>f4 90 80 80</c> + "edited" (21 octets), the invalid text of 6.4. Octet 11 (0xF4) is a valid lead;
    /// octet 12 (0x90) is the first invalid one: <c>f4 90 80 80</c> would be U+110000, beyond the code space.
    /// </summary>
    private static readonly ReadOnlyMemory<byte> BeyondMaxText = Convert.FromHexString("cebae1bdb9cf83cebcceb5f4908080656469746564");

    // ---------------------------------------------------------------- 6.1–6.3: fixed payloads, fragmented

    /// <summary>
    /// A message sent either as explicit frames (<paramref name="Frames"/>: the first a text frame, the rest
    /// continuations, FIN on the last) or cut by the harness into <paramref name="FragmentSize"/>-octet fragments.
    /// </summary>
    private sealed record ShapedRow(
        string Id,
        string Group,
        string Message,
        ReadOnlyMemory<byte>[]? Frames,
        ReadOnlyMemory<byte>? Cut = null,
        int? FragmentSize = null,
        bool IsValid = true)
    {
        /// <summary>The octets of the whole message.</summary>
        public ReadOnlyMemory<byte> Payload => Cut ?? Concat(Frames!);

        /// <summary>True when the message leaves in more than one frame.</summary>
        public bool IsFragmented => Frames is { Length: > 1 } || (Cut is { } cut && cut.Length > FragmentSize);
    }

    /// <summary>Fragment size of 6.2.3, 6.2.4 and 6.3.2: one octet per frame.</summary>
    private const int OctetFragments = 1;

    /// <summary>Where 6.2.2 splits S: after "Hello-µ@ßöä", on a code-point boundary.</summary>
    private const int CodePointBoundary = 15;

    private static readonly ShapedRow[] Shaped =
    [
        new("6.1.1", ZeroPayloadFragmentsGroup, "an empty text message", [ReadOnlyMemory<byte>.Empty]),
        new("6.1.2", ZeroPayloadFragmentsGroup, "an empty text message in three empty fragments",
            [ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty]),
        new("6.1.3", ZeroPayloadFragmentsGroup, $"the text \"{MiddleFramePayload}\" between an empty first and an empty last fragment",
            [ReadOnlyMemory<byte>.Empty, Payloads.Utf8(MiddleFramePayload), ReadOnlyMemory<byte>.Empty]),
        new("6.2.1", FragmentedValidGroup, "the 29-octet text S = \"Hello-µ@ßöäüàá-UTF-8!!\" unfragmented", [MixedText]),
        new("6.2.2", FragmentedValidGroup, $"the 29-octet text S = \"Hello-µ@ßöäüàá-UTF-8!!\" split on a code-point boundary after octet {CodePointBoundary}",
            [MixedText[..CodePointBoundary], MixedText[CodePointBoundary..]]),
        new("6.2.3", FragmentedValidGroup, "the 29-octet text S = \"Hello-µ@ßöäüàá-UTF-8!!\" in 1-octet fragments, so most multi-octet code points are split",
            null, MixedText, OctetFragments),
        new("6.2.4", FragmentedValidGroup, "the 11-octet text K = \"κόσμε\" (only multi-octet code points) in 1-octet fragments",
            null, Kosme, OctetFragments),
        new("6.3.1", FragmentedInvalidGroup, "the 20-octet text V = \"κόσμε\" + ed a0 80 (an encoded surrogate U+D800) + \"edited\", unfragmented",
            [SurrogateText], IsValid: false),
        new("6.3.2", FragmentedInvalidGroup, "the 20-octet text V = \"κόσμε\" + ed a0 80 (an encoded surrogate U+D800) + \"edited\" in 1-octet fragments",
            null, SurrogateText, OctetFragments, IsValid: false),
    ];

    // ---------------------------------------------------------------- 6.4: fail-fast, three timed parts

    /// <summary>
    /// W cut into three parts at <paramref name="FirstCut"/> and <paramref name="SecondCut"/>: part 2 holds the first
    /// invalid octet. As three frames, or (<paramref name="OneFrame"/>) as one 21-octet frame written in three timed
    /// pieces followed by an empty final continuation.
    /// </summary>
    private sealed record FailFastRow(string Id, int FirstCut, int SecondCut, bool OneFrame);

    private static readonly FailFastRow[] FailFasts =
    [
        new("6.4.1", 11, 15, OneFrame: false),
        new("6.4.2", 12, 13, OneFrame: false),
        new("6.4.3", 11, 15, OneFrame: true),
        new("6.4.4", 12, 13, OneFrame: true),
    ];

    public static IReadOnlyList<ConformanceCase> Cases { get; } =
    [
        .. Shaped.Select(ShapedCase),
        .. FailFasts.Select(FailFastCase),
        .. Utf8Vectors.Groups.SelectMany(g => g.Vectors.Select(v => VectorCase(g, v))),
    ];

    private static string Requirement(string group) => group switch
    {
        ZeroPayloadFragmentsGroup =>
            "A text message may be fragmented into frames with empty payloads; the receiver must reassemble the fragments " +
            "and deliver one message whose payload is the UTF-8 of all fragments together, even when that is empty.",
        FragmentedValidGroup =>
            "A text message must be valid UTF-8 as a whole, while frame boundaries may fall anywhere, even inside a " +
            "multi-octet code point; a receiver that validates as data arrives must carry its state across fragments and " +
            "must not reject valid text that is split mid-code-point.",
        FragmentedInvalidGroup =>
            "A text message that is not valid UTF-8 makes the receiver fail the connection (status 1007), however the " +
            "message is fragmented; no part of it may be delivered.",
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, null),
    };

    private static ConformanceCase ShapedCase(ShapedRow row)
    {
        var payload = row.Payload;
        Step[] sends = row.Frames is { } frames
            ? [.. frames.Select((octets, i) => new SendFrame(FrameSpec.Of(i == 0 ? Opcode.Text : Opcode.Continuation, octets, fin: i == frames.Length - 1)))]
            : [new SendMessage(Opcode.Text, payload, row.FragmentSize!.Value)];
        Step timer = row.IsValid ? new CloseAfter(Timers.Close) : new KillAfter(Timers.Kill);
        var timerNote = row.IsValid
            ? $" Close timer {Timers.Close.TotalSeconds:0} s."
            : $" Kill timer {Timers.Kill.TotalSeconds:0} s.";
        return new ConformanceCase
        {
            Id = row.Id,
            Category = Category,
            Group = row.Group,
            RfcSections = row.IsFragmented ? [Rfc.DataFrames, Rfc.Utf8Errors, Rfc.Fragmentation] : [Rfc.DataFrames, Rfc.Utf8Errors],
            Requirement = Requirement(row.Group),
            Stimulus = $"Sends {row.Message}: {DescribeFrames(row)}; {(row.IsFragmented ? "frames written back to back" : "in one write")}." + timerNote,
            ExpectedBehaviour = row.IsValid
                ? $"The peer echoes one text message with the same {Octets(payload.Length)}; the harness then closes with 1000 " +
                  "and the peer completes the closing handshake cleanly (1000 or no code)."
                : FailBehaviour(payload, FirstInvalidOctet),
            Script = [.. sends, timer],
            Expected = row.IsValid ? Outcomes.Ok(ExpectedEvent.TextOctets(payload)) : Outcomes.Nothing,
            ExpectedClose = row.IsValid ? CloseExpectations.EchoThenNormalClose : CloseExpectations.FailFastInvalidUtf8,
        };
    }

    /// <summary>Index of the first invalid octet of V (6.3) and W (6.4): right after the valid lead octet at index 11.</summary>
    private const int FirstInvalidOctet = 12;

    private static string DescribeFrames(ShapedRow row)
    {
        if (row.Frames is { } frames)
        {
            return string.Join(", ", frames.Select((octets, i) =>
                $"{(i == 0 ? "a text frame" : "a continuation frame")} {DescribePayload(octets)} and FIN={(i == frames.Length - 1 ? 1 : 0)}"));
        }
        var length = row.Payload.Length;
        var size = row.FragmentSize!.Value;
        var continuations = (length - 1) / size; // full or partial fragments after the first
        var last = length - size * continuations;
        // Autobahn's fragmentation quirk: an exact multiple ends with an extra empty continuation with FIN=1.
        var ending = length % size == 0
            ? $"{continuations} continuation frames of {Octets(size)} with FIN=0, then an empty continuation frame with FIN=1 ({continuations + 2} frames)"
            : $"{continuations - 1} continuation frames of {Octets(size)} with FIN=0, then a continuation frame of {Octets(last)} with FIN=1 ({continuations + 1} frames)";
        return $"cut by the harness into {size}-octet fragments, a text frame of {Octets(size)} with FIN=0, then {ending}";
    }

    private static string DescribePayload(ReadOnlyMemory<byte> octets) =>
        octets.IsEmpty ? "with an empty payload" : $"with the {Octets(octets.Length)} {Hex(octets)}";

    private static string FailBehaviour(ReadOnlyMemory<byte> payload, int? rejectsAt)
    {
        var detect = rejectsAt is { } at
            ? $"A validator checking octet by octet can reject the message at octet index {at} (0x{payload.Span[at]:x2})."
            : "Every octet is a valid prefix; the error only shows when the message ends inside a code point.";
        return "The peer echoes nothing and fails the connection: Close 1007, a Close without a code, or a TCP drop " +
               "(a Close with 1002 is a wrong code). A peer that never fails the connection fails the case. " + detect;
    }

    private static ConformanceCase FailFastCase(FailFastRow row)
    {
        var part1 = BeyondMaxText[..row.FirstCut];
        var part2 = BeyondMaxText[row.FirstCut..row.SecondCut];
        var part3 = BeyondMaxText[row.SecondCut..];
        Step[][] parts = row.OneFrame
            ?
            [
                [new SendFrameHeader(Opcode.Text, Fin: false, (ulong)BeyondMaxText.Length), new SendFrameData(part1)],
                [new SendFrameData(part2)],
                [new SendFrameData(part3), new SendFrame(FrameSpec.Of(Opcode.Continuation, ReadOnlyMemory<byte>.Empty, fin: true))],
            ]
            :
            [
                [new SendFrame(FrameSpec.Of(Opcode.Text, part1, fin: false))],
                [new SendFrame(FrameSpec.Of(Opcode.Continuation, part2, fin: false))],
                [new SendFrame(FrameSpec.Of(Opcode.Continuation, part3, fin: true))],
            ];
        var pause = $"{Timers.FailFastPause.TotalSeconds:0} s";
        var shape = row.OneFrame
            ? $"One text frame with FIN=0 and a {BeyondMaxText.Length}-octet payload is written in three timed pieces. " +
              $"Part 1: the frame header and the first {Octets(part1.Length)} {Hex(part1)}. " +
              $"Part 2: the next {Octets(part2.Length)} {Hex(part2)}. " +
              $"Part 3: the last {Octets(part3.Length)} {Hex(part3)}, then an empty continuation frame with FIN=1 ending the message."
            : $"Part 1: a text frame with the {Octets(part1.Length)} {Hex(part1)} and FIN=0. " +
              $"Part 2: a continuation frame with the {Octets(part2.Length)} {Hex(part2)} and FIN=0. " +
              $"Part 3: a continuation frame with the {Octets(part3.Length)} {Hex(part3)} and FIN=1.";
        return new ConformanceCase
        {
            Id = row.Id,
            Category = Category,
            Group = FailFastGroup,
            RfcSections = [Rfc.DataFrames, Rfc.Utf8Errors, Rfc.Fragmentation],
            Requirement =
                "A receiver that validates text as it arrives should fail the connection (status 1007) as soon as the octets " +
                "received so far cannot begin valid UTF-8, without waiting for the end of the frame or of the message.",
            Stimulus =
                "Sends the 21-octet text W = \"κόσμε\" + f4 90 80 80 (would be U+110000, beyond the last code point) + \"edited\" " +
                $"in three parts. {shape} After part 1 and after part 2 the harness waits {pause} and, if the connection is still " +
                $"open, records the marker timeout {FirstMarker} (resp. {SecondMarker}). Kill timer {Timers.Kill.TotalSeconds:0} s after part 3.",
            ExpectedBehaviour =
                $"Part 1 is a valid prefix; part 2 holds the first invalid octet (index {FirstInvalidOctet}, 0x90). The peer fails the " +
                $"connection (Close 1007, a Close without a code, or a TCP drop) within {pause} of part 2 arriving, so only marker " +
                $"{FirstMarker} is recorded (OK). Failing only once the whole message arrived (markers {FirstMarker} and {SecondMarker}) is " +
                "NON-STRICT. Failing on the valid part 1, or never failing the connection, fails the case.",
            Script =
            [
                .. parts[0],
                new Delay(Timers.FailFastPause, FirstMarker),
                new Mark(FirstMarker),
                .. parts[1],
                new Delay(Timers.FailFastPause, SecondMarker),
                new Mark(SecondMarker),
                .. parts[2],
                new KillAfter(Timers.Kill),
            ],
            Expected = Outcomes.OkOrNonStrict(
                [ExpectedEvent.Timeout(FirstMarker)],
                [ExpectedEvent.Timeout(FirstMarker), ExpectedEvent.Timeout(SecondMarker)]),
            ExpectedClose = CloseExpectations.FailFastInvalidUtf8,
        };
    }

    // ---------------------------------------------------------------- 6.5–6.23: generated single-frame vectors

    private static ConformanceCase VectorCase(Utf8Vectors.Group group, Utf8Vectors.Vector vector)
    {
        var payload = vector.Octets;
        return new ConformanceCase
        {
            Id = vector.Id,
            Category = Category,
            Group = group.Title,
            RfcSections = [Rfc.DataFrames, Rfc.Utf8Errors],
            Requirement = group.About + (vector.IsValid
                ? " This payload is valid UTF-8 and must be delivered unchanged."
                : " This payload is not valid UTF-8: the receiver must fail the connection, with status 1007."),
            Stimulus =
                $"Sends one unfragmented text frame whose {payload.Length}-octet payload is {Hex(payload)}, in one write. " +
                $"Kill timer {Timers.KillUtf8Vector.TotalSeconds:0.0} s.",
            ExpectedBehaviour = vector.IsValid
                ? $"The peer echoes one text message with the same {Octets(payload.Length)}; the harness then closes with 1000 " +
                  "and the peer completes the closing handshake cleanly (1000 or no code)."
                : FailBehaviour(payload, vector.RejectsAt),
            Script = [new SendFrame(Frames.Text(payload)), new KillAfter(Timers.KillUtf8Vector)],
            Expected = vector.IsValid ? Outcomes.Ok(ExpectedEvent.TextOctets(payload)) : Outcomes.Nothing,
            ExpectedClose = vector.IsValid ? CloseExpectations.EchoThenNormalClose : CloseExpectations.FailFastInvalidUtf8,
        };
    }

    // ---------------------------------------------------------------- wording helpers

    private static string Octets(int count) => count == 1 ? "1 octet" : $"{count} octets";

    /// <summary>Lower-case hex, one octet per group: "ce ba e1".</summary>
    private static string Hex(ReadOnlyMemory<byte> octets) =>
        string.Join(' ', octets.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static ReadOnlyMemory<byte> Concat(IEnumerable<ReadOnlyMemory<byte>> parts)
    {
        var all = new List<byte>();
        foreach (var part in parts) all.AddRange(part.ToArray());
        return all.ToArray();
    }
}
