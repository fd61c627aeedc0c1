using Wsconform.Wire;

namespace Wsconform.Engine.Session;

/// <summary>Cuts a message into frames the way Autobahn|Python's <c>sendMessage(fragmentSize=F)</c> does.</summary>
public static class Fragmentation
{
    /// <summary>
    /// A payload no longer than <paramref name="fragmentSize"/> is one frame. Otherwise the first frame carries the
    /// opcode and the rest are continuations (RFC 6455 §5.4). Autobahn's loop only stops when a fragment overshoots the
    /// end, so a payload that is an exact multiple of the fragment size ends with an extra empty continuation with FIN
    /// set; this is reproduced because it changes frame counts the peer sees (6.2.3, 9.3.x, 10.1.1).
    /// </summary>
    public static IEnumerable<FrameSpec> Split(Opcode opcode, ReadOnlyMemory<byte> payload, int fragmentSize, int firstFrameRsv = 0) =>
        Plan(opcode, payload.Length, fragmentSize).Select(f =>
            FrameSpec.Of(f.Opcode, payload.Slice(f.Offset, f.Length), f.Fin, f.First ? firstFrameRsv : 0));

    /// <summary>The frames of <see cref="Split"/> as positions in the message, for payloads generated while sending.</summary>
    public static IEnumerable<PlannedFrame> Plan(Opcode opcode, int length, int fragmentSize)
    {
        if (length <= fragmentSize)
        {
            yield return new PlannedFrame(opcode, true, 0, length, First: true);
            yield break;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(fragmentSize, 1);
        for (var start = 0; ; start += fragmentSize)
        {
            var end = start + fragmentSize;
            var done = end > length;
            yield return new PlannedFrame(start == 0 ? opcode : Opcode.Continuation, done, start, Math.Min(end, length) - start, First: start == 0);
            if (done) yield break;
        }
    }
}

/// <summary>One frame of a message cut by <see cref="Fragmentation.Plan"/>: its opcode, FIN bit and slice of the message.</summary>
public readonly record struct PlannedFrame(Opcode Opcode, bool Fin, int Offset, int Length, bool First);


