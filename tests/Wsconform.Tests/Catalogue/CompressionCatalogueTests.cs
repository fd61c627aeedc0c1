using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Wsconform.Cases;
using Wsconform.Engine.Scripting;
using Wsconform.Model;
using Wsconform.Wire;
using Wsconform.Wire.Deflate;

// Not "Wsconform.Tests.Catalogue": that namespace would shadow the Catalogue class for every test under Wsconform.Tests.*.
namespace Wsconform.Tests.CatalogueShape;

/// <summary>
/// Pins the compression categories: Autobahn's 12 (five files × 18 size rows) and 13 (seven parameter sets × 18 rows)
/// against the reference catalogue's tables, the offers they make, the generated test files (sizes, determinism by
/// SHA-256, UTF-8, ring-buffer slicing), and our category 15 (compression framing), whose RFC 7692 octets are checked by
/// inflating them with .NET's raw DEFLATE decoder.
/// </summary>
[TestFixture]
public class CompressionCatalogueTests
{
    private static IReadOnlyList<ConformanceCase> All => Catalogue.All;

    private static string CategoryOf(string id) => id.Split('.')[0];

    private static List<ConformanceCase> Group(string prefix) => [.. All.Where(c => c.Id.StartsWith(prefix + ".", StringComparison.Ordinal))];

    private static T Single<T>(ConformanceCase c) where T : Step => c.Script.OfType<T>().Should().ContainSingle().Subject;

    private static CompressedRoundTrips Trial(ConformanceCase c) => Single<CompressedRoundTrips>(c);

    /// <summary>The 18 rows of the catalogue (message size, auto-fragment size, timeout in seconds), written out independently of the cases.</summary>
    private static readonly (int Size, int Fragment, int Timeout)[] Rows =
    [
        (16, 0, 60), (64, 0, 60), (256, 0, 120), (1024, 0, 240), (4096, 0, 480), (8192, 0, 480), (16384, 0, 480),
        (32768, 0, 480), (65536, 0, 480), (131072, 0, 480), (8192, 256, 480), (16384, 256, 480), (32768, 256, 480),
        (65536, 256, 480), (131072, 256, 480), (131072, 1024, 480), (131072, 4096, 480), (131072, 32768, 480),
    ];

    private const string DefaultOffer = "permessage-deflate; client_no_context_takeover; client_max_window_bits";

    private static IEnumerable<TestCaseData> TrialCases() =>
        All.Where(c => CategoryOf(c.Id) is "12" or "13").Select(c => new TestCaseData(c).SetName($"{{m}}({c.Id})"));

    // ---------------------------------------------------------------- categories 12 and 13

    [Test]
    public void Ids_AreAutobahnsInAutobahnOrder()
    {
        var expected = Enumerable.Range(1, 5).SelectMany(j => Enumerable.Range(1, 18).Select(i => $"12.{j}.{i}"))
            .Concat(Enumerable.Range(1, 7).SelectMany(j => Enumerable.Range(1, 18).Select(i => $"13.{j}.{i}")))
            .ToList();
        expected.Should().HaveCount(216);
        var ids = All.Select(c => c.Id).ToList();
        var first = ids.IndexOf("12.1.1");
        ids.Skip(first).Take(216).Should().Equal(expected, "the 216 cases are contiguous and in numeric order");
        Compression.Cases.Select(c => c.Id).Should().Equal(expected);
    }

