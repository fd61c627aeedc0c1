using System.Globalization;
using Wsconform.Engine.Scripting;
using Wsconform.Wire;
using Wsconform.Wire.Deflate;

namespace Wsconform.Cases;

/// <summary>
/// RFC 7692 sections the compression categories cite (12, 13 and our 15), spelled once like <see cref="Rfc"/>. Section
/// titles follow RFC 7692's table of contents.
/// </summary>
public static class DeflateRfc
{
    /// <summary>§5 Extension Negotiation: several offers in order of preference; the server accepts at most one.</summary>
    public const string Negotiation = HandshakeRfc.DeflateNegotiation;
    /// <summary>§6.1 Compression: RSV1 ("Per-Message Compressed") on the first frame only; never on control frames or continuations.</summary>
    public const string CompressedBit = "RFC 7692 §6.1";
    /// <summary>§6.2 Decompression: the receiver concatenates the payloads of all frames of the message, then decompresses.</summary>
    public const string Decompression = "RFC 7692 §6.2";
    /// <summary>§7.1.1 Context Takeover Control: by default an endpoint's compressor may refer back to earlier messages.</summary>
    public const string ContextTakeover = "RFC 7692 §7.1.1";
    /// <summary>§7.1.1.1 server_no_context_takeover: the server's compressor starts every message with an empty window.</summary>
    public const string ServerNoContextTakeover = "RFC 7692 §7.1.1.1";
    /// <summary>§7.1.1.2 client_no_context_takeover: the client announces it will reset its own compressor per message.</summary>
    public const string ClientNoContextTakeover = "RFC 7692 §7.1.1.2";
    /// <summary>§7.1.2.1 server_max_window_bits: the largest LZ77 window the server's compressor may use.</summary>
    public const string ServerMaxWindowBits = HandshakeRfc.DeflateServerWindowBits;
    /// <summary>§7.2.1 Compression: raw DEFLATE, sync flush, the trailing 00 00 ff ff removed.</summary>
    public const string PayloadCompression = "RFC 7692 §7.2.1";
    /// <summary>§7.2.2 Decompression: append 00 00 ff ff, inflate.</summary>
    public const string PayloadDecompression = "RFC 7692 §7.2.2";
    /// <summary>§7.2.3.1 A Message Compressed Using 1 Compressed DEFLATE Block: "Hello" is f2 48 cd c9 c9 07 00.</summary>
    public const string HelloExample = "RFC 7692 §7.2.3.1";
    /// <summary>§7.2.3.2 Sharing LZ77 Sliding Window: the same message sent twice is shorter the second time.</summary>
    public const string SharedWindowExample = "RFC 7692 §7.2.3.2";
    /// <summary>§7.2.3.6 Generating an Empty Fragment: the single octet 00 (an empty stored block without its tail).</summary>
    public const string EmptyFragmentExample = "RFC 7692 §7.2.3.6";
}

/// <summary>
/// Categories 12, "WebSocket Compression (different payloads)" (90 cases), and 13, "WebSocket Compression (different
/// parameters)" (126 cases): Autobahn's permessage-deflate trials. Each case offers permessage-deflate, then sends 1000
/// messages one at a time, consecutive slices of a test file (<see cref="CompressionCorpora"/>), each compressed and
/// optionally cut into frames; every echo is decompressed and must equal the message sent. Like category 9 these are
/// trials: one <see cref="CompressedRoundTrips"/> step sets the behaviour verdict, the close timer armed before it is the
/// time limit, and the harness closes with 1000 at the end. A peer that accepts none of the offers is UNIMPLEMENTED.
/// The 18 size rows are the same for every sub-category: 12.j.i and 13.j.i are row i.
/// </summary>
public static class Compression
{
    public const string PayloadsCategory = "WebSocket Compression (different payloads)";
    public const string ParametersCategory = "WebSocket Compression (different parameters)";

    /// <summary>Messages per case, each sent only after the echo of the previous one.</summary>
    public const int MessageCount = 1000;

    /// <summary>One of the 18 rows: message size (characters for text files, octets otherwise), fragment size of the compressed octets (0: none), time limit.</summary>
    public sealed record SizeRow(int MessageSize, int FragmentSize, int TimeoutSeconds);

    /// <summary>Autobahn's 18 rows, in case order.</summary>
    public static IReadOnlyList<SizeRow> SizeRows { get; } =
    [
        new(16, 0, 60),
        new(64, 0, 60),
        new(256, 0, 120),
        new(1024, 0, 240),
        new(4096, 0, 480),
        new(8192, 0, 480),
        new(16384, 0, 480),
        new(32768, 0, 480),
        new(65536, 0, 480),
        new(131072, 0, 480),
        new(8192, 256, 480),
        new(16384, 256, 480),
        new(32768, 256, 480),
        new(65536, 256, 480),
        new(131072, 256, 480),
        new(131072, 1024, 480),
        new(131072, 4096, 480),
        new(131072, 32768, 480),
    ];

