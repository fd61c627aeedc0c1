using System.Net.Sockets;
using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Tests.Peers;
using Wsconform.Wire;

namespace Wsconform.Tests.Conformance;

/// <summary>
/// The strict test server's opening handshake, request by request, independent of the catalogue: it accepts what
/// RFC 6455 §4.2.1 requires a server to accept and refuses the rest with 400, or 426 plus the supported version.
/// </summary>
[TestFixture]
public class StrictHandshakeTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string Accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private FaultyServer _server = null!;

    [OneTimeSetUp]
    public void Start() => _server = FaultyServer.Start();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static string Request(string requestLine = "GET /chat HTTP/1.1", params string[] headers) =>
        requestLine + "\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";

    private static readonly string[] Standard =
        ["Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade", $"Sec-WebSocket-Key: {Key}", "Sec-WebSocket-Version: 13"];

    private static string[] Replacing(string name, params string[] lines) =>
        [.. Standard.Where(h => !h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)), .. lines];

    /// <summary>Sends the octets and reads the response head (and whatever followed it within the first reads).</summary>
    private async Task<(HttpHead Head, byte[] After)> ExchangeAsync(byte[] octets, int octetsAfterHead = 0)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server.Url.Host, _server.Url.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(octets);
        var buffer = new byte[64 * 1024];
        var filled = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), timeout.Token);
            if (read == 0) break;
            filled += read;
            var end = HttpHead.FindEnd(buffer.AsSpan(0, filled));
            if (end >= 0 && filled - end >= octetsAfterHead) break;
        }
        var headEnd = HttpHead.FindEnd(buffer.AsSpan(0, filled));
        headEnd.Should().BeGreaterThan(0, "the server must answer with an HTTP response head");
        return (HttpHead.Parse(buffer.AsSpan(0, headEnd)), buffer[headEnd..filled]);
    }

    private async Task<HttpHead> AnswerToAsync(string request) => (await ExchangeAsync(Encoding.Latin1.GetBytes(request))).Head;

    private static int Status(HttpHead head) => StatusLine.TryParse(head.StartLine)!.Code;

    public static IEnumerable<TestCaseData> Acceptable =>
    [
        new TestCaseData(Request(headers: Standard)).SetName("Standard"),
        new TestCaseData(Request(headers: [.. Standard.Select(h => h.ToLowerInvariant().Replace(Key.ToLowerInvariant(), Key, StringComparison.Ordinal))])).SetName("LowerCaseNames"),
        new TestCaseData(Request(headers: [.. Standard.Select(h => h.ToUpperInvariant().Replace(Key.ToUpperInvariant(), Key, StringComparison.Ordinal))])).SetName("UpperCaseNamesAndValues"),
        new TestCaseData(Request(headers: Replacing("Upgrade", "Upgrade: WebSocket"))).SetName("UpgradeMixedCase"),
        new TestCaseData(Request(headers: Replacing("Connection", "Connection: keep-alive, Upgrade"))).SetName("ConnectionList"),
        new TestCaseData(Request(headers: Replacing("Connection", "Connection: keep-alive", "Connection: upgrade"))).SetName("ConnectionRepeated"),
        new TestCaseData(Request(headers: [.. Standard.Reverse()])).SetName("ReversedOrder"),
        new TestCaseData(Request(headers: Replacing("Sec-WebSocket-Key", $"Sec-WebSocket-Key:    {Key}  \t"))).SetName("KeyWithWhitespace"),
        new TestCaseData(Request("GET /chat?room=1&x=%20 HTTP/1.1", Standard)).SetName("QueryString"),
        new TestCaseData(Request(headers: [.. Standard, "Origin: http://example.com", "X-Unknown: whatever", "Cookie: a=b"])).SetName("OriginAndUnknownHeaders"),
    ];

    [TestCaseSource(nameof(Acceptable))]
    public async Task ValidRequest_GetsUpgrade(string request)
    {
        var head = await AnswerToAsync(request);
        Status(head).Should().Be(101, head.Raw);
        head.Values("Sec-WebSocket-Accept").Should().Equal(Accept);
        head.Value("Connection").Should().Be("Upgrade");
        head.Value("Upgrade").Should().Be("websocket");
        head.Values("Sec-WebSocket-Protocol").Should().BeEmpty();
        head.Values("Sec-WebSocket-Extensions").Should().BeEmpty();
    }

    public static IEnumerable<TestCaseData> BadRequests =>
    [
        new TestCaseData(Request(headers: Replacing("Sec-WebSocket-Key"))).SetName("KeyMissing"),
        new TestCaseData(Request(headers: Replacing("Sec-WebSocket-Key", "Sec-WebSocket-Key: not base64 at all!!!!!!"))).SetName("KeyNotBase64"),
        new TestCaseData(Request(headers: Replacing("Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j"))).SetName("KeyFifteenOctets"),
        new TestCaseData(Request(headers: Replacing("Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZTEy"))).SetName("KeySeventeenOctets"),
        new TestCaseData(Request(headers: Replacing("Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbX BsZSBub25jZQ=="))).SetName("KeyInnerSpace"),
        new TestCaseData(Request(headers: [.. Standard, $"Sec-WebSocket-Key: {Key}"])).SetName("KeyTwice"),
        new TestCaseData(Request(headers: Replacing("Upgrade"))).SetName("UpgradeMissing"),
        new TestCaseData(Request(headers: Replacing("Upgrade", "Upgrade: h2c"))).SetName("UpgradeOtherProtocol"),
        new TestCaseData(Request(headers: Replacing("Connection"))).SetName("ConnectionMissing"),
        new TestCaseData(Request(headers: Replacing("Connection", "Connection: keep-alive"))).SetName("ConnectionWithoutUpgrade"),
        new TestCaseData(Request("POST /chat HTTP/1.1", Standard)).SetName("Post"),
        new TestCaseData(Request("get /chat HTTP/1.1", Standard)).SetName("LowerCaseMethod"),
        new TestCaseData(Request("GET /chat HTTP/1.0", Standard)).SetName("Http10"),
        new TestCaseData(Request(headers: Replacing("Host"))).SetName("HostMissing"),
        new TestCaseData(Request(headers: [.. Standard, "Sec-WebSocket-Version: 13"])).SetName("VersionTwice"),
        new TestCaseData(Request(headers: Replacing("Sec-WebSocket-Version", "Sec-WebSocket-Version: 13, 8"))).SetName("VersionList"),
    ];

    [TestCaseSource(nameof(BadRequests))]
    public async Task InvalidRequest_Gets400WithoutUpgrade(string request)
    {
        var head = await AnswerToAsync(request);
        Status(head).Should().Be(400, head.Raw);
        head.Values("Sec-WebSocket-Accept").Should().BeEmpty();
        head.Values("Upgrade").Should().BeEmpty();
    }

    [TestCase("8")]
    [TestCase("14")]
    [TestCase("abc")]
    [TestCase("")]
    [TestCase(null)]
    public async Task UnsupportedOrMissingVersion_Gets426NamingVersion13(string? version)
    {
        var headers = version is null ? Replacing("Sec-WebSocket-Version") : Replacing("Sec-WebSocket-Version", $"Sec-WebSocket-Version: {version}");
        var head = await AnswerToAsync(Request(headers: headers));
        Status(head).Should().Be(426, head.Raw);
        head.Values("Sec-WebSocket-Version").Should().Equal("13");
        head.Values("Sec-WebSocket-Accept").Should().BeEmpty();
    }

    [TestCase("chat", "chat")]
    [TestCase("superchat, chat", "chat")]
    [TestCase("v2.chat", null)]
    [TestCase("Chat", null)]
    public async Task Subprotocol_OnlyChatIsSelected_AndOnlyWhenOffered(string offered, string? selected)
    {
        var head = await AnswerToAsync(Request(headers: [.. Standard, $"Sec-WebSocket-Protocol: {offered}"]));
        Status(head).Should().Be(101, head.Raw);
        head.Values("Sec-WebSocket-Protocol").Should().Equal(selected is null ? [] : [selected]);
    }

    [Test]
    public async Task ValidDeflateOffer_IsAccepted()
    {
        var head = await AnswerToAsync(Request(headers: [.. Standard, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"]));
        Status(head).Should().Be(101, head.Raw);
        head.Values("Sec-WebSocket-Extensions").Should().ContainSingle().Which.Should().StartWith("permessage-deflate");
    }

    [TestCase("permessage-deflate; server_max_window_bits=7")]
    [TestCase("permessage-deflate; server_max_window_bits=08")]
    [TestCase("permessage-deflate; foo=1")]
    [TestCase("permessage-deflate; server_no_context_takeover; server_no_context_takeover")]
    [TestCase("x-webkit-deflate-frame, x-unknown-extension; a=1")]
    public async Task InvalidOrUnknownExtensions_AreAllDeclined(string offered)
    {
        var head = await AnswerToAsync(Request(headers: [.. Standard, $"Sec-WebSocket-Extensions: {offered}"]));
        Status(head).Should().Be(101, head.Raw);
        head.Values("Sec-WebSocket-Extensions").Should().BeEmpty();
    }

    [TestCase("permessage-deflate; server_max_window_bits=7", true)]
    [TestCase("permessage-deflate; server_max_window_bits=08", true)]
    [TestCase("permessage-deflate; foo", true)]
    [TestCase("permessage-deflate; client_no_context_takeover=1", true)]
    [TestCase("permessage-deflate; server_max_window_bits", true)]
    [TestCase("permessage-deflate; client_max_window_bits; client_max_window_bits", true)]
    [TestCase("permessage-deflate; client_max_window_bits", false)]
    [TestCase("permessage-deflate; server_max_window_bits=\"10\"; client_no_context_takeover", false)]
    [TestCase("permessage-deflate", false)]
    [TestCase("x-other; foo=bar", false)]
    public void DeflateOffer_InvalidParameters_AreRecognised(string offer, bool invalid) => DeflateOffer.IsInvalid(offer).Should().Be(invalid);

    [Test]
    public async Task EarlyFrame_AfterTheRequestHead_IsEchoedAfterThe101()
    {
        var frame = FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "early"u8.ToArray()), masked: true, maskKey: 0x11223344);
        var echo = FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "early"u8.ToArray()), masked: false, maskKey: 0);
        var (head, after) = await ExchangeAsync([.. Encoding.Latin1.GetBytes(Request(headers: Standard)), .. frame], echo.Length);
        Status(head).Should().Be(101, head.Raw);
        after.Should().Equal(echo);
    }
}
