namespace Wsconform.Wire.Deflate;

/// <summary>
/// The client's verdict on a server's permessage-deflate answer (RFC 7692 §5, §7): accepted with the settled
/// parameters, declined (no element, which is allowed), or invalid, which obliges the client to fail the connection.
/// </summary>
public abstract record DeflateResponseCheck
{
    private DeflateResponseCheck()
    {
    }

    /// <summary>The server accepted one offer.</summary>
    /// <param name="Agreement">What the response settles; it depends on the response alone (§7.1).</param>
    /// <param name="OfferIndex">The first offer (0-based, in the order sent) the response is a valid acceptance of.</param>
    public sealed record Accepted(DeflateAgreement Agreement, int OfferIndex) : DeflateResponseCheck;

    /// <summary>The response has no permessage-deflate element: the server declined every offer (§5), which is allowed.</summary>
    public sealed record Declined : DeflateResponseCheck;

    /// <summary>The response breaks a rule; a conforming client fails the WebSocket connection (RFC 7692 §7).</summary>
    /// <param name="Reason">One sentence naming the parameter and values at fault.</param>
    /// <param name="RfcSection">Where the rule is written, e.g. "RFC 7692 §7.1.2.1".</param>
    public sealed record Invalid(string Reason, string RfcSection) : DeflateResponseCheck
    {
        public override string ToString() => $"{RfcSection}: {Reason}";
    }
}
