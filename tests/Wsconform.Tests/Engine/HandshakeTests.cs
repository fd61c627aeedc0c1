using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Engine.Running;

namespace Wsconform.Tests.Engine;

public class HandshakeTests
{
    private static readonly TargetOptions Target = new() { Url = new Uri("ws://example.test:9001/chat?room=1") };

    [Test]
    public void Compute_Rfc6455SampleKey_GivesSampleAccept()
    {
        // RFC 6455 §1.3 and §4.2.2: the worked example.
        WebSocketAccept.Compute("dGhlIHNhbXBsZSBub25jZQ==").Should().Be("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    [Test]
    public void NewKey_Always_Is16RandomOctetsInBase64()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => WebSocketAccept.NewKey()).ToList();
        keys.Should().OnlyHaveUniqueItems();
        keys.Should().AllSatisfy(k => Convert.FromBase64String(k).Should().HaveCount(16));
    }

    [Test]
    public void BuildRequest_WithOptions_CarriesPathQueryHostAndOfferedHeaders()
    {
        var target = Target with
        {
            Origin = "https://origin.test",
            Protocols = ["chat", "superchat"],
            Headers = [new("Authorization", "Bearer x"), new("Cookie", "a=b")],
        };
        var request = ClientHandshake.BuildRequest(target.Url, target, "dGhlIHNhbXBsZSBub25jZQ==", ["permessage-deflate"]);

        request.Should().StartWith("GET /chat?room=1 HTTP/1.1\r\n");
        request.Should().Contain("Host: example.test:9001\r\n");
        request.Should().Contain("Upgrade: websocket\r\n").And.Contain("Connection: Upgrade\r\n");
        request.Should().Contain("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n").And.Contain("Sec-WebSocket-Version: 13\r\n");
        request.Should().Contain("Origin: https://origin.test\r\n");
        request.Should().Contain("Sec-WebSocket-Protocol: chat, superchat\r\n");
        request.Should().Contain("Sec-WebSocket-Extensions: permessage-deflate\r\n");
        request.Should().Contain("Authorization: Bearer x\r\n").And.Contain("Cookie: a=b\r\n");
        request.Should().EndWith("\r\n\r\n");
    }

    [TestCase("ws://h.test/", "h.test")]
    [TestCase("ws://h.test:80/", "h.test")]
    [TestCase("wss://h.test:443/", "h.test")]
    [TestCase("wss://h.test:8443/", "h.test:8443")]
    [TestCase("ws://[::1]:9000/", "[::1]:9000")]
    public void HostHeader_DefaultPortOmitted_OtherPortsKept(string url, string expected) =>
        ClientHandshake.HostHeader(new Uri(url)).Should().Be(expected);

    private static HttpHead Head(string text) => HttpHead.Parse(Encoding.Latin1.GetBytes(text));

    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    [Test]
    public void Validate_Rfc6455SampleResponse_IsAccepted()
    {
        var response = Head("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        ClientHandshake.Validate(response, Key, [], []).Should().BeNull();
    }

    [Test]
    public void Validate_HeaderNamesAndValuesInOtherCase_IsAccepted()
    {
        var response = Head("HTTP/1.1 101 OK\r\nupgrade: WebSocket\r\nconnection: keep-alive, UPGRADE\r\nsec-websocket-accept:  s3pPLMBiTxaQ9kYGzzhZRbK+xOo= \r\n\r\n");
        ClientHandshake.Validate(response, Key, [], []).Should().BeNull();
    }

    [TestCase("HTTP/1.1 200 OK\r\n\r\n", "instead of 101")]
    [TestCase("garbage\r\n\r\n", "status line")]
    [TestCase("HTTP/1.1 101 X\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", "Upgrade: websocket")]
    [TestCase("HTTP/1.1 101 X\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", "Connection")]
    [TestCase("HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", "no Sec-WebSocket-Accept")]
    [TestCase("HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n", "expected 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='")]
    [TestCase("HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", "repeats")]
    [TestCase("HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n", "did not offer")]
    [TestCase("HTTP/1.1 101 X\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: x-unknown\r\n\r\n", "x-unknown")]
    public void Validate_BrokenResponse_NamesTheProblem(string response, string expectedFragment) =>
        ClientHandshake.Validate(Head(response), Key, [], []).Should().Contain(expectedFragment);

    [Test]
    public void FindEnd_PartialHead_NeedsMore_CompleteHead_ReturnsLength()
    {
        HttpHead.FindEnd("HTTP/1.1 101 X\r\nA: b\r\n"u8).Should().Be(-1);
        byte[] full = [.. "HTTP/1.1 101 X\r\nA: b\r\n\r\n"u8, 0x81, 0x00]; // head, then a first frame: FIN=1 Text, len 0
        HttpHead.FindEnd(full).Should().Be(full.Length - 2);
    }

    [Test]
    public void Parse_RepeatedAndMalformedHeaders_KeptAsSent()
    {
        var head = Head("HTTP/1.1 101 X\r\nA: 1\r\na: 2\r\nno colon here\r\n\r\n");
        head.Values("A").Should().Equal("1", "2");
        head.Value("a").Should().Be("1, 2");
        head.MalformedLines.Should().Equal("no colon here");
    }

    [TestCase("dGhlIHNhbXBsZSBub25jZQ==", true)]
    [TestCase(" dGhlIHNhbXBsZSBub25jZQ== ", true)]
    [TestCase("dGhlIHNhbXBsZQ==", false)]
    [TestCase("not base64!", false)]
    public void IsValidKey_DecodesTo16Octets(string key, bool valid) => ServerHandshake.IsValidKey(key).Should().Be(valid);
}
