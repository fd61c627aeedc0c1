namespace Wsconform.Wire.Deflate;

/// <summary>A server's acceptance of one permessage-deflate offer (RFC 7692 §5).</summary>
/// <param name="Response">The element to send in <c>Sec-WebSocket-Extensions</c>, e.g.
/// <c>permessage-deflate; server_max_window_bits=10</c>.</param>
/// <param name="Agreement">What that response settles, identical to what the client derives from it.</param>
/// <param name="OfferIndex">Which permessage-deflate element of the request was accepted (0-based, counting only
/// permessage-deflate elements, so it indexes the client's list of <see cref="DeflateOffer"/>s).</param>
/// <param name="Offer">The accepted offer as read from the request.</param>
public sealed record DeflateAcceptance(string Response, DeflateAgreement Agreement, int OfferIndex, DeflateOffer Offer);
