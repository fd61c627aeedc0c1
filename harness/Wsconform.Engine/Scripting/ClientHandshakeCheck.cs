using Wsconform.Engine.Handshake;
using Wsconform.Engine.Running;

namespace Wsconform.Engine.Scripting;

/// <summary>
/// What the harness, as the server, knows about a client's upgrade request when a case judges it (RFC 6455 §4.1).
/// </summary>
/// <param name="Head">The request head, raw and parsed (peer-controlled).</param>
/// <param name="OctetsBeforeResponse">Octets the client sent after its request head and before the 101 left the harness.</param>
/// <param name="KeyReused">True when the request's Sec-WebSocket-Key was seen on an earlier connection to this server.</param>
/// <param name="HeldFor">How long the harness held its response back, watching for those octets.</param>
public sealed record ClientRequestFacts(HttpHead Head, int OctetsBeforeResponse, bool KeyReused, TimeSpan HeldFor);

/// <summary>
/// Makes a case about a <em>client's</em> opening handshake (the harness is the server, RFC 6455 §4.1); such a case does
/// not apply to servers. Exactly one of the two is set:
/// <list type="bullet">
/// <item><see cref="RequestJudge"/>: the case judges one rule of the client's upgrade request. When the request is a valid
/// upgrade the harness then answers 101 and runs the case's script (an echo), and the worse verdict wins.</item>
/// <item><see cref="BrokenResponse"/>: the harness answers with a 101 that breaks one rule, then runs the case's script (a
/// text message and a kill timer) and watches the client: it must fail the connection (close TCP) without using it.</item>
/// </list>
/// </summary>
public sealed record ClientHandshakeCheck
{
    /// <summary>Judges the client's request; null when the case is about the response.</summary>
    public Func<ClientRequestFacts, HandshakeVerdict>? RequestJudge { get; init; }

    /// <summary>
    /// How long the harness holds its 101 back, to see whether the client sends anything before the response arrives
    /// (§4.1: the client waits for the response before sending further data). Zero: answer at once.
    /// </summary>
    public TimeSpan HoldResponse { get; init; }

    /// <summary>Writes the broken response for the client's request; null when the case is about the request.</summary>
    public Func<UpgradeRequest, string>? BrokenResponse { get; init; }
}
