namespace Wsconform.Reports.Tests;

public class AtomicWriteTests
{
    [Test]
    public async Task WriteAll_Twice_OverwritesAndLeavesNoTempFiles()
    {
        using var dir = new TempDirectory();
        await ReportSet.WriteAllAsync(SampleRuns.Basic(), dir.Path);
        var second = SampleRuns.Basic() with { ToolVersion = "9.9.9-second" };

        await ReportSet.WriteAllAsync(second, dir.Path);

        dir.FileNames().Should().Equal("index.html", "results.json");
        ResultsJson.ReadFile(dir.Combine("results.json")).ToolVersion.Should().Be("9.9.9-second");
        (await File.ReadAllTextAsync(dir.Combine("index.html"))).Should().Contain("wsconform 9.9.9-second");
    }

    [Test]
    public async Task AtomicFile_WriterThrows_KeepsOldFileAndDeletesTemp()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("report.txt");
        await File.WriteAllTextAsync(path, "complete old report");

        var act = () => AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[1000], ct);
            throw new IOException("disk full");
        }, CancellationToken.None);

        await act.Should().ThrowAsync<IOException>().WithMessage("disk full");
        (await File.ReadAllTextAsync(path)).Should().Be("complete old report");
        dir.FileNames().Should().Equal("report.txt");
    }

    [Test]
    public async Task AtomicFile_Cancelled_KeepsOldFileAndDeletesTemp()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("report.txt");
        await File.WriteAllTextAsync(path, "old");
        using var cts = new CancellationTokenSource();

        var act = () => AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            await stream.WriteAsync("new"u8.ToArray(), ct);
            await cts.CancelAsync();
        }, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await File.ReadAllTextAsync(path)).Should().Be("old");
        dir.FileNames().Should().Equal("report.txt");
    }

    [Test]
    public async Task AtomicFile_NewFile_IsCreated()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("new.txt");

        await AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync("hello"u8.ToArray(), ct).AsTask(), CancellationToken.None);

        (await File.ReadAllTextAsync(path)).Should().Be("hello");
        dir.FileNames().Should().Equal("new.txt");
    }
}
