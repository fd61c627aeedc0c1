using Wsconform.Cli;
using Wsconform.Model;

namespace Wsconform.Tests.Cli;

[TestFixture]
public sealed class ConsoleReportTests
{
    [Test]
    public void Summary_CountsVerdictsPerCategoryAndListsTheCasesNotOk()
    {
        TargetResult result = new()
        {
            Target = new TargetInfo("ws://127.0.0.1:9001/", "peer/1.0", "peer/1.0"),
            RunPhaseMs = 1234.6,
            Cases =
            [
                Case("1.1.1", "Framing", Behavior.Ok, CloseBehavior.Ok, "Received the echo."),
                Case("1.1.2", "Framing", Behavior.Failed, CloseBehavior.Ok, "Expected the echo, got [red]nothing[/]."),
                Case("7.1.1", "Close Handling", Behavior.Ok, CloseBehavior.WrongCode, "ok", "Peer closed with 1002 instead of 1000."),
                Case("7.1.6", "Close Handling", Behavior.Informational, CloseBehavior.Informational, "info"),
                Case("12.1.1", "WebSocket Compression", Behavior.Unimplemented, CloseBehavior.Ok, "no deflate"),
            ],
        };
        using var stdout = new StringWriter();

        ConsoleReport.Write(CliConsoleForTests(stdout), result, TimeSpan.FromMilliseconds(2000));

        var text = stdout.ToString();
        text.Should().Contain("peer/1.0 at ws://127.0.0.1:9001/")
            .And.Contain("run phase 1,235 ms, total 2,000 ms")
            .And.Contain("1 case(s) UNIMPLEMENTED")
            .And.Contain("2 case(s) not OK:")
            .And.Contain("[red]nothing[/]", "peer-controlled text is printed as is, never parsed as markup")
            .And.Contain("Peer closed with 1002 instead of 1000.", "a bad close verdict shows the close sentence");
        Line(text, "1 Framing").Should().MatchRegex(@"1 Framing\s*\|\s*2\s*\|\s*1\s*\|\s*1");
        Line(text, "7 Close Handling").Should().MatchRegex(@"\|\s*2\s*\|\s*1\s*\|\s*1");
        Line(text, "WRONG CODE").Should().MatchRegex(@"WRONG CODE\s*\|\s*-\s*\|\s*1");
        text.Should().NotContain("Received the echo.", "OK cases are not listed");
    }

    private static Spectre.Console.IAnsiConsole CliConsoleForTests(TextWriter writer) => CliConsole.Create(writer);

    private static string Line(string text, string containing) =>
        text.Split('\n').First(l => l.Contains(containing, StringComparison.Ordinal));

    private static CaseResult Case(string id, string category, Behavior behavior, CloseBehavior close, string result, string resultClose = "closed") => new()
    {
        Id = id,
        Category = category,
        RfcSections = ["RFC 6455 §5"],
        Requirement = "r",
        Stimulus = "s",
        ExpectedBehaviour = "e",
        Behavior = behavior,
        BehaviorClose = close,
        Result = result,
        ResultClose = resultClose,
        Started = DateTimeOffset.UnixEpoch,
        DurationMs = 1,
        Expected = [],
        Received = [],
        ExpectedClose = new ExpectedClose(true, [1000], true),
        Close = new CloseFacts(),
        Violations = [],
        WireLog = [],
    };
}
