using System.Globalization;
using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Cases;

/// <summary>
/// Category 9, "Limits/Performance": large messages (up to 16 MiB), a 4 MiB message in fragments from 64 octets to
/// one frame, a 1 MiB frame written in small chops, and 1000 sequential round trips. These are performance and limits
/// cases, not protocol-violation tests: RFC 6455 §10.4 lets an implementation limit sizes, but Autobahn expects every
/// case to pass. Each case is one <see cref="RoundTrips"/> trial that sets the behaviour verdict itself (type and
/// length of every echo, not content) and then closes with 1000; the close timer is the case's time limit. Payloads
/// are patterns generated at send time, never stored. Autobahn's upstream description typos (9.2.5 says "16M", 9.3.9
/// says "8M") are not reproduced: the sizes here are the ones Autobahn actually sends.
/// </summary>
public static class LimitsPerformance
{
    public const string Category = "Limits/Performance";
    public const string TextSizesGroup = "Text Message (increasing size)";
    public const string BinarySizesGroup = "Binary Message (increasing size)";
    public const string TextFragmentsGroup = "Fragmented Text Message (fixed size, increasing fragment size)";
    public const string BinaryFragmentsGroup = "Fragmented Binary Message (fixed size, increasing fragment size)";
    public const string TextChopsGroup = "Text Message (fixed size, increasing chop size)";
    /// <summary>Autobahn's title for 9.6, "Binary Text Message" [sic], kept verbatim so reports line up.</summary>
    public const string BinaryChopsGroup = "Binary Text Message (fixed size, increasing chop size)";
    public const string TextRoundTripsGroup = "Text Message Roundtrip Time (fixed number, increasing size)";
    public const string BinaryRoundTripsGroup = "Binary Message Roundtrip Time (fixed number, increasing size)";

    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;

    /// <summary>Messages per 9.7/9.8 case, each sent only after the previous echo.</summary>
    public const int RoundTripCount = 1000;

    /// <summary>The message size of 9.3/9.4 (4 MiB) and 9.5/9.6 (1 MiB).</summary>
    private const int FragmentedLength = 4 * MiB;
    private const int ChoppedLength = 1 * MiB;

    /// <summary>What a group's trial varies.</summary>
    private enum Trial
    {
        /// <summary>9.1/9.2: one message in one frame, increasing size.</summary>
        Size,
        /// <summary>9.3/9.4: a 4 MiB message, increasing fragment size.</summary>
        Fragments,
        /// <summary>9.5/9.6: a 1 MiB frame, increasing write (chop) size.</summary>
        Chops,
        /// <summary>9.7/9.8: 1000 sequential messages, increasing size.</summary>
        RoundTripTime,
    }

    /// <summary>A repeated payload pattern and how the stimulus names it.</summary>
    private sealed record Pattern(ReadOnlyMemory<byte> Octets, string Name);

    private static readonly Pattern TextPattern = new(Payloads.LargeTextPattern, "\"BAsd7&jh23\" repeated");
    private static readonly Pattern BinaryPattern = new(Payloads.LargeBinaryPattern, "00 fe 23 fa f0 repeated");
    private static readonly Pattern Asterisks = new(Payloads.TextFillerPattern, "'*' (0x2A)");
    private static readonly Pattern Fe = new(Payloads.BinaryFillerPattern, "0xFE");

    /// <summary>One case: its ID, message size, time limit in seconds, and the fragment or chop size when the group varies one.</summary>
    private sealed record TrialRow(string Id, int Length, int TimeoutSeconds, int? FragmentSize = null, int? ChopSize = null, Pattern? Pattern = null);

    /// <summary>
    /// One sub-category: its trial, opcode and default payload pattern (a row may override the pattern: 9.4.1).
    /// </summary>
    private sealed record TrialGroup(string Prefix, string Title, Trial Trial, Opcode Opcode, Pattern Pattern, TrialRow[] Rows);

