using System.Text;
using FluentAssertions.Equivalency;
using Wsconform.Model;
using Wsconform.Reports.Journal;

namespace Wsconform.Reports.Tests.Journal;

/// <summary>results.jsonl: written as cases finish, read back for --resume, a torn last line tolerated.</summary>
public class RunJournalTests
{
    /// <summary>Every case a sample run has: all verdicts, violations, wire logs, round trips, compression, hostile strings.</summary>
    private static readonly CaseResult[] AllSampleCases =
    [
        SampleRuns.OkCase(), SampleRuns.FailedCase(), SampleRuns.ErrorCase(), SampleRuns.InformationalCase(),
        SampleRuns.PerformanceCase(), SampleRuns.CompressionCase(), SampleRuns.HostileRun().Targets[0].Cases[0] with { Id = "2.6" },
    ];

    private static JournalHeader Header(params JournalTarget[] targets) => new()
    {
        ToolVersion = "0.1.0-test",
        StartedAt = SampleRuns.Start,
        Settings = SampleRuns.Basic().Settings,
        Targets = targets.Length > 0 ? targets : [Target("ws://127.0.0.1:9001/", AllSampleCases.Select(c => c.Id).ToArray())],
    };

    private static JournalTarget Target(string url, string[] ids, bool builtIn = false) => new(url, null, builtIn, null, [], ids);

    /// <summary>Record by record, lists in order; the statistics maps are dictionaries, equal whatever their order.</summary>
    private static EquivalencyAssertionOptions<T> Same<T>(EquivalencyAssertionOptions<T> o) =>
        o.ComparingRecordsByMembers().WithStrictOrdering().WithoutStrictOrderingFor(info => info.Path.Contains("Stats.", StringComparison.Ordinal));

    [Test]
    public async Task Append_ThenRead_GivesTheHeaderAndEquivalentCaseResults()
    {
        using var dir = new TempDirectory();
        var header = Header();

        using (var journal = await RunJournal.StartAsync(dir.Path, header))
        {
            foreach (var result in AllSampleCases)
                journal.Append(0, result).Should().BeTrue();
        }
        var read = JournalReader.Read(dir.Combine(RunJournal.FileName));

        read.Header.Should().BeEquivalentTo(header, Same);
        read.Entries.Select(e => e.Target).Should().OnlyContain(t => t == 0);
        read.Entries.Select(e => e.Result).Should().BeEquivalentTo(AllSampleCases, Same);
        read.TornLastLine.Should().BeFalse();
        read.CompleteLength.Should().Be(new FileInfo(dir.Combine(RunJournal.FileName)).Length);
        File.ReadAllLines(dir.Combine(RunJournal.FileName)).Should().HaveCount(1 + AllSampleCases.Length, "one line per record");
    }

    [Test]
    public async Task CaseLine_IsTheResultsJsonCaseObject()
    {
        using var dir = new TempDirectory();
        using (var journal = await RunJournal.StartAsync(dir.Path, Header()))
            journal.Append(0, SampleRuns.FailedCase());
        await new JsonReportWriter().WriteAsync(SampleRuns.WithCases(SampleRuns.FailedCase()), dir.Path);

        using var line = System.Text.Json.JsonDocument.Parse(File.ReadAllLines(dir.Combine(RunJournal.FileName))[1]);
        using var results = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(dir.Combine("results.json")));
        var fromJournal = line.RootElement.GetProperty("case").GetRawText();
        var fromResults = results.RootElement.GetProperty("targets")[0].GetProperty("cases")[0].GetRawText();
        Normalise(fromJournal).Should().Be(Normalise(fromResults), "the journal writes a case exactly as results.json does, only unindented");

