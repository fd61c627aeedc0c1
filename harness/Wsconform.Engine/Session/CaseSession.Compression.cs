using Wsconform.Engine.Scripting;
using Wsconform.Wire;

namespace Wsconform.Engine.Session;

/// <summary>Compressed messages (RFC 7692): Autobahn's compression trials (categories 12, 13) and single compressed sends.</summary>
public sealed partial class CaseSession
{
    /// <summary>
    /// Sends the corpus's consecutive slices one at a time, compressed, and checks every decompressed echo for type,
    /// length and content (Autobahn compares SHA-1 digests of the same octets).
    /// </summary>
    private Task RunCompressedRoundTripsAsync(CompressedRoundTrips trial)
    {
        var compression = RequireCompression();
        var expectedBinary = trial.Opcode == Opcode.Binary;
        ReadOnlyMemory<byte> sent = ReadOnlyMemory<byte>.Empty;
        return RunTrialAsync(trial.Count, trial.TimeoutResult,
            $"{trial.Count} compressed round trip(s) of {trial.MessageSize} {(trial.Corpus.IsText ? "characters" : "octets")} of {trial.Corpus.Description}",
            checkContent: true,
            send: async i =>
            {
                sent = trial.Corpus.Message(i, trial.MessageSize);
                await SendCompressedFramesAsync(compression, trial.Opcode, sent, trial.FragmentSize ?? int.MaxValue, emptyFinalFragment: false).ConfigureAwait(false);
            },
            check: echo => TypeOrLengthDiffers(echo, expectedBinary, sent.Length)
                ?? (echo.Payload.Span.SequenceEqual(sent.Span) ? null : $"has the right length but different content (first difference at octet {FirstDifference(echo.Payload.Span, sent.Span)})"),
            okResult: $"Received all {trial.Count} echo(es) with the right type, length and content.");
    }

    private async Task SendCompressedAsync(SendCompressed step)
    {
        var compression = RequireCompression();
        var before = step.Message.Length;
        var after = await SendCompressedFramesAsync(compression, step.Opcode, step.Message, step.FragmentSize, step.EmptyFinalFragment).ConfigureAwait(false);
        _recorder.Note($"compressed message: {before} octets sent as {after} compressed octets{(step.EmptyFinalFragment ? ", then an empty final fragment" : "")}");
    }

    /// <summary>Compresses a message and sends it: RSV1 on the first frame only (RFC 7692 §6.1), fragments cut from the compressed octets.</summary>
    /// <returns>The compressed length.</returns>
    private async Task<int> SendCompressedFramesAsync(SessionCompression compression, Opcode opcode, ReadOnlyMemory<byte> message, int fragmentSize, bool emptyFinalFragment)
    {
        // Valid until the next Compress, which only comes with the next message: every frame is encoded before that.
        var compressed = compression.Compress(message.Span);
        var frames = Fragmentation.Split(opcode, compressed, fragmentSize, firstFrameRsv: MessageAssembler.CompressedBit).ToList();
        if (emptyFinalFragment)
        {
            // RFC 7692 §7.2.3.6: a message may end with an empty fragment; its FIN is the message's.
            frames[^1] = frames[^1] with { Fin = false };
            frames.Add(FrameSpec.Of(Opcode.Continuation, ReadOnlyMemory<byte>.Empty));
        }
        foreach (var frame in frames) await SendScriptedFrameAsync(frame, chopSize: null, sync: false).ConfigureAwait(false);
        await FlushAsync().ConfigureAwait(false);
        return compressed.Length;
    }

    private SessionCompression RequireCompression() =>
        _compression ?? throw new InvalidOperationException($"case {_case.Id} sends compressed messages but no permessage-deflate was agreed");

    private static int FirstDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.CommonPrefixLength(b);
}
