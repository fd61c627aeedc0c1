namespace Wsconform.Model;

/// <summary>
/// Round-trip times of a performance trial (categories 9.7/9.8: 1000 sequential echoes), kept so reports can show the
/// latency distribution, not just a verdict.
/// </summary>
/// <param name="Requested">Messages the trial was to send.</param>
/// <param name="Completed">Echoes that came back right.</param>
/// <param name="SamplesMs">Every round-trip time in milliseconds, in sending order.</param>
public sealed record RoundTripStats(int Requested, int Completed, IReadOnlyList<double> SamplesMs)
{
    public double? MinMs => SamplesMs.Count == 0 ? null : SamplesMs.Min();
    public double? MaxMs => SamplesMs.Count == 0 ? null : SamplesMs.Max();
    public double? MedianMs => Percentile(0.5);
    public double? P99Ms => Percentile(0.99);

    /// <summary>Nearest-rank percentile of the samples.</summary>
    public double? Percentile(double fraction)
    {
        if (SamplesMs.Count == 0) return null;
        var sorted = SamplesMs.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// What crossed the wire, counted the way Autobahn's per-case statistics count it: frames by opcode, and socket
/// reads and writes by size (a histogram that shows chopping at a glance).
/// </summary>
public sealed record WireStats
{
    public IReadOnlyDictionary<int, int> FramesSentByOpcode { get; init; } = new Dictionary<int, int>();
    public IReadOnlyDictionary<int, int> FramesReceivedByOpcode { get; init; } = new Dictionary<int, int>();
    /// <summary>Socket writes: size in octets → how many writes had that size.</summary>
    public IReadOnlyDictionary<int, int> WritesBySize { get; init; } = new Dictionary<int, int>();
    /// <summary>Socket reads: size in octets → how many reads had that size.</summary>
    public IReadOnlyDictionary<int, int> ReadsBySize { get; init; } = new Dictionary<int, int>();
}

/// <summary>
/// What permessage-deflate did on a case's connection (RFC 7692): the agreement, and the octets of the messages both
/// ways before and after compression. Autobahn shows the ratios as "[in/out]" in its matrix.
/// </summary>
/// <param name="Agreement">The accepted extension as the peer wrote it in its handshake response.</param>
/// <param name="SentOctets">Payload octets of the messages the harness compressed and sent, before compression.</param>
/// <param name="SentCompressedOctets">The same messages' octets on the wire.</param>
/// <param name="ReceivedOctets">Payload octets of the data messages received, decompressed where they were compressed.</param>
/// <param name="ReceivedCompressedOctets">The same messages' payload octets on the wire (a message the peer did not compress counts its own length).</param>
public sealed record CompressionStats(string Agreement, long SentOctets, long SentCompressedOctets, long ReceivedOctets, long ReceivedCompressedOctets)
{
    /// <summary>Compressed over uncompressed octets of received messages; null when none was received.</summary>
    public double? RatioIn => ReceivedOctets == 0 ? null : (double)ReceivedCompressedOctets / ReceivedOctets;

    /// <summary>Compressed over uncompressed octets of sent messages; null when none was sent.</summary>
    public double? RatioOut => SentOctets == 0 ? null : (double)SentCompressedOctets / SentOctets;
}
