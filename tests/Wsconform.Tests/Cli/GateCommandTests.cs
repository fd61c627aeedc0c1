using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Xml.Linq;
using Wsconform.Cases;
using Wsconform.Cli;
using Wsconform.Echo;
using Wsconform.Engine.Scripting;
using Wsconform.Model;
using Wsconform.Reports;
using Wsconform.Reports.Gate;

namespace Wsconform.Tests.Cli;

/// <summary>The CI gate end to end: --expect, --policy, exit codes, expect init, --junit, --spec, compare, merge.</summary>
[TestFixture]
[NonParallelizable]
public sealed class GateCommandTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "wsconform-gate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Test]
    public async Task Run_DefaultPolicy_PassesTheNonStrict64Cases()
    {
        // An echo server given by URL: the built-in server's known results apply only when wsconform starts it itself.
        await using var server = await EchoServer.StartAsync();
        var outcome = await CliRunner.RunAsync("run", server.Url.ToString(), "--cases", "6.4.*", "--out", PathOf("out"));

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stdout + outcome.Stderr);
        outcome.Stdout.Should().Contain("Expectations: policy default (no --expect file)").And.Contain("Every case met its expectation.");
        outcome.Stderr.Should().BeEmpty();
    }

    [Test]
    public async Task Run_StrictPolicy_ExitsOneAndNamesEachUnmetCaseWithExpectedAndActual()
    {
        await using var server = await EchoServer.StartAsync();
        var outcome = await CliRunner.RunAsync("run", server.Url.ToString(), "--cases", "6.4.*", "--policy", "strict", "--out", PathOf("out"));

        outcome.ExitCode.Should().Be(ExitCodes.ExpectationsNotMet);
        outcome.Stdout.Should().Contain("  6.4.3: got behavior NON-STRICT; behaviorClose OK; expected behavior OK|INFORMATIONAL; behaviorClose OK|INFORMATIONAL (policy strict)")
            .And.Contain("  6.4.4: got behavior NON-STRICT");
        outcome.StderrLines.Should().ContainSingle().Which.Should().Be("wsconform: 2 case(s) did not meet their expectation (policy strict)");
    }

    [Test]
    public async Task Run_BuiltInServer_AppliesItsKnownResults_AndPasses()
    {
        // Without a URL and without --expect, the built-in server's known deviations are expected, not failures.
        var outcome = await CliRunner.RunAsync("run", "--cases", "0.3.11,6.4.*", "--out", PathOf("out"));

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stdout + outcome.Stderr);
        outcome.Stdout.Should().Contain("the built-in server's known results").And.Contain("Every case met its expectation.");
        outcome.Stdout.Should().Contain("0.3.11").And.Contain("FAILED", "a known deviation is still listed as not OK");
    }

    [Test]
    public async Task Run_WithMatchingExpectations_ExitsZero_AndChangingOneExpectation_ExitsOneNamingTheCase()
    {
        // The "done when", as one story: a file that matches passes; edit one entry and the gate names that case.
        await using var server = await EchoServer.StartAsync();
        var expect = PathOf("exp.json");
        await File.WriteAllTextAsync(expect, """{ "policy": "strict", "cases": { "6.4.3": ["NON-STRICT"], "6.4.4": ["NON-STRICT"] } }""");
        var matching = await CliRunner.RunAsync("run", server.Url.ToString(), "--cases", "6.4.*", "--expect", expect, "--out", PathOf("out1"));

        await File.WriteAllTextAsync(expect, """{ "policy": "strict", "cases": { "6.4.3": ["OK"], "6.4.4": ["NON-STRICT"] } }""");
        var changed = await CliRunner.RunAsync("run", server.Url.ToString(), "--cases", "6.4.*", "--expect", expect, "--out", PathOf("out2"));

        matching.ExitCode.Should().Be(ExitCodes.Ok, matching.Stdout + matching.Stderr);
        changed.ExitCode.Should().Be(ExitCodes.ExpectationsNotMet);
        changed.Stdout.Should().Contain("6.4.3: got behavior NON-STRICT").And.NotContain("6.4.4: got");
        changed.StderrLines.Should().ContainSingle().Which.Should().Contain("1 case(s) did not meet their expectation");
    }

    [Test]
    public async Task Run_WithExpectFile_ShowsTheReasonAndHonoursExclusions()
    {
        var expect = PathOf("exp.json");
        await File.WriteAllTextAsync(expect, """
            { "policy": "strict",
              "cases": {
                "6.4.3": { "behavior": ["OK"], "reason": "we want fail-fast" },
                "6.4.4": { "excluded": true, "reason": "known slow path" },
                "99.*": "excluded" } }
            """);

        var outcome = await CliRunner.RunAsync("run", "--cases", "6.4.*", "--expect", expect, "--out", PathOf("out"));

        outcome.ExitCode.Should().Be(ExitCodes.ExpectationsNotMet);
        outcome.Stdout.Should().Contain("6.4.3: got behavior NON-STRICT; behaviorClose OK; expected behavior OK; behaviorClose OK|INFORMATIONAL (entry \"6.4.3\", else policy strict); reason: we want fail-fast")
            .And.Contain("1 excluded, 1 not met")
            .And.Contain("note: expectation entry \"99.*\" matches no case of this run")
            .And.NotContain("6.4.4: got");
    }

    [Test]
    public async Task Run_WithMalformedExpectFile_IsAUsageErrorNamingTheFileAndRunsNothing()
    {
        var expect = PathOf("bad.json");
        await File.WriteAllTextAsync(expect, """{ "cases": { "6.4.3": ["PASS"] } }""");

        var outcome = await CliRunner.RunAsync("run", "--cases", "6.4.*", "--expect", expect, "--out", PathOf("out"));

        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().Be($"wsconform: --expect {expect}: cases \"6.4.3\": 'PASS' is not a behavior verdict (OK, NON-STRICT, FAILED, INFORMATIONAL, UNIMPLEMENTED, ERROR)");
        Directory.Exists(PathOf("out")).Should().BeFalse();
    }

    [Test]
    public async Task Run_WithMissingExpectFile_IsAUsageError()
    {
        var outcome = await CliRunner.RunAsync("run", "--expect", PathOf("none.json"), "--out", PathOf("out"));
        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().EndWith("none.json: file not found");
    }

    [Test]
    public async Task ExpectInit_FreezesARun_AndTheFrozenFilePassesTheNextRun()
    {
        var first = await CliRunner.RunAsync("run", "--cases", "6.4.*,1.1.*", "--out", PathOf("a"));
        first.ExitCode.Should().Be(ExitCodes.Ok, first.Stdout);

        var init = await CliRunner.RunAsync("expect", "init", "--from", PathOf("a/results.json"), "--out", PathOf("exp.json"), "--policy", "strict");
        init.ExitCode.Should().Be(ExitCodes.Ok, init.Stderr);
        init.Stdout.Should().Contain("case(s) frozen");
        var set = ExpectationSet.Load(PathOf("exp.json"));
        set.Policy.Should().Be(Policy.Strict);
        set.EntryFor("6.4.3")!.Behavior.Should().BeEquivalentTo([Behavior.NonStrict]);

        var again = await CliRunner.RunAsync("run", "--cases", "6.4.*,1.1.*", "--expect", PathOf("exp.json"), "--out", PathOf("b"));
        again.ExitCode.Should().Be(ExitCodes.Ok, again.Stdout);
    }

    [Test]
    public async Task ExpectInit_FromAFileThatIsNotResults_IsAUsageError()
    {
        await File.WriteAllTextAsync(PathOf("x.json"), "{}");
        var init = await CliRunner.RunAsync("expect", "init", "--from", PathOf("x.json"));
        init.ExitCode.Should().Be(ExitCodes.Usage);
        init.StderrLines.Should().ContainSingle().Which.Should().Contain("not a wsconform results file");
    }

    [Test]
    public async Task Run_WithJUnit_WritesCountsThatMatchTheVerdicts()
    {
        await using var server = await EchoServer.StartAsync();
        var outcome = await CliRunner.RunAsync("run", server.Url.ToString(), "--cases", "6.4.*,1.1.*", "--policy", "strict", "--junit", PathOf("ci/junit.xml"), "--out", PathOf("out"));

        outcome.ExitCode.Should().Be(ExitCodes.ExpectationsNotMet);
        var xml = XDocument.Load(PathOf("ci/junit.xml"));
        var run = ResultsJson.ReadFile(PathOf("out/results.json"));
        var root = xml.Root!;
        root.Name.LocalName.Should().Be("testsuites");
        ((int)root.Attribute("tests")!).Should().Be(run.Targets[0].Cases.Count);
        ((int)root.Attribute("failures")!).Should().Be(2, "6.4.3 and 6.4.4 are NON-STRICT, which strict does not pass");
        root.Descendants("failure").Select(f => f.Parent!.Attribute("name")!.Value.Split(' ')[0]).Should().Equal("6.4.3", "6.4.4");
        outcome.Stdout.Should().Contain(PathOf("ci/junit.xml"));
    }

    [Test]
    public async Task Run_WithSpec_RunsEveryServer_RecordsAnUnreachableOneAsError_AndNotesIgnoredOptions()
    {
        await using var echo = await EchoServer.StartAsync(0, CancellationToken.None);
        var port = ClosedPort();
        var spec = PathOf("fuzzingclient.json");
        await File.WriteAllTextAsync(spec, $$"""
            {
              "options": { "failByDrop": false },
              "outdir": "{{PathOf("reports").Replace("\\", "\\\\", StringComparison.Ordinal)}}",
              "servers": [
                { "agent": "Echo A", "url": "{{echo.Url}}", "options": { "version": 18 } },
                { "agent": "Gone", "url": "ws://127.0.0.1:{{port}}/" }
              ],
              "cases": ["1.1.*", "2.1"],
              "exclude-cases": ["1.1.8"],
              "exclude-agent-cases": { "Echo*": ["2.*"] }
            }
            """);

        var outcome = await CliRunner.RunAsync("run", "--spec", spec);

        outcome.ExitCode.Should().Be(ExitCodes.ExpectationsNotMet, "the unreachable target's cases are ERROR, and one target was reached");
        outcome.Stdout.Should().Contain("options.failByDrop is an Autobahn fuzzer option with no wsconform equivalent; ignored")
            .And.Contain("servers[0].options.version");
        outcome.StderrLines.Should().Contain(l => l.StartsWith($"wsconform: cannot test ws://127.0.0.1:{port}/", StringComparison.Ordinal) && l.EndsWith("are recorded as ERROR", StringComparison.Ordinal));

        var run = ResultsJson.ReadFile(PathOf("reports/results.json"));
        run.Targets.Select(t => t.Target.Agent).Should().Equal("Echo A", "Gone");
        run.Targets[0].Cases.Select(c => c.Id).Should().Equal(Catalogue.All.Where(c => CaseIds.Matches("1.1.*", c.Id) && c.Id != "1.1.8").Select(c => c.Id).OrderBy(i => i, CaseIds.NumericOrder),
            "exclude-agent-cases removes 2.1 for Echo*");
        run.Targets[1].Cases.Should().Contain(c => c.Id == "2.1").And.OnlyContain(c => c.Behavior == Behavior.Error && c.Result.Contains("target unreachable", StringComparison.Ordinal));

        using var index = JsonDocument.Parse(await File.ReadAllTextAsync(PathOf("reports/index.json")));
        index.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("Echo A", "Gone");
    }

    [Test]
    public async Task Run_WithSpecAndNoExpect_IsJudgedByTheDefaultPolicy_NotByTheBuiltInServersKnownResults()
    {
        // No URL is given with --spec, but the servers are the spec's: the built-in server's known results must not apply.
        await using var echo = await EchoServer.StartAsync(0, CancellationToken.None);
        var spec = PathOf("spec.json");
        await File.WriteAllTextAsync(spec, $$"""{ "servers": [ { "agent": "Echo", "url": "{{echo.Url}}" } ], "cases": ["1.1.1"] }""");

        var outcome = await CliRunner.RunAsync("run", "--spec", spec, "--out", PathOf("out"));

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stdout + outcome.Stderr);
        outcome.Stdout.Should().Contain("Expectations: policy default (no --expect file): 1 met").And.NotContain("known results");
    }

    [Test]
    public async Task Run_WithSpec_WhereNoServerCanBeReached_ExitsThree()
    {
        var spec = PathOf("spec.json");
        await File.WriteAllTextAsync(spec, $$"""
            { "servers": [ { "agent": "A", "url": "ws://127.0.0.1:{{ClosedPort()}}/" }, { "agent": "B", "url": "ws://127.0.0.1:{{ClosedPort()}}/" } ], "cases": ["1.1.1"] }
            """);
        var outcome = await CliRunner.RunAsync("run", "--spec", spec, "--out", PathOf("out"));
        outcome.ExitCode.Should().Be(ExitCodes.Unreachable);
    }

    [TestCase("""{ "servers": [] }""", "\"servers\" must be a non-empty array")]
    [TestCase("""{ "servers": [ { "agent": "A" } ] }""", "servers[0] has no \"url\"")]
    [TestCase("""{ "servers": [ { "url": "http://x/" } ] }""", "servers[0]: unsupported URL scheme")]
    [TestCase("""{ "servers": [ { "url": "ws://x/" } ], "cases": ["77.*"] }""", "no case matches \"cases\" 77.*")]
    [TestCase("""{ "servers": [ { "url": "ws://x/", "agent": "A" }, { "url": "ws://y/", "agent": "A" } ] }""", "agent 'A' appears twice")]
    [TestCase("""{ "servers": """, "malformed JSON")]
    public async Task Run_WithBadSpec_IsAUsageError(string json, string problem)
    {
        var spec = PathOf("spec.json");
        await File.WriteAllTextAsync(spec, json);
        var outcome = await CliRunner.RunAsync("run", "--spec", spec, "--out", PathOf("out"));
        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().StartWith($"wsconform: --spec {spec}: ").And.Contain(problem);
    }

    [Test]
    public async Task Run_WithSpecAndAUrl_IsAUsageError()
    {
        var outcome = await CliRunner.RunAsync("run", "ws://x/", "--spec", PathOf("s.json"), "--cases", "1.*");
        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().Contain("--spec replaces URL, --cases");
    }

    [Test]
    public async Task Compare_ListsRegressionsAndImprovements_AndExitsOneOnARegression()
    {
        var run = await CliRunner.RunAsync("run", "--cases", "1.1.1,1.1.2,1.1.3", "--out", PathOf("a"));
        run.ExitCode.Should().Be(ExitCodes.Ok, run.Stdout);
        var baseline = ResultsJson.ReadFile(PathOf("a/results.json"));
        var target = baseline.Targets[0];
        var worse = baseline with
        {
            Targets =
            [
                target with
                {
                    Cases = target.Cases.Where(c => c.Id != "1.1.3")
                        .Select(c => c.Id == "1.1.1" ? c with { Behavior = Behavior.Failed } : c)
                        .Append(target.Cases[0] with { Id = "1.1.9" }).ToList(),
                },
            ],
        };
        Directory.CreateDirectory(PathOf("b"));
        await new JsonReportWriter().WriteAsync(worse, PathOf("b"));

        var forward = await CliRunner.RunAsync("compare", PathOf("a/results.json"), PathOf("b/results.json"));
        forward.ExitCode.Should().Be(ExitCodes.ExpectationsNotMet);
        forward.Stdout.Should().Contain("regressions (1):").And.Contain("1.1.1: behavior OK -> FAILED; behaviorClose OK -> OK")
            .And.Contain("new cases (1):").And.Contain("1.1.9: new").And.Contain("removed cases (1):").And.Contain("1.1.3: removed");
        forward.StderrLines.Should().ContainSingle().Which.Should().Be("wsconform: 1 regression(s)");

        var backward = await CliRunner.RunAsync("compare", PathOf("b/results.json"), PathOf("a/results.json"));
        backward.ExitCode.Should().Be(ExitCodes.Ok);
        backward.Stdout.Should().Contain("improvements (1):").And.Contain("0 regression(s), 1 improvement(s)");
    }

    [Test]
    public async Task Compare_WithAMissingFile_IsAUsageError()
    {
        var outcome = await CliRunner.RunAsync("compare", PathOf("a.json"), PathOf("b.json"));
        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().EndWith("a.json: file not found");
    }

    [Test]
    public async Task Merge_CombinesRunsOfSeveralTargetsIntoOneReport()
    {
        (await CliRunner.RunAsync("run", "--cases", "1.1.*", "--agent", "First", "--out", PathOf("a"))).ExitCode.Should().Be(ExitCodes.Ok);
        (await CliRunner.RunAsync("run", "--cases", "1.1.*", "--agent", "Second", "--out", PathOf("b"))).ExitCode.Should().Be(ExitCodes.Ok);

        var outcome = await CliRunner.RunAsync("merge", PathOf("a/results.json"), PathOf("b/results.json"), "--out", PathOf("m"), "--expect", WriteStrictExpect());

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stdout + outcome.Stderr);
        outcome.Stdout.Should().Contain("Merged 2 file(s): 2 target(s)");
        var merged = ResultsJson.ReadFile(PathOf("m/results.json"));
        merged.Targets.Select(t => t.Target.Agent).Should().Equal("First", "Second");
        File.ReadAllText(PathOf("m/index.html")).Should().Contain("First").And.Contain("Second");
        using var index = JsonDocument.Parse(await File.ReadAllTextAsync(PathOf("m/index.json")));
        index.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("First", "Second");

        var twice = await CliRunner.RunAsync("merge", PathOf("a/results.json"), PathOf("a/results.json"), "--out", PathOf("m2"));
        twice.ExitCode.Should().Be(ExitCodes.Usage);
        twice.StderrLines.Should().ContainSingle().Which.Should().Contain("is in more than one file");
    }

    private string WriteStrictExpect()
    {
        var path = PathOf("strict.json");
        File.WriteAllText(path, """{ "policy": "strict" }""");
        return path;
    }

}
