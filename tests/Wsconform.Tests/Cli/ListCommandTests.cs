using System.Text.Json;
using Wsconform.Cases;
using Wsconform.Cli;

namespace Wsconform.Tests.Cli;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ListCommandTests
{
    [Test]
    public async Task ListJson_HasOneObjectPerCatalogueCase()
    {
        var outcome = await CliRunner.RunAsync("list", "--format", "json");

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        outcome.Stderr.Should().BeEmpty();
        using var json = JsonDocument.Parse(outcome.Stdout);
        var items = json.RootElement.EnumerateArray().ToList();
        items.Select(i => i.GetProperty("id").GetString()).Should().Equal(Catalogue.All.Select(c => c.Id));
        foreach (var item in items)
        {
            item.GetProperty("category").GetString().Should().NotBeNullOrEmpty();
            item.TryGetProperty("group", out _).Should().BeTrue();
            item.GetProperty("rfcSections").ValueKind.Should().Be(JsonValueKind.Array);
            item.GetProperty("requirement").GetString().Should().NotBeNullOrEmpty();
            item.GetProperty("stimulus").GetString().Should().NotBeNullOrEmpty();
            item.GetProperty("expectedBehaviour").GetString().Should().NotBeNullOrEmpty();
        }
    }

    [Test]
    public async Task ListJson_AppliesCasesAndExclude()
    {
        var first = Catalogue.All[0].Id.Split('.')[0];
        var outcome = await CliRunner.RunAsync("list", "--format", "json", "--cases", first + ".*", "--exclude", Catalogue.All[0].Id);

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        using var json = JsonDocument.Parse(outcome.Stdout);
        var ids = json.RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        ids.Should().NotBeEmpty().And.OnlyContain(id => id.StartsWith(first + ".", StringComparison.Ordinal))
            .And.NotContain(Catalogue.All[0].Id);
    }

    [Test]
    public async Task ListText_PrintsATableWithTheCount()
    {
        var outcome = await CliRunner.RunAsync("list");

        outcome.ExitCode.Should().Be(ExitCodes.Ok, outcome.Stderr);
        outcome.Stdout.Should().Contain("Requirement").And.Contain(Catalogue.All[0].Id)
            .And.Contain($"{Catalogue.All.Count} case(s)");
    }
}