    [TestCaseSource(nameof(TrialCases))]
    public void Trial_HasTheRowOfTheTable(ConformanceCase c)
    {
        var row = Rows[int.Parse(c.Id.Split('.')[2], System.Globalization.CultureInfo.InvariantCulture) - 1];
        c.Script.Should().HaveCount(2);
        c.Script[0].Should().Be(new CloseAfter(TimeSpan.FromSeconds(row.Timeout)), "the close timer is armed before the trial, as in category 9");
        var trial = Trial(c);
        trial.MessageSize.Should().Be(row.Size);
        trial.Count.Should().Be(1000);
        trial.FragmentSize.Should().Be(row.Fragment == 0 ? null : row.Fragment);
        trial.TimeoutResult.Should().Be($"Case did not finish within {row.Timeout} seconds.");
        c.Expected.Should().BeEmpty("the trial sets the behaviour verdict itself");
        c.AutoCloseOnMatch.Should().BeFalse();
        c.ExpectedClose.Should().Be(CloseExpectations.EchoThenNormalClose);
        c.Rule.Should().Be(VerdictRule.Standard);
        c.Handshake.Should().BeNull();
        c.DeflateOffers.Should().NotBeNullOrEmpty();
        c.RfcSections.Take(2).Should().Equal("RFC 7692 §7.2.1", "RFC 7692 §7.2.2");
        c.Stimulus.Should().Contain(Compression.OfferHeader(c.DeflateOffers!));
    }

    [TestCase("12", "WebSocket Compression (different payloads)")]
    [TestCase("13", "WebSocket Compression (different parameters)")]
    public void Category_HasAutobahnTitle(string category, string title) =>
        All.Where(c => CategoryOf(c.Id) == category).Should().OnlyContain(c => c.Category == title);

    [TestCase("12.1", "Large JSON data file (utf8, 194056 bytes)")]
    [TestCase("12.2", "Lena Picture, Bitmap 512x512 bw (binary, 263222 bytes)")]
    [TestCase("12.3", "Human readable text, Goethe's Faust I (German) (binary, 222218 bytes)")]
    [TestCase("12.4", "Large HTML file (utf8, 263647 bytes)")]
    [TestCase("12.5", "A larger PDF (binary, 1042328 bytes)")]
    public void PayloadGroup_HasAutobahnTitle(string prefix, string title)
    {
        var cases = Group(prefix);
        cases.Should().HaveCount(18);
        cases.Should().OnlyContain(c => c.Group == title);
    }

    [TestCase("13.1", "[(False, 0)]")]
    [TestCase("13.2", "[(True, 0)]")]
    [TestCase("13.3", "[(False, 9)]")]
    [TestCase("13.4", "[(False, 15)]")]
    [TestCase("13.5", "[(True, 9)]")]
    [TestCase("13.6", "[(True, 15)]")]
    [TestCase("13.7", "[(True, 9), (True, 0), (False, 0)]")]
    public void ParameterGroup_HasAutobahnTitle(string prefix, string pairs)
    {
        var cases = Group(prefix);
        cases.Should().HaveCount(18);
        cases.Should().OnlyContain(c => c.Group ==
            "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): " + pairs +
            " / server accept (requestNoContextTakeover, requestMaxWindowBits): " + pairs);
    }

    [TestCase("12.1", "JSON", Opcode.Text)]
    [TestCase("12.2", "BMP", Opcode.Binary)]
    [TestCase("12.3", "Faust", Opcode.Binary)]
    [TestCase("12.4", "HTML", Opcode.Text)]
    [TestCase("12.5", "PDF", Opcode.Binary)]
    public void PayloadGroup_SendsItsFileAsAutobahnDoes(string prefix, string corpus, Opcode opcode)
    {
        var expected = CompressionCorpora.All.Single(c => c.Name == corpus);
        Group(prefix).Select(Trial).Should().OnlyContain(t => ReferenceEquals(t.Corpus, expected) && t.Opcode == opcode);
        Group(prefix).Should().OnlyContain(c => c.DeflateOffers!.Count == 1 && c.DeflateOffers[0] == DeflateOffer.Autobahn());
        Group(prefix).Should().OnlyContain(c => Compression.OfferHeader(c.DeflateOffers!) == DefaultOffer);
    }

    [Test]
    public void ParameterGroups_AlwaysSendTheJsonFileAsText()
    {
        All.Where(c => CategoryOf(c.Id) == "13").Select(Trial)
            .Should().OnlyContain(t => ReferenceEquals(t.Corpus, CompressionCorpora.Json) && t.Opcode == Opcode.Text);
    }

