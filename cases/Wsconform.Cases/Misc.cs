using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Category 10, "Misc": one case, 10.1.1, which mostly validates the harness's own automatic fragmentation (as Autobahn
/// does): a 64 KiB text message cut into 1300-octet frames must reach the peer as 1 text frame and 50 continuations,
/// and the peer only has to reassemble and echo it. RFC 6455 §5.4.
/// </summary>
public static class Misc
{
    public const string Category = "Misc";
    public const string AutoFragmentationGroup = "Auto-Fragmentation";

    /// <summary>10.1.1's message: 65536 '*' octets.</summary>
    private const int MessageLength = 64 * 1024;

    /// <summary>Autobahn's auto-fragment size in 10.1.1.</summary>
    private const int AutoFragmentSize = 1300;

    /// <summary>
    /// Frames the harness must have sent, by opcode: 65536 = 50 × 1300 + 536, so one text frame and 50 continuations
    /// (the last of 536 octets). Counts data and continuation opcodes only; the closing handshake is not counted.
    /// </summary>
    private static readonly IReadOnlyDictionary<int, int> ExpectedFrames = new Dictionary<int, int>
    {
        [(int)Opcode.Continuation] = 50,
        [(int)Opcode.Text] = 1,
    };

    public static IReadOnlyList<ConformanceCase> Cases { get; } = [AutoFragmentation()];

    private static ConformanceCase AutoFragmentation()
    {
        var payload = Payloads.TextOf(MessageLength);
        return new ConformanceCase
        {
            Id = "10.1.1",
            Category = Category,
            Group = AutoFragmentationGroup,
            RfcSections = [Rfc.Fragmentation, Rfc.DataFrames],
            Requirement =
                "A sender may split a message into fragments of any size, and a receiver must reassemble them into one " +
                "message. This case mostly checks the harness itself: its automatic fragmentation must have produced exactly " +
                "one text frame and 50 continuation frames.",
            Stimulus =
                $"Sends a text message of {MessageLength} '*' octets (64 KiB) cut into {AutoFragmentSize}-octet fragments: one text " +
                $"frame and 50 continuation frames, the last of 536 octets with FIN=1; frames written back to back. Kill timer " +
                $"{Timers.KillLargeFrame.TotalSeconds:0} s.",
            ExpectedBehaviour =
                "The peer echoes one text message with the same 65536 octets; the harness then closes with 1000 and the peer " +
                "completes the closing handshake cleanly (1000 or no code). The case also fails if the harness did not send " +
                "exactly 1 text frame and 50 continuation frames.",
            Script =
            [
                new SendMessage(Opcode.Text, payload, AutoFragmentSize),
                new KillAfter(Timers.KillLargeFrame),
            ],
            Expected = Outcomes.Ok(ExpectedEvent.TextOctets(payload)),
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
            ExpectedSentFrames = ExpectedFrames,
        };
    }
}
