using System.Diagnostics;
using System.Text.Json;
using Wsconform.Model;
using Wsconform.Reports.Gate;

namespace Wsconform.Reports.Tests.Gate;

/// <summary>
/// The shipped JSON Schema agrees with the parser. Validation uses Python's <c>jsonschema</c> module when a python3
/// with it is on PATH (no NuGet package needed); the tests are skipped with a message otherwise.
/// </summary>
[TestFixture]
public sealed class ExpectationsSchemaTests
{
    private static string SchemaPath => Path.Combine(AppContext.BaseDirectory, "Gate", "expectations.schema.json");

    private static readonly string[] ValidExamples =
    [
        "{}",
        """{ "policy": "strict" }""",
        """{ "$schema": "x", "description": "d", "policy": "lenient", "cases": { "6.4.*": ["OK", "NON-STRICT"], "12.*": "excluded" } }""",
        """{ "cases": { "2.10": "FAILED", "13.*": { "excluded": true, "reason": "no deflate" } } }""",
        """{ "cases": { "7.9.*": { "behavior": ["OK"], "behaviorClose": ["OK", "WRONG CODE"], "reason": "1000 answer" } } }""",
        """{ "cases": { "7.1.*": { "behaviorClose": "UNCLEAN" } } }""",
    ];

    private static readonly string[] InvalidExamples =
    [
        "[]",
        """{ "policy": "harsh" }""",
        """{ "polcy": "strict" }""",
        """{ "cases": { "1.1.1": ["PASSED"] } }""",
        """{ "cases": { "1.1.1": { "behaviorClose": ["NON-STRICT"] } } }""",
        """{ "cases": { "1.1.1": [] } }""",
        """{ "cases": { "1.1.1": {} } }""",
        """{ "cases": { "1.1.1": { "behaviour": ["OK"] } } }""",
        """{ "cases": { "1.1.1": { "excluded": true, "behavior": ["OK"] } } }""",
        """{ "cases": { "1 1": "OK" } }""",
    ];

    [Test]
    public void Schema_IsShippedNextToTheAssembly_AndListsTheModelsVerdicts()
    {
        File.Exists(SchemaPath).Should().BeTrue(SchemaPath);
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var defs = schema.RootElement.GetProperty("$defs");
        defs.GetProperty("behavior").GetProperty("enum").EnumerateArray().Select(e => e.GetString())
            .Should().BeEquivalentTo(Enum.GetValues<Behavior>().Select(b => b.ToAutobahnString()));
        defs.GetProperty("behaviorClose").GetProperty("enum").EnumerateArray().Select(e => e.GetString())
            .Should().BeEquivalentTo(Enum.GetValues<CloseBehavior>().Select(b => b.ToAutobahnString()));
        schema.RootElement.GetProperty("properties").GetProperty("policy").GetProperty("enum").EnumerateArray().Select(e => e.GetString())
            .Should().BeEquivalentTo(Enum.GetValues<Policy>().Select(p => p.ToText()));
    }

    [Test]
    public void ValidExamples_PassTheParserAndTheSchema()
    {
        foreach (var json in ValidExamples)
            ExpectationSet.Parse(json, "example").Should().NotBeNull(json);
        Validate(ValidExamples).Should().AllBeEquivalentTo(true);
    }

    [Test]
    public void InvalidExamples_FailTheParserAndTheSchema()
    {
        foreach (var json in InvalidExamples)
            FluentActions.Invoking(() => ExpectationSet.Parse(json, "example")).Should().Throw<ExpectationsException>(json);
        var verdicts = Validate(InvalidExamples);
        for (var i = 0; i < verdicts.Length; i++)
            verdicts[i].Should().BeFalse($"the schema should reject {InvalidExamples[i]}");
    }

    [Test]
    public void FrozenFile_PassesTheSchema() =>
        Validate([ExpectationsFile.Freeze(SampleRuns.Basic(), Policy.Default, "results.json")]).Should().Equal(true);

    /// <summary>Validates each document with python3 + jsonschema; one bool per document.</summary>
    private static bool[] Validate(IReadOnlyList<string> documents)
    {
        using var dir = new TempDirectory();
        var paths = documents.Select((d, i) => { var p = dir.Combine($"{i}.json"); File.WriteAllText(p, d); return p; }).ToList();
        const string Script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("NO-JSONSCHEMA"); sys.exit(0)
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            v = jsonschema.Draft202012Validator(schema)
            for p in sys.argv[2:]:
                print("valid" if v.is_valid(json.load(open(p))) else "invalid")
            """;
        var script = dir.Combine("validate.py");
        File.WriteAllText(script, Script);
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, SchemaPath }.Concat(paths)) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("python3 not found: schema validation skipped (the parser tests still cover the format)");
            throw;
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (output.Contains("NO-JSONSCHEMA", StringComparison.Ordinal))
                Assert.Ignore("python3 has no jsonschema module: schema validation skipped (the parser tests still cover the format)");
            process.ExitCode.Should().Be(0, error);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l == "valid").ToArray();
        }
    }
}