    [TestCase("13.1", DefaultOffer)]
    [TestCase("13.2", DefaultOffer + "; server_no_context_takeover")]
    [TestCase("13.3", DefaultOffer + "; server_max_window_bits=9")]
    [TestCase("13.4", DefaultOffer + "; server_max_window_bits=15")]
    [TestCase("13.5", DefaultOffer + "; server_no_context_takeover; server_max_window_bits=9")]
    [TestCase("13.6", DefaultOffer + "; server_no_context_takeover; server_max_window_bits=15")]
    [TestCase("13.7", DefaultOffer + "; server_no_context_takeover; server_max_window_bits=9, " + DefaultOffer + "; server_no_context_takeover, " + DefaultOffer)]
    public void ParameterGroup_OffersRenderAsAutobahnsHeader(string prefix, string header)
    {
        Group(prefix).Should().OnlyContain(c => Compression.OfferHeader(c.DeflateOffers!) == header);
    }

    [Test]
    public void ParameterGroup13_7_MakesThreeOffersInOrder()
    {
        Catalogue.Get("13.7.1").DeflateOffers.Should().Equal(
            DeflateOffer.Autobahn(true, 9), DeflateOffer.Autobahn(true), DeflateOffer.Autobahn());
    }

    [TestCase("13.1", new[] { "RFC 7692 §7.1.1" })]
    [TestCase("13.2", new[] { "RFC 7692 §7.1.1.1" })]
    [TestCase("13.3", new[] { "RFC 7692 §7.1.1", "RFC 7692 §7.1.2.1" })]
    [TestCase("13.4", new[] { "RFC 7692 §7.1.1", "RFC 7692 §7.1.2.1" })]
    [TestCase("13.5", new[] { "RFC 7692 §7.1.1.1", "RFC 7692 §7.1.2.1" })]
    [TestCase("13.6", new[] { "RFC 7692 §7.1.1.1", "RFC 7692 §7.1.2.1" })]
    [TestCase("13.7", new[] { "RFC 7692 §5", "RFC 7692 §7.1.1.1", "RFC 7692 §7.1.2.1" })]
    public void ParameterGroup_CitesTheParametersItRequests(string prefix, string[] sections)
    {
        Group(prefix).Should().OnlyContain(c => c.RfcSections.Skip(2).SequenceEqual(sections));
        Group("12.1").Should().OnlyContain(c => c.RfcSections.Count == 2);
    }

    [Test]
    public void Trials_AreTheOnlyCompressedRoundTrips_AndNoneRunsApart()
    {
        All.Where(c => c.Script.OfType<CompressedRoundTrips>().Any()).Should().HaveCount(216)
            .And.OnlyContain(c => CategoryOf(c.Id) == "12" || CategoryOf(c.Id) == "13");
        All.Where(c => CategoryOf(c.Id) is "12" or "13").Should().OnlyContain(c => !c.RunsApart);
    }

    // ---------------------------------------------------------------- the generated files

    /// <summary>SHA-256 of each generated file. A change here changes every message of categories 12 and 13: only on purpose.</summary>
    [TestCase("JSON", "031c8905abd0b287c179730fb05e0f2e7eef53e88f707a03dd9c8429bae34b71")]
    [TestCase("BMP", "d8e2700a6c4b203210be415be2da557701bcc7ff8fa333e6974dd146bf6ab835")]
    [TestCase("Faust", "a049eb22326462c818d9833aac0260aaa4b7eb4572cc8820c9275877bca5b4e5")]
    [TestCase("HTML", "c7df78b87bcf890d301f6ec64d11e272628be8d2def800ba9ccb33602df7db34")]
    [TestCase("PDF", "e61d54f776dbdf11ba5ab5e3c0685d5cf01409aee02ee26adfd70d021cbcbd6b")]
    public void Corpus_IsDeterministic(string name, string sha256)
    {
        var corpus = CompressionCorpora.All.Single(c => c.Name == name);
        var again = Generate(name);
        // Span comparisons: FluentAssertions compares collections item by item, far too slowly for a megabyte.
        again.AsSpan().SequenceEqual(Generate(name)).Should().BeTrue("two generations are identical");
        corpus.Octets.Span.SequenceEqual(again).Should().BeTrue("the catalogue's corpus is what the generator makes");
        Convert.ToHexStringLower(SHA256.HashData(again)).Should().Be(sha256);
    }

