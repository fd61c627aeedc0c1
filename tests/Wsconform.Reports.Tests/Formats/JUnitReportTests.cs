using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Wsconform.Model;
using Wsconform.Reports.Gate;
using Wsconform.Reports.JUnit;
using GateApi = Wsconform.Reports.Gate.Gate;

namespace Wsconform.Reports.Tests.Formats;

[TestFixture]
public sealed class JUnitReportTests
{
    /// <summary>Every verdict pair once, so the counts cover failure, error, skipped and the NON-STRICT note.</summary>
    private static RunResult FullRun() => SampleRuns.WithVerdicts(
        from b in Enum.GetValues<Behavior>()
        from c in Enum.GetValues<CloseBehavior>()
        select (b, c));

    private static XDocument ValidatedLoad(byte[] bytes)
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "Resources", "junit.xsd"));
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
        var document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        errors.Should().BeEmpty();
        return document;
    }

    [TestCase(Policy.Strict)]
    [TestCase(Policy.Default)]
    [TestCase(Policy.Lenient)]
    public void FullRun_IsValidAgainstTheJUnitSchema_AndItsCountsEqualTheGates(Policy policy)
    {
        var run = FullRun();
        var outcome = GateApi.Evaluate(run, ExpectationSet.ForPolicy(policy));
        var xml = ValidatedLoad(JUnitReport.Build(run, outcome));

        var cases = run.Targets[0].Cases;
        var root = xml.Root!;
        ((int)root.Attribute("tests")!).Should().Be(cases.Count);
        ((int)root.Attribute("failures")! + (int)root.Attribute("errors")!).Should().Be(outcome.Unmet.Count);
        ((int)root.Attribute("errors")!).Should().Be(outcome.Unmet.Count(u => cases.Single(c => c.Id == u.Id).Behavior == Behavior.Error));
        ((int)root.Attribute("skipped")!).Should().Be(outcome.Checks.Count(k => k.Met && cases.Single(c => c.Id == k.Id).Behavior is Behavior.Unimplemented or Behavior.Error));
        root.Descendants("testcase").Should().HaveCount(cases.Count);
        root.Descendants("failure").Should().HaveCount((int)root.Attribute("failures")!);
        root.Descendants("error").Should().HaveCount((int)root.Attribute("errors")!);
        root.Descendants("skipped").Should().HaveCount((int)root.Attribute("skipped")!);
        foreach (var suite in root.Elements("testsuite"))
            ((int)suite.Attribute("tests")!).Should().Be(suite.Elements("testcase").Count());
        ((decimal)root.Attribute("time")!).Should().Be(decimal.Round((decimal)cases.Sum(c => c.DurationMs) / 1000m, 3));
    }

    [Test]
    public void SampleRun_NamesCasesByIdAndRequirement_AndFailureBodiesCarryTheEvidence()
    {
        var run = SampleRuns.Basic();
        var xml = ValidatedLoad(JUnitReport.Build(run, GateApi.Evaluate(run, ExpectationSet.ForPolicy(Policy.Default))));
        var ok = xml.Descendants("testcase").First();
        ok.Attribute("name")!.Value.Should().StartWith("1.1.1 A server echoes");
        ok.Attribute("classname")!.Value.Should().Be("Framing.Text Messages");
        xml.Root!.Elements("testsuite").First().Attribute("name")!.Value.Should().Be("1 Framing");

        var failure = xml.Descendants("failure").Single();
        failure.Attribute("message")!.Value.Should().Contain("got behavior FAILED; behaviorClose WRONG CODE");
        failure.Value.Should().Contain("Requirement: ").And.Contain("Expected: behavior").And.Contain("Observed events: ").And.Contain("Close: closedByMe=");
        xml.Descendants("error").Single().Parent!.Attribute("name")!.Value.Should().StartWith("7.1.1 ");
    }

    [Test]
    public void ExcludedUnimplementedAndNonStrict_AreSkippedSkippedAndNoted()
    {
        var run = SampleRuns.WithVerdicts([(Behavior.Ok, CloseBehavior.Ok), (Behavior.Unimplemented, CloseBehavior.Ok), (Behavior.NonStrict, CloseBehavior.Ok)]);
        var set = ExpectationSet.Parse("""{ "cases": { "1.1.1": { "excluded": true, "reason": "not our job" } } }""", "e");
        var xml = ValidatedLoad(JUnitReport.Build(run, GateApi.Evaluate(run, set)));
        var cases = xml.Descendants("testcase").ToList();
        cases[0].Element("skipped")!.Attribute("message")!.Value.Should().Be("excluded by the expectations (reason: not our job)");
        cases[1].Element("skipped")!.Attribute("message")!.Value.Should().StartWith("UNIMPLEMENTED");
        cases[2].Element("system-out")!.Value.Should().StartWith("NON-STRICT (passes:");
        cases[2].Elements().Should().ContainSingle();
    }

    [Test]
    public void Unimplemented_IsSkippedWithTheReason_UnderTheDefaultPolicy_AsAutobahnDoesNotCountItAsAFailure()
    {
        var run = SampleRuns.WithCases(SampleRuns.CompressionCase(), SampleRuns.UnimplementedCase());

        var xml = ValidatedLoad(JUnitReport.Build(run, GateApi.Evaluate(run, ExpectationSet.ForPolicy(Policy.Default))));

        var cases = xml.Descendants("testcase").ToList();
        cases[0].Elements().Should().BeEmpty("the passed trial is a plain pass");
        var skipped = cases[1].Elements().Should().ContainSingle().Which;
        skipped.Name.LocalName.Should().Be("skipped");
        skipped.Attribute("message")!.Value.Should().Be("UNIMPLEMENTED: the peer does not offer the optional feature under test: "
            + "The peer did not accept permessage-deflate (offered: permessage-deflate; client_no_context_takeover; client_max_window_bits), so the case does not apply.");
        var root = xml.Root!;
        ((int)root.Attribute("skipped")!).Should().Be(1);
        ((int)root.Attribute("failures")!).Should().Be(0);
        ((int)root.Attribute("errors")!).Should().Be(0);
    }

    [Test]
    public void Unimplemented_WithAnExpectationReason_CarriesBoth_AndFailsOnlyUnderStrict()
    {
        var run = SampleRuns.WithCases(SampleRuns.UnimplementedCase());
        var set = ExpectationSet.Parse("""{ "cases": { "12.*": { "behavior": ["OK", "UNIMPLEMENTED"], "reason": "no deflate yet" } } }""", "e");

        var allowed = ValidatedLoad(JUnitReport.Build(run, GateApi.Evaluate(run, set)));
        var strict = ValidatedLoad(JUnitReport.Build(run, GateApi.Evaluate(run, ExpectationSet.ForPolicy(Policy.Strict))));

        allowed.Descendants("skipped").Single().Attribute("message")!.Value.Should().StartWith("UNIMPLEMENTED: ")
            .And.EndWith("so the case does not apply. (reason: no deflate yet)");
        strict.Descendants("failure").Single().Attribute("message")!.Value.Should().Contain("got behavior UNIMPLEMENTED");
        strict.Descendants("skipped").Should().BeEmpty();
    }

    [Test]
    public void HostileAndControlCharacters_StayWellFormedAndValid()
    {
        var run = SampleRuns.HostileRun();
        var target = run.Targets[0];
        run = run with { Targets = [target with { Cases = [target.Cases[0] with { Result = "bad \u0001\u0000 \uD800 text" + SampleRuns.Hostile }] }] };
        var xml = ValidatedLoad(JUnitReport.Build(run, GateApi.Evaluate(run, ExpectationSet.ForPolicy(Policy.Strict))));
        xml.Descendants("failure").Single().Value.Should().Contain(SampleRuns.ScriptPayload).And.Contain("bad \uFFFD\uFFFD \uFFFD text");
    }

    [Test]
    public async Task WriteAsync_WritesTheFileAtomically()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("junit.xml");
        await JUnitReport.WriteAsync(SampleRuns.Basic(), ExpectationSet.ForPolicy(Policy.Default), path);
        ValidatedLoad(await File.ReadAllBytesAsync(path)).Root!.Name.LocalName.Should().Be("testsuites");
        dir.FileNames().Should().Equal("junit.xml");
    }
}
