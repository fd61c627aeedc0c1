using System.Text;
using System.Text.Json;
using Wsconform.Model;

namespace Wsconform.Reports.Tests;

public class JsonReportWriterTests
{
    private static async Task<string> WriteJsonAsync(RunResult run, TempDirectory dir)
    {
        var path = await new JsonReportWriter().WriteAsync(run, dir.Path);
        return await File.ReadAllTextAsync(path);
    }

    /// <summary>Record by record, lists in order; the statistics maps are dictionaries, equal whatever their order.</summary>
    private static FluentAssertions.Equivalency.EquivalencyAssertionOptions<RunResult> Same(FluentAssertions.Equivalency.EquivalencyAssertionOptions<RunResult> o) =>
        o.ComparingRecordsByMembers().WithStrictOrdering().WithoutStrictOrderingFor(info => info.Path.Contains(".Stats.", StringComparison.Ordinal));

    private static RunResult ReadString(string json) => ResultsJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Test]
    public async Task WriteAsync_ThenReadFile_GivesAnEquivalentModel()
    {
        using var dir = new TempDirectory();
        var run = SampleRuns.Basic();

        var path = await new JsonReportWriter().WriteAsync(run, dir.Path);
        var back = ResultsJson.ReadFile(path);

        path.Should().Be(dir.Combine("results.json"));
        back.Should().BeEquivalentTo(run, Same);
    }

    [Test]
    public async Task WriteAsync_HostileStrings_RoundTripUnchanged()
    {
        using var dir = new TempDirectory();
        var run = SampleRuns.HostileRun();

        var back = ReadString(await WriteJsonAsync(run, dir));

        back.Should().BeEquivalentTo(run, Same);
    }

    [Test]
    public async Task WriteAsync_SubMillisecondStartTime_RoundTripsExactly()
    {
        using var dir = new TempDirectory();
        var run = SampleRuns.Basic();

        var back = ReadString(await WriteJsonAsync(run, dir));

        var started = run.Targets[0].Cases[1].Started;
        (started.Ticks % TimeSpan.TicksPerMillisecond).Should().NotBe(0, "the sample is meant to carry sub-millisecond ticks");
        back.Targets[0].Cases[1].Started.Should().Be(started);
        back.Targets[0].Cases[1].Started.Offset.Should().Be(TimeSpan.Zero);
    }

    [Test]
    public async Task WriteAsync_Root_HasSchemaNameAndVersionFirst()
    {
        using var dir = new TempDirectory();
        using var doc = JsonDocument.Parse(await WriteJsonAsync(SampleRuns.Basic(), dir));

        var first = doc.RootElement.EnumerateObject().Take(2).Select(p => p.Name).ToArray();
        first.Should().Equal("schema", "schemaVersion");
        doc.RootElement.GetProperty("schema").GetString().Should().Be("wsconform-results");
        doc.RootElement.GetProperty("schemaVersion").GetInt32().Should().Be(RunResult.CurrentSchemaVersion).And.Be(1);
    }

    [Test]
    public async Task WriteAsync_Keys_AreCamelCaseAndTimesAreUtcIso8601()
    {
        using var dir = new TempDirectory();
        var json = await WriteJsonAsync(SampleRuns.Basic(), dir);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        root.GetProperty("toolVersion").GetString().Should().Be("0.1.0-test");
        root.GetProperty("startedAt").GetString().Should().Be("2025-01-02T03:04:05.678Z");
        root.GetProperty("finishedAt").GetString().Should().Be("2025-01-02T03:04:18.023Z");
        root.GetProperty("settings").GetProperty("parallel").GetInt32().Should().Be(4);
        var target = root.GetProperty("targets")[0];
        target.GetProperty("url").GetString().Should().Be("ws://127.0.0.1:9001/echo?x=1");
        target.GetProperty("serverHeader").GetString().Should().Be("EchoServer/1.0 (Linux)");
        target.GetProperty("builtIn").GetBoolean().Should().BeFalse();
        target.GetProperty("runPhaseMs").GetDouble().Should().Be(4321);
        var failed = target.GetProperty("cases")[1];
        failed.GetProperty("id").GetString().Should().Be("2.5");
        failed.GetProperty("group").ValueKind.Should().Be(JsonValueKind.Null, "absent values are written as null, keys stay stable");
        failed.GetProperty("started").GetString().Should().Be("2025-01-02T03:04:05.6981234Z");
        failed.GetProperty("close").GetProperty("remoteCloseCode").GetInt32().Should().Be(1000);
        failed.GetProperty("expectedClose").GetProperty("closeCodes")[0].GetInt32().Should().Be(1002);
        failed.GetProperty("violations")[0].GetProperty("rfcSection").GetString().Should().Be("RFC 6455 §5.5");
        var frameOut = failed.GetProperty("wireLog")[1];
        frameOut.GetProperty("kind").GetString().Should().Be("frameOut");
        frameOut.GetProperty("declaredLength").GetUInt64().Should().Be(ulong.MaxValue);
        failed.GetProperty("wireLog")[0].TryGetProperty("opcode", out _).Should().BeFalse("wire-log entries omit fields their kind does not have");
        failed.GetProperty("received")[0].GetProperty("kind").GetString().Should().Be("pong");
        json.Should().Contain("\u00fe\u00fe\u00fe", "non-ASCII previews stay readable");
        json.Should().Contain("\n  \"schemaVersion\"", "the file is indented");
    }

    private static readonly (Behavior Value, string Text)[] BehaviorStrings =
    [
        (Behavior.Ok, "OK"), (Behavior.NonStrict, "NON-STRICT"), (Behavior.Failed, "FAILED"),
        (Behavior.Informational, "INFORMATIONAL"), (Behavior.Unimplemented, "UNIMPLEMENTED"), (Behavior.Error, "ERROR"),
    ];

    private static readonly (CloseBehavior Value, string Text)[] CloseStrings =
    [
        (CloseBehavior.Ok, "OK"), (CloseBehavior.Failed, "FAILED"), (CloseBehavior.WrongCode, "WRONG CODE"),
        (CloseBehavior.Unclean, "UNCLEAN"), (CloseBehavior.FailedByClient, "FAILED BY CLIENT"),
        (CloseBehavior.Informational, "INFORMATIONAL"), (CloseBehavior.Error, "ERROR"),
    ];

    [Test]
    public async Task WriteAsync_Verdicts_AreAutobahnsStrings()
    {
        BehaviorStrings.Select(b => b.Value).Should().BeEquivalentTo(Enum.GetValues<Behavior>(), "the table covers every verdict");
        CloseStrings.Select(b => b.Value).Should().BeEquivalentTo(Enum.GetValues<CloseBehavior>());
        var pairs = BehaviorStrings.SelectMany(b => CloseStrings.Select(c => (b, c))).ToArray();
        using var dir = new TempDirectory();

        using var doc = JsonDocument.Parse(await WriteJsonAsync(SampleRuns.WithVerdicts(pairs.Select(p => (p.b.Value, p.c.Value))), dir));

        var cases = doc.RootElement.GetProperty("targets")[0].GetProperty("cases").EnumerateArray().ToArray();
        cases.Should().HaveCount(pairs.Length);
        for (var i = 0; i < pairs.Length; i++)
        {
            cases[i].GetProperty("behavior").GetString().Should().Be(pairs[i].b.Text);
            cases[i].GetProperty("behaviorClose").GetString().Should().Be(pairs[i].c.Text);
        }
        doc.RootElement.GetProperty("targets")[0].GetProperty("cases")[0].GetProperty("expected")[0].GetProperty("verdict").GetString().Should().Be("OK");
    }

    [Test]
    public async Task Read_UnknownSchemaVersion_IsRejectedWithOneLineMessage()
    {
        using var dir = new TempDirectory();
        var json = (await WriteJsonAsync(SampleRuns.Basic(), dir)).Replace("\"schemaVersion\": 1,", "\"schemaVersion\": 99,");

        var act = () => ReadString(json);

        act.Should().Throw<InvalidDataException>()
            .Which.Message.Should().Contain("unsupported schemaVersion 99").And.Contain("schemaVersion 1").And.NotContain("\n");
    }

    [Test]
    public async Task ReadFile_UnknownSchemaVersion_MessageNamesTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("old.json");
        await File.WriteAllTextAsync(path, (await WriteJsonAsync(SampleRuns.Basic(), dir)).Replace("\"schemaVersion\": 1,", "\"schemaVersion\": 2,"));

        var act = () => ResultsJson.ReadFile(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: unsupported schemaVersion 2*");
    }

    [TestCase("", "the file is empty")]
    [TestCase(" \r\n", "the file is empty")]
    [TestCase("{", "malformed JSON")]
    [TestCase("not json", "malformed JSON")]
    [TestCase("[1, 2]", "top level")]
    [TestCase("{\"schemaVersion\": 1}", "not a wsconform results file")]
    [TestCase("{\"schema\": \"autobahn\", \"schemaVersion\": 1}", "not a wsconform results file")]
    [TestCase("{\"schema\": \"wsconform-results\"}", "schemaVersion\" is missing")]
    [TestCase("{\"schema\": \"wsconform-results\", \"schemaVersion\": \"1\"}", "unsupported schemaVersion not an integer")]
    [TestCase("{\"schema\": \"wsconform-results\", \"schemaVersion\": 1}", "missing required properties")]
    [TestCase("{\"schema\": \"wsconform-results\", \"schemaVersion\": 1, \"toolVersion\": 3}", "toolVersion")]
    public void Read_MalformedDocument_ThrowsInvalidDataException(string json, string messagePart)
    {
        var act = () => ReadString(json);

        act.Should().Throw<InvalidDataException>()
            .Which.Message.Should().Contain(messagePart).And.NotContain("\n").And.NotContain("\r");
    }

    [Test]
    public async Task Read_TruncatedFile_ThrowsInvalidDataException()
    {
        using var dir = new TempDirectory();
        var json = await WriteJsonAsync(SampleRuns.Basic(), dir);

        var act = () => ReadString(json[..(json.Length / 2)]);

        act.Should().Throw<InvalidDataException>().WithMessage("*malformed JSON*");
    }

    [Test]
    public async Task Read_UnknownVerdict_NamesTheCaseAndTheValue()
    {
        using var dir = new TempDirectory();
        var json = (await WriteJsonAsync(SampleRuns.Basic(), dir)).Replace("\"behavior\": \"FAILED\"", "\"behavior\": \"MAYBE\"");

        var act = () => ReadString(json);

        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("case 2.5").And.Contain("'MAYBE'");
    }

    [Test]
    public async Task Read_NullForARequiredList_ThrowsInvalidDataException()
    {
        using var dir = new TempDirectory();
        var json = (await WriteJsonAsync(SampleRuns.Basic(), dir)).Replace("\"violations\": []", "\"violations\": null");

        var act = () => ReadString(json);

        act.Should().Throw<InvalidDataException>();
    }

    [Test]
    public async Task Read_WithByteOrderMarkAndUnknownExtraKeys_Succeeds()
    {
        using var dir = new TempDirectory();
        var json = (await WriteJsonAsync(SampleRuns.Basic(), dir)).Replace("\"toolVersion\":", "\"addedLater\": {\"x\": [1]}, \"toolVersion\":");
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json)).ToArray();

        var back = ResultsJson.Read(new MemoryStream(bytes));

        back.ToolVersion.Should().Be("0.1.0-test");
    }

    // ---------------------------------------------------------------- wire statistics and round trips

    private static JsonElement CaseElement(JsonDocument doc, int index) => doc.RootElement.GetProperty("targets")[0].GetProperty("cases")[index];

    private static (string Key, int Count)[] Entries(JsonElement map) => map.EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())).ToArray();

    [Test]
    public async Task WriteAsync_Stats_AreAutobahnsFourMapsWithNumericallySortedKeys()
    {
        using var dir = new TempDirectory();
        using var doc = JsonDocument.Parse(await WriteJsonAsync(SampleRuns.Basic(), dir));

        var stats = CaseElement(doc, 0).GetProperty("stats");

        stats.EnumerateObject().Select(p => p.Name).Should().Equal("txFrameStats", "rxFrameStats", "txOctetStats", "rxOctetStats");
        Entries(stats.GetProperty("txFrameStats")).Should().Equal(("1", 1), ("8", 1));
        Entries(stats.GetProperty("rxFrameStats")).Should().Equal(("1", 1), ("8", 1));
        Entries(stats.GetProperty("txOctetStats")).Should().Equal(("6", 1), ("8", 1), ("240", 1));
        Entries(stats.GetProperty("rxOctetStats")).Should().Equal([("2", 1), ("4", 1), ("10", 2), ("129", 1)], "numeric order, not string order");
        var empty = CaseElement(doc, 2).GetProperty("stats");
        empty.EnumerateObject().Should().HaveCount(4).And.OnlyContain(p => p.Value.ValueKind == JsonValueKind.Object && !p.Value.EnumerateObject().Any());
    }

    [Test]
    public async Task WriteAsync_RoundTrips_HaveCountsPercentilesAndEverySampleInOrder()
    {
        using var dir = new TempDirectory();
        using var doc = JsonDocument.Parse(await WriteJsonAsync(SampleRuns.Basic(), dir));

        var rt = CaseElement(doc, 0).GetProperty("roundTrips");

        rt.EnumerateObject().Select(p => p.Name).Should().Equal("requested", "completed", "minMs", "medianMs", "p99Ms", "maxMs", "samplesMs");
        rt.GetProperty("requested").GetInt32().Should().Be(6);
        rt.GetProperty("completed").GetInt32().Should().Be(5);
        rt.GetProperty("minMs").GetDouble().Should().Be(0.0768);
        rt.GetProperty("medianMs").GetDouble().Should().Be(0.0812);
        rt.GetProperty("p99Ms").GetDouble().Should().Be(1.2049);
        rt.GetProperty("maxMs").GetDouble().Should().Be(1.2049);
        rt.GetProperty("samplesMs").EnumerateArray().Select(e => e.GetDouble()).Should().Equal(0.0812, 0.0795, 0.3104, 0.0768, 1.2049);
        CaseElement(doc, 1).GetProperty("roundTrips").ValueKind.Should().Be(JsonValueKind.Null, "the key is written, null, for cases that are no trial");
    }

    [Test]
    public async Task WriteAsync_PerformanceTrials_RoundTripEverySampleExactly()
    {
        using var dir = new TempDirectory();
        var odd = SampleRuns.PerformanceCase() with
        {
            Id = "9.8.6",
            RoundTrips = new RoundTripStats(1000, 3, [0.1 + 0.2, 1e-7, 123456.7891]),
        };
        var run = SampleRuns.WithCases(SampleRuns.PerformanceCase(), SampleRuns.PerformanceCase(requested: 1000, samples: 0) with { Id = "9.7.2" }, odd);

        var json = await WriteJsonAsync(run, dir);
        var back = ReadString(json);

        back.Should().BeEquivalentTo(run, Same);
        back.Targets[0].Cases[0].RoundTrips!.SamplesMs.Should().HaveCount(1000);
        back.Targets[0].Cases[2].RoundTrips!.SamplesMs.Should().Equal(0.1 + 0.2, 1e-7, 123456.7891);
        using var doc = JsonDocument.Parse(json);
        var none = CaseElement(doc, 1).GetProperty("roundTrips");
        none.GetProperty("completed").GetInt32().Should().Be(0);
        foreach (var key in new[] { "minMs", "medianMs", "p99Ms", "maxMs" })
        {
            none.GetProperty(key).ValueKind.Should().Be(JsonValueKind.Null, $"{key} has no value without samples");
        }
        none.GetProperty("samplesMs").GetArrayLength().Should().Be(0);
    }

    [Test]
    public async Task Read_FileWrittenBeforeStatsExisted_GivesEmptyStatsAndNoRoundTrips()
    {
        using var dir = new TempDirectory();
        var run = SampleRuns.Basic();
        var root = System.Text.Json.Nodes.JsonNode.Parse(await WriteJsonAsync(run, dir))!;
        foreach (var c in root["targets"]![0]!["cases"]!.AsArray())
        {
            c!.AsObject().Remove("stats").Should().BeTrue();
            c.AsObject().Remove("roundTrips").Should().BeTrue();
            c.AsObject().Remove("compression").Should().BeTrue();
        }

        var back = ReadString(root.ToJsonString());

        back.Targets[0].Cases.Should().AllSatisfy(c =>
        {
            c.RoundTrips.Should().BeNull();
            c.Compression.Should().BeNull();
            c.Stats.Should().NotBeNull();
            c.Stats.FramesSentByOpcode.Should().BeEmpty();
            c.Stats.FramesReceivedByOpcode.Should().BeEmpty();
            c.Stats.WritesBySize.Should().BeEmpty();
            c.Stats.ReadsBySize.Should().BeEmpty();
        });
        var withoutNewFields = run with
        {
            Targets = [run.Targets[0] with { Cases = run.Targets[0].Cases.Select(c => c with { Stats = new WireStats(), RoundTrips = null }).ToArray() }],
        };
        back.Should().BeEquivalentTo(withoutNewFields, Same);
    }

    [TestCase("\"240\": 1", "\"big\": 1", "stats.txOctetStats")]
    [TestCase("\"240\": 1", "\"-240\": 1", "stats.txOctetStats")]
    [TestCase("\"240\": 1", "\"240\": -1", "stats.txOctetStats")]
    [TestCase("\"240\": 1", "\"240\": 1.5", "stats.txOctetStats")]
    [TestCase("\"txFrameStats\": {", "\"x\": {", "txFrameStats")]
    [TestCase("\"stats\": {", "\"stats\": null, \"x\": {", "stats")]
    [TestCase("\"requested\": 6,", "", "requested")]
    public async Task Read_DamagedStatsOrRoundTrips_ThrowsInvalidDataException(string find, string replace, string messagePart)
    {
        using var dir = new TempDirectory();
        var json = await WriteJsonAsync(SampleRuns.Basic(), dir);
        json.Should().Contain(find);
        json = ReplaceFirst(json, find, replace);

        var act = () => ReadString(json);

        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(messagePart).And.NotContain("\n");
    }

    // ---------------------------------------------------------------- compression

    private static RunResult CompressionRun() => SampleRuns.WithCases(
        SampleRuns.CompressionCase(),
        SampleRuns.CompressionCase() with { Id = "12.1.3", Compression = new CompressionStats("permessage-deflate", 0, 0, 0, 0) },
        SampleRuns.CompressionCase() with
        {
            Id = "15.1.1",
            Compression = new CompressionStats("permessage-deflate; server_no_context_takeover", 5, 7, long.MaxValue, 1),
        },
        SampleRuns.UnimplementedCase());

    [Test]
    public async Task WriteAsync_Compression_RoundTripsThroughTheReader()
    {
        using var dir = new TempDirectory();
        var run = CompressionRun();

        var back = ReadString(await WriteJsonAsync(run, dir));

        back.Should().BeEquivalentTo(run, Same);
        var z = back.Targets[0].Cases[0].Compression!;
        z.Should().Be(new CompressionStats(SampleRuns.Agreement, 16_000, 7_296, 16_000, 1_968));
        z.RatioIn.Should().Be(0.123);
        z.RatioOut.Should().Be(0.456);
        back.Targets[0].Cases[2].Compression!.ReceivedOctets.Should().Be(long.MaxValue);
        back.Targets[0].Cases[3].Compression.Should().BeNull("a peer that declined compression has no figures");
    }

    [Test]
    public async Task WriteAsync_Compression_IsTheAgreementTheOctetsBothWaysAndTheDerivedRatios()
    {
        using var dir = new TempDirectory();
        using var doc = JsonDocument.Parse(await WriteJsonAsync(CompressionRun(), dir));

        var z = CaseElement(doc, 0).GetProperty("compression");

        z.EnumerateObject().Select(p => p.Name).Should().Equal(
            "agreement", "sentOctets", "sentCompressedOctets", "receivedOctets", "receivedCompressedOctets", "ratioIn", "ratioOut");
        z.GetProperty("agreement").GetString().Should().Be(SampleRuns.Agreement);
        z.GetProperty("sentOctets").GetInt64().Should().Be(16_000);
        z.GetProperty("sentCompressedOctets").GetInt64().Should().Be(7_296);
        z.GetProperty("receivedOctets").GetInt64().Should().Be(16_000);
        z.GetProperty("receivedCompressedOctets").GetInt64().Should().Be(1_968);
        z.GetProperty("ratioIn").GetDouble().Should().Be(0.123);
        z.GetProperty("ratioOut").GetDouble().Should().Be(0.456);
        var none = CaseElement(doc, 1).GetProperty("compression");
        none.GetProperty("ratioIn").ValueKind.Should().Be(JsonValueKind.Null, "nothing was received compressed");
        none.GetProperty("ratioOut").ValueKind.Should().Be(JsonValueKind.Null, "nothing was sent compressed");
        CaseElement(doc, 3).GetProperty("compression").ValueKind.Should().Be(JsonValueKind.Null, "the key is written, null, without compression");
    }

    [Test]
    public async Task Read_CompressionRatiosInTheFile_AreRecomputedFromTheOctets()
    {
        using var dir = new TempDirectory();
        var json = (await WriteJsonAsync(CompressionRun(), dir)).Replace("\"ratioOut\": 0.456", "\"ratioOut\": 9");

        var back = ReadString(json);

        back.Targets[0].Cases[0].Compression!.RatioOut.Should().Be(0.456);
    }

    [TestCase("\"sentOctets\": 16000", "\"sentOctets\": -1", "compression.sentOctets")]
    [TestCase("\"receivedCompressedOctets\": 1968", "\"receivedCompressedOctets\": -5", "compression.receivedCompressedOctets")]
    [TestCase("\"receivedOctets\": 16000", "\"receivedOctets\": 1.5", "receivedOctets")]
    [TestCase("\"agreement\": \"permessage-deflate; client_max_window_bits=15\"", "\"agreement\": null", "agreement")]
    [TestCase("\"agreement\": \"permessage-deflate; client_max_window_bits=15\",", "", "agreement")]
    public async Task Read_DamagedCompression_ThrowsInvalidDataException(string find, string replace, string messagePart)
    {
        using var dir = new TempDirectory();
        var json = await WriteJsonAsync(CompressionRun(), dir);
        json.Should().Contain(find);
        json = ReplaceFirst(json, find, replace);

        var act = () => ReadString(json);

        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(messagePart).And.NotContain("\n");
    }

    [Test]
    public async Task WriteAsync_Interrupted_IsTheFinishedAndSelectedCountsAndRoundTrips()
    {
        using var dir = new TempDirectory();
        var run = SampleRuns.Basic() with { Interrupted = new RunInterruption(SelectedCases: 10) };

        var json = await WriteJsonAsync(run, dir);
        using var doc = JsonDocument.Parse(json);
        var back = ReadString(json);

        var interrupted = doc.RootElement.GetProperty("interrupted");
        interrupted.GetProperty("finishedCases").GetInt32().Should().Be(4);
        interrupted.GetProperty("selectedCases").GetInt32().Should().Be(10);
        back.Interrupted.Should().Be(new RunInterruption(10));
        back.Should().BeEquivalentTo(run, Same);
    }

    [Test]
    public async Task WriteAsync_CompleteRun_WritesInterruptedAsNull()
    {
        using var dir = new TempDirectory();
        using var doc = JsonDocument.Parse(await WriteJsonAsync(SampleRuns.Basic(), dir));

        doc.RootElement.GetProperty("interrupted").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Test]
    public async Task Read_FileWrittenBeforeInterruptedExisted_IsComplete()
    {
        using var dir = new TempDirectory();
        var root = System.Text.Json.Nodes.JsonNode.Parse(await WriteJsonAsync(SampleRuns.Basic() with { Interrupted = new RunInterruption(10) }, dir))!;
        root.AsObject().Remove("interrupted").Should().BeTrue();

        var back = ReadString(root.ToJsonString());

        back.Interrupted.Should().BeNull();
        back.Should().BeEquivalentTo(SampleRuns.Basic(), Same);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return text[..at] + replace + text[(at + find.Length)..];
    }
}
