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
    public static IEnumerable<FrameSpec> Split(Opcode opcode, ReadOnlyMemory<byte> payload, int fragmentSize, int firstFrameRsv = 0)
    {
        if (payload.Length <= fragmentSize)
        {
            yield return FrameSpec.Of(opcode, payload, fin: true, rsv: firstFrameRsv);
            yield break;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(fragmentSize, 1);
        var first = true;
        for (var start = 0; ; start += fragmentSize)
        {
            var end = start + fragmentSize;
            var done = end > payload.Length;
            var slice = payload[start..Math.Min(end, payload.Length)];
            yield return FrameSpec.Of(first ? opcode : Opcode.Continuation, slice, fin: done, rsv: first ? firstFrameRsv : 0);
            first = false;
            if (done) yield break;
        }
    }
}