        static string Normalise(string json) => System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(json).RootElement);
    }

    [Test]
    public async Task Read_TornLastLine_IsIgnoredAndSaidSo()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(RunJournal.FileName);
        using (var journal = await RunJournal.StartAsync(dir.Path, Header()))
        {
            journal.Append(0, SampleRuns.OkCase());
            journal.Append(0, SampleRuns.FailedCase());
        }
        var complete = new FileInfo(path).Length;
        // What a process killed in the middle of its write leaves: the start of a line, no line break.
        var third = Encoding.UTF8.GetBytes(File.ReadAllLines(path)[2]);
        await using (var append = new FileStream(path, FileMode.Append))
            await append.WriteAsync(third.AsMemory(0, third.Length / 2));

        var read = JournalReader.Read(path);

        read.TornLastLine.Should().BeTrue();
        read.CompleteLength.Should().Be(complete);
        read.Entries.Select(e => e.Result.Id).Should().Equal("1.1.1", "2.5");
    }

    [Test]
    public async Task Continue_CutsTheTornLineOff_ThenAppends()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(RunJournal.FileName);
        using (var journal = await RunJournal.StartAsync(dir.Path, Header()))
            journal.Append(0, SampleRuns.OkCase());
        await File.AppendAllTextAsync(path, "{\"target\":0,\"case\":{\"id\":\"2.");

        using (var journal = RunJournal.Continue(dir.Path, JournalReader.Read(path)))
            journal.Append(0, SampleRuns.FailedCase()).Should().BeTrue();
        var read = JournalReader.Read(path);

        read.TornLastLine.Should().BeFalse("the torn line was cut off before the new one");
        read.Entries.Select(e => e.Result.Id).Should().Equal("1.1.1", "2.5");
    }

    [Test]
    public async Task StartAsync_ReplacesAnEarlierJournal()
    {
        using var dir = new TempDirectory();
        using (var journal = await RunJournal.StartAsync(dir.Path, Header()))
            journal.Append(0, SampleRuns.OkCase());

        using (await RunJournal.StartAsync(dir.Path, Header() with { ToolVersion = "second" }))
        {
        }
        var read = JournalReader.Read(dir.Combine(RunJournal.FileName));

        read.Header.ToolVersion.Should().Be("second");
        read.Entries.Should().BeEmpty("a new run starts a fresh journal");
        dir.FileNames().Should().Equal(RunJournal.FileName);
    }

    [Test]
    public async Task Append_FromManyThreadsAtOnce_KeepsEveryLineWhole()
    {
        using var dir = new TempDirectory();
        var ids = Enumerable.Range(1, 200).Select(i => $"1.1.{i}").ToArray();
        using (var journal = await RunJournal.StartAsync(dir.Path, Header(Target("ws://a/", ids))))
        {
            // A large case (a long wire log) makes each write long enough for writes to overlap if they could.
            var template = SampleRuns.Large(1, 500).Targets[0].Cases[0];
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, (id, _) =>
            {
                journal.Append(0, template with { Id = id }).Should().BeTrue();
                return ValueTask.CompletedTask;
            });
        }

        var read = JournalReader.Read(dir.Combine(RunJournal.FileName));

        read.Entries.Select(e => e.Result.Id).Should().BeEquivalentTo(ids);
        read.Entries.Should().OnlyContain(e => e.Result.WireLog.Count == 500);
    }

    [Test]
    public async Task Append_AfterDispose_IsRefused()
    {
        using var dir = new TempDirectory();
        var journal = await RunJournal.StartAsync(dir.Path, Header());
        journal.Dispose();

        journal.Append(0, SampleRuns.OkCase()).Should().BeFalse("a case that ends after its run was abandoned is not recorded");
        JournalReader.Read(dir.Combine(RunJournal.FileName)).Entries.Should().BeEmpty();
    }

    [TestCase("", "the file is empty")]
    [TestCase("{\"schema\":\"wsconform-jour", "line 1: the header line is incomplete")]
    [TestCase("{\"schema\":\"wsconform-results\",\"schemaVersion\":1}\n", "line 1: not a wsconform journal header")]
    public void Read_NotAJournal_IsOneLineNamingTheFile(string content, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(RunJournal.FileName);
        File.WriteAllText(path, content);

        var act = () => JournalReader.Read(path);

        act.Should().Throw<InvalidDataException>().Which.Message.Should().StartWith($"{path}: {problem}").And.NotContain("\n");
    }

    [Test]
    public async Task Read_DamagedLineInTheMiddle_IsAnErrorNamingTheLine()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(RunJournal.FileName);
        using (var journal = await RunJournal.StartAsync(dir.Path, Header()))
        {
            journal.Append(0, SampleRuns.OkCase());
            journal.Append(0, SampleRuns.FailedCase());
        }
        var lines = File.ReadAllLines(path);
        lines[1] = lines[1][..20];
        File.WriteAllText(path, string.Join('\n', lines) + "\n");

        var act = () => JournalReader.Read(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: line 2: not a case line*", "only the last line can be torn by a crash");
    }

    [Test]
    public async Task Read_CaseOfAnUnknownTargetOrTwice_IsAnError()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(RunJournal.FileName);
        using (var journal = await RunJournal.StartAsync(dir.Path, Header()))
        {
            journal.Append(0, SampleRuns.OkCase());
            journal.Append(0, SampleRuns.OkCase());
        }
        FluentActions.Invoking(() => JournalReader.Read(path)).Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: line 3: case 1.1.1 of target 0 is already on line 2");

        using (var journal = await RunJournal.StartAsync(dir.Path, Header()))
            journal.Append(1, SampleRuns.OkCase());
        FluentActions.Invoking(() => JournalReader.Read(path)).Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: line 2: target 1 is not in the header (1 target(s))");

        using (var journal = await RunJournal.StartAsync(dir.Path, Header(Target("ws://a/", ["9.9.9"]))))
            journal.Append(0, SampleRuns.OkCase());
        FluentActions.Invoking(() => JournalReader.Read(path)).Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: line 2: case 1.1.1 is not selected for target 0 in the header");
    }
}
