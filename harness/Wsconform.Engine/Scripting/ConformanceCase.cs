using System.Text;
using Wsconform.Model;

namespace Wsconform.Engine.Scripting;

/// <summary>How the judge post-processes the two verdicts of a case (catalogue §1.1 "Overrides").</summary>
public enum VerdictRule
{
    /// <summary>Behaviour from event matching, close verdict from the close facts.</summary>
    Standard,
    /// <summary>Close-handling cases (7.1–7.9): a WRONG CODE close verdict also fails the behaviour verdict.</summary>
    WrongCodeFailsBehavior,
    /// <summary>Both verdicts are INFORMATIONAL whatever happens (7.1.6, 7.13.x); the result text still says what happened.</summary>
    Informational,
    /// <summary>
    /// Limits cases beyond Autobahn (a 16 MiB message that inflates from a few KiB): a peer that refuses with a clean
    /// close 1009 (Message Too Big) or 1008 (Policy Violation) applies a size limit, which RFC 6455 §10.4 allows, so a
    /// FAILED behaviour becomes INFORMATIONAL; a crash, a drop or a hang stays FAILED.
    /// </summary>
    PeerLimitInformational,
}

/// <summary>An event a case expects from the peer, with the exact payload octets to compare.</summary>
public sealed record ExpectedEvent(EventKind Kind, ReadOnlyMemory<byte> Payload, bool IsBinary = false, string? Tag = null)
{
    public static ExpectedEvent Text(string text) => new(EventKind.Message, Encoding.UTF8.GetBytes(text));
    public static ExpectedEvent TextOctets(ReadOnlyMemory<byte> octets) => new(EventKind.Message, octets);
    public static ExpectedEvent Binary(ReadOnlyMemory<byte> octets) => new(EventKind.Message, octets, IsBinary: true);
    public static ExpectedEvent Pong(ReadOnlyMemory<byte> octets) => new(EventKind.Pong, octets);
    public static ExpectedEvent Pong(string text) => new(EventKind.Pong, Encoding.UTF8.GetBytes(text));
    public static ExpectedEvent Timeout(string tag) => new(EventKind.Timeout, ReadOnlyMemory<byte>.Empty, Tag: tag);
}

/// <summary>One expected outcome: the verdict earned when the received events equal <paramref name="Events"/> exactly.</summary>
public sealed record ExpectedOutcomeSpec(Behavior Verdict, IReadOnlyList<ExpectedEvent> Events);

/// <summary>
/// A conformance case as data: identity and documentation, the script the harness runs, and how the outcome
/// is judged. Adding a case is adding one of these; families are generated from tables.
/// </summary>
public sealed record ConformanceCase
{
    /// <summary>Stable ID; Autobahn's exact ID where the case reproduces an Autobahn case.</summary>
    public required string Id { get; init; }
    /// <summary>Category title as Autobahn prints it, e.g. "Framing".</summary>
    public required string Category { get; init; }
    /// <summary>Sub-category title, e.g. "Text Messages"; null where the category has no sub-categories (2, 3, 5).</summary>
    public string? Group { get; init; }
    /// <summary>RFC sections the case checks, e.g. "RFC 6455 §5.5.2".</summary>
    public required IReadOnlyList<string> RfcSections { get; init; }
    /// <summary>The requirement in our own words (plain text, no markup).</summary>
    public required string Requirement { get; init; }
    /// <summary>What the harness sends (plain text).</summary>
    public required string Stimulus { get; init; }
    /// <summary>What a conforming peer does (plain text).</summary>
    public required string ExpectedBehaviour { get; init; }

    public required IReadOnlyList<Step> Script { get; init; }
    /// <summary>Outcomes in matching order (OK first, then NON-STRICT); the first exact match decides the behaviour verdict.</summary>
    public required IReadOnlyList<ExpectedOutcomeSpec> Expected { get; init; }
    public required ExpectedClose ExpectedClose { get; init; }

    /// <summary>
    /// When the received events equal every expected list and the harness is expected to close, it starts the
    /// closing handshake with the first allowed code at once (Autobahn's behaviour). Cases whose own Close is part
    /// of the stimulus turn this off.
    /// </summary>
    public bool AutoCloseOnMatch { get; init; } = true;

    public VerdictRule Rule { get; init; } = VerdictRule.Standard;

    /// <summary>
    /// Frame counts by opcode the harness itself must have sent, checked after the case (10.1.1 validates the harness's
    /// own auto-fragmentation this way, as Autobahn does); a mismatch fails the behaviour verdict. Null: no check.
    /// </summary>
    public IReadOnlyDictionary<int, int>? ExpectedSentFrames { get; init; }

    /// <summary>
    /// When set, the case is about the opening handshake: the request is the probe's, and the probe's judge gives the
    /// behaviour verdict; the script then runs only if the judge says so. Null: the standard handshake.
    /// </summary>
    public HandshakeProbe? Handshake { get; init; }

    /// <summary>
    /// When set, the case is about a client's opening handshake (the harness is the server): its request, or how it
    /// treats a broken 101. Such a case applies to clients only (<see cref="CaseApplicability"/>). Null: the standard
    /// handshake.
    /// </summary>
    public ClientHandshakeCheck? ClientHandshake { get; init; }

    /// <summary>
    /// permessage-deflate offers the harness makes in its opening handshake, in order of preference (RFC 7692 §5). When
    /// set, the server's response is validated against them: an invalid response is FAILED with the reason, and a
    /// response that accepts none makes the case UNIMPLEMENTED (the harness closes at once with 1000), as in Autobahn.
    /// Null: no offer, and compressed frames from the peer are violations (RFC 6455 §5.2).
    /// </summary>
    public IReadOnlyList<Wire.Deflate.DeflateOffer>? DeflateOffers { get; init; }

    /// <summary>
    /// Cases whose figures or verdicts depend on timing that concurrent cases would distort (round-trip latency in
    /// 9.7/9.8): the runner runs them after the others, one at a time.
    /// </summary>
    public bool RunsApart { get; init; }
}
