using System.Runtime.CompilerServices;

namespace Wsconform.Reports.Tests;

/// <summary>
/// Pins the exact output of every writer for the fixed sample run (the BenchmarkDotNet verified-file idea): the JSON
/// file format is a contract, and an unintended change to the HTML should show up in review as a diff.
/// To accept an intended change, run the tests with WSCONFORM_UPDATE_GOLDEN=1 and review the diff of Golden/.
/// </summary>
public class GoldenFileTests
{
    [Test]
    public async Task JsonReport_MatchesGoldenFile()
    {
        using var dir = new TempDirectory();
        var path = await new JsonReportWriter().WriteAsync(SampleRuns.Basic(), dir.Path);

        Verify("results.basic.json", await File.ReadAllTextAsync(path));
    }

    [Test]
    public async Task HtmlReport_MatchesGoldenFile()
    {
        using var dir = new TempDirectory();
        var path = await new HtmlReportWriter().WriteAsync(SampleRuns.Basic(), dir.Path);

        Verify("index.basic.html", await File.ReadAllTextAsync(path));
    }

    private static void Verify(string name, string actual, [CallerFilePath] string thisFile = "")
    {
        var golden = Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden", name);
        if (Environment.GetEnvironmentVariable("WSCONFORM_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, actual);
            Assert.Inconclusive($"Golden file {name} updated; review the diff.");
        }
        File.Exists(golden).Should().BeTrue($"{golden} exists (create it with WSCONFORM_UPDATE_GOLDEN=1)");
        // Git may check text files out with CRLF; the writers' own line breaks are LF.
        var expected = File.ReadAllText(golden).ReplaceLineEndings("\n");
        actual.ReplaceLineEndings("\n").Should().Be(expected, $"the output matches Golden/{name} (set WSCONFORM_UPDATE_GOLDEN=1 to accept a change)");
    }
}
