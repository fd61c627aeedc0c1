using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Wsconform.Model;

namespace Wsconform.Reports.Tests;

public class HtmlReportWriterTests
{
    private static string Render(RunResult run) => new HtmlReportWriter().Render(run);

    [Test]
    public async Task WriteAsync_WritesIndexHtml_SameAsRender()
    {
        using var dir = new TempDirectory();
        var run = SampleRuns.Basic();

        var path = await new HtmlReportWriter().WriteAsync(run, dir.Path);

        path.Should().Be(dir.Combine("index.html"));
        (await File.ReadAllTextAsync(path)).Should().Be(Render(run));
        (await File.ReadAllBytesAsync(path)).Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF }, "no BOM");
    }

    // ---------------------------------------------------------------- escaping

    [Test]
    public void Render_HostilePeerStrings_AreEscapedEverywhere()
    {
        var html = Render(SampleRuns.HostileRun());

        Regex.Count(html, "<script").Should().Be(1, "the data may not produce a script tag; the one there is the report's own filter script");
        html.Should().Contain("<script>\n// wsconform report filters.");
        html.Should().NotContain("<img");
        html.Should().NotContain("onerror=");
        html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt;");
        html.Should().Contain("&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    }

    [Test]
    public void Render_HostilePeerStrings_AppearEscapedInEachPlace()
    {
        var escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;";

        var html = Render(SampleRuns.HostileRun());

        html.Should().Contain("Agent" + escaped, "the agent");
        html.Should().Contain("Server" + escaped, "the Server header");
        html.Should().Contain("Sec-WebSocket-Protocol: " + escaped, "the subprotocol inside the handshake response");
        html.Should().Contain("X-Custom: " + escaped, "handshake response header values");
        html.Should().Contain("peer sent " + escaped, "violation text");
        html.Should().Contain("60 octets: " + escaped, "received text payload previews");
        html.Should().Contain("<span class=\"payload\">" + escaped + "</span>", "wire-log payload previews");
        html.Should().Contain("<tr><td>remoteCloseReason</td><td>" + escaped + "</td>", "the close reason");
        html.Should().Contain("TCP DROPPED BY PEER: " + escaped, "wire-log text");
        html.Should().Contain("<tr><th>Agreement</th><td><code>permessage-deflate; " + escaped + "</code></td></tr>", "the compression agreement");
        Regex.Count(html, "&lt;script&gt;").Should().BeGreaterThanOrEqualTo(10);
    }

    [Test]
    public void Render_Page_IsSelfContained()
    {
        var html = Render(SampleRuns.Basic());

        html.Should().StartWith("<!DOCTYPE html>");
        html.Should().Contain("<meta charset=\"utf-8\">");
        html.Should().Contain("<style>");
        Regex.Count(html, "<script").Should().Be(1, "one inline filter script");
        html.Should().NotContain("<script src");
        html.Should().NotContain("<link");
        html.Should().NotContain("<img");
        html.Should().NotContain("src=");
        html.Should().NotContain("@import");
        html.Should().NotContain("url(");
        html.Should().NotContain("{{", "every template expression was rendered");
    }

    // ---------------------------------------------------------------- content

    [Test]
    public void Render_EveryCase_HasAnchorRowLinkAndBackToTop()
    {
        var run = SampleRuns.Basic();

        var html = Render(run);

        foreach (var (id, anchor) in new[] { ("1.1.1", "case-1-1-1"), ("2.5", "case-2-5"), ("7.1.1", "case-7-1-1"), ("7.13.1", "case-7-13-1") })
        {
            html.Should().Contain($"<section class=\"case\" id=\"{anchor}\">");
            html.Should().Contain($"<a href=\"#{anchor}\">{id}</a>");
            html.Should().Contain($"Case {id}: ");
        }
        html.Should().Contain("<header id=\"top\">");
        Regex.Count(html, "<a href=\"#top\">back to top</a>").Should().Be(run.Targets[0].Cases.Count);
    }

    [Test]
    public void Render_VerdictCells_CarryTextNextToColour()
    {
        var html = Render(SampleRuns.Basic());

        html.Should().Contain("<td class=\"verdict v-pass\" title=\"OK\">Pass</td>");
        html.Should().Contain("<td class=\"verdict v-fail\" title=\"FAILED\">Fail</td>");
        html.Should().Contain("<td class=\"verdict v-error\" title=\"ERROR\">Error</td>");
        html.Should().Contain("<td class=\"verdict v-info\" title=\"INFORMATIONAL\">Info</td>");
        html.Should().Contain("<td class=\"verdict c-ok\" title=\"OK\">1000</td>");
        html.Should().Contain("<td class=\"verdict c-wrong\" title=\"WRONG CODE\">1000 Wrong code</td>");
        html.Should().Contain("<td class=\"verdict c-error\" title=\"ERROR\">Error</td>");
        html.Should().Contain("<td class=\"verdict c-info\" title=\"INFORMATIONAL\">1002 Info</td>");
    }

    [Test]
    public void Render_Styles_UseAutobahnColours()
    {
        var html = Render(SampleRuns.Basic());

        html.Should().Contain(".v-pass { background: #0a0;");
        html.Should().Contain(".v-nonstrict { background: #9a0;");
        html.Should().Contain(".v-info { background: #4095BF;");
        html.Should().Contain(".v-fail { background: #900;");
        html.Should().Contain(".v-unimpl { background: #800080;");
        html.Should().Contain(".v-error { background: #555;");
    }

    [Test]
    public void Render_Totals_CountEachVerdict()
    {
        var verdicts = new[]
        {
            (Behavior.Ok, CloseBehavior.Ok), (Behavior.Ok, CloseBehavior.Ok), (Behavior.Ok, CloseBehavior.WrongCode),
            (Behavior.Failed, CloseBehavior.Unclean), (Behavior.NonStrict, CloseBehavior.Ok), (Behavior.Error, CloseBehavior.Error),
        };

        var run = SampleRuns.WithVerdicts(verdicts);
        var html = Render(run);
        var model = ReportViewModel.From(run);

        var behavior = model.Targets[0].BehaviorTotals.ToDictionary(t => t.Verdict, t => t.Count);
        behavior.Should().Equal(new Dictionary<string, int>
        {
            ["OK"] = 3, ["NON-STRICT"] = 1, ["FAILED"] = 1, ["INFORMATIONAL"] = 0, ["UNIMPLEMENTED"] = 0, ["ERROR"] = 1,
        });
        var close = model.Targets[0].CloseTotals.ToDictionary(t => t.Verdict, t => t.Count);
        close.Should().Equal(new Dictionary<string, int>
        {
            ["OK"] = 3, ["FAILED BY CLIENT"] = 0, ["WRONG CODE"] = 1, ["UNCLEAN"] = 1, ["FAILED"] = 0, ["INFORMATIONAL"] = 0, ["ERROR"] = 1,
        });
        html.Should().Contain("<span class=\"badge v-pass\" title=\"OK\">Pass: 3</span>");
        html.Should().Contain("<span class=\"badge v-fail\" title=\"FAILED\">Fail: 1</span>");
        html.Should().Contain("<span class=\"badge v-info zero\" title=\"INFORMATIONAL\">Info: 0</span>");
        html.Should().Contain("<span class=\"badge v-error\" title=\"ERROR\">Error: 1</span>");
        html.Should().Contain("<span class=\"badge c-unclean\" title=\"UNCLEAN\">Unclean: 1</span>");
        html.Should().Contain("6 cases.");
    }

    [Test]
    public void Render_Header_ShowsRunMetadataTargetAndOptions()
    {
        var html = Render(SampleRuns.Basic());

        html.Should().Contain("<title>wsconform report: EchoServer/1.0</title>");
        html.Should().Contain("Generated by wsconform 0.1.0-test.");
        html.Should().Contain("Run started 2025-01-02 03:04:05 UTC, finished 2025-01-02 03:04:18 UTC, took 12.345 s; 4 cases.");
        html.Should().Contain("<tr><th>URL</th><td><code>ws://127.0.0.1:9001/echo?x&#x3D;1</code></td></tr>");
        html.Should().Contain("<tr><th>Server header</th><td><code>EchoServer/1.0 (Linux)</code></td></tr>");
        html.Should().Contain("<tr><th>Cases</th><td><code>1.*, 2.*, 7.*</code></td></tr>");
        html.Should().Contain("<tr><th>Exclude</th><td><code>9.*</code></td></tr>");
        html.Should().Contain("<tr><th>Parallel</th><td>4</td></tr>");
        html.Should().Contain("<tr><th>origin</th><td><code>http://example.test</code></td></tr>");
        html.Should().Contain("4.321 s for 4 cases");
    }

    [Test]
    public void Render_InterruptedRun_SaysHowManyCasesFinishedAndHowToResume()
    {
        var html = Render(SampleRuns.Basic() with { Interrupted = new RunInterruption(SelectedCases: 10) });

        html.Should().Contain("<p class=\"interrupted\" role=\"alert\">Interrupted: 4 of 10 cases finished; this report shows only those. " +
            "Run the same command with --resume to run the others.</p>");
    }

    [Test]
    public void Render_CompleteRun_HasNoInterruptedNote()
    {
        Render(SampleRuns.Basic()).Should().NotContain("class=\"interrupted\"").And.NotContain("Interrupted:");
    }

    [Test]
    public void Render_InterruptedBeforeATargetFinishedAnyCase_ShowsTheTargetWithoutCases()
    {
        var run = SampleRuns.Basic() with
        {
            Targets = [SampleRuns.Basic().Targets[0], SampleRuns.Basic().Targets[0] with { Target = new TargetInfo("ws://second.test/", "second", null), Cases = [] }],
            Interrupted = new RunInterruption(SelectedCases: 8),
        };

        var html = Render(run);

        html.Should().Contain("Interrupted: 4 of 8 cases finished;").And.Contain("Target 2: second");
    }

    [Test]
    public void Render_CategoryTables_GroupCasesInOrder()
    {
        var html = Render(SampleRuns.Basic());

        html.Should().Contain("<tr class=\"cat-head\" id=\"cat-framing\"><th colspan=\"99\">Framing <small>1 case</small></th></tr>");
        html.Should().Contain("<tr class=\"cat-head\" id=\"cat-close-handling\"><th colspan=\"99\">Close Handling <small>2 cases</small></th></tr>");
        html.IndexOf("cat-framing\"", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("cat-pings-pongs\"", StringComparison.Ordinal));
        html.Should().Contain("<td>Text Messages</td>");
        html.Should().Contain("record what the peer does; the RFC leaves\u2026</td>", "long requirements are cut at a word in the table");
        html.Should().Contain("<td class=\"num\">1003.5</td>");
    }

    [Test]
    public void Render_CaseDetail_ShowsEverythingAboutTheCase()
    {
        var html = Render(SampleRuns.Basic());
        var start = html.IndexOf("<section class=\"case\" id=\"case-2-5\">", StringComparison.Ordinal);
        var detail = html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];

        detail.Should().Contain("<tr><th>RFC</th><td>RFC 6455 §5.5, RFC 6455 §5.5.2</td></tr>");
        detail.Should().Contain("<tr><th>Sent</th><td>Send a ping with a 126-octet payload.</td></tr>");
        detail.Should().Contain("<tr><th>A conforming peer</th><td>Fail the connection with 1002 and send no pong.</td></tr>");
        detail.Should().Contain("<code>FAILED</code> The peer answered with a pong.");
        detail.Should().Contain("<code>WRONG CODE</code> The close code 1000 is not allowed here (expected 1002).");
        detail.Should().Contain("<li class=\"diff\"><span class=\"ev\">pong</span> 126 octets: \u00fe\u00fe\u00fe ...</li>", "the first difference is marked");
        detail.Should().Contain("<p class=\"first-diff\">First difference at event 1: expected nothing, received pong (126 octets: \u00fe\u00fe\u00fe ...)</p>");
        detail.Should().Contain("<a href=\"#case-1-1-1\" rel=\"prev\">&larr; 1.1.1</a>").And.Contain("<a href=\"#case-7-1-1\" rel=\"next\">7.1.1 &rarr;</a>");
        detail.Should().Contain("<a href=\"#row-2-5\">back to summary</a>");
        detail.Should().Contain("<span class=\"hex\">fe fe ...</span>", "payloads are shown in hex too");
        detail.Should().Contain("<tr><th>closeCodes</th><td>1002</td></tr>");
        detail.Should().Contain("<tr><td>wasClean</td><td>False</td>");
        detail.Should().Contain("<tr><td>remoteCloseReason</td><td>bye</td>");
        detail.Should().Contain("<tr><td class=\"num\">1.250</td><td>RFC 6455 §5.5</td><td>Answered a 126-octet ping with a pong.</td></tr>");
        detail.Should().Contain("<pre class=\"http\">GET / HTTP/1.1\r\nHost: h\r\n\r\n</pre>");
        detail.Should().Contain("<details class=\"wire\" open>", "failing cases show their wire log unfolded");
        detail.Should().Contain("<tr class=\"wl-tx-chop\"><td class=\"num\">002</td><td class=\"num\">0.200</td><td class=\"kind\">TX FRAME</td><td>OPCODE&#x3D;9, FIN&#x3D;True, RSV&#x3D;0, LEN&#x3D;18446744073709551615, MASKED&#x3D;True, MASK&#x3D;00112233, CHOP&#x3D;1, SYNC&#x3D;True</td>");
        detail.Should().Contain("<tr class=\"wl-rx\"><td class=\"num\">003</td><td class=\"num\">1.000</td><td class=\"kind\">RX FRAME</td><td>OPCODE&#x3D;10, FIN&#x3D;True, RSV&#x3D;4, LEN&#x3D;126, MASKED&#x3D;True, MASK&#x3D;deadbeef</td>");
        detail.Should().Contain("FAIL CONNECTION AFTER 1.000000 sec");
        detail.Should().Contain("DELAY 0.500000 sec for TAG A");
        detail.Should().Contain("DELAY TIMEOUT on TAG A");
        detail.Should().Contain("<tr class=\"wl-violation\">");
        detail.Should().Contain("<tr class=\"wl-drop-me\"><td class=\"num\">009</td><td class=\"num\">1003.750</td><td class=\"kind\">TCP DROP</td><td>TCP DROPPED BY ME</td>");
        detail.Should().Contain("126 octets, sha256 " + new string('b', 64));
    }

    [Test]
    public void Render_PassingCase_FoldsWireLogAndMarksMatchedOutcome()
    {
        var html = Render(SampleRuns.Basic());
        var start = html.IndexOf("<section class=\"case\" id=\"case-1-1-1\">", StringComparison.Ordinal);
        var detail = html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];

        detail.Should().Contain("<details class=\"wire\">");
        detail.Should().Contain("<div class=\"expected matched\">");
        detail.Should().Contain("<tr class=\"wl-tx\"><td class=\"num\">001</td><td class=\"num\">0.500</td><td class=\"kind\">TX FRAME</td><td>OPCODE&#x3D;1, FIN&#x3D;True, RSV&#x3D;0, LEN&#x3D;0, MASKED&#x3D;True, MASK&#x3D;1a2b3c4d, CHOP&#x3D;None, SYNC&#x3D;False</td>");
        detail.Should().Contain("CLOSE CONNECTION AFTER 1.000000 sec");
    }

    [Test]
    public void Render_ErrorCase_SaysWhatIsMissing()
    {
        var html = Render(SampleRuns.Basic());
        var start = html.IndexOf("<section class=\"case\" id=\"case-7-1-1\">", StringComparison.Ordinal);
        var detail = html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];

        detail.Should().Contain("<h4 class=\"banner v-error\">Case 7.1.1: Error (ERROR)");
        detail.Should().Contain("Connection refused (127.0.0.1:9001).");
        detail.Should().Contain("no request was sent");
        detail.Should().Contain("no response was received");
        detail.Should().Contain("<p class=\"none\">empty</p>");
    }

    [Test]
    public void Render_SeveralTargets_PrefixesAnchorsSoTheyStayUnique()
    {
        var basic = SampleRuns.Basic();
        var run = basic with { Targets = [basic.Targets[0], basic.Targets[0] with { Target = new TargetInfo("ws://b/", "B", null, BuiltIn: true) }] };

        var html = Render(run);

        html.Should().Contain("id=\"t1-case-1-1-1\"").And.Contain("id=\"t2-case-1-1-1\"");
        html.Should().Contain("href=\"#t2-case-2-5\"");
        html.Should().Contain("<title>wsconform report: 2 targets</title>");
        html.Should().Contain("<span class=\"none\">none sent</span>");
        html.Should().Contain("the harness's own echo server");
        Regex.Matches(html, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Render_DuplicateOrOddCaseIds_StillGetUniqueSafeAnchors()
    {
        var basic = SampleRuns.Basic();
        var run = basic with
        {
            Targets = [basic.Targets[0] with { Cases = [SampleRuns.OkCase() with { Id = "5.5/ping \"126\"" }, SampleRuns.OkCase() with { Id = "5.5/ping-\"126\"" }] }],
        };

        var html = Render(run);

        html.Should().Contain("id=\"case-5-5-ping--126-\"").And.Contain("id=\"case-5-5-ping--126--2\"");
    }

    // ---------------------------------------------------------------- wire statistics and round trips

    private static string Section(string html, string anchor)
    {
        var start = html.IndexOf($"<section class=\"case\" id=\"{anchor}\">", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"the page has a section {anchor}");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [Test]
    public void Render_CaseDetail_ShowsWireStatisticsLikeAutobahn()
    {
        var detail = Section(Render(SampleRuns.Basic()), "case-1-1-1");

        detail.Should().Contain("<h5>Wire statistics</h5>");
        detail.Should().Contain("<caption>Frames sent</caption>").And.Contain("<caption>Frames received</caption>");
        detail.Should().Contain("<caption>Socket writes</caption>").And.Contain("<caption>Socket reads</caption>");
        detail.Should().Contain("<tr><td class=\"num\">1</td><td>text</td><td class=\"num\">1</td></tr>\n<tr><td class=\"num\">8</td><td>close</td><td class=\"num\">1</td></tr>\n<tr class=\"total\"><td colspan=\"2\">Total</td><td class=\"num\">2</td></tr>",
            "opcodes in numeric order with their names, then the total");
        detail.Should().Contain(
            "<tr><td class=\"num\">6</td><td class=\"num\">1</td><td class=\"num\">6</td></tr>\n"
            + "<tr><td class=\"num\">8</td><td class=\"num\">1</td><td class=\"num\">8</td></tr>\n"
            + "<tr><td class=\"num\">240</td><td class=\"num\">1</td><td class=\"num\">240</td></tr>\n"
            + "<tr class=\"total\"><td>Total</td><td class=\"num\">3</td><td class=\"num\">254</td></tr>", "writes by size, with octets and a total");
        detail.Should().Contain(
            "<tr><td class=\"num\">10</td><td class=\"num\">2</td><td class=\"num\">20</td></tr>\n"
            + "<tr><td class=\"num\">129</td><td class=\"num\">1</td><td class=\"num\">129</td></tr>\n"
            + "<tr class=\"total\"><td>Total</td><td class=\"num\">5</td><td class=\"num\">155</td></tr>", "sizes sort numerically; octets are size times count");
        detail.IndexOf("<h5>Wire statistics</h5>", StringComparison.Ordinal).Should().BeLessThan(detail.IndexOf("<details class=\"wire\"", StringComparison.Ordinal), "statistics come before the wire log, as in Autobahn");
    }

    [Test]
    public void Render_CaseThatSentNothing_SaysSoInsteadOfEmptyTables()
    {
        var html = Render(SampleRuns.Basic());

        Section(html, "case-7-1-1").Should().Contain("<h5>Wire statistics</h5>\n<p class=\"none\">nothing was sent or received</p>").And.NotContain("<table class=\"stats\">");
        var oneWay = SampleRuns.WithCases(SampleRuns.OkCase() with { Stats = new WireStats { WritesBySize = new Dictionary<int, int> { [14] = 1 } } });
        var detail = Section(Render(oneWay), "case-1-1-1");
        Regex.Count(detail, "<table class=\"stats\">").Should().Be(4);
        Regex.Count(detail, "<tr><td colspan=\"3\" class=\"none\">none</td></tr>").Should().Be(3, "each empty table says none");
    }

    [TestCase(0, "continuation")]
    [TestCase(1, "text")]
    [TestCase(2, "binary")]
    [TestCase(3, "reserved (0x3)")]
    [TestCase(7, "reserved (0x7)")]
    [TestCase(8, "close")]
    [TestCase(9, "ping")]
    [TestCase(10, "pong")]
    [TestCase(11, "reserved (0xB)")]
    [TestCase(15, "reserved (0xF)")]
    public void Render_FrameStatistics_NameEachOpcode(int opcode, string name)
    {
        var run = SampleRuns.WithCases(SampleRuns.OkCase() with
        {
            Stats = new WireStats { FramesReceivedByOpcode = new Dictionary<int, int> { [opcode] = 3 } },
        });

        var table = ReportViewModel.From(run).Targets[0].Cases[0].WireStats.FrameTables[1];

        table.Title.Should().Be("Frames received");
        table.Rows.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Opcode = opcode.ToString(CultureInfo.InvariantCulture), Name = name, Count = "3" });
        Render(run).Should().Contain($"<td>{name}</td>");
    }

    [Test]
    public void Render_SizeHistogramOfManySizes_ShowsTheTwentyMostFrequentAndFoldsTheRest()
    {
        // A chopped flood: 500 odd sizes once each, and 20 sizes 50 times each (one of them also among the odd ones).
        var writes = Enumerable.Range(1, 500).ToDictionary(size => size, _ => 1);
        foreach (var size in Enumerable.Range(10_000, 19))
        {
            writes[size] = 50;
        }
        writes[250] = 50;
        var run = SampleRuns.WithCases(SampleRuns.OkCase() with { Stats = new WireStats { WritesBySize = writes } });

        var table = ReportViewModel.From(run).Targets[0].Cases[0].WireStats.SizeTables[0];
        var html = Render(run);

        table.Rows.Select(r => r.Size).Should().Equal(new[] { "250" }.Concat(Enumerable.Range(10_000, 19).Select(s => s.ToString(CultureInfo.InvariantCulture))), "the 20 most frequent, in size order");
        table.Rows.Should().OnlyContain(r => r.Count == "50");
        table.HasOther.Should().BeTrue();
        table.OtherLabel.Should().Be("499 other sizes");
        table.OtherCount.Should().Be("499");
        var otherOctets = Enumerable.Range(1, 500).Sum() - 250;
        table.OtherOctets.Should().Be(otherOctets.ToString(CultureInfo.InvariantCulture));
        table.TotalCount.Should().Be((499 + 20 * 50).ToString(CultureInfo.InvariantCulture));
        var totalOctets = otherOctets + 50L * (250 + Enumerable.Range(10_000, 19).Sum());
        table.TotalOctets.Should().Be(totalOctets.ToString(CultureInfo.InvariantCulture), "the total counts folded sizes too");
        html.Should().Contain("<tr class=\"other\"><td class=\"num\">499 other sizes</td><td class=\"num\">499</td><td class=\"num\">" + otherOctets.ToString(CultureInfo.InvariantCulture) + "</td></tr>");
        Regex.Count(Section(html, "case-1-1-1"), "<tr>").Should().BeLessThan(60, "a flood of sizes does not make the page grow");
    }

    [Test]
    public void Render_SizeHistogramOfExactlyTwentySizes_HasNoOtherRow()
    {
        var run = SampleRuns.WithCases(SampleRuns.OkCase() with
        {
            Stats = new WireStats { ReadsBySize = Enumerable.Range(1, 20).ToDictionary(s => s * 7, s => s) },
        });

        var table = ReportViewModel.From(run).Targets[0].Cases[0].WireStats.SizeTables[1];

        table.Title.Should().Be("Socket reads");
        table.Rows.Should().HaveCount(20);
        table.HasOther.Should().BeFalse();
        Render(run).Should().NotContain("other size");
    }

    [Test]
    public void Render_RoundTrips_ShowLineInDetailAndMedianInDurationCell()
    {
        var run = SampleRuns.WithCases(SampleRuns.PerformanceCase(), SampleRuns.FailedCase());

        var html = Render(run);

        html.Should().Contain("<td class=\"num\">1234.5 ms &middot; RTT p50 0.148 / p99 0.246 ms</td>");
        html.Should().Contain("<td class=\"num\">1003.5</td>", "cases without round trips keep the plain duration");
        Section(html, "case-9-7-1").Should().Contain("<tr><th>Round trips</th><td>1000 of 1000 round trips, median 0.148 ms, p99 0.246 ms (min 0.05 ms, max 0.248 ms)</td></tr>");
        Section(html, "case-2-5").Should().NotContain("Round trips");
    }

    [Test]
    public void Render_RoundTripsOfBasicRun_ArePinned()
    {
        var html = Render(SampleRuns.Basic());

        html.Should().Contain("<td class=\"num\">2.5 ms &middot; RTT p50 0.081 / p99 1.205 ms</td>");
        Section(html, "case-1-1-1").Should().Contain("<tr><th>Round trips</th><td>5 of 6 round trips, median 0.081 ms, p99 1.205 ms (min 0.077 ms, max 1.205 ms)</td></tr>");
    }

    [Test]
    public void Render_TrialWithoutAnyEcho_SaysNoTimeWasMeasured()
    {
        var html = Render(SampleRuns.WithCases(SampleRuns.PerformanceCase(requested: 1000, samples: 0)));

        html.Should().Contain("<td class=\"num\">1234.5 ms &middot; RTT none (0 of 1000)</td>");
        html.Should().Contain("<tr><th>Round trips</th><td>0 of 1000 round trips, no round-trip time measured</td></tr>");
    }

    [Test]
    public void Render_StatisticsAndRoundTrips_UnderGermanNumberFormat_AreInvariant()
    {
        var run = SampleRuns.WithCases(SampleRuns.PerformanceCase() with
        {
            Stats = new WireStats { WritesBySize = new Dictionary<int, int> { [65_536] = 1_000 } },
        });
        var invariant = WithCulture(CultureInfo.InvariantCulture, () => Render(run));

        var german = WithCulture(GermanLike(), () => Render(run));

        german.Should().Be(invariant);
        invariant.Should().Contain("<td class=\"num\">65536</td><td class=\"num\">1000</td><td class=\"num\">65536000</td>").And.Contain("RTT p50 0.148 / p99 0.246 ms");
    }

    // ---------------------------------------------------------------- compression

    private const string Autobahn13Title =
        "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)]"
        + " / server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)]";

    /// <summary>A passed trial, one whose peer declined compression, one that received nothing compressed (a 13.x
    /// case with Autobahn's long title and fragmented messages), and an ordinary case.</summary>
    private static RunResult CompressionRun() => SampleRuns.WithCases(
        SampleRuns.CompressionCase(),
        SampleRuns.UnimplementedCase(),
        SampleRuns.CompressionCase() with
        {
            Id = "13.7.11",
            Category = "WebSocket Compression (different parameters)",
            Group = Autobahn13Title,
            Stimulus = "Sends 1000 text messages of 8192 characters each, consecutive slices of a stand-in for \"Large JSON data file\" (194056 octets); "
                + "the compressed octets of each message are cut into frames of 256 octets (RSV1 on the first only).",
            HandshakeResponse = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9\r\n\r\n",
            Compression = new CompressionStats("permessage-deflate; server_max_window_bits=9", 8_192_000, 1_000_500, 0, 0),
        },
        SampleRuns.FailedCase());

    [Test]
    public void Render_CompressionCase_ShowsAutobahnsInOutRatiosBesideTheVerdict()
    {
        var html = Render(CompressionRun());

        html.Should().Contain("<td class=\"verdict v-pass\" title=\"OK\">Pass <span class=\"ratio\" title=\"compressed \u00f7 uncompressed payload octets: "
            + "received (in) 0.123, sent (out) 0.456\">[0.123/0.456]</span></td>");
        html.Should().Contain(">Pass <span class=\"ratio\" title=\"compressed \u00f7 uncompressed payload octets: received (in) none compressed, sent (out) 0.122\">[-/0.122]</span></td>",
            "a direction without compressed messages shows '-', as in Autobahn");
        html.Should().Contain("<td class=\"verdict v-unimpl\" title=\"UNIMPLEMENTED\">Unimplemented</td>", "a peer that declined compression has no ratios");
        html.Should().Contain("<td class=\"verdict v-fail\" title=\"FAILED\">Fail</td>", "cases without compression are unchanged");
        Regex.Count(html, "class=\"ratio\"").Should().Be(2);
        html.Should().Contain("table.matrix td.verdict .ratio {");
    }

    [Test]
    public void Render_CompressionCase_DetailShowsTheAgreementAndOctetsBothWays()
    {
        var html = Render(CompressionRun());

        var detail = Section(html, "case-12-1-1");
        detail.Should().Contain("<h5>Compression</h5>");
        detail.Should().Contain("<tr><th>Agreement</th><td><code>permessage-deflate; client_max_window_bits&#x3D;15</code></td></tr>");
        detail.Should().Contain("<tr><th>Ratios [in/out]</th><td>[0.123/0.456] ");
        detail.Should().Contain("<tr><td>Received (in)</td><td class=\"num\">16000</td><td class=\"num\">1968</td><td class=\"num\">0.123</td></tr>");
        detail.Should().Contain("<tr><td>Sent (out)</td><td class=\"num\">16000</td><td class=\"num\">7296</td><td class=\"num\">0.456</td></tr>");
        Section(html, "case-13-7-11").Should().Contain("<tr><td>Received (in)</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">none received compressed</td></tr>");
        Section(html, "case-12-1-2").Should().NotContain("<h5>Compression</h5>").And.Contain("The peer did not accept permessage-deflate");
        Section(html, "case-2-5").Should().NotContain("<h5>Compression</h5>");
    }

    [Test]
    public void Render_CompressionTrials_ReadWellInTheMatrixAndTheTimingCharts()
    {
        var html = Render(CompressionRun());

        // Autobahn's 13.x titles run to 230 characters: the matrix keeps their start and the distinguishing pair list.
        html.Should().Contain($"<td title=\"{Autobahn13Title}\">Large JSON data file (utf8, 194056 bytes) \u2026 [(True, 9), (True, 0), (False, 0)]</td>");
        html.Should().Contain("<td>Large JSON data file (utf8, 194056 bytes)</td>", "shorter titles show whole, without a tooltip");
        html.Should().Contain("<option value=\"websocket-compression--different-parameters-\">WebSocket Compression (different parameters)</option>");
        // Text files are sliced by characters; the file's own size in octets is not the message size.
        html.Should().Contain("<tr><td><a href=\"#case-12-1-1\">12.1.1</a></td><td>16 chars</td>");
        html.Should().Contain("<tr><td><a href=\"#case-13-7-11\">13.7.11</a></td><td>8192 chars, frames of 256 octets</td>");
        html.Should().Contain("<title>13.7.11 (8192 chars, frames of 256 octets): median ");
        html.Should().NotContain("194056 octets</td>").And.NotContain(">194056 octets<");
        // The target header shows the extension of the first response that negotiated one.
        html.Should().Contain("<tr><th>Extensions</th><td><code>permessage-deflate; client_max_window_bits&#x3D;15</code></td></tr>");
    }

    [TestCase("Short title", "Short title")]
    [TestCase(Autobahn13Title, "Large JSON data file (utf8, 194056 bytes) \u2026 [(True, 9), (True, 0), (False, 0)]")]
    [TestCase("Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(False, 0)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(False, 0)]",
        "Large JSON data file (utf8, 194056 bytes) \u2026 [(False, 0)]")]
    [TestCase("A title without any colon that goes on and on and on, well past the eighty characters the matrix shows whole",
        "A title without any colon that goes on and on and on, well past the eighty\u2026")]
    public void ShortGroup_KeepsShortTitles_AndCutsLongOnesReadably(string group, string expected)
    {
        var shortened = ReportViewModelBuilder.ShortGroup(group);

        shortened.Should().Be(expected);
        shortened.Length.Should().BeLessThanOrEqualTo(ReportViewModelBuilder.MatrixGroupLength);
    }

    [Test]
    public void Render_CompressionRun_UnderGermanNumberFormat_IsIdenticalToInvariant()
    {
        var run = CompressionRun();
        var invariant = WithCulture(CultureInfo.InvariantCulture, () => Render(run));

        var german = WithCulture(GermanLike(), () => Render(run));

        german.Should().Be(invariant);
        invariant.Should().Contain("[0.123/0.456]");
    }

    // ---------------------------------------------------------------- culture

    [Test]
    public void Render_UnderGermanNumberFormat_IsIdenticalToInvariant()
    {
        var run = SampleRuns.Basic();
        var invariant = WithCulture(CultureInfo.InvariantCulture, () => Render(run));

        var german = WithCulture(GermanLike(), () => Render(run));

        german.Should().Be(invariant);
        invariant.Should().Contain("12.345 s").And.Contain(">1003.5<");
    }

    [Test]
    public async Task WriteAsync_UnderGermanNumberFormat_WritesTheSameFiles()
    {
        var run = SampleRuns.Basic();
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        await WithCultureAsync(CultureInfo.InvariantCulture, () => ReportSet.WriteAllAsync(run, a.Path));

        await WithCultureAsync(GermanLike(), () => ReportSet.WriteAllAsync(run, b.Path));

        foreach (var name in new[] { "index.html", "results.json" })
        {
            (await File.ReadAllTextAsync(b.Combine(name))).Should().Be(await File.ReadAllTextAsync(a.Combine(name)), name);
        }
    }

    /// <summary>
    /// de-DE when the runtime has culture data; otherwise (the build sets InvariantGlobalization) a culture with
    /// German number and date conventions, which is what matters for "numbers use '.'".
    /// </summary>
    private static CultureInfo GermanLike()
    {
        CultureInfo culture;
        try
        {
            culture = (CultureInfo)new CultureInfo("de-DE").Clone();
        }
        catch (CultureNotFoundException)
        {
            culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        }
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        culture.NumberFormat.PercentDecimalSeparator = ",";
        culture.DateTimeFormat.DateSeparator = ".";
        culture.DateTimeFormat.TimeSeparator = ":";
        culture.DateTimeFormat.ShortDatePattern = "dd.MM.yyyy";
        return culture;
    }

    private static T WithCulture<T>(CultureInfo culture, Func<T> action)
    {
        var (old, oldUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = old;
            CultureInfo.CurrentUICulture = oldUi;
        }
    }

    private static async Task WithCultureAsync(CultureInfo culture, Func<Task> action)
    {
        var (old, oldUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            await action();
        }
        finally
        {
            CultureInfo.CurrentCulture = old;
            CultureInfo.CurrentUICulture = oldUi;
        }
    }

    // ---------------------------------------------------------------- templates

    [Test]
    public async Task WriteAsync_TemplateDirectoryWithIndex_UsesIt()
    {
        using var templates = new TempDirectory();
        using var output = new TempDirectory();
        await File.WriteAllTextAsync(templates.Combine("index.hbs"), "<p>custom {{Title}}: {{#each Targets}}{{#each Cases}}[{{Id}} {{BehaviorVerdict}}]{{/each}}{{/each}}</p>");

        var path = await new HtmlReportWriter(templates.Path).WriteAsync(SampleRuns.HostileRun(), output.Path);

        (await File.ReadAllTextAsync(path)).Should().Be(
            "<p>custom wsconform report: Agent&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;: [2.5 FAILED]</p>");
    }

    [Test]
    public void Render_TemplateDirectoryWithOnlyAPartial_FallsBackToEmbeddedIndex()
    {
        using var templates = new TempDirectory();
        File.WriteAllText(templates.Combine("case.hbs"), "<div class=\"my-case\" id=\"{{Anchor}}\">{{Id}}</div>");

        var html = new HtmlReportWriter(templates.Path).Render(SampleRuns.Basic());

        html.Should().StartWith("<!DOCTYPE html>");
        html.Should().Contain("<div class=\"my-case\" id=\"case-2-5\">2.5</div>");
        html.Should().NotContain("<section class=\"case\"");
    }

    [Test]
    public void Render_MissingTemplateDirectory_Throws()
    {
        var act = () => new HtmlReportWriter("/nonexistent/wsconform/templates").Render(SampleRuns.Basic());

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*/nonexistent/wsconform/templates*");
    }

    [Test]
    public async Task WriteAsync_BrokenTemplate_FailsWithoutTouchingTheOldReport()
    {
        using var templates = new TempDirectory();
        using var output = new TempDirectory();
        await File.WriteAllTextAsync(templates.Combine("index.hbs"), "{{#each Targets}}unclosed");
        await File.WriteAllTextAsync(output.Combine("index.html"), "old report");

        var act = () => new HtmlReportWriter(templates.Path).WriteAsync(SampleRuns.Basic(), output.Path);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("index.hbs");
        (await File.ReadAllTextAsync(output.Combine("index.html"))).Should().Be("old report");
        output.FileNames().Should().Equal("index.html");
    }

    // ---------------------------------------------------------------- size

    [Test]
    public void Render_FiveHundredCasesWithLongWireLogs_IsComplete()
    {
        var run = SampleRuns.Large(cases: 500, wireLines: 60);
        new HtmlReportWriter().Render(SampleRuns.Basic()); // warm up Handlebars' compiler

        var watch = Stopwatch.StartNew();
        var html = Render(run);
        watch.Stop();

        Regex.Count(html, "<section class=\"case\" id=").Should().Be(500);
        Regex.Count(html, "<tr class=\"wl-").Should().Be(500 * 60);
        // Speed is printed, never asserted: the benchmarks and the README's figures carry the speed goals.
        TestContext.Out.WriteLine($"500 cases x 60 wire-log lines rendered in {watch.Elapsed.TotalMilliseconds:F0} ms, {html.Length} characters");
    }
}
