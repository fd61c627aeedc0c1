using System.Text.RegularExpressions;
using Wsconform.Model;

namespace Wsconform.Reports.Tests;

/// <summary>
/// Clients tested by <c>wsconform serve</c> (targets <c>client:AGENT</c>) in the HTML report: shown apart from servers,
/// under a "Clients" heading in the target sections and above the matrix's columns, with case details worded for the
/// harness as server. A run of servers alone is pinned by <see cref="GoldenFileTests"/>.
/// </summary>
public class ClientsReportTests
{
    private static string Render(RunResult run) => new HtmlReportWriter().Render(run);

    /// <summary>The HTML of the element that starts with <paramref name="startTag"/>, up to its matching close tag.</summary>
    private static string Element(string html, string startTag)
    {
        var start = html.IndexOf(startTag, StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"the page has {startTag}");
        var name = startTag[1..startTag.IndexOfAny([' ', '>'])];
        var depth = 0;
        foreach (Match tag in Regex.Matches(html[start..], $"<(/?){name}[ >]"))
        {
            depth += tag.Groups[1].Value.Length == 0 ? 1 : -1;
            if (depth == 0) return html.Substring(start, tag.Index + tag.Length);
        }
        throw new InvalidOperationException($"{startTag} is not closed");
    }

    [Test]
    public void ViewModel_MixedRun_GroupsServersFirstThenClients()
    {
        var model = ReportViewModel.From(SampleRuns.Mixed());

        model.ShowRoles.Should().BeTrue();
        model.TargetGroups.Select(g => (g.Role, g.Title, g.Anchor, g.MatrixColumnSpan)).Should().Equal(
            ("server", "Servers", "servers", 3), ("client", "Clients", "clients", 6));
        model.TargetGroups[0].Targets.Select(t => t.Agent).Should().Equal("EchoServer/1.0");
        model.TargetGroups[1].Targets.Select(t => t.Agent).Should().Equal("node-ws", "python-websockets");
        model.Targets.Select(t => (t.Number, t.Agent, t.Role)).Should().Equal(
            (1, "EchoServer/1.0", "server"), (2, "node-ws", "client"), (3, "python-websockets", "client"));
        model.Matrix.Columns.Select(c => c.Agent).Should().Equal(["EchoServer/1.0", "node-ws", "python-websockets"], "the matrix's columns follow the groups");
        var node = model.Targets[1];
        node.IsClient.Should().BeTrue();
        node.Url.Should().Be("client:node-ws");
        node.UserAgent.Should().Be(SampleRuns.NodeWsUserAgent);
        node.TestedBy.Should().Be("wsconform serve (the harness is the server)");
        model.Targets[2].HasUserAgent.Should().BeFalse("serve recorded no User-Agent for python-websockets");
        model.Targets[0].IsClient.Should().BeFalse();
        model.Targets[0].HasUserAgent.Should().BeFalse();
    }

    [Test]
    public void ViewModel_ServersOnly_ShowsNoRoles()
    {
        var model = ReportViewModel.From(SampleRuns.Basic());

        model.ShowRoles.Should().BeFalse();
        model.TargetGroups.Should().ContainSingle().Which.Role.Should().Be("server");
    }

