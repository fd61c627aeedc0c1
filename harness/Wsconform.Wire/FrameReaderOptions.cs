namespace Wsconform.Wire;

/// <summary>
/// What the reading side has agreed to, which decides what counts as a violation: the masking direction
/// (RFC 6455 §5.1), the RSV bits negotiated extensions define (§5.2) and the local size limit (§10.4).
/// </summary>
public sealed record FrameReaderOptions
{
    /// <summary>True when reading a client's frames, i.e. we are the server: every frame must be masked (§5.1, §5.3).</summary>
    public bool ExpectMasked { get; init; }

    /// <summary>RSV bits a negotiated extension defines (4 = RSV1 for permessage-deflate), 0 otherwise.</summary>
    public int AllowedRsv { get; init; }

    /// <summary>Largest payload a single frame may claim; above it the stream stops with 1009 (§10.4).</summary>
    public long MaxPayloadLength { get; init; } = 64L * 1024 * 1024;
}