    private static readonly TrialGroup[] Groups =
    [
        new("9.1", TextSizesGroup, Trial.Size, Opcode.Text, TextPattern,
        [
            new("9.1.1", 64 * KiB, 10),
            new("9.1.2", 256 * KiB, 10),
            new("9.1.3", 1 * MiB, 100),
            new("9.1.4", 4 * MiB, 100),
            new("9.1.5", 8 * MiB, 100),
            new("9.1.6", 16 * MiB, 100),
        ]),
        new("9.2", BinarySizesGroup, Trial.Size, Opcode.Binary, BinaryPattern,
        [
            new("9.2.1", 64 * KiB, 10),
            new("9.2.2", 256 * KiB, 10),
            new("9.2.3", 1 * MiB, 10),
            new("9.2.4", 4 * MiB, 10),
            new("9.2.5", 8 * MiB, 100),
            new("9.2.6", 16 * MiB, 100),
        ]),
        new("9.3", TextFragmentsGroup, Trial.Fragments, Opcode.Text, Asterisks,
        [
            new("9.3.1", FragmentedLength, 100, FragmentSize: 64),
            new("9.3.2", FragmentedLength, 100, FragmentSize: 256),
            new("9.3.3", FragmentedLength, 100, FragmentSize: 1 * KiB),
            new("9.3.4", FragmentedLength, 100, FragmentSize: 4 * KiB),
            new("9.3.5", FragmentedLength, 100, FragmentSize: 16 * KiB),
            new("9.3.6", FragmentedLength, 100, FragmentSize: 64 * KiB),
            new("9.3.7", FragmentedLength, 100, FragmentSize: 256 * KiB),
            new("9.3.8", FragmentedLength, 100, FragmentSize: 1 * MiB),
            new("9.3.9", FragmentedLength, 100, FragmentSize: 4 * MiB),
        ]),
        // Autobahn sends 0xFE only in 9.4.1; 9.4.2–9.4.9 send '*' octets in binary frames.
        new("9.4", BinaryFragmentsGroup, Trial.Fragments, Opcode.Binary, Asterisks,
        [
            new("9.4.1", FragmentedLength, 100, FragmentSize: 64, Pattern: Fe),
            new("9.4.2", FragmentedLength, 100, FragmentSize: 256),
            new("9.4.3", FragmentedLength, 100, FragmentSize: 1 * KiB),
            new("9.4.4", FragmentedLength, 100, FragmentSize: 4 * KiB),
            new("9.4.5", FragmentedLength, 100, FragmentSize: 16 * KiB),
            new("9.4.6", FragmentedLength, 100, FragmentSize: 64 * KiB),
            new("9.4.7", FragmentedLength, 100, FragmentSize: 256 * KiB),
            new("9.4.8", FragmentedLength, 100, FragmentSize: 1 * MiB),
            new("9.4.9", FragmentedLength, 100, FragmentSize: 4 * MiB),
        ]),
        new("9.5", TextChopsGroup, Trial.Chops, Opcode.Text, TextPattern,
        [
            new("9.5.1", ChoppedLength, 1000, ChopSize: 64),
            new("9.5.2", ChoppedLength, 1000, ChopSize: 128),
            new("9.5.3", ChoppedLength, 1000, ChopSize: 256),
            new("9.5.4", ChoppedLength, 1000, ChopSize: 512),
            new("9.5.5", ChoppedLength, 1000, ChopSize: 1024),
            new("9.5.6", ChoppedLength, 1000, ChopSize: 2048),
        ]),
        new("9.6", BinaryChopsGroup, Trial.Chops, Opcode.Binary, BinaryPattern,
        [
            new("9.6.1", ChoppedLength, 1000, ChopSize: 64),
            new("9.6.2", ChoppedLength, 1000, ChopSize: 128),
            new("9.6.3", ChoppedLength, 1000, ChopSize: 256),
            new("9.6.4", ChoppedLength, 1000, ChopSize: 512),
            new("9.6.5", ChoppedLength, 1000, ChopSize: 1024),
            new("9.6.6", ChoppedLength, 1000, ChopSize: 2048),
        ]),
        new("9.7", TextRoundTripsGroup, Trial.RoundTripTime, Opcode.Text, Asterisks,
        [
            new("9.7.1", 0, 60),
            new("9.7.2", 16, 60),
            new("9.7.3", 64, 60),
            new("9.7.4", 256, 120),
            new("9.7.5", 1024, 240),
            new("9.7.6", 4096, 480),
        ]),
        new("9.8", BinaryRoundTripsGroup, Trial.RoundTripTime, Opcode.Binary, Fe,
        [
            new("9.8.1", 0, 60),
            new("9.8.2", 16, 60),
            new("9.8.3", 64, 60),
            new("9.8.4", 256, 120),
            new("9.8.5", 1024, 240),
            new("9.8.6", 4096, 480),
        ]),
    ];

    public static IReadOnlyList<ConformanceCase> Cases { get; } = [.. Groups.SelectMany(g => g.Rows.Select(r => Build(g, r)))];

    private const string LimitsRequirement =
        "Performance/limits case. RFC 6455 §10.4 lets an implementation limit the size of the frames and messages it " +
        "accepts, but Autobahn expects an echo peer to handle these sizes and passes the case only when every echo comes " +
        "back with the right type and length in time.";

    private static string Requirement(Trial trial) => trial switch
    {
        Trial.Size => LimitsRequirement + " A large message in one frame (64-bit length form) must be received whole and echoed.",
        Trial.Fragments => LimitsRequirement +
            " A receiver must reassemble a message from any number of fragments, from tens of thousands of small continuation frames to a single frame.",
        Trial.Chops => LimitsRequirement +
            " Frame boundaries are independent of how the octets arrive: a large frame written in many small pieces must be reassembled like one written at once.",
        Trial.RoundTripTime => LimitsRequirement +
            " Messages go one at a time, each after the echo of the previous one, so the total time measures the peer's per-message latency.",
        _ => throw new ArgumentOutOfRangeException(nameof(trial), trial, null),
    };

