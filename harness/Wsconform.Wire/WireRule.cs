namespace Wsconform.Wire;

/// <summary>
/// Which rule a <see cref="WireViolation"/> breaks, for code that must react per rule (a test peer told to tolerate
/// one rule, a report grouping violations). The text of the violation says the same for people.
/// </summary>
public enum WireRule
{
    /// <summary>A client frame without a mask (RFC 6455 §5.1).</summary>
    UnmaskedClientFrame,
    /// <summary>A server frame with a mask (RFC 6455 §5.1).</summary>
    MaskedServerFrame,
    /// <summary>RSV bits set that no negotiated extension defines (§5.2).</summary>
    ReservedBits,
    /// <summary>Opcode 0x3–0x7 or 0xB–0xF (§5.2).</summary>
    ReservedOpcode,
    /// <summary>A payload length written in a longer form than needed (§5.2).</summary>
    NonMinimalLength,
    /// <summary>A 64-bit payload length with its most significant bit set (§5.2).</summary>
    LengthTopBitSet,
    /// <summary>A frame claiming more octets than the reader accepts (§10.4).</summary>
    FrameTooLong,
    /// <summary>A control frame with more than 125 octets of payload (§5.5).</summary>
    ControlFrameTooLong,
    /// <summary>A control frame with FIN=0 (§5.5).</summary>
    ControlFrameFragmented,
    /// <summary>A close body of exactly one octet (§5.5.1).</summary>
    CloseBodyOneOctet,
    /// <summary>A close status code that may not appear on the wire (§7.4).</summary>
    InvalidCloseCode,
    /// <summary>A close reason that is not valid UTF-8 (§5.5.1).</summary>
    CloseReasonNotUtf8,
    /// <summary>A continuation frame with no fragmented message open (§5.4).</summary>
    OrphanContinuation,
    /// <summary>A new text or binary frame while a fragmented message is still open (§5.4).</summary>
    InterleavedMessage,
    /// <summary>A text message that is not valid UTF-8 (§5.6, §8.1).</summary>
    InvalidUtf8Text,
    /// <summary>A message longer than the receiver accepts (§10.4).</summary>
    MessageTooLong,
    /// <summary>RSV1 ("Per-Message Compressed") on a control or continuation frame (RFC 7692 §6.1).</summary>
    CompressedBitMisplaced,
    /// <summary>A compressed message that cannot be decompressed, or that refers beyond the agreed window (RFC 7692 §7.2.2).</summary>
    InvalidCompressedData,
}
