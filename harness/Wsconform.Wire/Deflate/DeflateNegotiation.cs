namespace Wsconform.Wire.Deflate;

/// <summary>
/// permessage-deflate negotiation (RFC 7692 §5, §7.1) for both roles: judging a server's response against the offers
/// the harness sent, and choosing the response a server gives to a client's offers. Extensions other than
/// permessage-deflate are ignored here; whether they were offered is the handshake validator's question.
/// </summary>
public static class DeflateNegotiation
{
    /// <summary>
    /// Client side: judges the server's <c>Sec-WebSocket-Extensions</c> lines against <paramref name="offers"/>, sent in
    /// that order. The response is accepted when it is a valid acceptance of at least one offer; the first such offer is
    /// reported, and the agreement follows from the response alone (§7.1).
    /// </summary>
    public static DeflateResponseCheck CheckResponse(IReadOnlyList<DeflateOffer> offers, IEnumerable<string?> responseExtensionHeaderValues) =>
        CheckResponse(offers, ExtensionHeader.Parse(responseExtensionHeaderValues));

    /// <summary>Client side, for a header already parsed (e.g. by the handshake validator).</summary>
    public static DeflateResponseCheck CheckResponse(IReadOnlyList<DeflateOffer> offers, ExtensionHeader response)
    {
        ArgumentNullException.ThrowIfNull(offers);
        ArgumentNullException.ThrowIfNull(response);

        if (!response.IsValid)
        {
            return new DeflateResponseCheck.Invalid($"the Sec-WebSocket-Extensions response is malformed: {response.Error}", "RFC 6455 §9.1");
        }

        ExtensionElement? accepted = null;
        foreach (ExtensionElement element in response.Elements)
        {
            if (!element.IsNamed(DeflateOffer.ExtensionName))
            {
                continue;
            }

            if (accepted is not null)
            {
                // §5: the server picks at most one offer, so one element at most.
                return new DeflateResponseCheck.Invalid(
                    $"the response holds permessage-deflate twice ({ExtensionHeader.Quote(accepted.Text)} and " +
                    $"{ExtensionHeader.Quote(element.Text)}); a server accepts at most one offer",
                    "RFC 7692 §5");
            }

            accepted = element;
        }

        if (accepted is null)
        {
            return new DeflateResponseCheck.Declined();
        }

        if (offers.Count == 0)
        {
            return new DeflateResponseCheck.Invalid(
                "the response accepts permessage-deflate, which the client did not offer", "RFC 6455 §4.1");
        }

        if (!DeflateParameters.TryRead(accepted, isResponse: true, out DeflateParameters parameters, out DeflateProblem? invalid))
        {
            return new DeflateResponseCheck.Invalid(invalid.Reason, invalid.RfcSection);
        }

        DeflateProblem? first = null;
        for (int i = 0; i < offers.Count; i++)
        {
            DeflateProblem? mismatch = Mismatch(offers[i], parameters);
            if (mismatch is null)
            {
                return new DeflateResponseCheck.Accepted(parameters.ToAgreement(accepted.Text), i);
            }

            first ??= mismatch;
        }

        return offers.Count == 1
            ? new DeflateResponseCheck.Invalid(first!.Reason, first.RfcSection)
            : new DeflateResponseCheck.Invalid(
                $"the response fits none of the {offers.Count} permessage-deflate offers; against the first, {first!.Reason}",
                first.RfcSection);
    }

    /// <summary>
    /// Server side: the response to the client's <c>Sec-WebSocket-Extensions</c> lines, or null to decline
    /// (send no permessage-deflate element). Offers are tried in the client's order of preference; one with an unknown
    /// or repeated parameter or an invalid value is declined, not an error (§7), and so is one the policy cannot meet.
    /// A header that does not parse declines everything; a server wanting to refuse the handshake for it can check
    /// <see cref="ExtensionHeader.Parse(IEnumerable{string})"/> itself.
    /// </summary>
    /// <exception cref="ArgumentException">The policy is inconsistent (e.g. a window outside 8–15).</exception>
    public static DeflateAcceptance? Accept(IEnumerable<string?> offerHeaderValues, DeflateServerPolicy policy) =>
        Accept(ExtensionHeader.Parse(offerHeaderValues), policy);

    /// <summary>Server side, for a header already parsed.</summary>
    public static DeflateAcceptance? Accept(ExtensionHeader offers, DeflateServerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(offers);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();

        int index = -1;
        foreach (ExtensionElement element in offers.Elements)
        {
            if (!element.IsNamed(DeflateOffer.ExtensionName))
            {
                continue;
            }

            index++;
            if (DeflateParameters.TryRead(element, isResponse: false, out DeflateParameters offer, out _)
                && policy.TryRespond(offer, out DeflateParameters response))
            {
                string text = response.RenderResponse();
                return new DeflateAcceptance(text, response.ToAgreement(text), index, offer.ToOffer());
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="response"/> is not a valid acceptance of <paramref name="offer"/>, or null when it is. What a
    /// server may add unrequested (both no-context-takeover flags, <c>server_max_window_bits</c>) never makes a mismatch
    /// (§7.1.1.1 with erratum 4982, §7.1.1.2, §7.1.2.1).
    /// </summary>
    private static DeflateProblem? Mismatch(DeflateOffer offer, DeflateParameters response)
    {
        if (offer.ServerNoContextTakeover && !response.ServerNoContextTakeover)
        {
            return new DeflateProblem(
                "the offer asked for server_no_context_takeover and the response omits it, which accepting that offer requires",
                "RFC 7692 §7.1.1.1");
        }

        if (offer.ServerMaxWindowBits is { } askedServerBits)
        {
            if (response.ServerMaxWindowBits is not { } serverBits)
            {
                return new DeflateProblem(
                    $"the offer asked for server_max_window_bits={askedServerBits} and the response omits server_max_window_bits, " +
                    $"which accepting that offer requires with a value of at most {askedServerBits}",
                    "RFC 7692 §7.1.2.1");
            }

            if (serverBits > askedServerBits)
            {
                return new DeflateProblem(
                    $"the response sets server_max_window_bits={serverBits}, above the {askedServerBits} the offer asked for",
                    "RFC 7692 §7.1.2.1");
            }
        }

        if (response.ClientMaxWindowBits.Value is { } clientBits)
        {
            if (!offer.ClientMaxWindowBits.Offered)
            {
                return new DeflateProblem(
                    $"the response sets client_max_window_bits={clientBits}, but the offer did not include client_max_window_bits",
                    "RFC 7692 §7.1.2.2");
            }

            if (offer.ClientMaxWindowBits.Value is { } announced && clientBits > announced)
            {
                return new DeflateProblem(
                    $"the response sets client_max_window_bits={clientBits}, above the {announced} the offer announced",
                    "RFC 7692 §7.1.2.2");
            }
        }

        return null;
    }
}
