using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Wsconform.Wire;

namespace Wsconform.Benchmarks.Codec;

/// <summary>
/// BenchmarkDotNet cases: masked encode and decode of binary frames, our codec (<c>Wsconform.Wire</c>) against
/// System.Net.WebSockets' managed implementation driven over in-memory streams, like for like:
/// <list type="bullet">
/// <item>encode = payload to masked frame octets. Ours: <see cref="FrameEncoder.Encode(FrameSpec, bool, uint, Span{byte})"/>
/// into a reused buffer with a fresh <see cref="PayloadMask.NewKey"/> per frame, as the harness sends (and a fixed-key
/// variant for reference). Theirs: a client <see cref="WebSocket"/> (it masks, with a fresh random key per frame)
/// <c>SendAsync</c> into a stream that only counts the octets.</item>
/// <item>decode = masked frame octets to payload. Ours: <see cref="FrameReader.Feed"/> with <c>ExpectMasked = true</c>
/// on the octets (it allocates each frame's payload array and its <see cref="ReceivedFrame"/>). Theirs: a server
/// <see cref="WebSocket"/> <c>ReceiveAsync</c> into a reused buffer from a <see cref="MemoryStream"/> holding the same
/// octets, rewound each operation.</item>
/// </list>
/// One operation handles <see cref="FramesPerOperation"/> frames (about 1 MiB of payload, at least one frame), so every
/// size runs for a comparable time; throughput is payload octets per second.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class CodecBenchmarks
{
    public const string Encode = "encode";
    public const string Decode = "decode";

    /// <summary>16 B, 1 KiB, 64 KiB, 16 MiB.</summary>
    public static IEnumerable<PayloadSize> Sizes => [new(16), new(1024), new(64 * 1024), new(16 * 1024 * 1024)];

    /// <summary>Frames per benchmark operation for a payload size: about 1 MiB of payload, at least one frame.</summary>
    public static int FramesPerOperation(PayloadSize size) => Math.Max(1, (1024 * 1024) / size.Bytes);

    [ParamsSource(nameof(Sizes))]
    public PayloadSize Size { get; set; } = new(16);

    private int _frames;
    private byte[] _payload = [];
    private FrameSpec _spec = null!;
    private byte[] _encodeBuffer = [];
    private CountingStream _sink = null!;
    private WebSocket _client = null!;

    private byte[] _wire = [];
    private FrameReader _reader = null!;
    private List<ReceivedFrame> _received = null!;
    private MemoryStream _source = null!;
    private WebSocket _server = null!;
    private byte[] _receiveBuffer = [];

    [GlobalSetup]
    public void Setup()
    {
        _frames = FramesPerOperation(Size);
        _payload = new byte[Size.Bytes];
        new Random(6455).NextBytes(_payload);
        _spec = FrameSpec.Of(Opcode.Binary, _payload);
        _encodeBuffer = new byte[FrameEncoder.EncodedLength(_spec, masked: true)];
        _sink = new CountingStream();
        _client = WebSocket.CreateFromStream(_sink, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });

        // N masked frames, each with its own key, as a client sends them.
        _wire = new byte[_encodeBuffer.Length * _frames];
        for (var i = 0; i < _frames; i++)
            FrameEncoder.Encode(_spec, masked: true, PayloadMask.NewKey(), _wire.AsSpan(i * _encodeBuffer.Length));
        _reader = new FrameReader(new FrameReaderOptions { ExpectMasked = true, MaxPayloadLength = 64L * 1024 * 1024 });
        _received = new List<ReceivedFrame>(_frames);
        // WebSocket.CreateFromStream needs a writable stream; nothing is written (no keep-alive, no close frame).
        _source = new MemoryStream(_wire, writable: true);
        _server = WebSocket.CreateFromStream(_source, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        _receiveBuffer = new byte[Size.Bytes];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.Dispose();
        _source.Dispose();
        _sink.Dispose();
    }

    [Benchmark(Description = "ours: FrameEncoder.Encode + NewKey")]
    [BenchmarkCategory(Encode)]
    public int EncodeOurs()
    {
        var written = 0;
        for (var i = 0; i < _frames; i++)
            written += FrameEncoder.Encode(_spec, masked: true, PayloadMask.NewKey(), _encodeBuffer);
        return written;
    }

    [Benchmark(Description = "ours: FrameEncoder.Encode, fixed key")]
    [BenchmarkCategory(Encode)]
    public int EncodeOursFixedKey()
    {
        var written = 0;
        for (var i = 0; i < _frames; i++)
            written += FrameEncoder.Encode(_spec, masked: true, 0x1a2b3c4du, _encodeBuffer);
        return written;
    }

    [Benchmark(Baseline = true, Description = "theirs: client WebSocket.SendAsync")]
    [BenchmarkCategory(Encode)]
    public async ValueTask<long> EncodeTheirs()
    {
        for (var i = 0; i < _frames; i++)
            await _client.SendAsync(_payload, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        return _sink.Count;
    }

    [Benchmark(Description = "ours: FrameReader.Feed")]
    [BenchmarkCategory(Decode)]
    public int DecodeOurs()
    {
        _received.Clear();
        _reader.Feed(_wire, _received);
        return _received.Count;
    }

    [Benchmark(Baseline = true, Description = "theirs: server WebSocket.ReceiveAsync")]
    [BenchmarkCategory(Decode)]
    public async ValueTask<int> DecodeTheirs()
    {
        _source.Position = 0;
        var octets = 0;
        for (var i = 0; i < _frames; i++)
        {
            ValueWebSocketReceiveResult result;
            do
            {
                result = await _server.ReceiveAsync(_receiveBuffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                octets += result.Count;
            }
            while (!result.EndOfMessage);
        }
        return octets;
    }

    /// <summary>
    /// Checks outside BenchmarkDotNet that both sides do the same work on the same octets: frames of equal length,
    /// each side decodes the other's frames back to the payload. Returns the problems found (empty: like for like).
    /// </summary>
    public static async Task<IReadOnlyList<string>> CrossCheckAsync(PayloadSize size)
    {
        var problems = new List<string>();
        var b = new CodecBenchmarks { Size = size };
        b.Setup();
        try
        {
            var frames = b._frames;
            if (b.EncodeOurs() != frames * b._encodeBuffer.Length) problems.Add("ours: encoded length differs from EncodedLength");
            var theirsBytes = await b.EncodeTheirs().ConfigureAwait(false);
            if (theirsBytes != (long)frames * b._encodeBuffer.Length)
                problems.Add($"theirs wrote {theirsBytes} octets for {frames} frame(s); ours {(long)frames * b._encodeBuffer.Length}");

            // Their client's frame, decoded by our reader: one masked binary frame carrying the payload, no violation.
            using (var collected = new MemoryStream())
            using (var client = WebSocket.CreateFromStream(collected, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero }))
            {
                await client.SendAsync(b._payload, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                var decoded = new List<ReceivedFrame>();
                new FrameReader(new FrameReaderOptions { ExpectMasked = true }).Feed(collected.ToArray(), decoded);
                if (decoded.Count != 1 || !decoded[0].Header.Masked || decoded[0].Violations.Count != 0 || !decoded[0].Payload.Span.SequenceEqual(b._payload))
                    problems.Add("ours could not decode theirs: frame count, mask, violations or payload differ");
            }

            if (b.DecodeOurs() != frames || b._received.Any(f => f.Violations.Count != 0 || !f.Payload.Span.SequenceEqual(b._payload)))
                problems.Add("ours: decoded frames differ from the payload");
            var received = await b.DecodeTheirs().ConfigureAwait(false);
            if (received != frames * size.Bytes || !b._receiveBuffer.AsSpan().SequenceEqual(b._payload))
                problems.Add($"theirs: received {received} octets for {frames} frame(s) of {size.Bytes}, or the payload differs");
            // Both decoders again from the start: what one benchmark operation repeats.
            if (b.DecodeOurs() != frames || await b.DecodeTheirs().ConfigureAwait(false) != frames * size.Bytes)
                problems.Add("a second decode operation did not see the same frames");
        }
        finally
        {
            b.Cleanup();
        }
        return problems;
    }
}

/// <summary>A payload size that prints as "16 B", "1 KiB", "64 KiB", "16 MiB" in BenchmarkDotNet's table (and sorts by size there).</summary>
public sealed class PayloadSize(int bytes) : IComparable<PayloadSize>, IComparable
{
    public int Bytes { get; } = bytes;

    public int CompareTo(PayloadSize? other) => other is null ? 1 : Bytes.CompareTo(other.Bytes);

    public int CompareTo(object? obj) => CompareTo(obj as PayloadSize);

    public override string ToString() => Bytes switch
    {
        >= 1024 * 1024 when Bytes % (1024 * 1024) == 0 => $"{Bytes / (1024 * 1024)} MiB",
        >= 1024 when Bytes % 1024 == 0 => $"{Bytes / 1024} KiB",
        _ => $"{Bytes} B",
    };
}

/// <summary>
/// A stream that counts what is written and keeps nothing: the cheapest possible transport. Reads end at once
/// (WebSocket.CreateFromStream wants a readable stream; a sending client never reads).
/// </summary>
internal sealed class CountingStream : Stream
{
    public long Count { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => 0;
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Count += count;
    public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Count += count;
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count += buffer.Length;
        return ValueTask.CompletedTask;
    }
}
