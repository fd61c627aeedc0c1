using System.Text;

namespace Wsconform.Wire.Deflate;

/// <summary>How an offer mentions <c>client_max_window_bits</c> (RFC 7692 §7.1.2.2).</summary>
/// <param name="Offered">True when the parameter is present in the offer.</param>
/// <param name="Value">Its value 8–15, or null when present without a value ("the client supports any value").</param>
public readonly record struct ClientWindowBitsOffer(bool Offered, int? Value)
{
    public static ClientWindowBitsOffer Absent => default;
    public static ClientWindowBitsOffer Valueless => new(true, null);
    public static ClientWindowBitsOffer Of(int bits) => new(true, bits);
}

/// <summary>
/// One permessage-deflate offer a client makes (RFC 7692 §5, §7.1): which parameters it asks the server to accept.
/// Several offers in one header are alternatives in order of preference.
/// </summary>
/// <param name="ServerNoContextTakeover">Asks the server to reset its compression context per message (§7.1.1.1).</param>
/// <param name="ClientNoContextTakeover">Tells the server the client will reset its context per message (§7.1.1.2).</param>
/// <param name="ServerMaxWindowBits">Asks the server to use at most this LZ77 window, 8–15; null: not requested (§7.1.2.1).</param>
/// <param name="ClientMaxWindowBits">Whether and how the client announces <c>client_max_window_bits</c> (§7.1.2.2).</param>
public sealed record DeflateOffer(
    bool ServerNoContextTakeover = false,
    bool ClientNoContextTakeover = false,
    int? ServerMaxWindowBits = null,
    ClientWindowBitsOffer ClientMaxWindowBits = default)
{
    public const string ExtensionName = "permessage-deflate";

    /// <summary>
    /// Autobahn's offer text: every offer starts with <c>client_no_context_takeover; client_max_window_bits</c> (the
    /// harness accepts both), then adds the server-side requests (catalogue, category 13).
    /// </summary>
    public static DeflateOffer Autobahn(bool serverNoContextTakeover = false, int? serverMaxWindowBits = null) =>
        new(serverNoContextTakeover, ClientNoContextTakeover: true, serverMaxWindowBits, ClientWindowBitsOffer.Valueless);

    /// <summary>The offer as one element of a <c>Sec-WebSocket-Extensions</c> header, in Autobahn's parameter order.</summary>
    public string Render()
    {
        var text = new StringBuilder(ExtensionName);
        if (ClientNoContextTakeover) text.Append("; client_no_context_takeover");
        if (ClientMaxWindowBits.Offered)
        {
            text.Append("; client_max_window_bits");
            if (ClientMaxWindowBits.Value is { } bits) text.Append('=').Append(bits);
        }
        if (ServerNoContextTakeover) text.Append("; server_no_context_takeover");
        if (ServerMaxWindowBits is { } serverBits) text.Append("; server_max_window_bits=").Append(serverBits);
        return text.ToString();
    }

    public override string ToString() => Render();
}
