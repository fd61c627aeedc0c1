using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wsconform.Engine.Handshake;
using Wsconform.Wire;

namespace Wsconform.Tests.Peers;

/// <summary>Protocol rules the <see cref="FaultyServer"/> can be told to break, one switch per rule.</summary>
[Flags]
public enum ServerFault
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
}

/// <summary>
/// A strict RFC 6455 echo server built on the harness's own codec in the server role, with switchable faults. Without
/// faults it is the reference peer every case must pass against; each fault breaks exactly one rule so tests can show
/// that the cases targeting that rule catch it.
/// </summary>
public sealed class FaultyServer : IAsyncDisposable
{
    /// <summary>A connection idle this long is dropped, so no test can leave a server task behind.</summary>
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
            var leftover = await HandshakeAsync(stream, idle.Token).ConfigureAwait(false);
            if (leftover is null) return;
            await new ConnectionHandler(this, stream).RunAsync(leftover.Value, idle.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The harness dropped the connection or the test ended: nothing to do.
        }
    }

    /// <summary>Reads and checks the upgrade request; answers 101 and returns octets after the head, or answers 400 and returns null.</summary>
    private static async Task<ReadOnlyMemory<byte>?> HandshakeAsync(NetworkStream stream, CancellationToken cancellationToken)
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
                if (filled == buffer.Length) return null;
                continue;
            }
            var request = HttpHead.Parse(buffer.AsSpan(0, end));
            var problem = ServerHandshake.Validate(request);
            var response = problem is null
                ? ServerHandshake.BuildAcceptResponse(request.Value("Sec-WebSocket-Key")!, extraHeaderLines: ["Server: faulty-test-server"])
                : ServerHandshake.BuildErrorResponse(400, "Bad Request", problem);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response), cancellationToken).ConfigureAwait(false);
            return problem is null ? buffer.AsMemory(end, filled - end).ToArray() : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>One WebSocket connection: reads frames, echoes messages, answers pings and closes, breaking the rules it was told to.</summary>
    private sealed class ConnectionHandler(FaultyServer server, NetworkStream stream)
    {
        private const int OneMiB = 1024 * 1024;
        private const int SpoiledEcho = 10;

        private readonly FrameReader _reader = new(new FrameReaderOptions
        {
            ExpectMasked = true,
            AllowedRsv = server.Has(ServerFault.IgnoresReservedBits) || server.Has(ServerFault.DropsFramesWithReservedBits) ? 7 : 0,
            MaxPayloadLength = server.Has(ServerFault.LimitsMessagesTo1MiB) ? OneMiB : 64 * OneMiB,
        });
        private MessageAssembler _assembler = NewAssembler(server);
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

        public async Task RunAsync(ReadOnlyMemory<byte> leftover, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                if (!await ProcessAsync(leftover, cancellationToken).ConfigureAwait(false)) return;
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (read == 0) return;
                    if (!await ProcessAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false)) return;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
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
                if (checksUtf8Early && !_closeReceived && !_failFast.OnCompletedFrame(frame))
                {
                    await FailAsync(WireViolation.InvalidPayloadData, cancellationToken).ConfigureAwait(false);
                    return false;
                }
                if (!await HandleAsync(frame, cancellationToken).ConfigureAwait(false)) return false;
            }
            // RFC 6455 §8.1 lets a receiver fail as soon as the text is certainly invalid, even inside one frame.
            if (checksUtf8Early && !_closeReceived && !_failFast.OnPartialFrame(_reader.PartialFrameHeader, _reader.PartialPayload))
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
                    if (opcode != (int)Opcode.Continuation && _assembler.InMessage && server.Has(ServerFault.RestartsMessageOnNewDataFrame)) _assembler = NewAssembler(server);
                    if (opcode != (int)Opcode.Continuation) _textMessage = opcode == (int)Opcode.Text;
                    if (_textMessage && server.Has(ServerFault.ValidatesUtf8PerFragment) && !Utf8Validator.IsValidComplete(frame.Payload.Span))
                    {
                        await FailAsync(WireViolation.InvalidPayloadData, cancellationToken).ConfigureAwait(false);
                        return false;
                    }
                    if (server.Has(ServerFault.EchoesFragmentsSeparately))
                        return await EchoAsync(new CompletedMessage(!_textMessage, frame.Payload, 1, frame.Payload.Length), cancellationToken).ConfigureAwait(false);
                    var step = _assembler.Accept(WithoutUtf8CheckIfFaulty(frame));
                    if (step.Violation is { } violation)
                    {
                        await FailAsync(violation.CloseCode, cancellationToken).ConfigureAwait(false);
                        return false;
                    }
                    if (step.Message is { } message) return await EchoAsync(message, cancellationToken).ConfigureAwait(false);
                    return true;
            }
        }

        private static MessageAssembler NewAssembler(FaultyServer server) => new(server.Has(ServerFault.LimitsMessagesTo1MiB) ? OneMiB : 64 * OneMiB);

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
            await SendAsync(FrameSpec.Of(text ? Opcode.Text : Opcode.Binary, payload), cancellationToken).ConfigureAwait(false);
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
            WireRule.ReservedBits => server.Has(ServerFault.IgnoresReservedBits),
            WireRule.ReservedOpcode => server.Has(ServerFault.AcceptsReservedOpcodes),
            WireRule.ControlFrameTooLong => server.Has(ServerFault.AcceptsOversizedControlFrames),
            WireRule.ControlFrameFragmented => server.Has(ServerFault.AcceptsFragmentedControlFrames),
            WireRule.InvalidCloseCode or WireRule.CloseBodyOneOctet or WireRule.CloseReasonNotUtf8 => server.Has(ServerFault.SkipsCloseValidation),
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

        private ValueTask SendAsync(FrameSpec frame, CancellationToken cancellationToken) =>
            stream.WriteAsync(FrameEncoder.Encode(frame, masked: false, maskKey: 0), cancellationToken);
    }
}
