namespace Wsconform.Wire.Deflate;

/// <summary>
/// Decompresses the messages of one direction of a permessage-deflate connection (RFC 7692 §7.2.2): the compressed
/// octets of a message are fed as they arrive, <see cref="FinishMessage"/> ends it, <see cref="Reset"/> drops the LZ77
/// context when the sender agreed to no context takeover. Output goes to a sink chunk by chunk, so a message that
/// inflates to gigabytes costs no more than its consumer keeps.
/// </summary>
public interface IMessageInflater : IDisposable
{
    /// <summary>The window the sender agreed to use at most, 8–15.</summary>
    int WindowBits { get; }

    /// <summary>The next compressed octets; null, or one sentence naming why the data cannot be decompressed.</summary>
    string? Inflate(ReadOnlySpan<byte> compressed, IInflatedOctets sink);

    /// <summary>Ends the message: decompresses the <c>00 00 FF FF</c> the sender removed; null or the problem.</summary>
    string? FinishMessage(IInflatedOctets sink);

    void Reset();
}

/// <summary>Chooses the inflater for an agreed window.</summary>
public static class MessageInflater
{
    /// <summary>
    /// zlib checks a distance only against what it has produced, not against the window the sender agreed to (that needs
    /// zlib built with INFLATE_STRICT, which system builds are not). With the full 15-bit window there is nothing more to
    /// check, so zlib inflates; with a smaller agreed window, <see cref="WindowCheckedInflater"/> decodes and rejects any
    /// reference further back than the agreement allows (RFC 7692 §7.1.2.1).
    /// </summary>
    public static IMessageInflater For(int windowBits) =>
        windowBits == DeflateAgreement.MaxWindowBits ? new RawInflater(windowBits) : new WindowCheckedInflater(windowBits);
}