    private static IReadOnlyList<string> RfcSections(Trial trial) => trial switch
    {
        Trial.Fragments => [Rfc.ImplementationLimits, Rfc.Fragmentation],
        Trial.Chops => [Rfc.ImplementationLimits, Rfc.BaseFraming],
        _ => [Rfc.ImplementationLimits, Rfc.DataFrames],
    };

    private static ConformanceCase Build(TrialGroup group, TrialRow row)
    {
        var pattern = row.Pattern ?? group.Pattern;
        var kind = group.Opcode == Opcode.Text ? "text" : "binary";
        var count = group.Trial == Trial.RoundTripTime ? RoundTripCount : 1;
        var timeout = TimeSpan.FromSeconds(row.TimeoutSeconds);
        var timeoutResult = group.Trial == Trial.RoundTripTime
            ? $"Case did not finish within {row.TimeoutSeconds} seconds."
            : $"Did not receive message within {row.TimeoutSeconds} seconds.";
        var content = row.Length == 0 ? "with an empty payload" : $"of {Size(row.Length)} of {pattern.Name}";
        var sent = group.Trial switch
        {
            Trial.Size => $"one unfragmented {kind} message {content}, in one frame",
            Trial.Fragments => $"one {kind} message {content}, {DescribeFragments(row.Length, row.FragmentSize!.Value)}",
            Trial.Chops => $"one unfragmented {kind} frame {content}; the encoded frame is written in pieces of {row.ChopSize} octets",
            Trial.RoundTripTime => $"{RoundTripCount} {kind} messages {content}, one at a time: each only after the echo of the previous one came back (round-trip times are recorded)",
            _ => throw new ArgumentOutOfRangeException(nameof(group), group.Trial, null),
        };
        var expected = group.Trial == Trial.RoundTripTime
            ? $"The peer echoes each of the {RoundTripCount} messages as a {kind} message of the same length (content is not compared); " +
              $"the first wrong echo fails the case at once, and all {RoundTripCount} must be back within {row.TimeoutSeconds} s (else: \"{timeoutResult}\"). "
            : $"The peer echoes one {kind} message of the same length (content is not compared) within {row.TimeoutSeconds} s (else: \"{timeoutResult}\"); " +
              "a message of another type or length fails the case. ";
        return new ConformanceCase
        {
            Id = row.Id,
            Category = Category,
            Group = group.Title,
            RfcSections = RfcSections(group.Trial),
            Requirement = Requirement(group.Trial),
            Stimulus =
                $"Sends {sent}. The payload is generated when sent. Close timer {row.TimeoutSeconds} s: if the trial has not finished " +
                "by then, the harness closes with an empty Close and the case fails.",
            ExpectedBehaviour = expected + "The harness then closes with 1000 and the peer completes the closing handshake cleanly (1000 or no code).",
            // The timer is armed first, as Autobahn arms it in onOpen before sending: the trial blocks the script until it
            // ends, and a stalled peer must still meet the timer (FAILED), not the harness's hard deadline (ERROR).
            Script =
            [
                new CloseAfter(timeout),
                new RoundTrips(group.Opcode, new PayloadPattern(pattern.Octets, row.Length), count, timeoutResult, row.FragmentSize, row.ChopSize),
            ],
            Expected = Outcomes.SetByTrial,
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
            AutoCloseOnMatch = false,
            RunsApart = group.Trial == Trial.RoundTripTime,
        };
    }

    /// <summary>How the harness cuts <paramref name="length"/> octets into <paramref name="fragmentSize"/>-octet frames (Autobahn's quirk included).</summary>
    private static string DescribeFragments(int length, int fragmentSize)
    {
        if (length <= fragmentSize) return $"fragment size {Size(fragmentSize)}, so it leaves as a single unfragmented frame";
        var frames = (length + fragmentSize - 1) / fragmentSize;
        return length % fragmentSize == 0
            ? $"cut into {frames} frames of {Size(fragmentSize)}, then an empty continuation frame with FIN=1 because the size is an exact multiple ({frames + 1} frames)"
            : $"cut into {frames} frames of at most {Size(fragmentSize)}";
    }

    /// <summary>"64 octets", "16 KiB", "4 MiB".</summary>
    private static string Size(int octets) => octets switch
    {
        >= MiB when octets % MiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{octets / MiB} MiB ({octets} octets)"),
        >= KiB when octets % KiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{octets / KiB} KiB ({octets} octets)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{octets} octets"),
    };
}
