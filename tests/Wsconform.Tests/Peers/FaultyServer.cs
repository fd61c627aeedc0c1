using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Wire;
using Wsconform.Wire.Deflate;

namespace Wsconform.Tests.Peers;

/// <summary>Protocol rules the <see cref="FaultyServer"/> can be told to break, one switch per rule.</summary>
[Flags]
public enum ServerFault : long
{
    None = 0,
    /// <summary>Processes frames with RSV bits set as if they were clear (breaks RFC 6455 §5.2).</summary>
    IgnoresReservedBits = 1 << 0,
    /// <summary>Silently skips frames with reserved opcodes instead of failing (§5.2).</summary>
    AcceptsReservedOpcodes = 1 << 1,
    /// <summary>Answers a Ping with a Pong whose payload differs (§5.5.3).</summary>
    PongsWithWrongPayload = 1 << 2,
    /// <summary>Accepts control frames longer than 125 octets (§5.5).</summary>
    AcceptsOversizedControlFrames = 1 << 3,
    /// <summary>Accepts control frames with FIN=0 and joins them with the continuation frames that follow, as if they were data (§5.5).</summary>
    AcceptsFragmentedControlFrames = 1 << 4,
    /// <summary>Skips a continuation frame that continues nothing instead of failing (§5.4).</summary>
    AcceptsOrphanContinuation = 1 << 5,
    /// <summary>Takes any close code, a 1-octet close body or a reason that is not UTF-8 as a normal close and answers 1000 (§5.5.1, §7.4).</summary>
    SkipsCloseValidation = 1 << 6,
    /// <summary>Never answers a Close and never closes TCP by itself (§5.5.1, §7.1.1).</summary>
    NeverAnswersClose = 1 << 7,
    /// <summary>
    /// Goes on echoing data and answering pings that follow a Close, answers the Close only after them, and keeps TCP
    /// open afterwards (§1.4, §5.5.1, §7.1.1).
    /// </summary>
    EchoesAfterClose = 1 << 8,
    /// <summary>Echoes text messages without checking that they are UTF-8 (§5.6, §8.1).</summary>
    SkipsUtf8Validation = 1 << 9,
    /// <summary>Checks UTF-8 only once a whole message is in, instead of failing at the first bad octet (Autobahn 6.4.x: NON-STRICT).</summary>
    ValidatesUtf8AtMessageEnd = 1 << 10,
    /// <summary>Refuses messages over 1 MiB with 1009 (allowed by §10.4; Autobahn's category 9 expects larger ones to pass).</summary>
    LimitsMessagesTo1MiB = 1 << 11,
    /// <summary>Silently drops the 10th echo of a connection.</summary>
    DropsTenthEcho = 1 << 12,
    /// <summary>Sends the 10th echo of a connection one octet short.</summary>
    TruncatesTenthEcho = 1 << 13,
    /// <summary>Echoes text as binary and binary as text (§5.6: the opcode says how to interpret the data).</summary>
    SwapsMessageType = 1 << 14,
    /// <summary>Echoes every data frame as a message of its own instead of joining the fragments (§5.4).</summary>
    EchoesFragmentsSeparately = 1 << 15,
    /// <summary>A text or binary frame while a fragmented message is open silently starts over instead of failing (§5.4).</summary>
    RestartsMessageOnNewDataFrame = 1 << 16,
    /// <summary>Silently discards frames with RSV bits set instead of failing the connection (§5.2).</summary>
    DropsFramesWithReservedBits = 1 << 17,
    /// <summary>Requires every fragment of a text message to be valid UTF-8 on its own; a code point may not span frames (§5.6, §8.1).</summary>
    ValidatesUtf8PerFragment = 1 << 18,
    /// <summary>Refuses Unicode non-characters (U+FFFE, U+FDD0…) in text, which are valid UTF-8 (§8.1, RFC 3629).</summary>
    RejectsNonCharacters = 1 << 19,
    /// <summary>Refuses 4-octet UTF-8 sequences (code points above U+FFFF), like a UCS-2 implementation (RFC 3629).</summary>
    RejectsFourOctetUtf8 = 1 << 20,
    /// <summary>Computes Sec-WebSocket-Accept with a wrong GUID (§4.2.2 step 5.4; the client must fail, §4.1).</summary>
    WrongAccept = 1 << 21,
    /// <summary>Answers 101 without <c>Connection: Upgrade</c> (§4.2.2 step 5.3; the client must fail, §4.1).</summary>
    OmitsConnectionHeader = 1 << 22,
    /// <summary>Sends Sec-WebSocket-Accept twice (§11.3.3: it must not appear more than once in a response).</summary>
    RepeatsAcceptHeader = 1 << 23,
    /// <summary>
    /// Upgrades whatever Sec-WebSocket-Version says, including none, a list or a repeated header, instead of refusing
    /// with 426 and <c>Sec-WebSocket-Version: 13</c> (§4.2.1 item 6, §4.2.2, §4.4, §11.3.5).
    /// </summary>
    AcceptsEveryVersion = 1 << 24,
    /// <summary>Answers <c>Sec-WebSocket-Protocol: x-not-offered</c>, a subprotocol the client did not offer (§4.2.2 step 5.5, §4.1).</summary>
    SelectsUnofferedSubprotocol = 1 << 25,
    /// <summary>Echoes every offered extension back in Sec-WebSocket-Extensions, ones it does not implement included (§4.2.2, §9.1).</summary>
    AcceptsUnknownExtensions = 1 << 26,
    /// <summary>Answers HTTP 500 to a permessage-deflate offer with invalid parameters instead of declining it (RFC 7692 §5).</summary>
    Answers500ToBadDeflateParameters = 1 << 27,
    /// <summary>Masks the frames it sends (§5.1: a server must not mask; the client must fail the connection).</summary>
    MasksItsFrames = 1 << 28,
    /// <summary>Writes every frame length in the 64-bit form (§5.2: the minimal number of octets must be used).</summary>
    UsesNonMinimalLengths = 1 << 29,
    /// <summary>Processes unmasked client frames as if they were masked instead of failing the connection (§5.1).</summary>
    AcceptsUnmaskedClientFrames = 1 << 30,
    /// <summary>
    /// Does not fail on a 64-bit length with its most significant bit set (§5.2). The codec cannot read past such a
    /// header, so the faulty server just stops reading and leaves the connection open, as a server that took the length
    /// for 2^63 less would while it waited for the payload.
    /// </summary>
    AcceptsLengthWithTopBitSet = 1L << 31,
    /// <summary>Answers 101 without an Upgrade header (§4.2.2 step 5.2; the client must fail, §4.1).</summary>
    OmitsUpgradeHeader = 1L << 32,
    /// <summary>Answers <c>Sec-WebSocket-Extensions: x-not-offered</c>, an extension the client did not offer (§4.1, §9.1).</summary>
    SendsUnofferedExtension = 1L << 33,
    /// <summary>Writes a text frame ("welcome") before its 101 status line (§4.2.2: the response comes first; §4.1).</summary>
    GreetsBeforeUpgrade = 1L << 34,
    /// <summary>Discards the octets that arrived with the request head instead of reading them as frames (§4.2.2, §4.1: the connection is open once the 101 is sent).</summary>
    DropsEarlyData = 1L << 35,
    /// <summary>Fails the connection (1002) on a frame masked with the key 00000000 or ffffffff, as if it were unmasked (§5.3: any 32-bit key).</summary>
    RejectsDegenerateMaskKeys = 1L << 36,
    /// <summary>Looks for the handshake headers by their exact spelling, so other letter cases read as missing (RFC 9110 §5.1, §4.2.1).</summary>
    MatchesHeaderNamesCaseSensitively = 1L << 37,
    /// <summary>Requires <c>Upgrade: websocket</c> and <c>Connection: Upgrade</c> exactly, not case-insensitively nor as token lists (§4.2.1 items 3, 4).</summary>
    MatchesUpgradeValuesExactly = 1L << 38,
    /// <summary>Refuses a request whose first header is not Host (the order of header fields is not significant, RFC 9110 §5.3).</summary>
    RequiresHostFirst = 1L << 39,
    /// <summary>Computes the accept over the key with the whitespace around it (OWS is not part of the value, RFC 9110 §5.5; §4.2.2).</summary>
    KeepsKeyWhitespace = 1L << 40,
    /// <summary>Answers 404 to a request target with a query (§3: the resource name includes the query; §4.2.1).</summary>
    RejectsQueryString = 1L << 41,
    /// <summary>
    /// Answers 400 to any header outside the ones a minimal client sends (Host, User-Agent, Upgrade, Connection,
    /// Sec-WebSocket-*), Origin included (§4.2.1: unknown headers are ignored; §10.2: Origin is for a policy, not a 400).
    /// </summary>
    RejectsUnknownHeaders = 1L << 42,
    /// <summary>Upgrades without, or with a malformed or repeated, Sec-WebSocket-Key (§4.2.1 item 5, §11.3.1).</summary>
    AcceptsBadKeys = 1L << 43,
    /// <summary>Upgrades without Upgrade: websocket or without the Upgrade token in Connection (§4.2.1 items 3, 4).</summary>
    AcceptsMissingUpgradeTokens = 1L << 44,
    /// <summary>Upgrades a request that is not GET, or not HTTP/1.1 or later (§4.2.1 item 1).</summary>
    AcceptsAnyRequestLine = 1L << 45,
    /// <summary>Upgrades a request without Host (§4.2.1 item 2).</summary>
    AcceptsMissingHost = 1L << 46,
    /// <summary>Refuses a missing or unsupported version with a bare 400, without Sec-WebSocket-Version naming 13 (§4.2.2, §4.4).</summary>
    RefusesVersionsWithoutListingThem = 1L << 47,

