using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Engine.Running;
using Wsconform.Wire;

namespace Wsconform.Tests.Hostile;

/// <summary>
/// A hostile or broken peer on 127.0.0.1: a tiny TCP server that misbehaves in one way (issue 9), or an address where
/// nothing answers at all. Each accepted connection is handled on its own task; every server bounds its own work in
/// count (<see cref="MaxConnections"/>) and time (<see cref="ConnectionLifetime"/>), and stops on dispose.
/// </summary>
internal sealed class HostilePeer : IAsyncDisposable
{
    /// <summary>No connection is served longer than this, whatever the client does.</summary>
    public static readonly TimeSpan ConnectionLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Connections beyond this many are closed at once (a full catalogue needs 354 plus a few).</summary>
    public const int MaxConnections = 2_000;

    private readonly TcpListener? _listener;
    private readonly Func<Socket, CancellationToken, Task>? _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly Task _acceptLoop = Task.CompletedTask;
    private int _accepted;

    private HostilePeer(string name, Uri url, bool insecure)
    {
        Name = name;
        Url = url;
        Insecure = insecure;
    }

    private HostilePeer(string name, string scheme, Func<Socket, CancellationToken, Task> serve)
    {
        Name = name;
        _serve = serve;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        // wss peers are addressed as localhost so the certificate name check has a name to compare.
        Url = new Uri($"{scheme}://{(scheme == "wss" ? "localhost" : "127.0.0.1")}:{port}/");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public string Name { get; }
    public Uri Url { get; }
    private bool Insecure { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public TargetOptions Target => new() { Url = Url, Insecure = Insecure };

    public override string ToString() => Name;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var number = Interlocked.Increment(ref _accepted);
            if (number > MaxConnections)
            {
                socket.Dispose();
                continue;
            }
            _connections[number] = Task.Run(() => ServeOneAsync(number, socket));
        }
    }

