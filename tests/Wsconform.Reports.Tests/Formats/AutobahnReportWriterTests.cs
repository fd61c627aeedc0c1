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
    public async Task AReaderThatKnowsOnlyAutobahnsLayout_ReadsOursUnchanged()
    {
        using var dir = new TempDirectory();
        var run = SampleRuns.Basic();
        run = run with { Targets = [.. run.Targets, SampleRuns.HostileRun().Targets[0]] };
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
        }
    }
}
