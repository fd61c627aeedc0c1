using Wsconform.Model;

namespace Wsconform.Reports.Tests;

public class ReportSetTests
{
    [Test]
    public void Default_IsJsonThenHtml()
    {
        ReportSet.Default().Select(w => w.Name).Should().Equal("json", "html");
        ReportSet.Default("/my/templates").OfType<HtmlReportWriter>().Single().TemplateDirectory.Should().Be("/my/templates");
    }

    [Test]
    public async Task WriteAllAsync_CreatesTheFolderAndReturnsThePaths()
    {
        using var root = new TempDirectory();
        var output = root.Combine("a", "b", "reports");

        var paths = await ReportSet.WriteAllAsync(SampleRuns.Basic(), output);

        paths.Should().Equal(Path.Combine(output, "results.json"), Path.Combine(output, "index.html"));
        paths.Should().OnlyContain(p => File.Exists(p));
    }

    [Test]
    public async Task WriteAllAsync_OneWriterFails_OthersStillRunAndTheFailureIsNamed()
    {
        using var dir = new TempDirectory();
        IReportWriter[] writers = [new ThrowingWriter(), new JsonReportWriter(), new HtmlReportWriter()];

        var act = () => ReportSet.WriteAllAsync(SampleRuns.Basic(), dir.Path, writers);

        var error = (await act.Should().ThrowAsync<AggregateException>()).Which;
        error.Message.Should().Contain("boom").And.Contain("results.json").And.Contain("index.html");
        error.InnerExceptions.Should().ContainSingle()
            .Which.Should().BeOfType<ReportWriterException>()
            .Which.WriterName.Should().Be("boom");
        error.InnerExceptions[0].InnerException.Should().BeOfType<IOException>().Which.Message.Should().Be("disk on fire");
        dir.FileNames().Should().Equal("index.html", "results.json");
    }

    [Test]
    public async Task WriteAllAsync_BadTemplateDirectory_StillWritesJson()
    {
        using var dir = new TempDirectory();

        var act = () => ReportSet.WriteAllAsync(SampleRuns.Basic(), dir.Path, templateDirectory: dir.Combine("missing"));

        (await act.Should().ThrowAsync<AggregateException>()).Which.InnerExceptions.Should().ContainSingle()
            .Which.Should().BeOfType<ReportWriterException>().Which.WriterName.Should().Be("html");
        dir.FileNames().Should().Equal("results.json");
    }

    [Test]
    public async Task WriteAllAsync_Cancelled_PropagatesCancellation()
    {
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => ReportSet.WriteAllAsync(SampleRuns.Basic(), dir.Path, cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private sealed class ThrowingWriter : IReportWriter
    {
        public string Name => "boom";

        public Task<string> WriteAsync(RunResult run, string outputDirectory, CancellationToken cancellationToken = default) =>
            throw new IOException("disk on fire");
    }
}
