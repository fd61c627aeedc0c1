using Wsconform.Cli;
using Wsconform.Echo;

namespace Wsconform.Tests.Cli;

/// <summary>--template-dir: a user's own HTML templates replace the built-in ones file by file.</summary>
public class TemplateDirTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("wsconform-templates-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Run_WithTemplateDir_RendersTheUsersIndexTemplate()
    {
        var templates = Directory.CreateDirectory(Path.Combine(_dir, "templates")).FullName;
        // A user's index.hbs: only the view model's escaped values, no built-in partials.
        await File.WriteAllTextAsync(Path.Combine(templates, "index.hbs"),
            "<html><body><h1>my report</h1><p>{{TotalCases}} cases by {{ToolVersion}}</p></body></html>");
        await using var server = await EchoServer.StartAsync();
        var output = Path.Combine(_dir, "out");

        var outcome = await CliRunner.RunAsync("run", server.Url.ToString(), "--cases", "1.1.1", "--out", output, "--template-dir", templates);

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stdout + outcome.Stderr);
        var html = await File.ReadAllTextAsync(Path.Combine(output, "index.html"));
        html.Should().Contain("<h1>my report</h1>").And.Contain("<p>1 cases by ");
    }

    [Test]
    public async Task Run_WithMissingTemplateDir_IsAUsageErrorInOneLine()
    {
        var missing = Path.Combine(_dir, "no-such-folder");

        var outcome = await CliRunner.RunAsync("run", "--cases", "1.1.1", "--out", Path.Combine(_dir, "out"), "--template-dir", missing);

        outcome.ExitCode.Should().Be(ExitCodes.Usage);
        outcome.StderrLines.Should().ContainSingle().Which.Should().Contain("--template-dir").And.Contain("no-such-folder");
    }
}
