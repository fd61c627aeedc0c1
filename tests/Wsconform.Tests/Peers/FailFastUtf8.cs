using Wsconform.Wire;

namespace Wsconform.Tests.Peers;

/// <summary>
/// Validates text messages octet by octet as they arrive, including the partial payload of a frame still in flight, so
/// a receiver can fail the connection at the first invalid octet (what Autobahn 6.4.x grades OK) rather than at the end
/// of a frame or message (NON-STRICT). Fed in wire order: each completed data frame, then the frame in progress.
/// </summary>
internal sealed class FailFastUtf8
{
    private readonly Utf8Validator _validator = new();
    private bool _inText;
    /// <summary>The frame in progress was already seen (its start handled) in an earlier read.</summary>
    private bool _currentFrameSeen;
    /// <summary>Octets of the frame in progress already fed to the validator.</summary>
    private int _fed;

    /// <summary>A data frame completed; false when the text message is now certainly invalid.</summary>
    public bool OnCompletedFrame(ReceivedFrame frame)
    {
        if (frame.Header.IsControl) return true;
        if (!_currentFrameSeen) BeginFrame(frame.Header.Opcode);
        var valid = Feed(frame.Payload.Span[Math.Min(_fed, frame.Payload.Length)..]);
        _fed = 0;
        _currentFrameSeen = false;
        return valid;
    }

    /// <summary>More of the frame in progress arrived; false when the text message is now certainly invalid.</summary>
    public bool OnPartialFrame(FrameHeader? header, ReadOnlySpan<byte> payloadSoFar)
    {
        if (header is not { } current || current.IsControl) return true;
        if (!_currentFrameSeen)
        {
            BeginFrame(current.Opcode);
            _currentFrameSeen = true;
        }
        var valid = Feed(payloadSoFar[_fed..]);
        _fed = payloadSoFar.Length;
        return valid;
    }

    private void BeginFrame(int opcode)
    {
        if (opcode == (int)Opcode.Text)
        {
            _validator.Reset();
            _inText = true;
        }
        else if (opcode == (int)Opcode.Binary) _inText = false;
    }

    private bool Feed(ReadOnlySpan<byte> octets) => !_inText || _validator.Feed(octets);
}
