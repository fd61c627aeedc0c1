namespace Wsconform.Wire;

/// <summary>
/// Sizes fixed by the RFC 6455 §5.2 frame layout. Buffer sizing and validation go through these names so the
/// numbers are never repeated as literals.
/// </summary>
public static class FrameConstants
{
    /// <summary>Longest possible header: 2 fixed octets + 8 octets of 64-bit length + 4 octets of masking key (§5.2).</summary>
    public const int MaxHeaderLength = 14;

    /// <summary>All control frames MUST have a payload length of 125 octets or less (RFC 6455 §5.5).</summary>
    public const int MaxControlPayloadLength = 125;

    /// <summary>The masking key is 32 bits (RFC 6455 §5.3).</summary>
    public const int MaskLength = 4;
}
