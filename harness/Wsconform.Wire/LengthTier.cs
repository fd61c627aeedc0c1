namespace Wsconform.Wire;

/// <summary>
/// The three payload-length tiers of RFC 6455 §5.2 (7-bit, 7+16-bit, 7+64-bit) in one place, so the encoder and
/// the reader do not each spell out 125/126/127.
/// </summary>
internal static class LengthTier
{
    /// <summary>Largest length that fits the 7-bit field itself.</summary>
    public const int Max7Bit = 125;

    /// <summary>7-bit marker: a 16-bit unsigned length follows.</summary>
    public const int Marker16 = 126;

    /// <summary>7-bit marker: a 64-bit length follows (most significant bit must be 0).</summary>
    public const int Marker64 = 127;

    /// <summary>Octets of extended length the shortest encoding of <paramref name="length"/> needs: 0, 2 or 8.</summary>
    public static int MinimalExtendedOctets(ulong length) => length switch
    {
        <= Max7Bit => 0,
        <= ushort.MaxValue => 2,
        _ => 8,
    };

    /// <summary>Octets of extended length that follow a given 7-bit length field value.</summary>
    public static int ExtendedOctetsForMarker(int length7) => length7 switch
    {
        Marker16 => 2,
        Marker64 => 8,
        _ => 0,
    };
}
