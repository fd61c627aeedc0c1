using Wsconform.Engine.Scripting;
using Wsconform.Model;

namespace Wsconform.Engine.Running;

/// <summary>Runs a list of cases against one target, concurrently up to <see cref="RunOptions.Parallel"/>.</summary>
public static class TargetRunner
{
    /// <summary>
    /// Runs every case on a fresh connection, each under a hard deadline, and returns the results in case ID order.
    /// Never throws for anything the peer does: a case that cannot run becomes an ERROR result.
    /// </summary>
    /// <param name="progress">Told about each case as it finishes (from any thread).</param>
    public static Task<TargetResult> RunAsync(TargetOptions target, IReadOnlyList<ConformanceCase> cases, RunOptions options,
        IProgress<CaseResult>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}

/// <summary>Result of <see cref="TargetProbe.CheckAsync"/>.</summary>
/// <param name="Error">One line naming the problem (DNS, refused, TLS, handshake), or null when the target answered with a valid upgrade.</param>
/// <param name="ServerHeader">The Server header of the response, if any.</param>
public sealed record ProbeResult(string? Error, string? ServerHeader)
{
    public bool Ok => Error is null;
}

/// <summary>One connection attempt before a run, so an unreachable target gets one clear error instead of N ERROR cases.</summary>
public static class TargetProbe
{
    public static Task<ProbeResult> CheckAsync(TargetOptions target, ProtocolTimeouts timeouts, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