    // ---- permessage-deflate (RFC 7692). Without these faults the server accepts the first valid offer, inflates the
    // client's compressed messages and compresses every echo under the agreed parameters (FaultyServerCompression.cs).

    /// <summary>Does not implement permessage-deflate: declines every offer (allowed; the compression cases are UNIMPLEMENTED).</summary>
    NoDeflate = 1L << 48,
    /// <summary>Sends its compressed echoes in two frames with RSV1 on both (RFC 7692 §6.1: RSV1 on the first frame only).</summary>
    Rsv1OnContinuation = 1L << 49,
    /// <summary>Keeps its compressor's window from one echo to the next although it agreed to server_no_context_takeover (RFC 7692 §7.1.1.1).</summary>
    KeepsContextDespiteNoContextTakeover = 1L << 50,
    /// <summary>Compresses with a 15-bit window whatever server_max_window_bits it agreed to (RFC 7692 §7.1.2.1).</summary>
    LargerWindowThanAgreed = 1L << 51,
    /// <summary>Adds <c>client_max_window_bits=15</c> to its response when the accepted offer had no client_max_window_bits (RFC 7692 §7.1.2.2).</summary>
    ClientWindowBitsNotOffered = 1L << 52,
    /// <summary>Flips the middle octet of every compressed echo (RFC 7692 §7.2.1: the payload is the DEFLATE data of the message).</summary>
    CorruptCompressedEcho = 1L << 53,
    /// <summary>Takes RSV1 on a continuation frame as if it were clear instead of failing the connection (RFC 7692 §6.1).</summary>
    AcceptsRsv1OnContinuation = 1L << 54,
    /// <summary>Takes RSV1 on a control frame as if it were clear instead of failing the connection (RFC 7692 §6.1).</summary>
    AcceptsRsv1OnControl = 1L << 55,
    /// <summary>
    /// Dies on a message that inflates beyond 1 MiB: drops TCP without a Close, as a server that runs out of memory would,
    /// instead of refusing with 1009 (RFC 6455 §10.4, §7.1.7).
    /// </summary>
    DropsConnectionOnOversizedMessage = 1L << 56,
    /// <summary>Resets its decompressor after every message although client_no_context_takeover was not agreed (RFC 7692 §7.1.1.2).</summary>
    ResetsInflaterDespiteContextTakeover = 1L << 57,
    /// <summary>
    /// Fails the connection (1007) on a frame of a compressed message that inflates to nothing: an empty frame, or the lone
    /// empty block 00, as a zlib binding that takes Z_BUF_ERROR for an error does (RFC 7692 §6.2, §7.2.3.6).
    /// </summary>
    RejectsEmptyCompressedFragments = 1L << 58,
}