    [Test]
    public void Render_MixedRun_ShowsBothSections_EachTargetUnderItsOwn()
    {
        var html = Render(SampleRuns.Mixed());

        var servers = Element(html, "<section class=\"role\" id=\"servers\">");
        var clients = Element(html, "<section class=\"role\" id=\"clients\">");
        servers.Should().Contain("<h2>Servers</h2>").And.Contain("id=\"target-1\"").And.Contain("<h3>Target 1: EchoServer/1.0</h3>")
            .And.NotContain("id=\"target-2\"").And.NotContain("id=\"target-3\"");
        clients.Should().Contain("<h2>Clients</h2>").And.Contain("<h3>Target 2: node-ws</h3>").And.Contain("<h3>Target 3: python-websockets</h3>")
            .And.NotContain("id=\"target-1\"");
        html.IndexOf("id=\"servers\"", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("id=\"clients\"", StringComparison.Ordinal));
        html.Should().Contain("<nav class=\"toc\"><a href=\"#summary\">Summary</a> <a href=\"#servers\">Servers</a> <a href=\"#target-1\">Target 1: EchoServer/1.0</a> "
            + "<a href=\"#clients\">Clients</a> <a href=\"#target-2\">Target 2: node-ws</a> <a href=\"#target-3\">Target 3: python-websockets</a> ");
        Regex.Matches(html, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Render_MixedRun_MatrixHeadsItsColumnsByRole()
    {
        var matrix = Element(Render(SampleRuns.Mixed()), "<table class=\"summary matrix\" id=\"matrix\"");

        matrix.Should().Contain("<tr><th colspan=\"3\"></th><th colspan=\"3\" class=\"target-head role-head\"><a href=\"#servers\">Servers</a></th>"
            + "<th colspan=\"6\" class=\"target-head role-head\"><a href=\"#clients\">Clients</a></th></tr>");
        matrix.Should().Contain("<a href=\"#target-1\">1. EchoServer/1.0</a></th><th colspan=\"3\" class=\"target-head\"><a href=\"#target-2\">2. node-ws</a></th>"
            + "<th colspan=\"3\" class=\"target-head\"><a href=\"#target-3\">3. python-websockets</a>");
        // 2.5 ran on all three targets; 7.13.1 only on the server, so the clients' cells say so.
        Regex.Count(Element(matrix, "<tr class=\"case-row\" id=\"row-2-5\""), "title=\"FAILED\"").Should().Be(3);
        Regex.Count(Element(matrix, "<tr class=\"case-row\" id=\"row-7-13-1\""), "<td class=\"verdict absent\" colspan=\"3\">not run</td>").Should().Be(2);
    }

    [Test]
    public void Render_ClientTarget_SaysItIsAClientTestedByServe()
    {
        var html = Render(SampleRuns.Mixed());

        var node = Element(html, "<section class=\"target\" id=\"target-2\">");
        node.Should().Contain("<tr><th>Role</th><td>client, tested by wsconform serve (the harness is the server)</td></tr>");
        node.Should().Contain("<tr><th>User-Agent</th><td><code>" + SampleRuns.NodeWsUserAgent + "</code></td></tr>");
        node.Should().Contain("<tr><th>URL</th><td><code>client:node-ws</code></td></tr>");
        node.Should().NotContain("Server header", "a client sends no Server header; the harness is the server");
        Element(html, "<section class=\"target\" id=\"target-3\">").Should().Contain("<tr><th>User-Agent</th><td><span class=\"none\">none recorded</span></td></tr>");
        Element(html, "<section class=\"target\" id=\"target-1\">").Should().Contain("<tr><th>Server header</th>").And.NotContain("<th>Role</th>");
    }

    [Test]
    public void Render_ClientCaseDetail_IsWordedForTheHarnessAsServer()
    {
        var html = Render(SampleRuns.Mixed());

        var client = Element(html, "<section class=\"case\" id=\"t2-case-1-1-1\">");
        client.Should().Contain("<tr><th>Sent by the harness (as server)</th><td>Send a text message with a payload of length 0.</td></tr>");
        client.Should().Contain("<tr><th>A conforming client</th><td>");
        client.Should().Contain("<p class=\"none\">The client&#x27;s upgrade request, then the harness&#x27;s response: the harness is the server here.</p>\n<pre class=\"http\">GET /runCase?case");
        client.Should().Contain("<tr><td>wasServerConnectionDropTimeout</td><td>False</td><td>Not applicable: the harness is the server");
        Element(html, "<section class=\"case\" id=\"t2-case-7-1-1\">").Should().Contain("no request was received from the client").And.Contain("no response was sent");
        var server = Element(html, "<section class=\"case\" id=\"t1-case-1-1-1\">");
        server.Should().Contain("<tr><th>Sent</th><td>").And.Contain("<tr><th>A conforming peer</th><td>").And.NotContain("the harness is the server");
        html.Should().Contain("<h3>Target 2: node-ws (client)</h3>").And.Contain("<h3>Target 1: EchoServer/1.0 (server)</h3>");
    }

    [Test]
    public void Render_ClientsOnly_ShowsOnlyTheClientsSection()
    {
        var html = Render(SampleRuns.ClientsOnly());

        Element(html, "<section class=\"role\" id=\"clients\">").Should().Contain("<h3>Target 1: node-ws</h3>");
        html.Should().NotContain("id=\"servers\"").And.NotContain(">Servers<").And.NotContain("Server header");
        html.Should().Contain("<th colspan=\"3\" class=\"target-head role-head\"><a href=\"#clients\">Clients</a></th>");
        html.Should().Contain("<title>wsconform report: node-ws</title>");
    }

    [Test]
    public void Render_HostileAgentAndUserAgent_StayEscaped()
    {
        var agent = "Agent" + SampleRuns.Hostile;
        var run = SampleRuns.Basic() with
        {
            Settings = SampleRuns.Basic().Settings with
            {
                Other = new Dictionary<string, string> { [RunSettings.ClientUserAgentKey(agent)] = "UA" + SampleRuns.Hostile },
            },
            Targets = [SampleRuns.ClientTarget(agent)],
        };
        const string escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;";

        var html = Render(run);

        Regex.Count(html, "<script").Should().Be(1, "the one script is the report's own filter");
        html.Should().NotContain("<img").And.NotContain("onerror=");
        html.Should().Contain("<h3>Target 1: Agent" + escaped + "</h3>", "the agent in the heading");
        html.Should().Contain("<tr><th>User-Agent</th><td><code>UA" + escaped + "</code></td></tr>", "the User-Agent");
        html.Should().Contain("<tr><th>URL</th><td><code>client:Agent" + escaped + "</code></td></tr>", "the client URL");
        html.Should().Contain("GET /runCase?case&#x3D;1&amp;agent&#x3D;Agent" + escaped, "the client's request");
    }
}
