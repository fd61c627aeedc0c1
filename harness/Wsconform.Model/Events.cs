namespace Wsconform.Model;

/// <summary>Kinds of application-level event a case records from the peer (Autobahn's <c>received</c> list).</summary>
public enum EventKind
{
    /// <summary>A complete text or binary message.</summary>
    Message,
    Ping,
    Pong,
    /// <summary>A marker the case inserted itself while the connection was still open (e.g. 6.4.x "timeout A").</summary>
    Timeout,
}

/// <summary>
/// A payload as reports show it: its full length, a preview of its first octets, and whether the preview is text.
/// Peer-controlled: writers must escape <see cref="Preview"/>.
/// </summary>
/// <param name="Length">Total payload length in octets.</param>
/// <param name="Preview">The first octets as UTF-8 text when they decode, otherwise <c>0x</c> + hex; " ..." appended when cut.</param>
/// <param name="IsText">True when <see cref="Preview"/> is decoded text, false when it is hex.</param>
/// <param name="Sha256">Hex SHA-256 of the whole payload when it was longer than the preview; null otherwise.</param>
public sealed record PayloadView(long Length, string Preview, bool IsText, string? Sha256 = null)
{
    public static readonly PayloadView Empty = new(0, "", true);
}

/// <summary>One entry of an expected or received event list.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Payload">The message or ping/pong payload; null for <see cref="EventKind.Timeout"/>.</param>
/// <param name="IsBinary">For messages: binary (true) or text (false).</param>
/// <param name="Tag">For timeouts: the marker name.</param>
public sealed record CaseEvent(EventKind Kind, PayloadView? Payload, bool IsBinary = false, string? Tag = null)
{
    public override string ToString() => Kind switch
    {
        EventKind.Message => $"message({(IsBinary ? "binary" : "text")}, {Payload?.Length} octets: {Payload?.Preview})",
        EventKind.Timeout => $"timeout({Tag})",
        _ => $"{Kind.ToString().ToLowerInvariant()}({Payload?.Length} octets: {Payload?.Preview})",
    };
}

/// <summary>One expected outcome of a case: the verdict it earns and the exact event list that earns it.</summary>
public sealed record ExpectedOutcome(Behavior Verdict, IReadOnlyList<CaseEvent> Events);

/// <summary>How the connection is expected to end (Autobahn's <c>expectedClose</c>).</summary>
/// <param name="ClosedByHarness">True when the harness is expected to send the first Close.</param>
/// <param name="CloseCodes">Close codes the peer may send; a Close without a code or a TCP drop never counts as wrong.</param>
/// <param name="RequireClean">True when the closing handshake must complete in both directions.</param>
/// <param name="ClosedByWrongEndpointIsFatal">True when a wrong closing endpoint also fails the behaviour verdict.</param>
public sealed record ExpectedClose(bool ClosedByHarness, IReadOnlyList<int> CloseCodes, bool RequireClean, bool ClosedByWrongEndpointIsFatal = false);
