using System.Text.Unicode;

namespace Wsconform.Wire;

/// <summary>
/// Incremental, strict UTF-8 validator (RFC 3629 / Unicode Table 3-7): no overlong forms, no UTF-16 surrogates
/// (U+D800–U+DFFF), nothing above U+10FFFF, no 5- or 6-octet forms. Text messages and close reasons must be
/// valid UTF-8 (RFC 6455 §5.6, §8.1) and a frame boundary may fall inside a code point, so state is kept across
/// <see cref="Feed"/> calls. It reports the first octet at which the input became certainly invalid, which is
/// what fail-fast judging (Autobahn 6.4.x) needs.
/// </summary>
/// <remarks>
/// Large valid inputs take a fast path: while at a code-point boundary, the longest prefix of the chunk that ends on
/// a boundary goes to <see cref="Utf8.IsValid(ReadOnlySpan{byte})"/> (vectorised, same strictness). Only the few
/// octets of an unfinished sequence, or a chunk that turns out to be invalid, go through the octet state machine.
/// </remarks>
public sealed class Utf8Validator
{
    /// <summary>Continuation octets still expected for the code point in progress (0 at a boundary).</summary>
    private int _pending;

    /// <summary>Smallest value allowed for the next continuation octet (narrowed after E0, ED, F0, F4).</summary>
    private byte _lower = 0x80;

    /// <summary>Largest value allowed for the next continuation octet.</summary>
    private byte _upper = 0xBF;

    /// <summary>True once any input was invalid; later input is ignored.</summary>
    public bool IsInvalid { get; private set; }

    /// <summary>
    /// True when no multi-octet sequence is pending, i.e. the input so far could end here. False once invalid.
    /// </summary>
    public bool IsAtCodePointBoundary => !IsInvalid && _pending == 0;

    /// <summary>Absolute index (over all feeds since the last reset) of the first octet that made the input certainly invalid; −1 if none.</summary>
    public long FailedAt { get; private set; } = -1;

    /// <summary>Octets passed to <see cref="Feed"/> since the last reset.</summary>
    public long OctetsSeen { get; private set; }

    /// <summary>True when <paramref name="data"/> is complete, strictly valid UTF-8.</summary>
    public static bool IsValidComplete(ReadOnlySpan<byte> data) => Utf8.IsValid(data);

    /// <summary>Forgets all state, ready for a new message.</summary>
    public void Reset()
    {
        _pending = 0;
        _lower = 0x80;
        _upper = 0xBF;
        IsInvalid = false;
        FailedAt = -1;
        OctetsSeen = 0;
    }

    /// <summary>Validates the next octets of the stream.</summary>
    /// <returns>False once the input is certainly invalid (now or earlier); true while it is a valid prefix.</returns>
    public bool Feed(ReadOnlySpan<byte> data)
    {
        long start = OctetsSeen;
        OctetsSeen += data.Length;
        if (IsInvalid)
        {
            return false;
        }

        int index = 0;

        // Finish a code point left open by the previous feed.
        while (_pending > 0 && index < data.Length)
        {
            if (!Step(data[index]))
            {
                return Fail(start + index);
            }

            index++;
        }

        if (index == data.Length)
        {
            return true;
        }

        // At a boundary: check the longest prefix that ends on a boundary in one vectorised call.
        ReadOnlySpan<byte> rest = data[index..];
        int complete = CompletePrefixLength(rest);
        if (Utf8.IsValid(rest[..complete]))
        {
            index += complete;
        }

        // The unfinished tail (at most 3 octets), or the whole rest when it is invalid: octet by octet, to find
        // exactly where it fails.
        for (; index < data.Length; index++)
        {
            if (!Step(data[index]))
            {
                return Fail(start + index);
            }
        }

        return true;
    }

    private bool Fail(long at)
    {
        IsInvalid = true;
        FailedAt = at;
        _pending = 0;
        return false;
    }

    /// <summary>
    /// Length of the prefix of <paramref name="data"/> that would end on a code-point boundary if valid: everything
    /// except a trailing lead octet whose sequence is cut off by the end of the span.
    /// </summary>
    private static int CompletePrefixLength(ReadOnlySpan<byte> data)
    {
        int stop = Math.Max(0, data.Length - 4);
        for (int i = data.Length - 1; i >= stop; i--)
        {
            byte b = data[i];
            if (b < 0x80)
            {
                return data.Length;
            }

            if (b >= 0xC0)
            {
                int sequence = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return i + sequence > data.Length ? i : data.Length;
            }
        }

        return data.Length;
    }

    /// <summary>Advances the state machine by one octet (Unicode Table 3-7); false if the octet makes the input invalid.</summary>
    private bool Step(byte b)
    {
        if (_pending > 0)
        {
            if (b < _lower || b > _upper)
            {
                return false;
            }

            _pending--;
            _lower = 0x80;
            _upper = 0xBF;
            return true;
        }

        switch (b)
        {
            case <= 0x7F:
                return true;
            case >= 0xC2 and <= 0xDF:
                _pending = 1;
                return true;
            case 0xE0:
                _pending = 2;
                _lower = 0xA0; // below would be an overlong 3-octet form
                return true;
            case 0xED:
                _pending = 2;
                _upper = 0x9F; // above would encode a surrogate U+D800–U+DFFF
                return true;
            case >= 0xE1 and <= 0xEF:
                _pending = 2;
                return true;
            case 0xF0:
                _pending = 3;
                _lower = 0x90; // below would be an overlong 4-octet form
                return true;
            case >= 0xF1 and <= 0xF3:
                _pending = 3;
                return true;
            case 0xF4:
                _pending = 3;
                _upper = 0x8F; // above would exceed U+10FFFF
                return true;
            default:
                // 0x80–0xBF without a lead, 0xC0/0xC1 (always overlong), 0xF5–0xFF (beyond U+10FFFF or 5/6-octet forms).
                return false;
        }
    }
}