    /// <summary>A sub-category of 12: the file and how its slices are sent (12.3 sends German text as binary, as Autobahn does).</summary>
    private sealed record PayloadGroup(string Prefix, MessageCorpus Corpus, Opcode Opcode);

    private static readonly PayloadGroup[] PayloadGroups =
    [
        new("12.1", CompressionCorpora.Json, Opcode.Text),
        new("12.2", CompressionCorpora.Bitmap, Opcode.Binary),
        new("12.3", CompressionCorpora.Faust, Opcode.Binary),
        new("12.4", CompressionCorpora.Html, Opcode.Text),
        new("12.5", CompressionCorpora.Pdf, Opcode.Binary),
    ];

    /// <summary>
    /// A sub-category of 13: Autobahn's (requestNoContextTakeover, requestMaxWindowBits) pairs, 0 = no window request.
    /// As a client the harness makes one offer per pair (in one header, in order); Autobahn as a server accepts with the
    /// same pairs, which is why its titles print the list twice.
    /// </summary>
    private sealed record ParameterGroup(string Prefix, (bool NoContextTakeover, int WindowBits)[] Pairs);

    private static readonly ParameterGroup[] ParameterGroups =
    [
        new("13.1", [(false, 0)]),
        new("13.2", [(true, 0)]),
        new("13.3", [(false, 9)]),
        new("13.4", [(false, 15)]),
        new("13.5", [(true, 9)]),
        new("13.6", [(true, 15)]),
        new("13.7", [(true, 9), (true, 0), (false, 0)]),
    ];

    public static IReadOnlyList<ConformanceCase> Cases { get; } =
    [
        .. PayloadGroups.SelectMany(g => SizeRows.Select((row, i) => PayloadCase(g, row, i + 1))),
        .. ParameterGroups.SelectMany(g => SizeRows.Select((row, i) => ParameterCase(g, row, i + 1))),
    ];

    /// <summary>Autobahn's 12.j title: "Large JSON data file (utf8, 194056 bytes)", "A larger PDF (binary, 1042328 bytes)".</summary>
    private static string FileTitle(MessageCorpus corpus, Opcode opcode) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{corpus.Description} ({(opcode == Opcode.Text ? "utf8" : "binary")}, {CompressionCorpora.FileOctets(corpus)} bytes)");

    /// <summary>Python's repr of the pair list: "[(True, 9), (True, 0), (False, 0)]".</summary>
    private static string PairList((bool NoContextTakeover, int WindowBits)[] pairs) =>
        "[" + string.Join(", ", pairs.Select(p => string.Create(CultureInfo.InvariantCulture, $"({(p.NoContextTakeover ? "True" : "False")}, {p.WindowBits})"))) + "]";

    /// <summary>Autobahn's 13.j title: the JSON file's title, then the client offers and server accepts as pair lists.</summary>
    private static string ParameterTitle(ParameterGroup group) =>
        $"{FileTitle(CompressionCorpora.Json, Opcode.Text)} - client offers (requestNoContextTakeover, requestMaxWindowBits): " +
        $"{PairList(group.Pairs)} / server accept (requestNoContextTakeover, requestMaxWindowBits): {PairList(group.Pairs)}";

    private static DeflateOffer[] Offers((bool NoContextTakeover, int WindowBits)[] pairs) =>
        [.. pairs.Select(p => DeflateOffer.Autobahn(p.NoContextTakeover, p.WindowBits == 0 ? null : p.WindowBits))];

    /// <summary>The offers as the Sec-WebSocket-Extensions header carries them.</summary>
    public static string OfferHeader(IEnumerable<DeflateOffer> offers) => string.Join(", ", offers.Select(o => o.Render()));

    private const string TrialRequirement =
        "With permessage-deflate negotiated, a receiver decompresses every message whose first frame has RSV1 set (append " +
        "00 00 ff ff to the payload and inflate), and a sender may compress the messages it sends (raw DEFLATE with a sync " +
        "flush, the trailing 00 00 ff ff removed). This is an interoperability and performance trial, like category 9: " +
        "Autobahn passes the case only when all 1000 messages of realistic content come back identical within the time " +
        "limit, whether or not the peer compresses its echoes. A peer that does not implement permessage-deflate declines " +
        "the offer and the case is UNIMPLEMENTED, not FAILED.";