/// <summary>
/// A strict RFC 6455 echo server built on the harness's own codec in the server role, with switchable faults. Without
/// faults it is the reference peer every case must pass against; each fault breaks exactly one rule so tests can show
/// that the cases targeting that rule catch it.
/// </summary>
public sealed partial class FaultyServer : IAsyncDisposable
{
    /// <summary>
    /// A connection idle this long (nothing received) is dropped, so no test can leave a server task behind. The timer
    /// restarts at every read: a compression trial of 1000 round trips may keep a busy connection open for minutes.
    /// </summary>
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpListener _listener;
    private readonly ServerFault _faults;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private FaultyServer(ServerFault faults)
    {
        _faults = faults;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 256);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public static FaultyServer Start(ServerFault faults = ServerFault.None) => new(faults);

    public Uri Url => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private bool Has(ServerFault fault) => (_faults & fault) != 0;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        idle.CancelAfter(IdleTimeout);
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (await HandshakeAsync(stream, idle.Token).ConfigureAwait(false) is not var (leftover, deflate)) return;
            await new ConnectionHandler(this, stream, deflate).RunAsync(leftover, idle).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The harness dropped the connection or the test ended: nothing to do.
        }
    }

    /// <summary>
    /// Reads and checks the upgrade request; answers 101 and returns the octets after the head (pipelined early frames)
    /// with the permessage-deflate agreement (null when none), or answers with an HTTP error and returns null.
    /// </summary>
    private async Task<(ReadOnlyMemory<byte> Leftover, DeflateAgreement? Deflate)?> HandshakeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[ServerHandshake.MaxRequestHeadLength];
        var filled = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0) return null;
            filled += read;
            var end = HttpHead.FindEnd(buffer.AsSpan(0, filled));
            if (end < 0)
            {
                if (filled < buffer.Length) continue;
                var tooLong = ServerHandshake.BuildErrorResponse(431, "Request Header Fields Too Large",
                    $"the request head exceeds {ServerHandshake.MaxRequestHeadLength} octets", [ServerHeader]);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(tooLong), cancellationToken).ConfigureAwait(false);
                return null;
            }
            var request = HttpHead.Parse(buffer.AsSpan(0, end));
            var (response, upgraded, deflate) = Answer(request);
            await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            if (!upgraded) return null;
            return (Has(ServerFault.DropsEarlyData) ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(end, filled - end).ToArray(), deflate);
        }
    }

    private const string ServerHeader = "Server: faulty-test-server";

    /// <summary>
    /// The answer to an upgrade request (RFC 6455 §4.2.2), bent by the handshake faults, as octets (an error's body is
    /// UTF-8, as its Content-Length counts it); true when it upgrades, with the permessage-deflate agreement it sent.
    /// </summary>
    private (byte[] Response, bool Upgraded, DeflateAgreement? Deflate) Answer(HttpHead request)
    {
        if (OverStrictRefusal(request) is { } overStrict) return (Encoding.UTF8.GetBytes(overStrict), false, null);
        var refusal = ServerHandshake.Check(request, OverlookedRules());
        if (refusal is { Rule: RequestRule.VersionMissing or RequestRule.VersionUnsupported } && Has(ServerFault.RefusesVersionsWithoutListingThem))
            refusal = HandshakeRefusal.BadRequest(refusal.Rule, refusal.Problem);
        if (refusal is not null) return (Encoding.UTF8.GetBytes(refusal.Render([ServerHeader])), false, null);

        var offers = ServerHandshake.OfferedExtensions(request);
        if (Has(ServerFault.Answers500ToBadDeflateParameters) && offers.FirstOrDefault(DeflateOffer.IsInvalid) is { } bad)
        {
            return (Encoding.UTF8.GetBytes(ServerHandshake.BuildErrorResponse(500, "Internal Server Error",
                $"cannot parse the permessage-deflate offer '{bad}'", [ServerHeader])), false, null);
        }

        var key = Has(ServerFault.KeepsKeyWhitespace) ? RawKey(request) : (request.Value("Sec-WebSocket-Key") ?? "").Trim(' ', '\t');
        var accept = Has(ServerFault.WrongAccept)
            ? Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WrongGuid)))
            : WebSocketAccept.Compute(key);
        var lines = new List<string> { "HTTP/1.1 101 Switching Protocols" };
        if (!Has(ServerFault.OmitsUpgradeHeader)) lines.Add("Upgrade: websocket");
        if (!Has(ServerFault.OmitsConnectionHeader)) lines.Add("Connection: Upgrade");
        lines.Add($"Sec-WebSocket-Accept: {accept}");
        if (Has(ServerFault.RepeatsAcceptHeader)) lines.Add($"Sec-WebSocket-Accept: {accept}");
        // §4.2.2 step 5.5: at most one of the offered subprotocols, or none. This server speaks "chat" (a made-up
        // protocol that is the echo itself), so a case can see it select one of those offered.
        if (Has(ServerFault.SelectsUnofferedSubprotocol)) lines.Add("Sec-WebSocket-Protocol: x-not-offered");
        else if (ServerHandshake.OfferedProtocols(request).Contains(SupportedSubprotocol, StringComparer.Ordinal)) lines.Add($"Sec-WebSocket-Protocol: {SupportedSubprotocol}");
        // §9.1: the server implements permessage-deflate only. It accepts the first valid offer (RFC 7692 §5) and declines
        // every other extension by leaving it out, including permessage-deflate offers with invalid parameters (§5:
        // decline, do not fail).
        DeflateAgreement? deflate = null;
        if (Has(ServerFault.SendsUnofferedExtension)) lines.Add("Sec-WebSocket-Extensions: x-not-offered");
        else if (Has(ServerFault.AcceptsUnknownExtensions) && offers.Count > 0) lines.Add($"Sec-WebSocket-Extensions: {string.Join(", ", offers)}");
        else if (NegotiateDeflate(request) is var (extensionResponse, agreement))
        {
            lines.Add($"Sec-WebSocket-Extensions: {extensionResponse}");
            deflate = agreement;
        }
        lines.Add(ServerHeader);
        var response = Encoding.ASCII.GetBytes(string.Concat(lines.Select(l => l + "\r\n")) + "\r\n");
        if (Has(ServerFault.GreetsBeforeUpgrade))
            response = [.. FrameEncoder.Encode(FrameSpec.Of(Opcode.Text, "welcome"u8.ToArray()), masked: false, maskKey: 0), .. response];
        return (response, true, deflate);
    }

    /// <summary>The §4.2.1 rules the faults tell the server not to check.</summary>
    private List<RequestRule> OverlookedRules()
    {
        var rules = new List<RequestRule>();
        if (Has(ServerFault.AcceptsEveryVersion)) rules.AddRange([RequestRule.VersionMissing, RequestRule.VersionRepeated, RequestRule.VersionUnsupported]);
        if (Has(ServerFault.AcceptsBadKeys)) rules.AddRange([RequestRule.KeyCount, RequestRule.KeyMalformed]);
        if (Has(ServerFault.AcceptsMissingUpgradeTokens)) rules.AddRange([RequestRule.Upgrade, RequestRule.Connection]);
        if (Has(ServerFault.AcceptsAnyRequestLine)) rules.AddRange([RequestRule.Method, RequestRule.HttpVersion]);
        if (Has(ServerFault.AcceptsMissingHost)) rules.Add(RequestRule.Host);
        return rules;
    }

    private static readonly string[] HandshakeHeaderNames = ["Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version"];

    private static readonly string[] MinimalClientHeaderNames =
        ["Host", "User-Agent", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"];

    /// <summary>The refusals of the over-strict faults, which turn away requests §4.2.1 requires a server to accept.</summary>
    private string? OverStrictRefusal(HttpHead request)
    {
        string Refuse(int status, string reason, string problem) => ServerHandshake.BuildErrorResponse(status, reason, problem, [ServerHeader]);
        if (Has(ServerFault.MatchesHeaderNamesCaseSensitively) && HandshakeHeaderNames.FirstOrDefault(n => !request.Headers.Any(h => h.Key == n)) is { } missing)
            return Refuse(400, "Bad Request", $"no header spelled exactly '{missing}'");
        if (Has(ServerFault.MatchesUpgradeValuesExactly) && (request.Value("Upgrade") != "websocket" || request.Value("Connection") != "Upgrade"))
            return Refuse(400, "Bad Request", "Upgrade must be 'websocket' and Connection 'Upgrade'");
        if (Has(ServerFault.RequiresHostFirst) && (request.Headers.Count == 0 || !request.Headers[0].Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
            return Refuse(400, "Bad Request", "the first header must be Host");
        if (Has(ServerFault.RejectsQueryString) && RequestLine.TryParse(request.StartLine)?.Target.Contains('?', StringComparison.Ordinal) == true)
            return Refuse(404, "Not Found", "no such resource");
        if (Has(ServerFault.RejectsUnknownHeaders) && request.Headers.FirstOrDefault(h => !MinimalClientHeaderNames.Contains(h.Key, StringComparer.OrdinalIgnoreCase)) is { Key: not null } unknown)
            return Refuse(400, "Bad Request", $"unknown header '{unknown.Key}'");
        return null;
    }

    /// <summary>With <see cref="ServerFault.KeepsKeyWhitespace"/>: the key as it stands in the raw head after "name: ", spaces kept.</summary>
    private static string RawKey(HttpHead request)
    {
        foreach (var line in request.Raw.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line[..colon].Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase)) continue;
            var value = line[(colon + 1)..];
            return value.StartsWith(' ') ? value[1..] : value;
        }
        return "";
    }

    /// <summary>The subprotocol the server selects when offered (§1.9, §4.2.2 step 5.5).</summary>
    public const string SupportedSubprotocol = "chat";

    /// <summary>Not the GUID of RFC 6455 §1.3 (last digit changed), for <see cref="ServerFault.WrongAccept"/>.</summary>
    private const string WrongGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B12";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>One WebSocket connection: reads frames, echoes messages, answers pings and closes, breaking the rules it was told to.</summary>
    /// <param name="deflate">The permessage-deflate agreement of the handshake, or null when none was agreed.</param>
    private sealed partial class ConnectionHandler(FaultyServer server, NetworkStream stream, DeflateAgreement? deflate)
    {
        private const int OneMiB = 1024 * 1024;
        private const int SpoiledEcho = 10;

        private readonly FrameReader _reader = new(new FrameReaderOptions
        {
            ExpectMasked = true,
            // RFC 7692 §6: permessage-deflate defines RSV1 (the reader allows it on the first frame of a message only).
            AllowedRsv = (server.Has(ServerFault.IgnoresReservedBits) || server.Has(ServerFault.DropsFramesWithReservedBits) ? 7 : 0)
                | (deflate is null ? 0 : MessageAssembler.CompressedBit),
            MaxPayloadLength = server.Has(ServerFault.LimitsMessagesTo1MiB) ? OneMiB : 64 * OneMiB,
        });
        /// <summary>The compression of this connection's echoes and the inflater of its messages; null without permessage-deflate.</summary>
        private readonly EchoCompression? _compression = deflate is null ? null : new EchoCompression(server, deflate);
        private MessageAssembler _assembler = NewAssembler(server);
        /// <summary>The open message's first frame had RSV1: it is compressed (RFC 7692 §6).</summary>
        private bool _compressedMessage;
        /// <summary>With <see cref="ServerFault.AcceptsFragmentedControlFrames"/>: a control frame with FIN=0 waiting for its continuations.</summary>
        private (int Opcode, List<byte> Payload)? _openControlFrame;
        private readonly FailFastUtf8 _failFast = new();
        /// <summary>With a UTF-8 fault the assembler sees text frames as binary; this remembers the message was text.</summary>
        private bool _textMessage;
        private int _echoes;
        private readonly List<ReceivedFrame> _frames = [];
        private bool _closeReceived;
        /// <summary>With <see cref="ServerFault.EchoesAfterClose"/>: the Close answer, held back until the frames after it are handled.</summary>
        private FrameSpec? _deferredCloseReply;

        /// <param name="idle">Cancels the connection when nothing arrives for <see cref="IdleTimeout"/>; re-armed at every read.</param>
        public async Task RunAsync(ReadOnlyMemory<byte> leftover, CancellationTokenSource idle)
        {
            var cancellationToken = idle.Token;
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            _compression?.Attach(_assembler);
            try
            {
                if (!await ProcessAsync(leftover, cancellationToken).ConfigureAwait(false)) return;
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (read == 0) return;
                    idle.CancelAfter(IdleTimeout);
                    if (!await ProcessAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false)) return;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                _compression?.Dispose();
            }
        }

        /// <summary>Handles the frames in <paramref name="octets"/>; false when the connection must end.</summary>
        private async Task<bool> ProcessAsync(ReadOnlyMemory<byte> octets, CancellationToken cancellationToken)
        {
            _frames.Clear();
            _reader.Feed(octets.Span, _frames);
            var checksUtf8Early = !server.Has(ServerFault.SkipsUtf8Validation) && !server.Has(ServerFault.ValidatesUtf8AtMessageEnd);
            foreach (var frame in _frames)
            {
                if (checksUtf8Early && !_closeReceived && !_failFast.OnCompletedFrame(CompressedTextAsBinary(frame)))
                {
                    await FailAsync(WireViolation.InvalidPayloadData, cancellationToken).ConfigureAwait(false);
                    return false;
                }
                if (!await HandleAsync(frame, cancellationToken).ConfigureAwait(false)) return false;
            }
            // RFC 6455 §8.1 lets a receiver fail as soon as the text is certainly invalid, even inside one frame.
            if (checksUtf8Early && !_closeReceived && !_failFast.OnPartialFrame(CompressedTextAsBinary(_reader.PartialFrameHeader), _reader.PartialPayload))
            {
                await FailAsync(WireViolation.InvalidPayloadData, cancellationToken).ConfigureAwait(false);
                return false;
            }
            if (_deferredCloseReply is { } reply)
            {
                _deferredCloseReply = null;
                await SendAsync(reply, cancellationToken).ConfigureAwait(false);
            }
            if (_reader.StoppedBy is { } stop)
            {
                // The reader cannot go past this header; a server that takes the length as 63-bit waits for the payload.
                if (stop.Rule == WireRule.LengthTopBitSet && server.Has(ServerFault.AcceptsLengthWithTopBitSet)) return true;
                await FailAsync(stop.CloseCode, cancellationToken).ConfigureAwait(false);
                return false;
            }
            return true;
        }

        private async Task<bool> HandleAsync(ReceivedFrame frame, CancellationToken cancellationToken)
        {
            if (_closeReceived && !server.Has(ServerFault.EchoesAfterClose)) return true;
            var opcode = frame.Header.Opcode;
            var broken = frame.Violations.FirstOrDefault(v => !Tolerated(v, frame));
            if (broken is not null)
            {
                await FailAsync(broken.CloseCode, cancellationToken).ConfigureAwait(false);
                return false;
            }
            if (frame.Header.Masked && frame.Header.MaskKey is 0 or uint.MaxValue && server.Has(ServerFault.RejectsDegenerateMaskKeys))
            {
                await FailAsync(WireViolation.ProtocolError, cancellationToken).ConfigureAwait(false);
                return false;
            }
            if (OpcodeRules.IsReserved(opcode)) return true; // tolerated: skip the frame
            if (frame.Header.Rsv != 0 && server.Has(ServerFault.DropsFramesWithReservedBits)) return true;
            if (JoinsFragmentedControlFrame(frame) is { } joined) frame = joined;
            else if (_openControlFrame is not null) return true;

            switch ((Opcode)frame.Header.Opcode)
            {
                case Opcode.Ping:
                    var pong = server.Has(ServerFault.PongsWithWrongPayload) ? Encoding.ASCII.GetBytes("not your payload") : frame.Payload;
                    await SendAsync(FrameSpec.Of(Opcode.Pong, pong), cancellationToken).ConfigureAwait(false);
                    return true;
                case Opcode.Pong:
                    return true;
                case Opcode.Close:
                    return await OnCloseAsync(frame, cancellationToken).ConfigureAwait(false);
                default:
                    if (opcode == (int)Opcode.Continuation && !_assembler.InMessage && server.Has(ServerFault.AcceptsOrphanContinuation)) return true;
                    if (opcode != (int)Opcode.Continuation && _assembler.InMessage && server.Has(ServerFault.RestartsMessageOnNewDataFrame))
                    {
                        _assembler = NewAssembler(server);
                        _compression?.Attach(_assembler);
                    }
                    if (opcode != (int)Opcode.Continuation)
                    {
                        _textMessage = opcode == (int)Opcode.Text;
                        _compressedMessage = (frame.Header.Rsv & MessageAssembler.CompressedBit) != 0;
                    }
                    if (_compressedMessage && server.Has(ServerFault.RejectsEmptyCompressedFragments) && InflatesToNothing(frame.Payload.Span))
                    {
                        await FailAsync(WireViolation.InvalidPayloadData, cancellationToken).ConfigureAwait(false);
                        return false;
                    }
                    if (_textMessage && server.Has(ServerFault.ValidatesUtf8PerFragment) && !Utf8Validator.IsValidComplete(frame.Payload.Span))
                    {
                        await FailAsync(WireViolation.InvalidPayloadData, cancellationToken).ConfigureAwait(false);
                        return false;
                    }
                    if (server.Has(ServerFault.EchoesFragmentsSeparately))
                        return await EchoAsync(new CompletedMessage(!_textMessage, frame.Payload, 1, frame.Payload.Length), cancellationToken).ConfigureAwait(false);
                    var step = _assembler.Accept(WithoutUtf8CheckIfFaulty(WithoutReservedBitsIfIgnored(frame)));
                    if (step.Violation is { } violation)
                    {
                        // The crash of a server that inflates without a limit: no Close, TCP just goes.
                        if (violation.Rule == WireRule.MessageTooLong && server.Has(ServerFault.DropsConnectionOnOversizedMessage)) return false;
                        await FailAsync(violation.CloseCode, cancellationToken).ConfigureAwait(false);
                        return false;
                    }
                    if (step.Message is { } message) return await EchoAsync(message, cancellationToken).ConfigureAwait(false);
                    return true;
            }
        }

        private static MessageAssembler NewAssembler(FaultyServer server) =>
            new(server.Has(ServerFault.LimitsMessagesTo1MiB) || server.Has(ServerFault.DropsConnectionOnOversizedMessage) ? OneMiB : 64 * OneMiB);

        /// <summary>
        /// With <see cref="ServerFault.AcceptsFragmentedControlFrames"/>: opens a control "message" on a control frame with
        /// FIN=0 and feeds it the continuations that follow; returns the joined frame once complete, or the frame itself when
        /// no control frame is being joined. Returns null while a joined control frame is still incomplete.
        /// </summary>
        private ReceivedFrame? JoinsFragmentedControlFrame(ReceivedFrame frame)
        {
            if (!server.Has(ServerFault.AcceptsFragmentedControlFrames)) return frame;
            var header = frame.Header;
            if (_openControlFrame is null)
            {
                if (!header.IsControl || header.Fin) return frame;
                _openControlFrame = (header.Opcode, [.. frame.Payload.Span]);
                return null;
            }
            if (header.Opcode != (int)Opcode.Continuation) return frame;
            var (opcode, payload) = _openControlFrame.Value;
            payload.AddRange(frame.Payload.Span);
            if (!header.Fin) return null;
            _openControlFrame = null;
            return new ReceivedFrame(header with { Opcode = opcode, Fin = true }, payload.ToArray(), []);
        }

        /// <summary>
        /// With <see cref="ServerFault.IgnoresReservedBits"/> and no extension agreed, frames reach the assembler with their
        /// RSV bits cleared: it would take RSV1 on a data frame for a compressed message and fail it, having no inflater.
        /// </summary>
        private ReceivedFrame WithoutReservedBitsIfIgnored(ReceivedFrame frame) =>
            server.Has(ServerFault.IgnoresReservedBits) && _compression is null && frame.Header.Rsv != 0
                ? new ReceivedFrame(frame.Header with { Rsv = 0 }, frame.Payload, frame.Violations)
                : frame;

        /// <summary>
        /// With a UTF-8 fault, text frames reach the assembler disguised as binary so it does not check them; whether the
        /// message was text is remembered for the echo (and for the end-of-message check).
        /// </summary>
        private ReceivedFrame WithoutUtf8CheckIfFaulty(ReceivedFrame frame)
        {
            if (!_textMessage || !(server.Has(ServerFault.SkipsUtf8Validation) || server.Has(ServerFault.ValidatesUtf8AtMessageEnd))) return frame;
            var header = frame.Header.Opcode == (int)Opcode.Text ? frame.Header with { Opcode = (int)Opcode.Binary } : frame.Header;
            return new ReceivedFrame(header, frame.Payload, frame.Violations);
        }

        private async Task<bool> EchoAsync(CompletedMessage message, CancellationToken cancellationToken)
        {
            var text = _textMessage;
            if (text && !AcceptableText(message.Payload.Span))
            {
                await FailAsync(WireViolation.InvalidPayloadData, cancellationToken).ConfigureAwait(false);
                return false;
            }
            if (server.Has(ServerFault.SwapsMessageType)) text = !text;
            _echoes++;
            if (_echoes == SpoiledEcho && server.Has(ServerFault.DropsTenthEcho)) return true;
            var payload = _echoes == SpoiledEcho && server.Has(ServerFault.TruncatesTenthEcho) && message.Payload.Length > 0 ? message.Payload[..^1] : message.Payload;
            var opcode = text ? Opcode.Text : Opcode.Binary;
            if (_compression is null)
            {
                await SendAsync(FrameSpec.Of(opcode, payload), cancellationToken).ConfigureAwait(false);
                return true;
            }
            foreach (var frame in _compression.EchoFrames(opcode, payload.Span)) await SendAsync(frame, cancellationToken).ConfigureAwait(false);
            return true;
        }

        /// <summary>The end-of-message checks of the UTF-8 faults: late validation, or a validator stricter than RFC 3629.</summary>
        private bool AcceptableText(ReadOnlySpan<byte> payload)
        {
            if (server.Has(ServerFault.ValidatesUtf8AtMessageEnd) && !Utf8Validator.IsValidComplete(payload)) return false;
            if (!server.Has(ServerFault.RejectsNonCharacters) && !server.Has(ServerFault.RejectsFourOctetUtf8)) return true;
            foreach (var rune in Encoding.UTF8.GetString(payload).EnumerateRunes())
            {
                var nonCharacter = (rune.Value & 0xFFFE) == 0xFFFE || rune.Value is >= 0xFDD0 and <= 0xFDEF;
                if (nonCharacter && server.Has(ServerFault.RejectsNonCharacters)) return false;
                if (rune.Value > 0xFFFF && server.Has(ServerFault.RejectsFourOctetUtf8)) return false;
            }
            return true;
        }

        /// <summary>True when a fault tells the server to overlook this violation.</summary>
        private bool Tolerated(WireViolation violation, ReceivedFrame frame) => violation.Rule switch
        {
            WireRule.UnmaskedClientFrame => server.Has(ServerFault.AcceptsUnmaskedClientFrames),
            // §5.2 obliges senders to use the minimal length form and says nothing of receivers: the length is still
            // unambiguous, so the strict server reads the frame (category 14.2's informational cases show this as OK).
            WireRule.NonMinimalLength => true,
            WireRule.ReservedBits => server.Has(ServerFault.IgnoresReservedBits),
            WireRule.ReservedOpcode => server.Has(ServerFault.AcceptsReservedOpcodes),
            WireRule.ControlFrameTooLong => server.Has(ServerFault.AcceptsOversizedControlFrames),
            WireRule.ControlFrameFragmented => server.Has(ServerFault.AcceptsFragmentedControlFrames),
            WireRule.InvalidCloseCode or WireRule.CloseBodyOneOctet or WireRule.CloseReasonNotUtf8 => server.Has(ServerFault.SkipsCloseValidation),
            // The reader allows the RSV bits of AllowedRsv on the first frame of a message only and reports them elsewhere
            // under this rule; the two reserved-bit faults allow every bit on every frame (AllowedRsv = 7).
            WireRule.CompressedBitMisplaced => server.Has(ServerFault.IgnoresReservedBits) || server.Has(ServerFault.DropsFramesWithReservedBits)
                || server.Has(frame.Header.IsControl ? ServerFault.AcceptsRsv1OnControl : ServerFault.AcceptsRsv1OnContinuation),
            _ => false,
        };

        private async Task<bool> OnCloseAsync(ReceivedFrame frame, CancellationToken cancellationToken)
        {
            if (server.Has(ServerFault.NeverAnswersClose)) return true;
            if (_closeReceived) return true;
            _closeReceived = true;
            // RFC 6455 §5.5.1: answer with a Close, echoing the code received (an empty Close gets an empty answer).
            var code = frame.CloseCode is { } received && CloseStatusRules.IsValidOnWire(received) ? received : frame.CloseCode is null ? (int?)null : 1000;
            if (frame.Payload.Length == 1) code = 1000;
            var reply = FrameSpec.Of(Opcode.Close, CloseBody.Build(code, []));
            if (server.Has(ServerFault.EchoesAfterClose))
            {
                _deferredCloseReply = reply;
                return true;
            }
            await SendAsync(reply, cancellationToken).ConfigureAwait(false);
            // §7.1.1: after the closing handshake the server closes TCP first.
            return false;
        }

        /// <summary>_Fail the WebSocket Connection_ (RFC 6455 §7.1.7): send a Close with the code, then close TCP.</summary>
        private async Task FailAsync(int code, CancellationToken cancellationToken)
        {
            if (!_closeReceived) await SendAsync(FrameSpec.Of(Opcode.Close, CloseBody.Build(code, [])), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Sends a frame unmasked in the minimal length form (§5.1, §5.2), unless a fault says otherwise.</summary>
        private ValueTask SendAsync(FrameSpec frame, CancellationToken cancellationToken)
        {
            if (server.Has(ServerFault.UsesNonMinimalLengths)) frame = frame with { LengthEncoding = LengthEncoding.Extended64 };
            var masked = server.Has(ServerFault.MasksItsFrames);
            return stream.WriteAsync(FrameEncoder.Encode(frame, masked, masked ? PayloadMask.NewKey() : 0), cancellationToken);
        }
    }
}
