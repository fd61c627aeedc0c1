using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Model;
using Wsconform.Wire;

namespace Wsconform.Engine.Scripting;

/// <summary>
/// An opening-handshake request in parts, for a case to reshape freely: any method, target, version, header list
/// (order, name casing, duplicates, omissions) and line ending. <see cref="Render"/> writes it exactly as given.
/// </summary>
public sealed record HandshakeRequest(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers, string LineEnding = "\r\n")
{
    /// <summary>The Sec-WebSocket-Key the harness generated (the accept value is checked against it).</summary>
    public required string Key { get; init; }

    /// <summary>Every header named <paramref name="name"/> (any case) removed.</summary>
    public HandshakeRequest Without(string name) =>
        this with { Headers = Headers.Where(h => !h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList() };

    /// <summary>Every header named <paramref name="name"/> replaced by one with this value (added at the end if absent).</summary>
    public HandshakeRequest With(string name, string value)
    {
        var index = Headers.ToList().FindIndex(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        var rest = Without(name).Headers.ToList();
        rest.Insert(index < 0 ? rest.Count : Math.Min(index, rest.Count), new(name, value));
        return this with { Headers = rest };
    }

    /// <summary>One more header line, after the others (duplicates allowed).</summary>
    public HandshakeRequest Adding(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };

    /// <summary>The request head as octets on the wire.</summary>
    public string Render()
    {
        var builder = new StringBuilder().Append(Method).Append(' ').Append(Target).Append(' ').Append(Version).Append(LineEnding);
        foreach (var (name, value) in Headers) builder.Append(name).Append(": ").Append(value).Append(LineEnding);
        return builder.Append(LineEnding).ToString();
    }
}

/// <summary>What happened in a probed opening handshake, for a case's judge.</summary>
/// <param name="Request">The request as sent (with any early frames noted, not included).</param>
/// <param name="Response">The server's response head, or null when none came (see <paramref name="NoResponse"/>).</param>
/// <param name="NoResponse">Why there is no response: the server closed, timed out, or sent more than the limit.</param>
/// <param name="Sent">The request the case shaped, with its key.</param>
public sealed record HandshakeExchange(string Request, HttpHead? Response, string? NoResponse, HandshakeRequest Sent)
{
    public StatusLine? Status => Response is null ? null : StatusLine.TryParse(Response.StartLine);

    /// <summary>True when the response is a valid upgrade for the key sent (RFC 6455 §4.1 client checks), offering nothing.</summary>
    public bool IsValidUpgrade(IReadOnlyList<string>? offeredProtocols = null, IReadOnlyList<string>? offeredExtensions = null) =>
        Response is not null && ClientHandshake.Validate(Response, Sent.Key, offeredProtocols ?? [], offeredExtensions ?? []) is null;

    /// <summary>One line saying what came back, for result texts.</summary>
    public string Describe() => Response is null ? NoResponse ?? "no response" : $"the server answered '{Response.StartLine}'";
}

/// <summary>The behaviour verdict a handshake case earns, and whether the case goes on over the upgraded connection.</summary>
/// <param name="ContinueWithScript">True when the upgrade is what the case wanted and its script should now run on the connection.</param>
public sealed record HandshakeVerdict(Behavior Verdict, string Result, bool ContinueWithScript = false);

/// <summary>
/// Makes a case about the opening handshake itself (RFC 6455 §4): the harness sends the request the case shapes, plus
/// optional frames in the same write, and the case's judge rules on whatever comes back. Autobahn never tested this.
/// </summary>
public sealed record HandshakeProbe
{
    /// <summary>Reshapes the standard request (built from the target options with a fresh key).</summary>
    public Func<HandshakeRequest, HandshakeRequest> Request { get; init; } = request => request;
    /// <summary>Frames sent in the same write as the request head, before any response (pipelined early data).</summary>
    public IReadOnlyList<FrameSpec> EarlyFrames { get; init; } = [];
    /// <summary>Extension offers the standard request carries (Sec-WebSocket-Extensions), so a response may accept them.</summary>
    public IReadOnlyList<string> ExtensionOffers { get; init; } = [];
    public required Func<HandshakeExchange, HandshakeVerdict> Judge { get; init; }
}
