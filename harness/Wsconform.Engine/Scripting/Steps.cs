using Wsconform.Wire;

namespace Wsconform.Engine.Scripting;

/// <summary>
/// One step of a case's script. A script is a short list of steps the session runs in order right after the
/// opening handshake (Autobahn's <c>onOpen</c>). Steps only describe; the session performs them.
/// </summary>
public abstract record Step;

/// <summary>
/// Sends one frame, which may break any rule (see <see cref="FrameSpec"/>).
/// Autobahn's <c>sendFrame(opcode, payload, fin, rsv, chopsize, sync)</c>.
/// </summary>
/// <param name="Frame">The frame to encode; masked per role unless the spec says otherwise.</param>
/// <param name="ChopSize">When set, the encoded frame leaves in writes of this many octets with a short yield between them.</param>
/// <param name="Sync">When true, the frame is forced into its own write ("frame-wise chops"), not coalesced with neighbours.</param>
public sealed record SendFrame(FrameSpec Frame, int? ChopSize = null, bool Sync = false) : Step;

/// <summary>
/// Sends a whole message cut into <paramref name="FragmentSize"/>-octet frames (first frame carries the opcode, the rest
/// are continuations). Reproduces Autobahn's quirk: when the payload length is an exact non-zero multiple of the fragment
/// size, an extra empty continuation frame with FIN=1 ends the message; a payload no longer than the fragment size is
/// sent as a single frame.
/// </summary>
public sealed record SendMessage(Opcode Opcode, ReadOnlyMemory<byte> Payload, int FragmentSize, bool Sync = false) : Step;

/// <summary>
/// Starts the closing handshake: sends a Close frame and moves the connection to CLOSING (the harness becomes
/// the closing endpoint). <paramref name="RawPayload"/>, when set, replaces the code+reason body verbatim,
/// so a case can send a 1-octet or over-long close body and still be the one who started closing.
/// </summary>
public sealed record SendClose(int? Code = null, ReadOnlyMemory<byte> Reason = default, ReadOnlyMemory<byte>? RawPayload = null) : Step;

/// <summary>
/// Waits, then continues with the next step only if the connection is still open (Autobahn's <c>continueLater</c>).
/// If the connection is no longer open when the delay ends, the rest of the script is skipped.
/// </summary>
public sealed record Delay(TimeSpan Duration, string Tag) : Step;

/// <summary>Records the event <c>timeout(Tag)</c> in the received list, only if the connection is still open.</summary>
public sealed record Mark(string Tag) : Step;

/// <summary>
/// Arms the kill timer: if the connection is not closed after <paramref name="After"/>, the harness fails it
/// (Close 1001 "Going Away", or a TCP drop if it is already closing). Autobahn's <c>killAfter</c>.
/// </summary>
public sealed record KillAfter(TimeSpan After) : Step;

/// <summary>
/// Arms the close timer: if the connection is not closed after <paramref name="After"/>, the harness starts a
/// normal close with an empty Close frame. Autobahn's <c>closeAfter</c>.
/// </summary>
public sealed record CloseAfter(TimeSpan After) : Step;

/// <summary>
/// Writes only the header of a frame (Autobahn's <c>beginMessageFrame</c>); its payload follows in
/// <see cref="SendFrameData"/> steps, possibly with delays between them, so one frame can reach the peer in timed
/// pieces (cases 6.4.3, 6.4.4). Masked per role with one key for the whole frame.
/// </summary>
public sealed record SendFrameHeader(Opcode Opcode, bool Fin, ulong Length) : Step;

/// <summary>The next octets of the payload of the frame opened by <see cref="SendFrameHeader"/> (Autobahn's <c>sendMessageFrameData</c>).</summary>
public sealed record SendFrameData(ReadOnlyMemory<byte> Data) : Step;

/// <summary>
/// A payload described by a short pattern repeated and truncated to <paramref name="Length"/> octets. Large payloads
/// (category 9 goes to 16 MiB) are generated when sent, never stored in the catalogue.
/// </summary>
public sealed record PayloadPattern(ReadOnlyMemory<byte> Pattern, int Length)
{
    /// <summary>Writes the payload octets from position <paramref name="start"/> on into all of <paramref name="destination"/>.</summary>
    public void Fill(Span<byte> destination, long start = 0)
    {
        var pattern = Pattern.Span;
        var phase = (int)(start % pattern.Length);
        while (!destination.IsEmpty)
        {
            var piece = pattern[phase..];
            if (piece.Length > destination.Length) piece = piece[..destination.Length];
            piece.CopyTo(destination);
            destination = destination[piece.Length..];
            phase = 0;
        }
    }

    public byte[] ToArray()
    {
        var octets = new byte[Length];
        Fill(octets);
        return octets;
    }
}

/// <summary>
/// Autobahn's performance trials (categories 9, 12, 13): sends <paramref name="Count"/> messages one at a time, each
/// only after the echo of the previous one arrived, and checks every echo's type and length (Autobahn does not compare
/// the content in category 9). The trial decides the behaviour verdict itself: OK when every echo came back right,
/// FAILED at the first wrong one; either way the harness then closes with 1000. While it runs the wire log is
/// suspended, as Autobahn's is. Round-trip times are kept for the report.
/// </summary>
/// <param name="FragmentSize">Cut each message into frames of this size (Autobahn's fragmentation, with its quirk).</param>
/// <param name="ChopSize">Write each frame in pieces of this many octets.</param>
/// <param name="TimeoutResult">The FAILED result text when the trial's close timer fires first, e.g. "Did not receive message within 100 seconds."</param>
public sealed record RoundTrips(Opcode Opcode, PayloadPattern Payload, int Count, string TimeoutResult, int? FragmentSize = null, int? ChopSize = null) : Step;

/// <summary>
/// Autobahn's compression trials (categories 12 and 13): <paramref name="Count"/> messages, consecutive slices of
/// <paramref name="Corpus"/>, each compressed with the negotiated permessage-deflate parameters (RFC 7692 §7.2.1) and
/// sent only after the echo of the previous one arrived. Every echo is decompressed and must have the same type, length
/// and content as the message sent (Autobahn compares SHA-1 digests; comparing the octets is the same test). The trial
/// decides the behaviour verdict and records the compression ratios both ways; the harness then closes with 1000.
/// </summary>
/// <param name="MessageSize">Characters per message for text corpora, octets for binary ones.</param>
/// <param name="FragmentSize">Cut each compressed message into frames of this many octets (fragmentation applies to the compressed octets).</param>
/// <param name="TimeoutResult">The FAILED result text when the close timer fires first.</param>
public sealed record CompressedRoundTrips(Opcode Opcode, MessageCorpus Corpus, int MessageSize, int Count, string TimeoutResult, int? FragmentSize = null) : Step;

/// <summary>
/// Sends one message compressed with the negotiated permessage-deflate context (RFC 7692 §7.2.1), RSV1 on its first
/// frame only, cut into <paramref name="FragmentSize"/>-octet frames of compressed octets. The compressor's context
/// carries over between these steps unless the negotiation said otherwise, so the same message sent twice is shorter
/// on the wire the second time. The wire log notes the compressed length.
/// </summary>
/// <param name="EmptyFinalFragment">Ends the message with an extra empty continuation frame with FIN set (RFC 7692 §7.2.3.6).</param>
public sealed record SendCompressed(Opcode Opcode, ReadOnlyMemory<byte> Message, int FragmentSize = int.MaxValue, bool EmptyFinalFragment = false) : Step;
