using NUnit.Framework;
using Wsconform.Cases;
using Wsconform.Engine.Scripting;
using Wsconform.Reports.Gate;

namespace Wsconform.NUnit;

/// <summary>
/// Turns the wsconform catalogue into NUnit test cases: one <see cref="TestCaseData"/> per case, each a separately
/// named, categorised test, so a test explorer or a CI test report shows every case on its own line.
/// </summary>
/// <remarks>
/// <para>A test class that runs the catalogue against your own server looks like this:</para>
/// <code>
/// public static class MyCases
/// {
///     public const string ExpectationsFile = "my.expectations.json";
///
///     // Every case except the slow performance category; cases the file excludes become ignored tests.
///     public static IEnumerable&lt;TestCaseData&gt; All =&gt;
///         ConformanceCases.Select(include: "*", exclude: "9.*", expectationsPath: ExpectationsFile);
/// }
///
/// [TestFixture]
/// [Parallelizable(ParallelScope.Children)] // every case uses its own connection, so cases may run at once
/// public sealed class MyServerConformanceTests
/// {
///     private MyServer _server = null!;
///     private ExpectationSet _expectations = null!;
///
///     [OneTimeSetUp]
///     public async Task StartServer()
///     {
///         _server = await MyServer.StartAsync();
///         _expectations = Conformance.LoadExpectations(MyCases.ExpectationsFile);
///     }
///
///     [OneTimeTearDown]
///     public async Task StopServer() =&gt; await _server.DisposeAsync();
///
///     [TestCaseSource(typeof(MyCases), nameof(MyCases.All))]
///     public Task Case(ConformanceCaseRef c) =&gt; Conformance.AssertCaseAsync(_server.Url, c.Id, _expectations);
/// }
/// </code>
/// <para>
/// Test names are "ID group" (for example "6.4.3 Fail-fast on invalid UTF-8"), unique and stable: they change only
/// when the catalogue renames a group. The category is the catalogue category ("UTF-8 Handling"), the description is
/// the requirement, and the property <c>Rfc</c> holds each RFC section the case checks, so
/// <c>dotnet test --filter "TestCategory=Close Handling"</c> or <c>--filter "Name~6.4."</c> select cases.
/// </para>
/// </remarks>
public static class ConformanceCases
{
    /// <summary>Name of the NUnit property holding an RFC section the case checks (one value per section).</summary>
    public const string RfcProperty = "Rfc";

    /// <summary>
    /// The catalogue cases matching <paramref name="include"/> and not <paramref name="exclude"/>, in numeric ID order
    /// (2.10 after 2.9), one <see cref="TestCaseData"/> each whose single argument is a <see cref="ConformanceCaseRef"/>.
    /// </summary>
    /// <param name="include">
    /// Case IDs or Autobahn-style patterns, comma-separated, as <c>wsconform run --cases</c> takes them: "1.*,6.4.*",
    /// "7.1.1"; "1*" also matches 10.x and 12.x. Default: every case.
    /// </param>
    /// <param name="exclude">Patterns of cases to leave out, comma-separated; null or empty: none.</param>
    /// <param name="expectationsPath">
    /// An expectations file (the format of <c>wsconform run --expect</c>). Cases it excludes become ignored tests
    /// carrying the file's reason, so they stay visible as skipped. A relative path is resolved against the test
    /// assembly's directory (copy the file to the output directory). Null: nothing is ignored.
    /// </param>
    /// <exception cref="ArgumentException">A pattern is empty or matches no case; NUnit then reports the test source as failing.</exception>
    /// <exception cref="ExpectationsException">The expectations file is malformed.</exception>
    public static IEnumerable<TestCaseData> Select(string include = "*", string? exclude = null, string? expectationsPath = null)
    {
        var includes = Patterns(include, nameof(include));
        var excludes = exclude is null ? [] : Patterns(exclude, nameof(exclude));
        RequireMatches(includes, nameof(include));
        RequireMatches(excludes, nameof(exclude));

        var expectations = expectationsPath is null ? null : Conformance.LoadExpectations(expectationsPath);
        return CaseIds.Select(Catalogue.ForServers, includes, excludes).Select(c => ToTestCase(c, expectations)).ToList();
    }

    /// <summary>One case as NUnit test data: named, categorised, described, and ignored when the expectations exclude it.</summary>
    private static TestCaseData ToTestCase(ConformanceCase conformanceCase, ExpectationSet? expectations)
    {
        var data = new TestCaseData(new ConformanceCaseRef(conformanceCase.Id))
            .SetName(TestName(conformanceCase))
            .SetCategory(conformanceCase.Category)
            .SetDescription(conformanceCase.Requirement);
        foreach (var section in conformanceCase.RfcSections) data.SetProperty(RfcProperty, section);
        if (expectations is not null && expectations.IsExcluded(conformanceCase.Id))
            data.Ignore(Conformance.ExclusionReason(expectations, conformanceCase.Id));
        return data;
    }

    /// <summary>
    /// "ID group", or "ID category" for categories without groups. Braces are replaced because NUnit reads
    /// <c>{…}</c> in a test name as a placeholder.
    /// </summary>
    internal static string TestName(ConformanceCase conformanceCase) =>
        $"{conformanceCase.Id} {conformanceCase.Group ?? conformanceCase.Category}".Replace('{', '(').Replace('}', ')');

    /// <summary>A pattern that matches nothing is a typo that would silently drop cases (the CLI refuses it too).</summary>
    private static void RequireMatches(string[] patterns, string parameter)
    {
        foreach (var pattern in patterns)
        {
            if (!Catalogue.ForServers.Any(c => CaseIds.Matches(pattern, c.Id)))
                throw new ArgumentException($"The case pattern '{pattern}' matches no case of the catalogue that applies to servers.", parameter);
        }
    }

    private static string[] Patterns(string text, string parameter)
    {
        ArgumentNullException.ThrowIfNull(text, parameter);
        var patterns = text.Split(',', StringSplitOptions.TrimEntries);
        if (patterns.Any(p => p.Length == 0))
            throw new ArgumentException($"'{text}' holds an empty case pattern.", parameter);
        return patterns;
    }
}