    private async Task ServeOneAsync(int number, Socket socket)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        lifetime.CancelAfter(ConnectionLifetime);
        // Closing the socket is what ends a blocked read or write when the lifetime ends.
        await using var closeOnCancel = lifetime.Token.Register(socket.Dispose).ConfigureAwait(false);
        try
        {
            socket.NoDelay = true;
            await _serve!(socket, lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException
                                      or System.Security.Authentication.AuthenticationException)
        {
            // The client went away, or the lifetime ended: nothing to do.
        }
        finally
        {
            socket.Dispose();
            _connections.TryRemove(number, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stop.Dispose();
    }

    // ---------------------------------------------------------------- the corpus

    /// <summary>Every hostile peer, by name; each call starts fresh servers.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "silent", "slowloris", "http-200", "malformed-status", "huge-headers", "wrong-accept", "closes-after-101",
        "claims-2^63-1", "flood", "reset-mid-frame", "never-answers-close", "close-answered-with-garbage",
        "tls-garbage", "tls-wrong-name", "nothing-listens", "unresolvable",
    ];

    public static HostilePeer Start(string name) => name switch
    {
        "silent" => new(name, "ws", SilentAsync),
        "slowloris" => new(name, "ws", SlowlorisAsync),
        "http-200" => new(name, "ws", (s, t) => AnswerAsync(s, _ => "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", t)),
        "malformed-status" => new(name, "ws", (s, t) => AnswerAsync(s, _ => "HTTP/1.1 one-oh-one Switching\r\nUpgrade: websocket\r\n\r\n", t)),
        "huge-headers" => new(name, "ws", HugeHeadersAsync),
        "wrong-accept" => new(name, "ws", (s, t) => AnswerAsync(s, key => Upgrade(key + "x"), t)),
        "closes-after-101" => new(name, "ws", (s, t) => AnswerAsync(s, Upgrade, t)),
        "claims-2^63-1" => new(name, "ws", HugeClaimAsync),
        "flood" => new(name, "ws", FloodAsync),
        "reset-mid-frame" => new(name, "ws", ResetMidFrameAsync),
        "never-answers-close" => new(name, "ws", (s, t) => EchoAsync(s, onClose: null, t)),
        "close-answered-with-garbage" => new(name, "ws", (s, t) => EchoAsync(s, onClose: Garbage(64), t)),
        "tls-garbage" => new(name, "wss", TlsGarbageAsync),
        "tls-wrong-name" => new(name, "wss", TlsWrongNameAsync),
        "nothing-listens" => new(name, UnusedPort(), insecure: false),
        "unresolvable" => new(name, new Uri("ws://nonexistent.invalid:9001/"), insecure: false),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such hostile peer"),
    };

    /// <summary>The total octets the flood sends on one connection before it stops on its own.</summary>
    public const long FloodLimit = 1L << 30;

    /// <summary>A port that was free a moment ago: bound, then released, so nothing listens there.</summary>
    private static Uri UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"ws://127.0.0.1:{port}/");
    }

    /// <summary>Accepts TCP and never answers; reads (and drops) what the client sends until it goes away.</summary>
    private static async Task SilentAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false) > 0) { }
    }

    /// <summary>A valid 101, one octet per second.</summary>
    private static async Task SlowlorisAsync(Socket socket, CancellationToken cancellationToken)
    {
        var key = await ReadRequestKeyAsync(socket, cancellationToken).ConfigureAwait(false);
        if (key is null) return;
        var response = Encoding.ASCII.GetBytes(Upgrade(key));
        for (var i = 0; i < response.Length; i++)
        {
            await socket.SendAsync(response.AsMemory(i, 1), cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        await SilentAsync(socket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the request and sends <paramref name="response"/> (made from the request's key), then closes.</summary>
    private static async Task AnswerAsync(Socket socket, Func<string, string> response, CancellationToken cancellationToken)
    {
        var key = await ReadRequestKeyAsync(socket, cancellationToken).ConfigureAwait(false);
        if (key is null) return;
        await socket.SendAsync(Encoding.ASCII.GetBytes(response(key)), cancellationToken).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
        await SilentAsync(socket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A 101 status line followed by 1 MiB of header lines (the client must stop reading long before).</summary>
    private static async Task HugeHeadersAsync(Socket socket, CancellationToken cancellationToken)
    {
        var key = await ReadRequestKeyAsync(socket, cancellationToken).ConfigureAwait(false);
        if (key is null) return;
        await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 101 Switching Protocols\r\n"), cancellationToken).ConfigureAwait(false);
        var line = Encoding.ASCII.GetBytes("X-Padding: " + new string('a', 1000) + "\r\n");
        for (var sent = 0; sent < 1024 * 1024; sent += line.Length)
            await socket.SendAsync(line, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(Encoding.ASCII.GetBytes("\r\n"), cancellationToken).ConfigureAwait(false);
        await SilentAsync(socket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A valid 101, then a binary frame header claiming 2^63−1 octets, a few octets of it, and silence.</summary>
    private static async Task HugeClaimAsync(Socket socket, CancellationToken cancellationToken)
    {
        var key = await ReadRequestKeyAsync(socket, cancellationToken).ConfigureAwait(false);
        if (key is null) return;
        byte[] header = [0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4];
        await socket.SendAsync((byte[])[.. Encoding.ASCII.GetBytes(Upgrade(key)), .. header], cancellationToken).ConfigureAwait(false);
        await SilentAsync(socket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A valid 101, then valid 4 KiB binary frames as fast as the socket takes them, up to <see cref="FloodLimit"/>.</summary>
    private static async Task FloodAsync(Socket socket, CancellationToken cancellationToken)
    {
        var key = await ReadRequestKeyAsync(socket, cancellationToken).ConfigureAwait(false);
        if (key is null) return;
        await socket.SendAsync(Encoding.ASCII.GetBytes(Upgrade(key)), cancellationToken).ConfigureAwait(false);
        var draining = SilentAsync(socket, cancellationToken);
        var chunk = FloodChunk.Value;
        try
        {
            for (long sent = 0; sent < FloodLimit && !draining.IsCompleted; sent += chunk.Length)
                await socket.SendAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            socket.Dispose();
            try { await draining.ConfigureAwait(false); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
        }
    }

    /// <summary>64 binary frames of 4 KiB, encoded once.</summary>
    private static readonly Lazy<byte[]> FloodChunk = new(() =>
    {
        var frame = FrameEncoder.Encode(FrameSpec.Of(Opcode.Binary, new byte[4096]), masked: false, maskKey: 0);
        return Enumerable.Repeat(frame, 64).SelectMany(f => f.ToArray()).ToArray();
    });

    /// <summary>A valid 101, then half a frame, then a reset (linger 0).</summary>
    private static async Task ResetMidFrameAsync(Socket socket, CancellationToken cancellationToken)
    {
        var key = await ReadRequestKeyAsync(socket, cancellationToken).ConfigureAwait(false);
        if (key is null) return;
        byte[] half = [0x82, 100, .. new byte[10]];
        await socket.SendAsync((byte[])[.. Encoding.ASCII.GetBytes(Upgrade(key)), .. half], cancellationToken).ConfigureAwait(false);
        await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>
    /// A valid 101, then an echo server (each data frame echoed as it comes, pings answered) that does not answer a
    /// Close: it sends <paramref name="onClose"/> instead when given, else nothing, and keeps echoing.
    /// </summary>
    private static async Task EchoAsync(Socket socket, byte[]? onClose, CancellationToken cancellationToken)
    {
        var key = await ReadRequestKeyAsync(socket, cancellationToken).ConfigureAwait(false);
        if (key is null) return;
        await socket.SendAsync(Encoding.ASCII.GetBytes(Upgrade(key)), cancellationToken).ConfigureAwait(false);
        using var reader = new FrameReader(new FrameReaderOptions { ExpectMasked = true });
        var frames = new List<ReceivedFrame>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0) return;
            frames.Clear();
            reader.Feed(buffer.AsSpan(0, read), frames);
            foreach (var frame in frames)
            {
                var opcode = (Opcode)frame.Header.Opcode;
                if (opcode == Opcode.Close)
                {
                    if (onClose is not null) await socket.SendAsync(onClose, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var reply = opcode == Opcode.Ping ? Opcode.Pong : opcode;
                if (opcode == Opcode.Pong) continue;
                var spec = FrameSpec.Of(reply, frame.Payload.ToArray()) with { Fin = frame.Header.Fin };
                await socket.SendAsync(FrameEncoder.Encode(spec, masked: false, maskKey: 0), cancellationToken).ConfigureAwait(false);
            }
            if (reader.StoppedBy is not null) await SilentAsync(socket, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Accepts TCP, then sends garbage where a TLS ServerHello should be.</summary>
    private static async Task TlsGarbageAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        if (await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false) == 0) return;
        await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 This is not TLS\r\n\r\n").Concat(Garbage(256)).ToArray(), cancellationToken).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
        await SilentAsync(socket, cancellationToken).ConfigureAwait(false);
    }

    private static readonly Lazy<Transport.TestCertificates> Pki = new(() => new Transport.TestCertificates());

    /// <summary>A TLS server whose certificate names <c>other.test</c>, signed by a CA the client does not trust.</summary>
    private static async Task TlsWrongNameAsync(Socket socket, CancellationToken cancellationToken)
    {
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Pki.Value.OtherName }, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[4096];
        while (await tls.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0) { }
    }

    /// <summary>Reads the request head (at most 16 KiB); its Sec-WebSocket-Key, or null when the client went away.</summary>
    private static async Task<string?> ReadRequestKeyAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0) return null;
            filled += read;
            var end = HttpHead.FindEnd(buffer.AsSpan(0, filled));
            if (end >= 0) return (HttpHead.Parse(buffer.AsSpan(0, end)).Value("Sec-WebSocket-Key") ?? "").Trim();
        }
        return "";
    }

    private static string Upgrade(string key) =>
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {WebSocketAccept.Compute(key)}\r\nServer: hostile-test-peer\r\n\r\n";

    private static byte[] Garbage(int length)
    {
        var octets = new byte[length];
        new Random(6455).NextBytes(octets);
        return octets;
    }
}
