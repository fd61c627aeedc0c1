using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using Wsconform.Echo;
using Wsconform.NUnit;
using Wsconform.Reports.Gate;

namespace Wsconform.NUnit.Example;

/// <summary>
/// Which catalogue cases run against the built-in Kestrel echo server, as NUnit test cases. Category 9 (limits and
/// performance: 16 MiB messages, a thousand round trips per case) is left to the CLI run, and the compression
/// categories 12, 13 and 15 to a server with compression on (this one keeps ASP.NET Core's default, off), as ASP.NET
/// Core's own Autobahn suite leaves 9, 12 and 13 out; everything else runs here, one test per case.
/// </summary>
public static class KestrelCases
{
    /// <summary>Kestrel's known deviations, each with its reason; copied to the test output directory.</summary>
    public const string ExpectationsFile = "kestrel.expectations.json";

    /// <summary>Every case but categories 9, 12, 13 and 15, each its own named test; cases the file excludes would show as ignored.</summary>
    public static IEnumerable<TestCaseData> All => ConformanceCases.Select(include: "*", exclude: "9.*,12.*,13.*,15.*", expectationsPath: ExpectationsFile);
}

/// <summary>
/// The worked example of the NUnit integration: start the server once, then one test per catalogue case. Replace
/// <see cref="EchoServer"/> with your own server and the expectations file with yours.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class KestrelConformanceTests
{
    private EchoServer _server = null!;
    private ExpectationSet _expectations = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EchoServer.StartAsync();
        _expectations = Conformance.LoadExpectations(KestrelCases.ExpectationsFile);
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TestCaseSource(typeof(KestrelCases), nameof(KestrelCases.All))]
    public Task Case(ConformanceCaseRef c) => Conformance.AssertCaseAsync(_server.Url, c.Id, _expectations);

    /// <summary>An expectation the server does not meet fails the test, and the message says which case and both verdicts.</summary>
    [Test]
    public async Task AssertCaseAsync_ExpectationDemandsWrongVerdict_FailsNamingCaseAndVerdicts()
    {
        var wrong = ExpectationSet.Parse("""{ "policy": "strict", "cases": { "1.1.1": ["FAILED"] } }""", "wrong.expectations.json");

        // NUnit records an assertion failure in the current test's result even when the exception is caught; an
        // isolated context keeps the expected failure out of this test's own result.
        using (new TestExecutionContext.IsolatedContext())
        {
            var act = () => Conformance.AssertCaseAsync(_server.Url, "1.1.1", wrong);

            var failure = await act.Should().ThrowAsync<AssertionException>();
            failure.Which.Message.Should().Contain("1.1.1")
                .And.Contain("Expected: behavior FAILED")
                .And.Contain("Actual:   behavior OK");
            // What a test explorer would show for the failing case.
            await TestContext.Out.WriteLineAsync(failure.Which.Message);
        }
    }

    /// <summary>A case the expectations file excludes stays in the list as an ignored test carrying the file's reason.</summary>
    [Test]
    public void Select_ExpectationsExcludeACase_ItIsIgnoredWithTheReason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wsconform-{Guid.NewGuid():N}.expectations.json");
        File.WriteAllText(path, """{ "cases": { "10.*": { "excluded": true, "reason": "no auto-fragmentation here" } } }""");
        try
        {
            var cases = ConformanceCases.Select(include: "1.1.*,10.*", expectationsPath: path).ToList();

            cases.Select(c => c.TestName).Should().OnlyHaveUniqueItems().And.Contain("1.1.1 Text Messages");
            var excluded = cases.Single(c => c.TestName!.StartsWith("10.1.1 ", StringComparison.Ordinal));
            excluded.RunState.Should().Be(RunState.Ignored);
            excluded.Properties.Get(PropertyNames.SkipReason).Should().Be("excluded by the expectations entry \"10.*\": no auto-fragmentation here");
            cases.Where(c => c != excluded).Should().OnlyContain(c => c.RunState == RunState.Runnable);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A server that cannot be reached is an ERROR, not a pass: the test fails with the reason.</summary>
    [Test]
    public async Task AssertCaseAsync_NothingListening_FailsWithTheReason()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using (new TestExecutionContext.IsolatedContext())
        {
            var act = () => Conformance.AssertCaseAsync(new Uri($"ws://127.0.0.1:{port}/"), "1.1.1");

            var failure = await act.Should().ThrowAsync<AssertionException>();
            failure.Which.Message.Should().StartWith("1.1.1 could not run (ERROR): ")
                .And.Contain("Actual:   behavior ERROR");
            await TestContext.Out.WriteLineAsync(failure.Which.Message);
        }
    }
}
