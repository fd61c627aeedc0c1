using System.Diagnostics;
using System.Text.Json;
using Wsconform.Model;
using Wsconform.Reports.Autobahn;

namespace Wsconform.Reports.Tests.Formats;

[TestFixture]
public sealed class AutobahnReportWriterTests
{
    [TestCase("AutobahnPython/0.6.0", "autobahnpython_0_6_0")]
    [TestCase("EchoServer/1.0", "echoserver_1_0")]
    [TestCase("  My Server (Linux) ", "my_server__linux")]
    public void AgentFileName_FollowsAutobahnsRule(string agent, string expected) =>
        AutobahnReportWriter.AgentFileName(agent).Should().Be(expected);

    [Test]
    public async Task Writes_IndexAndOneFilePerCase_WithAutobahnsKeys()
    {
        using var dir = new TempDirectory();
        var run = SampleRuns.Basic();
        var path = await new AutobahnReportWriter().WriteAsync(run, dir.Path);

        path.Should().Be(dir.Combine("index.json"));
        dir.FileNames().Should().Equal("echoserver_1_0_case_1_1_1.json", "echoserver_1_0_case_2_5.json", "echoserver_1_0_case_7_13_1.json",
            "echoserver_1_0_case_7_1_1.json", "index.json");
        var text = await File.ReadAllTextAsync(path);
        text.Should().StartWith("{\n   \"EchoServer/1.0\": {\n      \"1.1.1\": {\n         \"behavior\": \"OK\",");
        using var index = JsonDocument.Parse(text);
        var failed = index.RootElement.GetProperty("EchoServer/1.0").GetProperty("2.5");
        failed.GetProperty("behaviorClose").GetString().Should().Be("WRONG CODE");
        failed.GetProperty("duration").ValueKind.Should().Be(JsonValueKind.Number);
        failed.GetProperty("reportfile").GetString().Should().Be("echoserver_1_0_case_2_5.json");

        using var caseFile = JsonDocument.Parse(await File.ReadAllTextAsync(dir.Combine("echoserver_1_0_case_2_5.json")));
        var names = caseFile.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        names.Should().BeInAscendingOrder(StringComparer.Ordinal).And.HaveCount(39, "catalogue §4.3 lists 39 keys");
        caseFile.RootElement.GetProperty("id").GetString().Should().Be("2.5");
        caseFile.RootElement.GetProperty("isServer").GetBoolean().Should().BeFalse();
    }

    [Test]
    public async Task WritingAgain_ReplacesEachCaseFileInsteadOfRewritingItInPlace()
    {
        using var dir = new TempDirectory();
        await new AutobahnReportWriter().WriteAsync(SampleRuns.Basic(), dir.Path);
        var caseFile = dir.Combine("echoserver_1_0_case_2_5.json");
        var before = await File.ReadAllTextAsync(caseFile);
        // A reader that has the file open while the next run writes: a replaced file keeps its content for that reader,
        // a file rewritten in place would be truncated under it (what a run killed mid-write would leave behind).
        await using var reader = new FileStream(caseFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        await new AutobahnReportWriter().WriteAsync(SampleRuns.WithCases(SampleRuns.FailedCase() with { Result = "second run" }), dir.Path);

        using (var old = new StreamReader(reader))
            (await old.ReadToEndAsync()).Should().Be(before);
        (await File.ReadAllTextAsync(caseFile)).Should().Contain("second run");
        dir.FileNames().Should().NotContain(name => name.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Test]
    public void CaseReport_OfACompressionCase_HasTrafficStatsWithAutobahnsCompressionKeys()
    {
        var target = SampleRuns.WithCases(SampleRuns.CompressionCase()).Targets[0];

        var report = AutobahnReportWriter.CaseReport(target, SampleRuns.CompressionCase(), 1);
        var declined = AutobahnReportWriter.CaseReport(target, SampleRuns.UnimplementedCase(), 2);
        var plain = AutobahnReportWriter.CaseReport(target, SampleRuns.OkCase(), 3);

        report["reportCompressionRatio"]!.GetValue<bool>().Should().BeTrue();
        var traffic = report["trafficStats"]!.AsObject();
        traffic.Select(p => p.Key).Should().BeEquivalentTo(
            "incomingCompressionRatio", "incomingOctetsAppLevel", "incomingOctetsWebSocketLevel",
            "outgoingCompressionRatio", "outgoingOctetsAppLevel", "outgoingOctetsWebSocketLevel");
        traffic["incomingCompressionRatio"]!.GetValue<double>().Should().Be(0.123);
        traffic["outgoingCompressionRatio"]!.GetValue<double>().Should().Be(0.456);
        traffic["incomingOctetsAppLevel"]!.GetValue<long>().Should().Be(16_000);
        traffic["incomingOctetsWebSocketLevel"]!.GetValue<long>().Should().Be(1_968);
        traffic["outgoingOctetsAppLevel"]!.GetValue<long>().Should().Be(16_000);
        traffic["outgoingOctetsWebSocketLevel"]!.GetValue<long>().Should().Be(7_296);
        declined["trafficStats"].Should().BeNull("a peer that declined compression has no traffic statistics");
        plain["trafficStats"].Should().BeNull();
        var text = System.Text.Encoding.UTF8.GetString(AutobahnReportWriter.Serialize(report));
        text.Should().Contain("\"trafficStats\": {\n      \"incomingCompressionRatio\": 0.123,\n      \"incomingOctetsAppLevel\": 16000,", "nested keys are sorted too");
    }

    [Test]
    public async Task AReaderThatKnowsOnlyAutobahnsLayout_ReadsOursUnchanged()
    {
        using var dir = new TempDirectory();
        var run = SampleRuns.Basic();
        var deflate = new TargetResult
        {
            Target = new TargetInfo("ws://127.0.0.1:9002/", "Deflate/1.0", null),
            RunPhaseMs = 1,
            Cases = [SampleRuns.CompressionCase(), SampleRuns.UnimplementedCase(), SampleRuns.CompressionCase() with
            {
                Id = "12.1.3",
                Compression = new CompressionStats("permessage-deflate", 100, 45, 0, 0),
            }],
        };
        run = run with { Targets = [.. run.Targets, SampleRuns.HostileRun().Targets[0], deflate] };
        await new AutobahnReportWriter().WriteAsync(run, dir.Path);

        var script = Path.Combine(AppContext.BaseDirectory, "Resources", "autobahn_reader.py");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(dir.Path);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("python3 not found: the Autobahn reader test is skipped");
            throw;
        }
        using (process)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.ExitCode.Should().Be(0, output + error);
            output.Should().Contain("EchoServer/1.0: 4 cases ERROR=1 FAILED=1 INFORMATIONAL=1 OK=1");
            output.Should().Contain("Deflate/1.0: 3 cases OK=2 UNIMPLEMENTED=1");
            // Autobahn's own matrix code ("%.3f", "-" for None) reads the ratios out of trafficStats.
            output.Should().Contain("Deflate/1.0 12.1.1: 1235 ms [0.123/0.456]");
            output.Should().Contain("Deflate/1.0 12.1.3: 1235 ms [-/0.450]");
            output.Should().NotContain("Deflate/1.0 12.1.2:");
        }
    }
}
