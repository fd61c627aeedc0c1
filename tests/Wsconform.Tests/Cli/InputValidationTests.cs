using Wsconform.Cli;

namespace Wsconform.Tests.Cli;

/// <summary>Every bad input ends with exit code 2 and one line on stderr naming the problem; nothing runs.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class InputValidationTests
{
    private static IEnumerable<TestCaseData> BadInputs()
    {
        yield return Case("malformed URL", ["run", "ws//missing-colon"], "invalid URL 'ws//missing-colon'");
        yield return Case("http scheme", ["run", "http://example.test/"], "unsupported URL scheme 'http'");
        yield return Case("https scheme", ["run", "https://example.test/"], "use ws:// or wss://");
        yield return Case("fragment", ["run", "ws://example.test/chat#part"], "#fragment (RFC 6455 §3)");
        yield return Case("empty fragment", ["run", "ws://example.test/chat#"], "#fragment");
        yield return Case("user info", ["run", "ws://user:pw@example.test/"], "user info");
        yield return Case("parallel 0", ["run", "--parallel", "0"], "--parallel must be at least 1 (got 0)");
        yield return Case("parallel negative", ["run", "--parallel", "-3"], "--parallel");
        yield return Case("parallel not a number", ["run", "--parallel", "many"], "'many'");
        yield return Case("header without colon", ["run", "--header", "Authorization Bearer x"], "--header 'Authorization Bearer x' has no colon");
        yield return Case("header without name", ["run", "--header", ": value"], "has no name");
        yield return Case("header with bad name", ["run", "--header", "Bad Name: v"], "not a valid header name");
        yield return Case("handshake header", ["run", "--header", "Sec-WebSocket-Key: abc"], "written by the harness");
        yield return Case("origin as header", ["run", "--header", "Origin: http://a"], "use --origin");
        yield return Case("protocol with space", ["run", "--protocol", "chat v1"], "--protocol 'chat v1' is not a valid subprotocol");
        yield return Case("protocol twice", ["run", "--protocol", "chat", "--protocol", "chat"], "same subprotocol twice");
        yield return Case("ca missing", ["run", "wss://example.test/", "--ca", "/nonexistent/wsconform-ca.pem"], "--ca file '/nonexistent/wsconform-ca.pem' does not exist");
        yield return Case("no case matches", ["run", "--cases", "99.*"], "no case matches --cases 99.*");
        yield return Case("no case matches, listed", ["run", "--cases", "1.*,99.*"], "no case matches --cases 99.*");
        yield return Case("exclude everything", ["run", "--exclude", "*"], "leaves no case");
        yield return Case("only client cases", ["run", "--cases", "0.8.*"], "none of the 8 selected case(s) applies to servers");
        yield return Case("unknown option", ["run", "--frobnicate"], "--frobnicate");
        yield return Case("list: no case matches", ["list", "--cases", "99.*"], "no case matches --cases 99.*");
    }

    private static TestCaseData Case(string name, string[] args, string expected) =>
        new TestCaseData(args, expected).SetName($"BadInput_ExitsWithUsageCode({name})");

    [TestCaseSource(nameof(BadInputs))]
    public async Task BadInput_ExitsWithUsageCodeAndOneLineNamingTheProblem(string[] args, string expected)
    {
        var outcome = await CliRunner.RunAsync(args);

        outcome.ExitCode.Should().Be(ExitCodes.Usage, outcome.Stderr);
        outcome.StderrLines.Should().ContainSingle().Which.Should().StartWith("wsconform: ").And.Contain(expected);
        outcome.Stdout.Should().BeEmpty("nothing ran");
    }

    private static IEnumerable<TestCaseData> ParseErrors()
    {
        yield return Parse("unknown option with value", ["run", "ws://example.test/", "--frobnicate", "x"], "'--frobnicate'");
        yield return Parse("two URLs", ["run", "ws://a.test/", "ws://b.test/"], "'ws://b.test/'");
        yield return Parse("unknown command", ["frobnicate"], "'frobnicate'");
        yield return Parse("no command", [], "command");
        yield return Parse("option without value", ["run", "--cases"], "--cases");
        yield return Parse("list: bad format", ["list", "--format", "xml"], "'xml'");
    }

    private static TestCaseData Parse(string name, string[] args, string expected) =>
        new TestCaseData(args, expected).SetName($"ParseError_ExitsWithUsageCode({name})");

    /// <summary>System.CommandLine may find several problems in one command line: one line each, no help dump.</summary>
    [TestCaseSource(nameof(ParseErrors))]
    public async Task ParseError_ExitsWithUsageCodeAndOneLinePerError(string[] args, string expected)
    {
        var outcome = await CliRunner.RunAsync(args);

        outcome.ExitCode.Should().Be(ExitCodes.Usage, outcome.Stderr);
        outcome.StderrLines.Should().NotBeEmpty().And.OnlyContain(line => line.StartsWith("wsconform: ", StringComparison.Ordinal));
        outcome.StderrLines.Should().Contain(line => line.Contains(expected, StringComparison.Ordinal));
        outcome.Stdout.Should().BeEmpty("no help text is dumped on a parse error");
    }

    [Test]
    public async Task Version_PrintsTheToolVersion()
    {
        var outcome = await CliRunner.RunAsync("--version");

        outcome.ExitCode.Should().Be(ExitCodes.Ok);
        outcome.Stdout.Trim().Should().Be(Wsconform.Engine.ToolInfo.Version);
    }

    [Test]
    public async Task Help_ListsTheCommands()
    {
        var outcome = await CliRunner.RunAsync("--help");

        outcome.ExitCode.Should().Be(ExitCodes.Ok);
        outcome.Stdout.Should().Contain("run").And.Contain("list");
        outcome.Stderr.Should().BeEmpty();
    }

    [Test]
    public async Task RunHelp_ListsEveryOption()
    {
        var outcome = await CliRunner.RunAsync("run", "--help");

        outcome.ExitCode.Should().Be(ExitCodes.Ok);
        foreach (var option in new[] { "--cases", "--exclude", "--out", "--parallel", "--header", "--origin", "--protocol", "--insecure", "--ca", "--agent" })
            outcome.Stdout.Should().Contain(option);
    }

    [TestCase("ws://example.test/chat?room=1", "/chat?room=1")]
    [TestCase("wss://example.test:8443/", "/")]
    [TestCase("ws://[::1]:9001", "/")]
    public void ParseUrl_AcceptsWebSocketUrls(string text, string pathAndQuery)
    {
        InputValidation.ParseUrl(text, out var url).Should().BeNull();
        url!.PathAndQuery.Should().Be(pathAndQuery);
    }

    [TestCase("Authorization: Bearer a:b", "Authorization", "Bearer a:b")]
    [TestCase("Cookie:session=1", "Cookie", "session=1")]
    [TestCase("X-Empty:", "X-Empty", "")]
    public void ParseHeader_SplitsAtTheFirstColon(string text, string name, string value)
    {
        InputValidation.ParseHeader(text, out var header).Should().BeNull();
        header.Should().Be(new KeyValuePair<string, string>(name, value));
    }

    [Test]
    public void ParseHeader_RejectsALineBreakInTheValue() =>
        InputValidation.ParseHeader("X-Inject: a\r\nHost: evil", out _).Should().Contain("line break");

    [Test]
    public void SplitPatterns_AcceptsRepeatedAndCommaSeparatedValues() =>
        InputValidation.SplitPatterns(["1.*, 2.*", "5.*", "1.*", " ,"]).Should().Equal("1.*", "2.*", "5.*");
}
