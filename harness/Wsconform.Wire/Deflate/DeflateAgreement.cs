namespace Wsconform.Wire.Deflate;

/// <summary>
/// What a permessage-deflate negotiation settled (RFC 7692 §7.1), from the point of view of both directions. Window bits
/// absent from the response are 15, the largest (§7.1.2.1, §7.1.2.2).
/// </summary>
/// <param name="ServerNoContextTakeover">The server resets its compressor per message: the client may reset its decompressor.</param>
/// <param name="ClientNoContextTakeover">The client resets its compressor per message.</param>
/// <param name="ServerMaxWindowBits">Largest LZ77 window the server's compressor may use (8–15); the client's decompressor can rely on it.</param>
/// <param name="ClientMaxWindowBits">Largest LZ77 window the client's compressor may use (8–15).</param>
/// <param name="Response">The accepted element as the server wrote it, for reports.</param>
public sealed record DeflateAgreement(
    bool ServerNoContextTakeover,
    bool ClientNoContextTakeover,
    int ServerMaxWindowBits,
    int ClientMaxWindowBits,
    string Response)
{
    public const int MinWindowBits = 8;
    public const int MaxWindowBits = 15;
}