    private const string ParameterRequirement =
        " The negotiated parameters bind the peer: with server_no_context_takeover its compressor must start every message " +
        "with an empty window, and with server_max_window_bits=N it must not refer back more than 2^N octets. The harness " +
        "decompresses each echo under exactly the agreed parameters, so a peer that ignores them usually sends an echo the " +
        "harness cannot decompress, and the case fails.";

    private static ConformanceCase PayloadCase(PayloadGroup group, SizeRow row, int number) =>
        Build($"{group.Prefix}.{number.ToString(CultureInfo.InvariantCulture)}", PayloadsCategory, FileTitle(group.Corpus, group.Opcode),
            [DeflateRfc.PayloadCompression, DeflateRfc.PayloadDecompression],
            TrialRequirement, group.Corpus, group.Opcode, [DeflateOffer.Autobahn()], row);

    private static ConformanceCase ParameterCase(ParameterGroup group, SizeRow row, int number)
    {
        var pairs = group.Pairs;
        List<string> sections = [DeflateRfc.PayloadCompression, DeflateRfc.PayloadDecompression];
        if (pairs.Length > 1) sections.Add(DeflateRfc.Negotiation);
        sections.Add(pairs.Any(p => p.NoContextTakeover) ? DeflateRfc.ServerNoContextTakeover : DeflateRfc.ContextTakeover);
        if (pairs.Any(p => p.WindowBits != 0)) sections.Add(DeflateRfc.ServerMaxWindowBits);
        return Build($"{group.Prefix}.{number.ToString(CultureInfo.InvariantCulture)}", ParametersCategory, ParameterTitle(group), sections,
            TrialRequirement + ParameterRequirement, CompressionCorpora.Json, Opcode.Text, Offers(pairs), row);
    }

    private static ConformanceCase Build(string id, string category, string group, IReadOnlyList<string> rfc, string requirement,
        MessageCorpus corpus, Opcode opcode, DeflateOffer[] offers, SizeRow row)
    {
        var kind = opcode == Opcode.Text ? "text" : "binary";
        var unit = corpus.IsText ? "characters" : "octets";
        var timeout = TimeSpan.FromSeconds(row.TimeoutSeconds);
        var timeoutResult = string.Create(CultureInfo.InvariantCulture, $"Case did not finish within {row.TimeoutSeconds} seconds.");
        var slicing = corpus.IsText
            ? "sliced by characters, so a slice never splits a UTF-8 sequence and may be longer in octets"
            : "sliced by octets";
        var fragments = row.FragmentSize == 0
            ? "each compressed message leaves in one frame"
            : string.Create(CultureInfo.InvariantCulture, $"the compressed octets of each message are cut into frames of {row.FragmentSize} octets (RSV1 on the first only)");
        var stimulus =
            $"Offers \"{OfferHeader(offers)}\". Sends {MessageCount} {kind} messages of {row.MessageSize} {unit} each, consecutive slices of " +
            $"the harness's generated stand-in for \"{corpus.Description}\" ({CompressionCorpora.FileOctets(corpus)} octets, a ring buffer read from the start, " +
            $"{slicing}), one at a time: each compressed with the negotiated parameters and sent only after the echo of the previous one came back; " +
            $"{fragments}. Close timer {row.TimeoutSeconds} s: if the trial has not finished by then, the harness closes with an empty Close and the case fails.";
        var expected =
            $"The peer accepts one offer and echoes each message as a {kind} message; the harness decompresses each echo, which must equal " +
            $"the message sent (type, length and content; Autobahn compares SHA-1 digests). The first wrong echo, or one the harness cannot " +
            $"decompress, fails the case at once; all {MessageCount} must be back within {row.TimeoutSeconds} s (else: \"{timeoutResult}\"). " +
            "The harness then closes with 1000 and the peer completes the closing handshake cleanly (1000 or no code). A peer that accepts " +
            "no offer is UNIMPLEMENTED: the harness closes at once with 1000.";
        return new ConformanceCase
        {
            Id = id,
            Category = category,
            Group = group,
            RfcSections = rfc,
            Requirement = requirement,
            Stimulus = stimulus,
            ExpectedBehaviour = expected,
            // As in category 9, the timer is armed first: the trial blocks the script until it ends.
            Script =
            [
                new CloseAfter(timeout),
                new CompressedRoundTrips(opcode, corpus, row.MessageSize, MessageCount, timeoutResult, row.FragmentSize == 0 ? null : row.FragmentSize),
            ],
            Expected = Outcomes.SetByTrial,
            ExpectedClose = CloseExpectations.EchoThenNormalClose,
            AutoCloseOnMatch = false,
            DeflateOffers = offers,
        };
    }
}
