using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Wsconform.Echo;

// Not "Wsconform.Tests.EchoServer": a namespace of that name would hide the EchoServer type.
namespace Wsconform.Tests.EchoServerTests;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class EchoServerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Url_IsLoopbackWithTheBoundPort()
    {
        await using var first = await EchoServer.StartAsync();
        await using var second = await EchoServer.StartAsync();

        first.Url.Scheme.Should().Be("ws");
        first.Url.Host.Should().Be("127.0.0.1");
        first.Url.AbsolutePath.Should().Be("/");
        first.Url.Port.Should().BePositive().And.NotBe(second.Url.Port);
    }

    [Test]
    public async Task EchoesATextMessage()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var client = await ConnectAsync(server.Url, cts.Token);

        await client.SendAsync(Encoding.UTF8.GetBytes("Hello, wsconform ☃"), WebSocketMessageType.Text, true, cts.Token);
        var (type, payload) = await ReceiveMessageAsync(client, cts.Token);

        type.Should().Be(WebSocketMessageType.Text);
        Encoding.UTF8.GetString(payload).Should().Be("Hello, wsconform ☃");
    }

    [Test]
    public async Task EchoesABinaryMessage()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var client = await ConnectAsync(server.Url, cts.Token);
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        await client.SendAsync(data, WebSocketMessageType.Binary, true, cts.Token);
        var (type, payload) = await ReceiveMessageAsync(client, cts.Token);

        type.Should().Be(WebSocketMessageType.Binary);
        payload.Should().Equal(data);
    }

    [Test]
    public async Task EchoesAnEmptyMessage()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var client = await ConnectAsync(server.Url, cts.Token);

        await client.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, true, cts.Token);
        var (type, payload) = await ReceiveMessageAsync(client, cts.Token);

        type.Should().Be(WebSocketMessageType.Text);
        payload.Should().BeEmpty();
    }

    [Test]
    public async Task EchoesAFragmentedMessageAsOneMessage()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var client = await ConnectAsync(server.Url, cts.Token);

        await client.SendAsync(Encoding.UTF8.GetBytes("frag"), WebSocketMessageType.Text, false, cts.Token);
        await client.SendAsync(Encoding.UTF8.GetBytes("men"), WebSocketMessageType.Text, false, cts.Token);
        await client.SendAsync(Encoding.UTF8.GetBytes("ted"), WebSocketMessageType.Text, true, cts.Token);
        await client.SendAsync(Encoding.UTF8.GetBytes("next"), WebSocketMessageType.Text, true, cts.Token);

        var (type, payload) = await ReceiveMessageAsync(client, cts.Token);
        type.Should().Be(WebSocketMessageType.Text);
        Encoding.UTF8.GetString(payload).Should().Be("fragmented");
        var (_, next) = await ReceiveMessageAsync(client, cts.Token);
        Encoding.UTF8.GetString(next).Should().Be("next", "message boundaries are kept");
    }

    [Test]
    public async Task EchoesAMessageLargerThanItsBuffer()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var client = await ConnectAsync(server.Url, cts.Token);
        var data = new byte[1024 * 1024 + 7];
        new Random(6455).NextBytes(data);

        // Send and receive at once: the streaming echo starts answering before the whole message is in.
        var send = client.SendAsync(data, WebSocketMessageType.Binary, true, cts.Token);
        var (type, payload) = await ReceiveMessageAsync(client, cts.Token);
        await send;

        type.Should().Be(WebSocketMessageType.Binary);
        payload.Should().Equal(data);
    }

    [Test]
    public async Task AnswersACloseWithTheSameStatusAndReason()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var client = await ConnectAsync(server.Url, cts.Token);

        await client.CloseAsync((WebSocketCloseStatus)4000, "bye", cts.Token);

        client.State.Should().Be(WebSocketState.Closed);
        client.CloseStatus.Should().Be((WebSocketCloseStatus)4000);
        client.CloseStatusDescription.Should().Be("bye");
    }

    [Test]
    public async Task AnswersACloseWithoutStatusWithNormalClosureThenDropsTcp()
    {
        // ClientWebSocket cannot send an empty Close (it writes 1005 on the wire), so this one is raw octets.
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var raw = await RawClient.OpenAsync(server.Url, cts.Token);

        await raw.SendMaskedAsync(0x88, [], cts.Token);

        (await raw.ReadToEndAsync(cts.Token)).Should().Equal([0x88, 0x02, 0x03, 0xE8], "a Close with status 1000, then FIN");
    }

    [Test]
    public async Task FailsOnAProtocolErrorWithCloseThenFin()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var raw = await RawClient.OpenAsync(server.Url, cts.Token);

        await raw.SendMaskedAsync(0x8F, [], cts.Token); // reserved opcode 0xF

        (await raw.ReadToEndAsync(cts.Token)).Should().Equal([0x88, 0x02, 0x03, 0xEA], "a Close with 1002, then FIN (not RST)");
    }

    [Test]
    public async Task ClosesWith1007OnInvalidUtf8()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var client = await ConnectAsync(server.Url, cts.Token);

        await client.SendAsync(new byte[] { 0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xED, 0xA0, 0x80 }, WebSocketMessageType.Text, true, cts.Token);
        var result = await client.ReceiveAsync(new byte[256], cts.Token);

        result.MessageType.Should().Be(WebSocketMessageType.Close);
        client.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
    }

    [Test]
    public async Task SelectsTheFirstOfferedSubprotocol()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var client = new ClientWebSocket();
        client.Options.AddSubProtocol("chat.v2");
        client.Options.AddSubProtocol("chat.v1");

        await client.ConnectAsync(server.Url, cts.Token);

        client.SubProtocol.Should().Be("chat.v2");
    }

    [Test]
    public async Task AnyPathAcceptsAnUpgrade()
    {
        await using var server = await EchoServer.StartAsync();
        using var cts = new CancellationTokenSource(Deadline);
        using var client = await ConnectAsync(new Uri(server.Url, "/some/path?x=1"), cts.Token);

        client.State.Should().Be(WebSocketState.Open);
    }

    [Test]
    public async Task RejectsAPlainHttpRequestWith400AndNamesItself()
    {
        await using var server = await EchoServer.StartAsync();
        using var http = new HttpClient { Timeout = Deadline };

        using var response = await http.GetAsync(new UriBuilder(server.Url) { Scheme = "http" }.Uri);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("WebSocket").And.EndWith("\n");
        response.Headers.Server.ToString().Should().StartWith("wsconform-echo/");
    }

    [Test]
    public async Task DisposeReleasesThePort()
    {
        var server = await EchoServer.StartAsync();
        var port = server.Url.Port;
        await server.DisposeAsync();
        await server.DisposeAsync(); // idempotent

        await using var again = await EchoServer.StartAsync(port);
        again.Url.Port.Should().Be(port);
    }

    /// <summary>A WebSocket client over a bare socket, for what ClientWebSocket will not send.</summary>
    private sealed class RawClient : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly NetworkStream _stream;

        private RawClient(TcpClient tcp)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
        }

        public static async Task<RawClient> OpenAsync(Uri url, CancellationToken ct)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(url.Host, url.Port, ct);
            var client = new RawClient(tcp);
            var request = $"GET / HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await client._stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
            var head = new List<byte>();
            var one = new byte[1];
            while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
            {
                await client._stream.ReadExactlyAsync(one, ct);
                head.Add(one[0]);
            }
            Encoding.ASCII.GetString(head.ToArray()).Should().StartWith("HTTP/1.1 101");
            return client;
        }

        public async Task SendMaskedAsync(byte first, byte[] payload, CancellationToken ct)
        {
            byte[] mask = [0x37, 0xFA, 0x21, 0x3D];
            var frame = new List<byte> { first, (byte)(0x80 | payload.Length) };
            frame.AddRange(mask);
            frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
            await _stream.WriteAsync(frame.ToArray(), ct);
        }

        /// <summary>Everything the server sends until it closes TCP; throws on a reset.</summary>
        public async Task<byte[]> ReadToEndAsync(CancellationToken ct)
        {
            using var all = new MemoryStream();
            await _stream.CopyToAsync(all, ct);
            return all.ToArray();
        }

        public void Dispose() => _tcp.Dispose();
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri url, CancellationToken ct)
    {
        var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        await client.ConnectAsync(url, ct);
        return client;
    }

    private static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(WebSocket socket, CancellationToken ct)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return (result.MessageType, message.ToArray());
        }
    }
}
