using NUnit.Framework;
using Wsconform.Cases;
using Wsconform.Engine.Running;
using Wsconform.Reports.Gate;

namespace Wsconform.NUnit;

/// <summary>
/// Runs one catalogue case against a server from inside an NUnit test and turns its verdicts into the test's
/// outcome. See <see cref="ConformanceCases"/> for the test class that runs every case.
/// </summary>
public static class Conformance
{
    /// <summary>
    /// Runs case <paramref name="caseId"/> against <paramref name="target"/> on a fresh connection and checks its two
    /// verdicts against <paramref name="expectations"/> (the default policy when null: OK, INFORMATIONAL, NON-STRICT and
    /// UNIMPLEMENTED pass).
    /// </summary>
    /// <remarks>
    /// <para>
    /// An unmet expectation fails the test with <c>Assert.Fail</c> and a message a test explorer shows as is: the case,
    /// its requirement and RFC sections, the expected and actual verdicts, the result sentences, the events received
    /// and expected, the close facts and the protocol violations seen. A case that could not run (ERROR: connection
    /// refused, handshake rejected) fails with the reason. A case the expectations exclude is ignored
    /// (<c>Assert.Ignore</c>) without running.
    /// </para>
    /// <para>
    /// A met expectation passes. When a verdict is not OK (NON-STRICT allowed by the policy, or a deviation the
    /// expectations file records), the test output (<see cref="TestContext.Out"/>) says which and why.
    /// </para>
    /// <para>
    /// <c>Assert.Fail</c> records the failure in the running test's result even when the exception is caught. A test
    /// that expects this method to fail must call it inside <c>using (new TestExecutionContext.IsolatedContext())</c>,
    /// as the worked example in <c>tests/Wsconform.NUnit.Example</c> does.
    /// </para>
    /// </remarks>
    /// <param name="target">The server's <c>ws://</c> or <c>wss://</c> URL.</param>
    /// <param name="caseId">A catalogue case ID, e.g. "6.4.3" (from <see cref="ConformanceCaseRef.Id"/>).</param>
    /// <param name="expectations">What may pass; see <see cref="LoadExpectations"/>. Null: the default policy.</param>
    /// <param name="cancellationToken">Cancels the case (pass <c>TestContext.CurrentContext.CancellationToken</c> to honour <c>[CancelAfter]</c>).</param>
    /// <exception cref="KeyNotFoundException">No case has ID <paramref name="caseId"/>.</exception>
    public static Task AssertCaseAsync(Uri target, string caseId, ExpectationSet? expectations = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return AssertCaseAsync(new TargetOptions { Url = target }, caseId, expectations, timeouts: null, cancellationToken);
    }

    /// <summary>
    /// As <see cref="AssertCaseAsync(Uri, string, ExpectationSet?, CancellationToken)"/>, for a target that needs more
    /// than a URL (handshake headers such as a cookie, Origin, subprotocols, TLS trust) or other protocol timeouts.
    /// </summary>
    /// <param name="target">Where and how to connect.</param>
    /// <param name="caseId">A catalogue case ID.</param>
    /// <param name="expectations">What may pass. Null: the default policy.</param>
    /// <param name="timeouts">The harness's protocol timeouts. Null: Autobahn's (5 s opening handshake, 1 s close).</param>
    /// <param name="cancellationToken">Cancels the case.</param>
    public static async Task AssertCaseAsync(TargetOptions target, string caseId, ExpectationSet? expectations = null,
        ProtocolTimeouts? timeouts = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(caseId);
        var conformanceCase = Catalogue.Get(caseId);
        expectations ??= ExpectationSet.ForPolicy(Policy.Default);
        if (expectations.IsExcluded(caseId)) Assert.Ignore(ExclusionReason(expectations, caseId));

        var result = await CaseRunner.RunAsync(conformanceCase, target, timeouts ?? ProtocolTimeouts.Autobahn, cancellationToken).ConfigureAwait(false);
        var check = expectations.Check(result);
        var handshakeCase = conformanceCase.Handshake is not null;

        if (!check.Met)
            Assert.Fail(CaseMessage.Unmet(result, check, handshakeCase));

        TestContext.Out.WriteLine(CaseMessage.Passed(result, check));
    }

    /// <summary>
    /// Loads an expectations file (the format of <c>wsconform run --expect</c>). A relative path is resolved against
    /// the test assembly's directory, as <see cref="ConformanceCases.Select"/> resolves it, so both read the same file.
    /// </summary>
    /// <exception cref="ExpectationsException">The file is malformed; the message names the file and the problem.</exception>
    public static ExpectationSet LoadExpectations(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return ExpectationSet.Load(Path.GetFullPath(path, AppContext.BaseDirectory));
    }

    /// <summary>The text an ignored test carries for a case the expectations exclude.</summary>
    internal static string ExclusionReason(ExpectationSet expectations, string caseId)
    {
        var entry = expectations.EntryFor(caseId);
        var excludedBy = $"excluded by the expectations entry \"{entry?.Key ?? caseId}\"";
        return entry?.Reason is { } reason ? $"{excludedBy}: {reason}" : excludedBy;
    }
}
