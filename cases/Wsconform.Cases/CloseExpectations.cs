using Wsconform.Model;

namespace Wsconform.Cases;

/// <summary>
/// The named <c>expectedClose</c> patterns of the catalogue (catalogue §1.2). Cases pick one of these instead of
/// spelling the triple out, so the leniency rules (which codes, whether a TCP drop counts) live in one place.
/// A Close without a code, or a plain TCP drop, never counts as a wrong code.
/// </summary>
public static class CloseExpectations
{
    /// <summary>Normal closure, RFC 6455 §7.4.1.</summary>
    public const int NormalClosure = 1000;
    /// <summary>Protocol error, RFC 6455 §7.4.1.</summary>
    public const int ProtocolError = 1002;
    /// <summary>Invalid frame payload data (e.g. bad UTF-8), RFC 6455 §7.4.1.</summary>
    public const int InvalidPayload = 1007;

    /// <summary>
    /// The harness starts the closing handshake with 1000 (after the expected events arrived, or as part of the
    /// stimulus); the peer must answer with 1000 or an empty Close and the handshake must complete cleanly.
    /// </summary>
    public static readonly ExpectedClose HarnessClosesNormally = new(ClosedByHarness: true, [NormalClosure], RequireClean: true);

    /// <summary>"Echo then normal close": the peer echoes, then the harness closes normally (same facts as <see cref="HarnessClosesNormally"/>).</summary>
    public static readonly ExpectedClose EchoThenNormalClose = HarnessClosesNormally;

    /// <summary>
    /// "Fail fast": the peer must fail the connection itself (RFC 6455 §7.1.7) with a Close carrying
    /// <paramref name="code"/>, a Close without a code, or a plain TCP drop. Cleanliness is not required.
    /// </summary>
    public static ExpectedClose FailFast(int code) => new(ClosedByHarness: false, [code], RequireClean: false);

    /// <summary>Fail fast on a protocol violation (code 1002).</summary>
    public static readonly ExpectedClose FailFastProtocolError = FailFast(ProtocolError);

    /// <summary>
    /// Fail fast on invalid UTF-8 in a text message (code 1007), as every invalid-payload case of category 6 expects.
    /// The wrong endpoint closing is fatal: if the peer never fails the connection and the harness has to close or
    /// kill it, the behaviour verdict is FAILED too, even when nothing was echoed.
    /// </summary>
    public static readonly ExpectedClose FailFastInvalidUtf8 = FailFast(InvalidPayload) with { ClosedByWrongEndpointIsFatal = true };

    /// <summary>
    /// The harness sent a malformed Close first (7.3.2, 7.3.6, 7.9.x); the peer answers with Close 1002 or drops
    /// TCP. Cleanliness is not required.
    /// </summary>
    public static readonly ExpectedClose HarnessClosesWithBadClose = new(ClosedByHarness: true, [ProtocolError], RequireClean: false);

    /// <summary>The harness sent a Close whose reason is not UTF-8 (7.5.1); the peer answers 1002 or 1007, or drops TCP.</summary>
    public static readonly ExpectedClose HarnessClosesWithBadReason = new(ClosedByHarness: true, [ProtocolError, InvalidPayload], RequireClean: false);

    /// <summary>
    /// The harness closed with a valid <paramref name="code"/> (7.7.x); the peer answers 1000 or echoes the code, cleanly.
    /// For code 1000 the list is [1000, 1000], the way Autobahn records it in its reports.
    /// </summary>
    public static ExpectedClose HarnessClosesWithValidCode(int code) => new(ClosedByHarness: true, [NormalClosure, code], RequireClean: true);

    /// <summary>
    /// The harness closed with a code RFC 6455 leaves undefined (7.13.x, ≥ 5000). Reported as informational;
    /// Autobahn lists 1000, the code itself and 1002 as the codes it would accept, without requiring a clean close.
    /// </summary>
    public static ExpectedClose HarnessClosesWithUndefinedCode(int code) => new(ClosedByHarness: true, [NormalClosure, code, ProtocolError], RequireClean: false);
}