    private static byte[] Generate(string name) => name switch
    {
        "JSON" => CompressionCorpora.GenerateJson(),
        "BMP" => CompressionCorpora.GenerateBitmap(),
        "Faust" => CompressionCorpora.GenerateFaust(),
        "HTML" => CompressionCorpora.GenerateHtml(),
        "PDF" => CompressionCorpora.GeneratePdf(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [TestCase("JSON", "Large JSON data file", true, 194056, 194056)]
    [TestCase("BMP", "Lena Picture, Bitmap 512x512 bw", false, 263222, 263222)]
    [TestCase("Faust", "Human readable text, Goethe's Faust I (German)", false, 222218, 222218)]
    [TestCase("HTML", "Large HTML file", true, 263647, 263620)]
    [TestCase("PDF", "A larger PDF", false, 1042328, 1042328)]
    public void Corpus_HasAutobahnsDescriptionAndSize(string name, string description, bool isText, int octets, int sliceUnits)
    {
        var corpus = CompressionCorpora.All.Single(c => c.Name == name);
        corpus.Description.Should().Be(description);
        corpus.IsText.Should().Be(isText);
        corpus.Octets.Length.Should().Be(octets);
        corpus.SliceUnits.Should().Be(sliceUnits, "text files are sliced by characters, binary ones by octets");
        CompressionCorpora.FileOctets(corpus).Should().Be(octets);
    }

    [Test]
    public void Corpora_AreInTheOrderOf12_1To12_5()
    {
        CompressionCorpora.All.Select(c => c.Name).Should().Equal("JSON", "BMP", "Faust", "HTML", "PDF");
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    [Test]
    public void JsonCorpus_IsAsciiJsonOfAReportIndex()
    {
        var octets = CompressionCorpora.Json.Octets.ToArray();
        octets.Should().OnlyContain(b => b < 0x80, "Autobahn's JSON file is ASCII");
        using var json = System.Text.Json.JsonDocument.Parse(octets);
        var agent = json.RootElement.EnumerateObject().First().Value;
        var entry = agent.GetProperty("1.1.1");
        entry.EnumerateObject().Select(p => p.Name).Should().Equal("behavior", "behaviorClose", "duration", "remoteCloseCode", "reportfile");
        json.RootElement.EnumerateObject().Sum(a => a.Value.EnumerateObject().Count()).Should().BeGreaterThan(800);
    }

    [Test]
    public void TextCorpora_AreValidUtf8_HtmlAndGermanWithNonAscii()
    {
        var html = StrictUtf8.GetString(CompressionCorpora.Html.Octets.Span);
        html.Length.Should().Be(CompressionCorpora.HtmlCharacters);
        html.Should().StartWith("<!DOCTYPE html>").And.EndWith("</html>\n");
        html.Should().Contain("é").And.Contain("ß").And.Contain("“");
        html.Any(char.IsSurrogate).Should().BeFalse("every character is in the Basic Multilingual Plane, so characters = code points");
        (CompressionCorpora.HtmlOctets - html.Length).Should().Be(27);

        var faust = StrictUtf8.GetString(CompressionCorpora.Faust.Octets.Span);
        faust.Should().Contain("ä").And.Contain("ö").And.Contain("ü").And.Contain("ß").And.Contain("FAUST:");
        faust.Count(c => c > 0x7F).Should().BeGreaterThan(1000);
    }

    [Test]
    public void BitmapCorpus_IsA512x512GrayscaleBmp()
    {
        var bmp = CompressionCorpora.Bitmap.Octets.ToArray();
        bmp[..2].ToArray().Should().Equal((byte)'B', (byte)'M');
        int Int32(int at) => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bmp.AsSpan(at));
        int Int16(int at) => System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(bmp.AsSpan(at));
        (Int32(2), Int32(10), Int32(14), Int32(18), Int32(22), Int16(26), Int16(28), Int32(30), Int32(34))
            .Should().Be((263222, 1078, 40, 512, 512, 1, 8, 0, 262144));
        for (var level = 0; level < 256; level++) bmp.AsSpan(54 + 4 * level, 4).ToArray().Should().Equal((byte)level, (byte)level, (byte)level, (byte)0);
        var pixels = bmp.AsSpan(1078);
        pixels.Length.Should().Be(512 * 512);
        var ratio = (double)Deflate(pixels).Length / pixels.Length;
        ratio.Should().BeInRange(0.5, 0.95, "a photograph compresses a little, not like text and not like noise");
    }

    [Test]
    public void PdfCorpus_HasAPdfHeaderCrossReferenceAndTrailer()
    {
        var pdf = CompressionCorpora.Pdf.Octets.Span;
        Encoding.ASCII.GetString(pdf[..9]).Should().Be("%PDF-1.4\n");
        Encoding.ASCII.GetString(pdf[^6..]).Should().Be("%%EOF\n");
        var tail = Encoding.ASCII.GetString(pdf[^100..]);
        var startxref = int.Parse(tail[(tail.IndexOf("startxref\n", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Encoding.ASCII.GetString(pdf.Slice(startxref, 5)).Should().Be("xref\n");
        var ratio = (double)Deflate(pdf).Length / pdf.Length;
        ratio.Should().BeInRange(0.6, 0.98, "mostly compressed-looking streams with some text");
    }

    [TestCase("JSON", 0.01, 0.2)]
    [TestCase("Faust", 0.2, 0.5)]
    [TestCase("HTML", 0.01, 0.2)]
    public void TextCorpora_CompressLikeText(string name, double low, double high)
    {
        var octets = CompressionCorpora.All.Single(c => c.Name == name).Octets.Span;
        ((double)Deflate(octets).Length / octets.Length).Should().BeInRange(low, high);
    }

    [Test]
    public void BinaryMessage_WrapsAroundTheEndOfTheFile()
    {
        var corpus = CompressionCorpora.Bitmap;
        var file = corpus.Octets.ToArray();
        const int size = 65536;
        var index = file.Length / size; // starts at 4·65536 = 262144, 1078 octets before the end
        var message = corpus.Message(index, size).ToArray();
        var start = index * size % file.Length;
        message.AsSpan().SequenceEqual([.. file[start..], .. file[..(size - (file.Length - start))]]).Should().BeTrue("the slice wraps to the start of the file");
        corpus.Message(0, 16).ToArray().Should().Equal(file[..16]);
        corpus.Message(1, 16).ToArray().Should().Equal(file[16..32]);
    }

    [Test]
    public void TextMessage_WrapsAroundTheEndByCharacters_AndNeverSplitsUtf8()
    {
        var corpus = CompressionCorpora.Html;
        var text = StrictUtf8.GetString(corpus.Octets.Span);
        foreach (var size in Rows.Select(r => r.Size).Distinct())
        {
            var crossing = text.Length / size; // the message that crosses the end of the file
            for (var index = Math.Max(0, crossing - 2); index <= crossing + 2; index++)
            {
                var octets = corpus.Message(index, size);
                var message = StrictUtf8.GetString(octets.Span); // throws if a UTF-8 sequence was split
                message.Length.Should().Be(size, $"message {index} of {size} characters");
                var start = (int)((long)index * size % text.Length);
                var expected = start + size <= text.Length
                    ? text.Substring(start, size)
                    : text[start..] + text[..(size - (text.Length - start))];
                message.Should().Be(expected, $"message {index} of {size} characters");
            }
        }
    }

    [Test]
    public void TextMessage_WithNonAscii_IsLongerInOctetsThanCharacters()
    {
        var corpus = CompressionCorpora.Html;
        var text = StrictUtf8.GetString(corpus.Octets.Span);
        var at = text.IndexOf('é', StringComparison.Ordinal);
        var index = at / 16;
        var octets = corpus.Message(index, 16);
        StrictUtf8.GetString(octets.Span).Length.Should().Be(16);
        octets.Length.Should().BeGreaterThan(16);
    }

    private static byte[] Deflate(ReadOnlySpan<byte> octets)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(octets);
        return output.ToArray();
    }

    /// <summary>Inflates a permessage-deflate payload as a receiver does (RFC 7692 §7.2.2): append 00 00 ff ff, then raw inflate.</summary>
    private static byte[] Inflate(ReadOnlySpan<byte> payload)
    {
        using var input = new MemoryStream([.. payload, 0x00, 0x00, 0xFF, 0xFF]);
        using var inflate = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflate.CopyTo(output);
        return output.ToArray();
    }

    // ---------------------------------------------------------------- category 15 (compression framing, beyond Autobahn)

    [Test]
    public void CompressionFraming_HasEightCasesThatAllOfferDeflate()
    {
        var cases = All.Where(c => CategoryOf(c.Id) == "15").ToList();
        cases.Select(c => c.Id).Should().Equal("15.1.1", "15.1.2", "15.2.1", "15.2.2", "15.2.3", "15.3.1", "15.3.2", "15.4.1");
        cases.Should().OnlyContain(c => c.Category == "Compression Framing" && c.Handshake == null);
        cases.Should().OnlyContain(c => c.DeflateOffers != null && c.DeflateOffers.Count == 1);
        cases.Should().OnlyContain(c => c.RfcSections.Any(s => s.StartsWith("RFC 7692 §", StringComparison.Ordinal)));
        cases.Should().OnlyContain(c => c.Stimulus.StartsWith("Offers \"" + Compression.OfferHeader(c.DeflateOffers!) + "\".", StringComparison.Ordinal));
        cases.Should().OnlyContain(c => c.Script.Last() is KillAfter);
        cases.Should().OnlyContain(c => c.ExpectedBehaviour.Contains("FAILED", StringComparison.Ordinal));
        cases.Where(c => c.Id is not ("15.3.1" or "15.3.2"))
            .Should().OnlyContain(c => Compression.OfferHeader(c.DeflateOffers!) == DefaultOffer);
    }

    [Test]
    public void RfcOctets_InflateAsTheCasesClaim()
    {
        Encoding.ASCII.GetString(Inflate(CompressionFraming.CompressedHello.Span)).Should().Be("Hello");
        // 15.2.2: the flushed frame keeps its tail, then the §7.2.3.6 empty fragment 00 ends the message.
        Encoding.ASCII.GetString(Inflate([.. CompressionFraming.CompressedHelloFlushed.Span, .. CompressionFraming.EmptyBlock.Span])).Should().Be("Hello");
        Inflate(CompressionFraming.EmptyBlock.Span).Should().BeEmpty();
    }

    [TestCase("15.1.1")]
    [TestCase("15.1.2")]
    public void CompressedBit_OnAContinuationOrControlFrameMustFail(string id)
    {
        var c = Catalogue.Get(id);
        var frames = c.Script.OfType<SendFrame>().Select(s => s.Frame).ToList();
        frames.Should().OnlyContain(f => f.Rsv == 4, "RSV1 on every frame");
        if (id == "15.1.1")
        {
            frames.Select(f => (f.Opcode, f.Fin)).Should().Equal(((int)Opcode.Text, false), ((int)Opcode.Continuation, true));
            frames.SelectMany(f => f.Payload.ToArray()).Should().Equal(CompressionFraming.CompressedHello.ToArray());
        }
        else
        {
            frames.Should().ContainSingle().Which.Opcode.Should().Be((int)Opcode.Ping);
        }
        c.Script[^1].Should().Be(new KillAfter(TimeSpan.FromSeconds(1)));
        c.Expected.Should().Equal(Outcomes.Nothing);
        c.ExpectedClose.Should().Be(CloseExpectations.FailFastProtocolError);
        c.Rule.Should().Be(VerdictRule.Standard);
        c.Group.Should().Be("Per-message compressed bit");
    }

    [TestCase("15.2.1", "Hello")]
    [TestCase("15.2.2", "Hello")]
    [TestCase("15.2.3", "")]
    public void EmptyFragmentsAndBlocks_AreEchoed(string id, string echo)
    {
        var c = Catalogue.Get(id);
        var frames = c.Script.OfType<SendFrame>().Select(s => s.Frame).ToList();
        frames[0].Opcode.Should().Be((int)Opcode.Text);
        frames[0].Rsv.Should().Be(4);
        frames.Skip(1).Should().NotContain(f => f.Opcode != (int)Opcode.Continuation || f.Rsv != 0, "continuations never carry RSV1");
        frames[^1].Fin.Should().BeTrue();
        frames.Take(frames.Count - 1).Should().NotContain(f => f.Fin);
        Inflate(frames.SelectMany(f => f.Payload.ToArray()).ToArray()).Should().Equal(Encoding.ASCII.GetBytes(echo),
            "the concatenated payloads decompress to the expected echo");
        if (id == "15.2.1") frames[^1].Payload.IsEmpty.Should().BeTrue();
        if (id != "15.2.1") frames[^1].Payload.ToArray().Should().Equal((byte)0x00);
        c.Expected.Should().ContainSingle().Which.Events.Should().ContainSingle().Which.Payload.ToArray().Should().Equal(Encoding.ASCII.GetBytes(echo));
        c.ExpectedClose.Should().Be(CloseExpectations.EchoThenNormalClose);
        c.Script[^1].Should().Be(new KillAfter(TimeSpan.FromSeconds(1)));
    }

    [TestCase("15.3.1", "permessage-deflate; client_max_window_bits", 2)]
    [TestCase("15.3.2", DefaultOffer + "; server_no_context_takeover", 3)]
    public void ContextTakeover_SendsTheSameMessageAgain(string id, string offer, int times)
    {
        var c = Catalogue.Get(id);
        Compression.OfferHeader(c.DeflateOffers!).Should().Be(offer);
        var sends = c.Script.OfType<SendCompressed>().ToList();
        sends.Should().HaveCount(times).And.OnlyContain(s => s.Opcode == Opcode.Text && s.Message.Equals(CompressionFraming.ContextMessage) && !s.EmptyFinalFragment);
        var message = CompressionFraming.ContextMessage.ToArray();
        message.Should().HaveCount(1024).And.OnlyContain(b => b >= 0x20 && b < 0x7F);
        c.Expected.Should().ContainSingle().Which.Events.Should().HaveCount(times)
            .And.OnlyContain(e => e.Kind == EventKind.Message && !e.IsBinary && e.Payload.ToArray().SequenceEqual(message));
        c.ExpectedClose.Should().Be(CloseExpectations.EchoThenNormalClose);
    }

    [Test]
    public void DecompressionBomb_Is16MiBOfZeros_MadeOnFirstUse_AndALimitIsInformational()
    {
        var c = Catalogue.Get("15.4.1");
        var send = Single<SendCompressed>(c);
        send.Opcode.Should().Be(Opcode.Binary);
        send.Message.Length.Should().Be(16 * 1024 * 1024);
        MemoryMarshal.TryGetMemoryManager<byte, MemoryManager<byte>>(send.Message, out _).Should().BeTrue(
            "the 16 MiB are generated on first use, not when the catalogue loads");
        var expected = c.Expected.Should().ContainSingle().Which.Events.Should().ContainSingle().Subject;
        expected.IsBinary.Should().BeTrue();
        expected.Payload.Should().Be(send.Message, "the expected echo is the very same memory");
        send.Message.Span.IndexOfAnyExcept((byte)0).Should().Be(-1);
        Deflate(send.Message.Span).Length.Should().BeLessThan(64 * 1024, "16 MiB of zeros compress more than 1000 to 1");
        c.Rule.Should().Be(VerdictRule.PeerLimitInformational);
        c.ExpectedClose.Should().Be(CloseExpectations.EchoThenNormalClose);
        c.Script[^1].Should().Be(new KillAfter(TimeSpan.FromSeconds(10)));
        c.Group.Should().Be("Decompression limits");
    }
}
