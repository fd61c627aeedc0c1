using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Wsconform.Tests.Serving;

/// <summary>
/// A WebSocket client written by hand over TCP, so a test can break the rules .NET's client never breaks (an unmasked
/// frame, no request at all) and see the server's exact answer.
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawClient> ConnectAsync(int port, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port, ct);
        return new RawClient(tcp);
    }

    /// <summary>A valid upgrade request for <paramref name="target"/> (RFC 6455 §4.1), with the RFC's sample key unless another is given.</summary>
    public static string UpgradeRequest(string target, int port, string key = "dGhlIHNhbXBsZSBub25jZQ==") =>
        $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";

    public async Task SendAsync(string text, CancellationToken ct) => await SendAsync(Encoding.Latin1.GetBytes(text), ct);

    public async Task SendAsync(byte[] octets, CancellationToken ct) => await _stream.WriteAsync(octets, ct);

    /// <summary>Reads up to the end of the response head; what follows stays buffered for <see cref="ReadFrameAsync"/>.</summary>
    public async Task<string> ReadHeadAsync(CancellationToken ct)
    {
        while (true)
        {
            var text = Encoding.Latin1.GetString(_pending.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.RemoveRange(0, end + 4);
                return text[..(end + 4)];
            }
            if (!await FillAsync(ct)) throw new EndOfStreamException($"connection closed before the end of the response head: '{text}'");
        }
    }

    /// <summary>Everything until the server closes (an HTTP error response).</summary>
    public async Task<string> ReadToEndAsync(CancellationToken ct)
    {
        while (await FillAsync(ct)) { }
        return Encoding.UTF8.GetString(_pending.ToArray());
    }

    /// <summary>One frame from the server (which must not mask): opcode and payload.</summary>
    public async Task<(int Opcode, bool Fin, byte[] Payload)> ReadFrameAsync(CancellationToken ct)
    {
        await NeedAsync(2, ct);
        var opcode = _pending[0] & 0x0F;
        var fin = (_pending[0] & 0x80) != 0;
        var masked = (_pending[1] & 0x80) != 0;
        if (masked) throw new InvalidDataException("the server masked a frame");
        var length = (long)(_pending[1] & 0x7F);
        var headerLength = 2;
        if (length == 126)
        {
            await NeedAsync(4, ct);
            length = BinaryPrimitives.ReadUInt16BigEndian(_pending.GetRange(2, 2).ToArray());
            headerLength = 4;
        }
        else if (length == 127)
        {
            await NeedAsync(10, ct);
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(_pending.GetRange(2, 8).ToArray());
            headerLength = 10;
        }
        await NeedAsync(headerLength + (int)length, ct);
        var payload = _pending.GetRange(headerLength, (int)length).ToArray();
        _pending.RemoveRange(0, headerLength + (int)length);
        return (opcode, fin, payload);
    }

    /// <summary>Reads until the server closes the connection; true when it did (FIN or reset) before <paramref name="ct"/> fired.</summary>
    public async Task<bool> WaitForServerCloseAsync(CancellationToken ct)
    {
        try
        {
            while (await FillAsync(ct)) { }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>
    /// Acts as a minimal client on an upgraded connection: echoes text and binary frames (masked), answers pings, answers
    /// the server's Close with the same code and waits for the server to end TCP. Returns how it ended.
    /// </summary>
    public async Task<string> EchoUntilCloseAsync(CancellationToken ct)
    {
        while (true)
        {
            (int Opcode, bool Fin, byte[] Payload) frame;
            try
            {
                frame = await ReadFrameAsync(ct);
            }
            catch (Exception e) when (e is EndOfStreamException or IOException)
            {
                return "server ended TCP";
            }
            switch (frame.Opcode)
            {
                case 1 or 2: await SendAsync(MaskedFrame(frame.Opcode, frame.Payload), ct); break;
                case 9: await SendAsync(MaskedFrame(10, frame.Payload), ct); break;
                case 8:
                    await SendAsync(MaskedFrame(8, frame.Payload.Length >= 2 ? frame.Payload[..2] : []), ct);
                    await WaitForServerCloseAsync(ct);
                    return "closed by server";
            }
        }
    }

    /// <summary>An unmasked frame, as only a server may send (RFC 6455 §5.1).</summary>
    public static byte[] UnmaskedFrame(int opcode, byte[] payload)
    {
        if (payload.Length > 125) throw new ArgumentException("short payloads only", nameof(payload));
        return [(byte)(0x80 | opcode), (byte)payload.Length, .. payload];
    }

    /// <summary>A masked frame, as a client sends (RFC 6455 §5.3).</summary>
    public static byte[] MaskedFrame(int opcode, byte[] payload)
    {
        if (payload.Length > 125) throw new ArgumentException("short payloads only", nameof(payload));
        byte[] key = [0x12, 0x34, 0x56, 0x78];
        return [(byte)(0x80 | opcode), (byte)(0x80 | payload.Length), .. key, .. payload.Select((b, i) => (byte)(b ^ key[i % 4]))];
    }

    private async Task NeedAsync(int count, CancellationToken ct)
    {
        while (_pending.Count < count)
        {
            if (!await FillAsync(ct)) throw new EndOfStreamException("connection closed in the middle of a frame");
        }
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        var buffer = new byte[8192];
        var read = await _stream.ReadAsync(buffer, ct);
        if (read == 0) return false;
        _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
