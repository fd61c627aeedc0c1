namespace Wsconform.Cli;

/// <summary>
/// Process exit codes of <c>wsconform</c>. Stable: scripts and CI systems branch on them.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every case met its expectation (the <c>--expect</c> file, else the <c>default</c> policy); for
    /// <c>compare</c>: no regression; for other commands: done.</summary>
    public const int Ok = 0;

    /// <summary>At least one case did not meet its expectation (<c>run</c>, <c>serve</c> when it stops, <c>run-client</c>,
    /// <c>merge --expect</c>), or <c>compare</c> found a regression.</summary>
    public const int ExpectationsNotMet = 1;

    /// <summary>Bad command line or configuration: unknown option, malformed URL or header, a pattern that
    /// selects no case, a missing CA file. Nothing was run.</summary>
    public const int Usage = 2;

    /// <summary>The target could not be tested at all: DNS, connection refused, TLS failure, or the opening
    /// handshake was refused; nothing was run. With several targets (<c>--spec</c>): only when none could be reached
    /// (an unreachable target's cases are otherwise ERROR, which fails the gate: code 1).</summary>
    public const int Unreachable = 3;

    /// <summary>A fault of the harness itself (a bug; set WSCONFORM_DEBUG=1 to see the stack trace), or a run that
    /// completed but whose report files could not be written (each failing writer named on stderr).</summary>
    public const int InternalError = 4;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT, the shell convention).</summary>
    public const int Cancelled = 130;
}
