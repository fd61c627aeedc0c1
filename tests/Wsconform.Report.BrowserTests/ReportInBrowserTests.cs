using System.Text.Json.Nodes;
using Wsconform.Model;
using Wsconform.Reports;
using Wsconform.Reports.Tests;
using Wsconform.TestSupport;

namespace Wsconform.Report.BrowserTests;

/// <summary>
/// The HTML report in a real browser: headless Chromium opens it from file:// (no network) and the tests query the
/// DOM over the DevTools protocol. The report is written once for a fixed result set: the four sample cases, a case
/// whose every peer-controlled string is markup that would set <c>window.__xss</c> if it ever ran, two round-trip
/// trials and 350 generated cases (a full run's size). Screenshots go to the test output folder.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ReportInBrowserTests
{
    private const string XssImg = "<img src=x onerror=window.__xss=1>";
    private const string XssScript = "<script>window.__xss=1</script>";
    private const string Xss = XssScript + "\"><img src=x onerror=window.__xss=1>";
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan UiTimeout = TimeSpan.FromSeconds(5);

    private string? reportDirectory;
    private string reportPath = "";
    private string mixedReportPath = "";
    private Chromium? chromium;
    private CdpClient? page;
    private RunResult run = null!;
    private double loadMs;

    private CdpClient Page => page ?? throw new InvalidOperationException("no page");

    /// <summary>Where screenshots are saved: the test output folder.</summary>
    private static string ScreenshotDirectory => Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

    [OneTimeSetUp]
    public async Task OpenReportAsync()
    {
        var (executable, reason) = await ChromiumInstaller.FindOrInstallAsync();
        if (executable is null)
        {
            Assert.Ignore("Browser tests skipped: " + reason);
        }

        run = FixedRun();
        reportDirectory = Path.Combine(Path.GetTempPath(), "wsconform-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(reportDirectory);
        var path = reportPath = await new HtmlReportWriter().WriteAsync(run, reportDirectory);
        mixedReportPath = await new HtmlReportWriter().WriteAsync(SampleRuns.Mixed(), Directory.CreateDirectory(Path.Combine(reportDirectory, "mixed")).FullName);

        try
        {
            chromium = await Chromium.StartAsync(executable!);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("Browser tests skipped: chromium did not start: " + e.Message);
        }
        page = await CdpClient.ConnectToPageAsync(chromium!.HttpEndpoint);
        await Page.SendAsync("Page.enable");
        await Page.SendAsync("Runtime.enable");
        await Page.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 1600, deviceScaleFactor = 1, mobile = false });

        // Best of three loads: the first includes Chromium's own warm-up, and a busy CI machine adds noise.
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            await NavigateAsync(new Uri(path).AbsoluteUri + (i == 0 ? "" : $"?load={i}"));
            times.Add(await Page.EvaluateAsync<double>("performance.getEntriesByType('navigation')[0].loadEventEnd"));
        }
        loadMs = times.Min();
        TestContext.Progress.WriteLine(
            $"Report of {run.Targets[0].Cases.Count} cases: {new FileInfo(path).Length} bytes, load event after {string.Join(" / ", times.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} ms (best {loadMs:F0} ms)");
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        if (page is not null)
        {
            await page.DisposeAsync();
        }
        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }
        if (reportDirectory is not null && Directory.Exists(reportDirectory))
        {
            Directory.Delete(reportDirectory, recursive: true);
        }
    }

    [SetUp]
    public async Task ResetFiltersAsync()
    {
        await Page.EvaluateAsync("""
            (() => {
              document.getElementById('f-verdict').value = '';
              document.getElementById('f-category').value = '';
              document.getElementById('f-search').value = '';
              document.getElementById('f-notok').checked = false;
              document.getElementById('f-search').dispatchEvent(new Event('input'));
              history.replaceState(null, '', location.pathname);
              window.scrollTo(0, 0);
              return true;
            })()
            """);
    }

    [Test]
    public async Task Matrix_HasOneRowPerCase_AndEveryVerdictCellCarriesText()
    {
        var rows = await Page.EvaluateAsync<int>("document.querySelectorAll('#matrix tr.case-row').length");
        var cells = await Page.EvaluateAsync<int>("document.querySelectorAll('#matrix tr.case-row td.verdict').length");
        var emptyCells = await Page.EvaluateAsync<int>(
            "[...document.querySelectorAll('#matrix tr.case-row td.verdict')].filter(td => td.textContent.trim() === '').length");
        var visible = await VisibleRowsAsync();

        rows.Should().Be(run.Targets[0].Cases.Count);
        cells.Should().Be(2 * run.Targets[0].Cases.Count, "a behaviour and a close cell per case and target");
        emptyCells.Should().Be(0, "every cell says its verdict in words, not by colour alone");
        visible.Should().Be(rows);
        (await Page.EvaluateAsync<string>("document.getElementById('f-count').textContent"))
            .Should().Be($"{rows} of {rows} cases shown");

        await SaveScreenshotAsync("summary.png", "summary");
    }

    [Test]
    public async Task OnlyNotOkSwitch_HidesTheOkRows()
    {
        var notOk = run.Targets[0].Cases.Count(c => !(c.Behavior is Behavior.Ok or Behavior.Informational && c.BehaviorClose is CloseBehavior.Ok or CloseBehavior.Informational));
        var before = await VisibleRowsAsync();

        await Page.EvaluateAsync("document.getElementById('f-notok').click()");
        var after = await VisibleRowsAsync();

        before.Should().Be(run.Targets[0].Cases.Count);
        after.Should().Be(notOk).And.BeGreaterThan(0).And.BeLessThan(before);
        (await Page.EvaluateAsync<int>(
            "[...document.querySelectorAll('#matrix tr.case-row')].filter(r => !r.hidden && r.dataset.ok === '1').length"))
            .Should().Be(0, "no OK row stays visible");
    }

    [Test]
    public async Task SearchById_NarrowsToThatCase()
    {
        await TypeSearchAsync("2.5");

        (await VisibleIdsAsync()).Should().Equal("2.5");
    }

    [Test]
    public async Task SearchByIdPrefix_ShowsThatGroup_AndTextSearchFindsRequirements()
    {
        await TypeSearchAsync("9.7");
        (await VisibleIdsAsync()).Should().Equal("9.7.1", "9.7.2");

        await TypeSearchAsync("longer ping");
        (await VisibleIdsAsync()).Should().Contain("2.5");
    }

    [Test]
    public async Task VerdictAndCategoryFilters_Narrow()
    {
        await Page.EvaluateAsync("(() => { const s = document.getElementById('f-verdict'); s.value = 'ERROR'; s.dispatchEvent(new Event('change')); return 1; })()");
        (await VisibleIdsAsync()).Should().Equal("7.1.1");

        await Page.EvaluateAsync("(() => { const s = document.getElementById('f-verdict'); s.value = ''; s.dispatchEvent(new Event('change')); const c = document.getElementById('f-category'); c.value = 'limits-performance'; c.dispatchEvent(new Event('change')); return 1; })()");
        (await VisibleIdsAsync()).Should().Equal("9.7.1", "9.7.2");
    }

    [Test]
    public async Task FailedCaseAnchor_ShowsItsWireLog()
    {
        await Page.EvaluateAsync("document.querySelector('#row-2-5 td.id a').click()");
        (await Page.WaitUntilAsync("location.hash === '#case-2-5'", UiTimeout)).Should().BeTrue("the ID links to the detail section");

        var open = await Page.EvaluateAsync<bool>("document.querySelector('#case-2-5 details.wire').open");
        var wireRows = await Page.EvaluateAsync<int>(
            "[...document.querySelectorAll('#case-2-5 table.wirelog tbody tr')].filter(tr => tr.getBoundingClientRect().height > 0).length");
        var inView = await Page.EvaluateAsync<bool>(
            "(() => { const r = document.getElementById('case-2-5').getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight; })()");
        var hex = await Page.EvaluateAsync<string>("document.querySelector('#case-2-5 table.wirelog .hex').textContent");

        open.Should().BeTrue();
        wireRows.Should().Be(SampleRuns.FailedCase().WireLog.Count);
        inView.Should().BeTrue("the browser scrolled to the case");
        hex.Should().Be("fe fe ...");
        await SaveScreenshotAsync("failed-case.png", "failed-case");
    }

    [Test]
    public async Task CaseLinks_LeadToPreviousNextAndBackToTheSummaryRow()
    {
        var prev = await Page.EvaluateAsync<string>("document.querySelector('#case-2-5 nav.case-nav a[rel=prev]').getAttribute('href')");
        var next = await Page.EvaluateAsync<string>("document.querySelector('#case-2-5 nav.case-nav a[rel=next]').getAttribute('href')");
        var summary = await Page.EvaluateAsync<string>("document.querySelector('#case-2-5 p.top a').getAttribute('href')");
        var targets = await Page.EvaluateAsync<bool>($"[{Quote(prev)}, {Quote(next)}, {Quote(summary)}].every(h => document.getElementById(h.slice(1)))");

        prev.Should().Be("#case-1-1-1");
        next.Should().Be("#case-7-1-1");
        summary.Should().Be("#row-2-5");
        targets.Should().BeTrue("every link has a target in the page");
    }

    [Test]
    public async Task RoundTripChart_HasAMedianAndP99BarPerTrial()
    {
        // 9.7.1 and 9.7.2, plus the sample's 1.1.1, which carries round trips too (in its own sub-category's chart).
        (await Page.EvaluateAsync<int>("document.querySelectorAll('#timing figure').length")).Should().Be(2);
        (await Page.EvaluateAsync<int>("document.querySelectorAll('#timing svg rect.rtt-median').length")).Should().Be(3);
        (await Page.EvaluateAsync<int>("document.querySelectorAll('#timing svg rect.rtt-p99').length")).Should().Be(3);
        (await Page.EvaluateAsync<string>("[...document.querySelectorAll('#timing table.rtt-table tbody tr')].map(tr => tr.textContent).join('|')"))
            .Should().Contain("9.7.1").And.Contain("16 octets");
    }

    [Test]
    public async Task Page_LogsNoConsoleErrorsAndThrowsNothing()
    {
        var errors = Page.Events("Runtime.consoleAPICalled").Where(e => (string?)e["type"] is "error" or "assert" or "warning")
            .Select(e => e.ToJsonString()).Concat(Page.Events("Runtime.exceptionThrown").Select(e => e.ToJsonString())).ToArray();

        errors.Should().BeEmpty();
    }

    [Test]
    public async Task HostilePeerStrings_ShowAsText_AndNeverRun()
    {
        var xss = await Page.EvaluateAsync("typeof window.__xss");
        var text = await Page.EvaluateAsync<string>("document.body.textContent");
        var scripts = await Page.EvaluateAsync<int>("document.scripts.length");
        var images = await Page.EvaluateAsync<int>("document.images.length");

        ((string?)xss).Should().Be("undefined", "no injected handler or script ran");
        scripts.Should().Be(1, "only the report's own filter script is in the page");
        images.Should().Be(0);
        text.Should().Contain("Server" + Xss, "the Server header is shown as text");
        text.Should().Contain("Sec-WebSocket-Protocol: " + Xss, "the subprotocol in the handshake response is shown as text");
        text.Should().Contain("permessage-deflate; " + Xss, "the compression agreement is shown as text");
        (await Page.EvaluateAsync<string>("document.querySelector('#row-6-6-6 .ratio').textContent")).Should().Be("[0.400/0.600]");
        text.Should().Contain(XssImg).And.Contain(XssScript);
        (await Page.EvaluateAsync<string>("document.querySelector('#case-6-6-6 .payload').textContent")).Should().Be(Xss);
    }

    [Test]
    public async Task ReportWithClients_ShowsServersAndClientsApart_AndTheFiltersStillWork()
    {
        try
        {
            await NavigateAsync(new Uri(mixedReportPath).AbsoluteUri);
            var servers = await Page.EvaluateAsync<string>("[...document.querySelectorAll('#servers section.target h3')].map(h => h.textContent).join('|')");
            var clients = await Page.EvaluateAsync<string>("[...document.querySelectorAll('#clients section.target h3')].map(h => h.textContent).join('|')");
            var roleHeads = await Page.EvaluateAsync<string>("[...document.querySelectorAll('#matrix th.role-head')].map(th => th.textContent + ':' + th.colSpan).join('|')");
            var allRows = await VisibleIdsAsync();

            servers.Should().Be("Target 1: EchoServer/1.0");
            clients.Should().Be("Target 2: node-ws|Target 3: python-websockets");
            roleHeads.Should().Be("Servers:3|Clients:6");
            allRows.Should().Equal("1.1.1", "2.5", "7.1.1", "7.13.1");
            await SaveScreenshotAsync("clients.png", "clients");
            await Page.EvaluateAsync("document.getElementById('summary').scrollIntoView()");
            await SaveScreenshotAsync("clients-matrix.png", "clients-matrix");

            await Page.EvaluateAsync("document.getElementById('f-notok').click()");
            (await VisibleIdsAsync()).Should().Equal("2.5", "7.1.1");
            await TypeSearchAsync("2.5");
            (await VisibleIdsAsync()).Should().Equal("2.5");
            (await Page.EvaluateAsync<string>("document.getElementById('f-count').textContent")).Should().Be("1 of 4 cases shown");
        }
        finally
        {
            await NavigateAsync(new Uri(reportPath).AbsoluteUri);
        }
    }

    [Test]
    public void FullSizeReport_ReachesItsLoadEvent()
    {
        // Load time is a speed goal: it is printed (see the fixture's output and the README), never asserted here.
        loadMs.Should().BePositive("the browser reached the load event of a report of a full run's size");
    }

    // ---------------------------------------------------------------- helpers

    private async Task NavigateAsync(string url)
    {
        var loaded = Page.WaitForEventAsync("Page.loadEventFired", LoadTimeout);
        await Page.SendAsync("Page.navigate", new { url });
        await loaded;
    }

    private async Task<int> VisibleRowsAsync() =>
        await Page.EvaluateAsync<int>("[...document.querySelectorAll('#matrix tr.case-row')].filter(r => r.getBoundingClientRect().height > 0).length");

    private async Task<string[]> VisibleIdsAsync()
    {
        var ids = await Page.EvaluateAsync(
            "[...document.querySelectorAll('#matrix tr.case-row')].filter(r => r.getBoundingClientRect().height > 0).map(r => r.dataset.id)");
        return ids!.AsArray().Select(n => (string)n!).ToArray();
    }

    private Task TypeSearchAsync(string text) => Page.EvaluateAsync(
        $"(() => {{ const s = document.getElementById('f-search'); s.value = {Quote(text)}; s.dispatchEvent(new Event('input')); return 1; }})()");

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private async Task SaveScreenshotAsync(string name, string copyName)
    {
        var shot = await Page.SendAsync("Page.captureScreenshot", new { format = "png" });
        var bytes = Convert.FromBase64String((string)shot["data"]!);
        var path = Path.Combine(ScreenshotDirectory, name);
        await File.WriteAllBytesAsync(path, bytes);
        TestContext.AddTestAttachment(path);
        // A stable copy outside the build tree, for a reviewer to open.
        await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), $"wsconform-{copyName}.png"), bytes);
        bytes.Length.Should().BeGreaterThan(1000);
    }

    /// <summary>The fixed result set: sample cases, a hostile case, two trials and 350 generated cases.</summary>
    private static RunResult FixedRun()
    {
        var basic = SampleRuns.Basic();
        var hostile = SampleRuns.FailedCase() with
        {
            Id = "6.6.6",
            Category = "Hostile peer",
            Group = Xss,
            Requirement = "Peer-controlled strings are shown as text: " + Xss,
            Close = SampleRuns.FailedCase().Close with { RemoteCloseReason = Xss, WasNotCleanReason = Xss },
            HandshakeResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + $"Sec-WebSocket-Protocol: {Xss}\r\nSec-WebSocket-Extensions: {XssImg}\r\nServer: {Xss}\r\nX-Custom: {Xss}\r\n\r\n",
            Received = [new CaseEvent(EventKind.Message, new PayloadView(Xss.Length, Xss, true))],
            Violations = [new PeerViolation(1.5, "RFC 6455 §5.2", "peer sent " + Xss)],
            // The compression agreement is the peer's own Sec-WebSocket-Extensions text.
            Compression = new CompressionStats("permessage-deflate; " + Xss, 100, 60, 100, 40),
            WireLog =
            [
                new WireLogEntry { TimeMs = 1, Kind = WireEntryKind.FrameIn, Opcode = 1, Fin = true, Rsv = 0, Masked = false, Payload = new PayloadView(Xss.Length, Xss, true) },
                new WireLogEntry { TimeMs = 3, Kind = WireEntryKind.Violation, Text = Xss },
                new WireLogEntry { TimeMs = 4, Kind = WireEntryKind.TcpDroppedByPeer, Text = Xss },
            ],
        };
        var wire = Enumerable.Range(0, 12)
            .Select(i => new WireLogEntry
            {
                TimeMs = i * 0.25, Kind = i % 2 == 0 ? WireEntryKind.FrameOut : WireEntryKind.FrameIn, Opcode = 1, Fin = true, Rsv = 0,
                Masked = i % 2 == 0, MaskKey = i % 2 == 0 ? "0a0b0c0d" : null, Payload = new PayloadView(64, new string('*', 64), true),
            })
            .ToArray();
        var generated = Enumerable.Range(0, 350).Select(i =>
        {
            var template = i % 9 == 4 ? SampleRuns.FailedCase() : SampleRuns.OkCase() with { RoundTrips = null };
            return template with
            {
                Id = $"{i / 100 + 10}.{i / 10 % 10 + 1}.{i % 10 + 1}",
                Category = $"Generated {i / 100 + 1}",
                Group = $"Group {i / 10 % 10 + 1}",
                WireLog = wire,
            };
        });
        var trials = new[]
        {
            SampleRuns.PerformanceCase() with { Id = "9.7.1", Stimulus = "Sends 1000 text messages with an empty payload." },
            SampleRuns.PerformanceCase() with
            {
                Id = "9.7.2", Stimulus = "Sends 1000 text messages of 16 octets.",
                RoundTrips = new RoundTripStats(1000, 1000, Enumerable.Range(0, 1000).Select(i => 0.08 + i % 50 * 0.01).ToArray()),
            },
        };
        return basic with
        {
            Targets =
            [
                basic.Targets[0] with
                {
                    Target = new TargetInfo("ws://127.0.0.1:9001/", "EchoServer/1.0", "Server" + Xss),
                    Cases = [.. basic.Targets[0].Cases, hostile, .. trials, .. generated],
                },
            ],
        };
    }
}
