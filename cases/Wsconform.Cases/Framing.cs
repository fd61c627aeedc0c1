using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Category 1, "Framing": one unfragmented data frame of each interesting payload length (the edges of the
/// 7-bit, 16-bit and 64-bit length forms of RFC 6455 §5.2); the peer must echo it byte for byte, then the
/// harness closes normally. 1.1.x sends text, 1.2.x binary; both groups share one table.
/// </summary>
public static class Framing
{
    public const string Category = "Framing";
    public const string TextGroup = "Text Messages";
    public const string BinaryGroup = "Binary Messages";

    /// <summary>One row of the length table: the ID suffix shared by 1.1.x and 1.2.x, and what makes the length interesting.</summary>
    private sealed record LengthRow(string Suffix, int Length, string Why, int? ChopSize, TimeSpan Kill);

    /// <summary>Autobahn 1.1.8 / 1.2.8 split the encoded frame into writes of this many octets.</summary>
    private const int LargeFrameChop = 997;

    private static readonly LengthRow[] Lengths =
    [
        new("1", 0, "no payload at all", null, Timers.Kill),
        new("2", 125, "the largest length of the 7-bit form", null, Timers.Kill),
        new("3", 126, "the smallest length of the 16-bit form", null, Timers.Kill),
        new("4", 127, "the value that, in the 7-bit field, marks the 64-bit form; here sent in the 16-bit form", null, Timers.Kill),
        new("5", 128, "a 16-bit length just above the 7-bit range", null, Timers.Kill),
        new("6", 65535, "the largest length of the 16-bit form", null, Timers.KillLargeFrame),
        new("7", 65536, "the smallest length of the 64-bit form", null, Timers.KillLargeFrame),
        new("8", 65536, "the smallest length of the 64-bit form", LargeFrameChop, Timers.KillLargeFrame),
    ];

    /// <summary>One row of the message-type table: the group, its opcode and how its payload is filled.</summary>
    private sealed record TypeRow(string IdPrefix, string Group, Opcode Opcode, string Filler, Func<int, ReadOnlyMemory<byte>> Fill, Func<ReadOnlyMemory<byte>, ExpectedEvent> Echo);

    private static readonly TypeRow[] Types =
    [
        new("1.1", TextGroup, Opcode.Text, "'*' (0x2A)", Payloads.TextOf, ExpectedEvent.TextOctets),
        new("1.2", BinaryGroup, Opcode.Binary, "0xFE", Payloads.BinaryOf, ExpectedEvent.Binary),
    ];

    public static IReadOnlyList<ConformanceCase> Cases { get; } = [.. Types.SelectMany(t => Lengths.Select(l => Build(t, l)))];

    private static ConformanceCase Build(TypeRow type, LengthRow row)
    {
        var payload = type.Fill(row.Length);
        var kind = type.Opcode == Opcode.Text ? "text" : "binary";
        var what = row.Length == 0
            ? "an empty payload"
            : $"a {row.Length}-octet payload of {type.Filler} ({row.Why})";
        var wire = row.ChopSize is { } chop
            ? $"The encoded frame is split into {chop}-octet writes."
            : "The frame goes out in one write.";
        return new ConformanceCase
        {
            Id = $"{type.IdPrefix}.{row.Suffix}",
            Category = Category,
            Group = type.Group,
            RfcSections = [Rfc.BaseFraming, Rfc.DataFrames, Rfc.ReceivingData],
            Requirement =
                "A receiver must decode the payload length in whichever form the sender used (7-bit up to 125, " +
                "16-bit up to 65535, 64-bit beyond) and deliver the payload unchanged; an unfragmented frame with FIN set " +
                "is a complete message.",
            Stimulus =
                $"Sends one unfragmented {kind} frame with {what}. {wire} " +
                $"Kill timer {row.Kill.TotalSeconds:0} s.",
            ExpectedBehaviour =
                $"The peer echoes exactly one {kind} message with the same {row.Length}-octet payload; the harness then closes " +
                "with 1000 and the peer completes the closing handshake cleanly (1000 or no code).",
            Script = [new SendFrame(FrameSpec.Of(type.Opcode, payload), row.ChopSize), new KillAfter(row.Kill)],
            Expected = Outcomes.Ok(type.Echo(payload)),
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
        };
    }
}
