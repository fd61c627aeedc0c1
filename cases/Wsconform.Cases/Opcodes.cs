using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Category 4, "Opcodes": frames with reserved opcodes (0x3–0x7 non-control, 0xB–0xF control) must make the peer
/// fail the connection (RFC 6455 §5.2). Each row names the ID, the reserved opcode and the scenario variant.
/// </summary>
public static class Opcodes
{
    public const string Category = "Opcodes";
    public const string NonControlGroup = "Non-control Opcodes";
    public const string ControlGroup = "Control Opcodes";

    /// <summary>How the reserved-opcode frame is presented to the peer.</summary>
    private enum Variant
    {
        /// <summary>x.1: the reserved frame alone, empty payload.</summary>
        AloneEmpty,
        /// <summary>x.2: the reserved frame alone, payload "reserved opcode payload".</summary>
        AloneWithPayload,
        /// <summary>x.3: valid text, empty reserved frame, ping.</summary>
        AfterTextEmpty,
        /// <summary>x.4: valid text, reserved frame with "Hello, world!", ping.</summary>
        AfterTextWithPayload,
        /// <summary>x.5: as x.4, every frame written one octet at a time.</summary>
        AfterTextWithPayloadOctetWise,
    }

    private const string Requirement =
        "Opcodes 0x3–0x7 (non-control) and 0xB–0xF (control) are reserved; with no extension defining them, a " +
        "receiver of such a frame must fail the connection.";

    private sealed record Row(string Id, int Opcode, Variant Variant);

    private static readonly Row[] Rows =
    [
        new("4.1.1", 3, Variant.AloneEmpty),
        new("4.1.2", 4, Variant.AloneWithPayload),
        new("4.1.3", 5, Variant.AfterTextEmpty),
        new("4.1.4", 6, Variant.AfterTextWithPayload),
        new("4.1.5", 7, Variant.AfterTextWithPayloadOctetWise),
        new("4.2.1", 11, Variant.AloneEmpty),
        new("4.2.2", 12, Variant.AloneWithPayload),
        new("4.2.3", 13, Variant.AfterTextEmpty),
        new("4.2.4", 14, Variant.AfterTextWithPayload),
        new("4.2.5", 15, Variant.AfterTextWithPayloadOctetWise),
    ];

    public static IReadOnlyList<ConformanceCase> Cases { get; } = [.. Rows.Select(Build)];

    private static ConformanceCase Build(Row row)
    {
        var control = OpcodeRules.IsControl(row.Opcode);
        var kind = control ? "control" : "non-control";
        var opcode = $"reserved {kind} opcode {row.Opcode} (0x{row.Opcode:X})";
        IReadOnlyList<Step> script;
        IReadOnlyList<ExpectedOutcomeSpec> expected;
        string stimulus;
        string behaviour;
        switch (row.Variant)
        {
            case Variant.AloneEmpty:
            case Variant.AloneWithPayload:
            {
                var withPayload = row.Variant == Variant.AloneWithPayload;
                var payload = withPayload ? Payloads.Utf8(Payloads.ReservedOpcodePayload) : ReadOnlyMemory<byte>.Empty;
                script = [new SendFrame(Frames.Raw(row.Opcode, payload)), new KillAfter(Timers.Kill)];
                expected = Outcomes.Nothing;
                stimulus = withPayload
                    ? $"Sends one frame with {opcode} and the 23-octet payload \"{Payloads.ReservedOpcodePayload}\"."
                    : $"Sends one frame with {opcode} and an empty payload.";
                behaviour = "The peer sends nothing back and fails the connection: Close 1002, a Close without a code, or a TCP drop.";
                break;
            }
            default:
            {
                var delivery = row.Variant == Variant.AfterTextWithPayloadOctetWise ? Delivery.OctetWise : Delivery.BackToBack;
                var withPayload = row.Variant != Variant.AfterTextEmpty;
                var payload = withPayload ? Payloads.Utf8(Payloads.HelloWorld) : ReadOnlyMemory<byte>.Empty;
                script =
                [
                    delivery.Send(Frames.Text(Payloads.HelloWorld)),
                    delivery.Send(Frames.Raw(row.Opcode, payload)),
                    delivery.Send(Frames.Ping()),
                    new KillAfter(Timers.Kill),
                ];
                expected = Outcomes.OkOrNothingNonStrict(ExpectedEvent.Text(Payloads.HelloWorld));
                stimulus =
                    $"Sends a valid text frame \"Hello, world!\", then a frame with {opcode} and " +
                    (withPayload ? "the payload \"Hello, world!\"" : "an empty payload") +
                    $", then an empty ping; {delivery.Describe()}.";
                behaviour =
                    "The peer echoes the first, valid message, then fails the connection on the reserved opcode (Close " +
                    "1002, a Close without a code, or a TCP drop); no pong may arrive. Failing before the echo is " +
                    "tolerated (NON-STRICT).";
                break;
            }
        }

        return new ConformanceCase
        {
            Id = row.Id,
            Category = Category,
            Group = control ? ControlGroup : NonControlGroup,
            RfcSections = [Rfc.BaseFraming, Rfc.Extensibility, Rfc.FailConnection],
            Requirement = Requirement,
            Stimulus = $"{stimulus} Kill timer {Timers.Kill.TotalSeconds:0} s.",
            ExpectedBehaviour = behaviour,
            Script = script,
            Expected = expected,
            ExpectedClose = CloseExpectations.FailFastProtocolError,
        };
    }
}
