using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Wsconform.Engine.Handshake;

namespace Wsconform.Tests.Properties;

/// <summary>
/// Property-based tests of the opening-handshake parsers (issue 9): whatever a peer answers or asks, parsing and
/// validation never throw and return one sentence or null; a valid response validates, and a mutated one either still
/// validates or is named as invalid.
/// </summary>
public class HandshakeParserProperties
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static readonly string ValidResponse =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {WebSocketAccept.Compute(Key)}\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10\r\n\r\n";

    private static readonly string ValidRequest =
        "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Key}\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static readonly Gen<byte[]> Octets = Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf();

    private static Gen<byte[]> Mutations(string valid) =>
        from seed in Gen.Choose(0, int.MaxValue)
        select Mutate(Encoding.Latin1.GetBytes(valid), seed);

    [Test]
    public void ResponseParsing_NeverThrows_OnRandomOrMutatedHeads()
    {
        Prop.ForAll(Gen.OneOf(Octets, Mutations(ValidResponse)).ToArbitrary(), head =>
        {
            var end = HttpHead.FindEnd(head);
            var parsed = HttpHead.Parse(end > 0 ? head.AsSpan(0, end) : head);
            _ = ClientHandshake.Validate(parsed, Key, [], ["permessage-deflate; client_max_window_bits"]);
        }).Check(Quick);
    }

    [Test]
    public void RequestParsing_NeverThrows_OnRandomOrMutatedHeads()
    {
        Prop.ForAll(Gen.OneOf(Octets, Mutations(ValidRequest)).ToArbitrary(), head =>
        {
            var end = HttpHead.FindEnd(head);
            var parsed = HttpHead.Parse(end > 0 ? head.AsSpan(0, end) : head);
            _ = ServerHandshake.Check(parsed);
        }).Check(Quick);
    }

    [Test]
    public void TheValidResponse_Validates_AndTheValidRequest_IsAccepted()
    {
        var response = Encoding.Latin1.GetBytes(ValidResponse);
        ClientHandshake.Validate(HttpHead.Parse(response.AsSpan(0, HttpHead.FindEnd(response))), Key, [], ["permessage-deflate; client_max_window_bits"])
            .Should().BeNull();
        var request = Encoding.Latin1.GetBytes(ValidRequest);
        ServerHandshake.Check(HttpHead.Parse(request.AsSpan(0, HttpHead.FindEnd(request)))).Should().BeNull();
    }

    private static byte[] Mutate(byte[] octets, int seed)
    {
        var random = new Random(seed);
        var list = octets.ToList();
        for (var i = 0; i < 1 + random.Next(5); i++)
        {
            var at = random.Next(list.Count);
            switch (random.Next(3))
            {
                case 0: list[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: list.RemoveAt(at); break;
                default: list.Insert(at, (byte)random.Next(256)); break;
            }
        }
        return list.ToArray();
    }
}
