using System.Buffers.Binary;

namespace Wsconform.Wire;

/// <summary>
/// The Close frame body (RFC 6455 §5.5.1): empty, or a 2-octet status code in network order followed by an
/// optional UTF-8 reason. Building is unchecked so cases can send invalid codes; parsing reports every rule broken.
/// </summary>
public static class CloseBody
{
    /// <summary>Octets of the status code that starts a non-empty close body.</summary>
    private const int CodeLength = 2;

    /// <summary>
    /// Builds a close body: empty when <paramref name="code"/> is null, otherwise the big-endian code followed by
    /// <paramref name="reason"/>. Any 16-bit code is allowed (the harness must be able to send invalid ones).
    /// </summary>
    /// <exception cref="ArgumentException">A reason without a code, which the format cannot express.</exception>
    public static byte[] Build(int? code, ReadOnlySpan<byte> reason)
    {
        if (code is not { } status)
        {
            return reason.IsEmpty
                ? []
                : throw new ArgumentException("a close reason needs a status code before it (RFC 6455 §5.5.1)", nameof(reason));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(status, nameof(code));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, ushort.MaxValue, nameof(code));

        var body = new byte[CodeLength + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)status);
        reason.CopyTo(body.AsSpan(CodeLength));
        return body;
    }

    /// <summary>Reads the status code from a body of at least two octets; false for an empty or 1-octet body.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> body, out int code, out ReadOnlySpan<byte> reason)
    {
        if (body.Length < CodeLength)
        {
            code = 0;
            reason = default;
            return false;
        }

        code = BinaryPrimitives.ReadUInt16BigEndian(body);
        reason = body[CodeLength..];
        return true;
    }

    /// <summary>Appends every rule a received close body breaks (RFC 6455 §5.5.1, §7.4).</summary>
    internal static void AddViolations(ReadOnlySpan<byte> body, List<WireViolation> violations)
    {
        if (body.Length == 1)
        {
            violations.Add(new WireViolation(
                WireRule.CloseBodyOneOctet,
                "RFC 6455 §5.5.1",
                $"close frame carries 1 octet (0x{body[0]:x2}); a close body is empty or starts with a 2-octet status code",
                WireViolation.ProtocolError));
            return;
        }

        if (!TryParse(body, out int code, out ReadOnlySpan<byte> reason))
        {
            return;
        }

        if (!CloseStatusRules.IsValidOnWire(code))
        {
            violations.Add(new WireViolation(
                WireRule.InvalidCloseCode,
                "RFC 6455 §7.4",
                $"close status code {code} may not be sent on the wire",
                WireViolation.ProtocolError));
        }

        var validator = new Utf8Validator();
        if (!validator.Feed(reason) || !validator.IsAtCodePointBoundary)
        {
            string where = validator.IsInvalid
                ? $"at reason octet {validator.FailedAt}"
                : "ending inside a code point";
            violations.Add(new WireViolation(
                WireRule.CloseReasonNotUtf8,
                "RFC 6455 §5.5.1",
                $"close reason (0x{Convert.ToHexStringLower(reason)}) is not valid UTF-8, {where}",
                WireViolation.InvalidPayloadData));
        }
    }
}
