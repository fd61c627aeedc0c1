using Wsconform.Model;

namespace Wsconform.Reports.Tests;

/// <summary>Fixed runs with a fixed clock, so every report of them is byte-for-byte reproducible.</summary>
internal static class SampleRuns
{
    public static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public const string ScriptPayload = "<script>alert(1)</script>";
    public const string ImgPayload = "\"><img src=x onerror=alert(1)>";
    public const string Hostile = ScriptPayload + ImgPayload;

    /// <summary>Four cases: OK, FAILED (violations, wire log), ERROR (never connected), INFORMATIONAL.</summary>
    public static RunResult Basic() => new()
    {
        ToolVersion = "0.1.0-test",
        StartedAt = Start,
        FinishedAt = Start.AddMilliseconds(12_345),
        Settings = new RunSettings
        {
            Cases = ["1.*", "2.*", "7.*"],
            Exclude = ["9.*"],
            Parallel = 4,
            Other = new Dictionary<string, string> { ["origin"] = "http://example.test", ["protocols"] = "chat" },
        },
        Targets =
        [
            new TargetResult
            {
                Target = new TargetInfo("ws://127.0.0.1:9001/echo?x=1", "EchoServer/1.0", "EchoServer/1.0 (Linux)"),
                RunPhaseMs = 4321,
                Cases = [OkCase(), FailedCase(), ErrorCase(), InformationalCase()],
            },
        ],
    };

    /// <summary>A run whose every peer-controlled string is hostile markup.</summary>
    public static RunResult HostileRun() => Basic() with
    {
        Targets =
        [
            new TargetResult
            {
                Target = new TargetInfo("ws://evil.test/", "Agent" + Hostile, "Server" + Hostile),
                RunPhaseMs = 10,
                Cases =
                [
                    FailedCase() with
                    {
                        Close = FailedCase().Close with { RemoteCloseReason = Hostile, WasNotCleanReason = Hostile },
                        HandshakeResponse =
                            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + $"Sec-WebSocket-Protocol: {Hostile}\r\nServer: {Hostile}\r\nX-Custom: {Hostile}\r\n\r\n",
                        Received = [new CaseEvent(EventKind.Message, new PayloadView(60, Hostile, true))],
                        Violations = [new PeerViolation(1.5, "RFC 6455 §5.2", "peer sent " + Hostile)],
                        // The agreement is the peer's own Sec-WebSocket-Extensions text.
                        Compression = new CompressionStats("permessage-deflate; " + Hostile, 100, 60, 0, 0),
                        WireLog =
                        [
                            new WireLogEntry { TimeMs = 1, Kind = WireEntryKind.FrameIn, Opcode = 1, Fin = true, Rsv = 0, Masked = false, Payload = new PayloadView(60, Hostile, true) },
                            new WireLogEntry { TimeMs = 2, Kind = WireEntryKind.OctetsIn, Payload = new PayloadView(60, Hostile, true) },
                            new WireLogEntry { TimeMs = 3, Kind = WireEntryKind.Violation, Text = Hostile },
                            new WireLogEntry { TimeMs = 4, Kind = WireEntryKind.TcpDroppedByPeer, Text = Hostile },
                        ],
                    },
                ],
            },
        ],
    };

    public static CaseResult OkCase() => new()
    {
        Id = "1.1.1",
        Category = "Framing",
        Group = "Text Messages",
        RfcSections = ["RFC 6455 §5.6"],
        Requirement = "A server echoes a text message with an empty payload.",
        Stimulus = "Send a text message with a payload of length 0.",
        ExpectedBehaviour = "Receive the echo, then a clean close.",
        Behavior = Behavior.Ok,
        BehaviorClose = CloseBehavior.Ok,
        Result = "Actual events match at least one expected.",
        ResultClose = "Connection was properly closed",
        Started = Start.AddMilliseconds(10),
        DurationMs = 2.5,
        Expected = [new ExpectedOutcome(Behavior.Ok, [new CaseEvent(EventKind.Message, PayloadView.Empty)])],
        Received = [new CaseEvent(EventKind.Message, PayloadView.Empty)],
        ExpectedClose = new ExpectedClose(true, [1000], true),
        Close = new CloseFacts
        {
            ClosedByMe = true,
            DroppedByMe = false,
            WasClean = true,
            LocalCloseCode = 1000,
            RemoteCloseCode = 1000,
            TcpEnd = "FIN by peer",
        },
        Violations = [],
        HandshakeRequest = "GET /echo?x=1 HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\n\r\n",
        HandshakeResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        WireLog =
        [
            new WireLogEntry { TimeMs = 0.5, Kind = WireEntryKind.FrameOut, Opcode = 1, Fin = true, Rsv = 0, Masked = true, MaskKey = "1a2b3c4d", Payload = PayloadView.Empty, Sync = false },
            new WireLogEntry { TimeMs = 0.75, Kind = WireEntryKind.OctetsOut, Payload = new PayloadView(6, "0x81801a2b3c4d", false) },
            new WireLogEntry { TimeMs = 1.125, Kind = WireEntryKind.FrameIn, Opcode = 1, Fin = true, Rsv = 0, Masked = false, Payload = PayloadView.Empty },
            new WireLogEntry { TimeMs = 1.5, Kind = WireEntryKind.CloseTimerScheduled, DelaySeconds = 1 },
            new WireLogEntry { TimeMs = 2.25, Kind = WireEntryKind.TcpDroppedByPeer },
        ],
        // Keys deliberately out of order: the writers sort them numerically.
        Stats = new WireStats
        {
            FramesSentByOpcode = new Dictionary<int, int> { [8] = 1, [1] = 1 },
            FramesReceivedByOpcode = new Dictionary<int, int> { [1] = 1, [8] = 1 },
            WritesBySize = new Dictionary<int, int> { [240] = 1, [6] = 1, [8] = 1 },
            ReadsBySize = new Dictionary<int, int> { [129] = 1, [2] = 1, [4] = 1, [10] = 2 },
        },
        // Only category 9 records round trips in a real run; the writers do not look at the category, so the basic
        // sample carries them here to pin their rendering without changing the run's shape.
        RoundTrips = new RoundTripStats(6, 5, [0.0812, 0.0795, 0.3104, 0.0768, 1.2049]),
    };

    public static CaseResult FailedCase() => new()
    {
        Id = "2.5",
        Category = "Pings/Pongs",
        Group = null,
        RfcSections = ["RFC 6455 §5.5", "RFC 6455 §5.5.2"],
        Requirement = "A control frame's payload is at most 125 octets; a peer fails the connection on a longer ping.",
        Stimulus = "Send a ping with a 126-octet payload.",
        ExpectedBehaviour = "Fail the connection with 1002 and send no pong.",
        Behavior = Behavior.Failed,
        BehaviorClose = CloseBehavior.WrongCode,
        Result = "The peer answered with a pong.",
        ResultClose = "The close code 1000 is not allowed here (expected 1002).",
        Started = Start.AddTicks(201_234), // 20.1234 ms: sub-millisecond on purpose
        DurationMs = 1003.5,
        Expected = [new ExpectedOutcome(Behavior.Ok, [])],
        Received = [new CaseEvent(EventKind.Pong, new PayloadView(126, "\u00fe\u00fe\u00fe ...", true, new string('a', 64)))],
        ExpectedClose = new ExpectedClose(false, [1002], false, ClosedByWrongEndpointIsFatal: true),
        Close = new CloseFacts
        {
            FailedByMe = false,
            WasClean = false,
            WasNotCleanReason = "peer dropped the TCP connection without previous WebSocket closing handshake",
            RemoteCloseCode = 1000,
            RemoteCloseReason = "bye",
            TcpEnd = "RST by peer",
        },
        Violations = [new PeerViolation(1.25, "RFC 6455 §5.5", "Answered a 126-octet ping with a pong.")],
        HandshakeRequest = "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
        HandshakeResponse = "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        WireLog =
        [
            new WireLogEntry { TimeMs = 0.1, Kind = WireEntryKind.KillScheduled, DelaySeconds = 1 },
            new WireLogEntry { TimeMs = 0.2, Kind = WireEntryKind.FrameOut, Opcode = 9, Fin = true, Rsv = 0, Masked = true, MaskKey = "00112233", DeclaredLength = ulong.MaxValue, ChopSize = 1, Sync = true, Payload = new PayloadView(126, "0xfefe ...", false, new string('b', 64)) },
            new WireLogEntry { TimeMs = 1.0, Kind = WireEntryKind.FrameIn, Opcode = 10, Fin = true, Rsv = 4, Masked = true, MaskKey = "deadbeef", Payload = new PayloadView(126, "0xfefe ...", false) },
            new WireLogEntry { TimeMs = 1.25, Kind = WireEntryKind.Violation, Text = "RFC 6455 §5.1: server frame is masked" },
            new WireLogEntry { TimeMs = 1.5, Kind = WireEntryKind.DelayScheduled, DelaySeconds = 0.5, Text = "A" },
            new WireLogEntry { TimeMs = 501.5, Kind = WireEntryKind.DelayFired, Text = "A" },
            new WireLogEntry { TimeMs = 1000, Kind = WireEntryKind.KillFired },
            new WireLogEntry { TimeMs = 1003, Kind = WireEntryKind.Note, Text = "harness gave up" },
            new WireLogEntry { TimeMs = 1003.75, Kind = WireEntryKind.TcpDroppedByMe },
        ],
    };

    public static CaseResult ErrorCase() => new()
    {
        Id = "7.1.1",
        Category = "Close Handling",
        Group = "Basic close behavior",
        RfcSections = ["RFC 6455 §7.1.2"],
        Requirement = "Echo a text message, then close normally.",
        Stimulus = "Send a text message, then a Close with 1000.",
        ExpectedBehaviour = "Echo, then reply to the Close with 1000.",
        Behavior = Behavior.Error,
        BehaviorClose = CloseBehavior.Error,
        Result = "Connection refused (127.0.0.1:9001).",
        ResultClose = "The case did not run.",
        Started = Start.AddSeconds(2),
        DurationMs = 0.5,
        Expected = [new ExpectedOutcome(Behavior.Ok, [new CaseEvent(EventKind.Message, new PayloadView(5, "Hello", true))])],
        Received = [],
        ExpectedClose = new ExpectedClose(true, [1000], true),
        Close = new CloseFacts { WasNotCleanReason = "connection refused" },
        Violations = [],
        HandshakeRequest = null,
        HandshakeResponse = null,
        WireLog = [],
    };

    public static CaseResult InformationalCase() => new()
    {
        Id = "7.13.1",
        Category = "Close Handling",
        Group = "Informational close information",
        RfcSections = ["RFC 6455 §7.4.2"],
        Requirement = "Send a Close with a code outside the defined ranges and record what the peer does; the RFC leaves this open and the peer may do many things, which is why this text is deliberately longer than one line in the table.",
        Stimulus = "Send a Close with code 5000.",
        ExpectedBehaviour = "Anything; recorded.",
        Behavior = Behavior.Informational,
        BehaviorClose = CloseBehavior.Informational,
        Result = "Recorded.",
        ResultClose = "Recorded.",
        Started = Start.AddSeconds(3),
        DurationMs = 12,
        Expected =
        [
            new ExpectedOutcome(Behavior.Informational, []),
            new ExpectedOutcome(Behavior.NonStrict, [new CaseEvent(EventKind.Timeout, null, Tag: "A")]),
        ],
        Received = [],
        ExpectedClose = new ExpectedClose(true, [], false),
        Close = new CloseFacts { ClosedByMe = true, WasClean = true, LocalCloseCode = 5000, LocalCloseReason = "0xff", RemoteCloseCode = 1002 },
        Violations = [],
        HandshakeRequest = "GET / HTTP/1.1\r\n\r\n",
        HandshakeResponse = "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        WireLog = [new WireLogEntry { TimeMs = 0, Kind = WireEntryKind.Note, Text = "opened" }],
    };

    /// <summary>A performance trial (category 9) with <paramref name="samples"/> round trips of 0.05 to 0.248 ms (median 0.148, p99 0.246).</summary>
    public static CaseResult PerformanceCase(int requested = 1000, int samples = 1000) => OkCase() with
    {
        Id = "9.7.1",
        Category = "Limits/Performance",
        Group = "Text Message Roundtrip Time (fixed number, increasing size)",
        DurationMs = 1234.5,
        Expected = [],
        Received = [],
        RoundTrips = new RoundTripStats(requested, samples, Enumerable.Range(0, samples).Select(i => 0.05 + i % 100 * 0.002).ToArray()),
    };

    /// <summary>The agreement of <see cref="CompressionCase"/>.</summary>
    public const string Agreement = "permessage-deflate; client_max_window_bits=15";

    /// <summary>A compression trial (category 12) that passed: 16000 octets each way, ratios in 0.123, out 0.456.</summary>
    public static CaseResult CompressionCase() => PerformanceCase() with
    {
        Id = "12.1.1",
        Category = "WebSocket Compression (different payloads)",
        Group = "Large JSON data file (utf8, 194056 bytes)",
        RfcSections = ["RFC 7692 §7.2.1", "RFC 7692 §7.2.2"],
        Requirement = "With permessage-deflate negotiated, a receiver decompresses every message whose first frame has RSV1 set.",
        Stimulus = "Offers \"permessage-deflate; client_no_context_takeover; client_max_window_bits\". Sends 1000 text messages of 16 characters each, "
            + "consecutive slices of the harness's generated stand-in for \"Large JSON data file\" (194056 octets, a ring buffer read from the start), "
            + "one at a time; each compressed message leaves in one frame.",
        Result = "Received all 1000 echo(es) with the right type, length and content.",
        HandshakeResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Extensions: " + Agreement + "\r\n\r\n",
        Compression = new CompressionStats(Agreement, SentOctets: 16_000, SentCompressedOctets: 7_296, ReceivedOctets: 16_000, ReceivedCompressedOctets: 1_968),
    };

    /// <summary>A compression trial whose peer declined permessage-deflate: UNIMPLEMENTED, no compression figures.</summary>
    public static CaseResult UnimplementedCase() => CompressionCase() with
    {
        Id = "12.1.2",
        Behavior = Behavior.Unimplemented,
        BehaviorClose = CloseBehavior.Ok,
        Result = "The peer did not accept permessage-deflate (offered: permessage-deflate; client_no_context_takeover; client_max_window_bits), so the case does not apply.",
        DurationMs = 1.5,
        HandshakeResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        RoundTrips = null,
        Compression = null,
    };

    /// <summary>The User-Agent serve recorded for the client "node-ws" in <see cref="Mixed"/> and <see cref="ClientsOnly"/>.</summary>
    public const string NodeWsUserAgent = "node-ws/8.18 (test)";

    /// <summary>
    /// A client tested by serve mode, as <c>CaseServer</c> records it: URL <c>client:AGENT</c>, no Server header, the
    /// client's upgrade request and the harness's 101 response; cases 1.1.1 (OK), 2.5 (FAILED) and 7.1.1 (never connected).
    /// </summary>
    public static TargetResult ClientTarget(string agent) => new()
    {
        Target = TargetInfo.ForClient(agent),
        RunPhaseMs = 1500,
        Cases =
        [
            OkCase() with
            {
                HandshakeRequest = $"GET /runCase?case=1&agent={agent} HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\n\r\n",
                HandshakeResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nServer: wsconform/0.1.0-test\r\n\r\n",
            },
            FailedCase(),
            ErrorCase(),
        ],
    };

    /// <summary>Two clients around the basic server target (a client first, so the report must reorder), with a User-Agent recorded for node-ws.</summary>
    public static RunResult Mixed() => WithClientUserAgent(Basic() with
    {
        Targets = [ClientTarget("node-ws"), Basic().Targets[0], ClientTarget("python-websockets")],
    });

    /// <summary>One client, no server: what <c>wsconform serve</c> or <c>run-client</c> writes.</summary>
    public static RunResult ClientsOnly() => WithClientUserAgent(Basic() with { Targets = [ClientTarget("node-ws")] });

    private static RunResult WithClientUserAgent(RunResult run) => run with
    {
        Settings = run.Settings with
        {
            Other = new Dictionary<string, string>(run.Settings.Other) { [RunSettings.ClientUserAgentKey("node-ws")] = NodeWsUserAgent },
        },
    };

    /// <summary>The basic run with the one target's cases replaced.</summary>
    public static RunResult WithCases(params CaseResult[] cases) => Basic() with
    {
        Targets = [Basic().Targets[0] with { Cases = cases }],
    };

    /// <summary>A run with one case of each given verdict pair (IDs "1.1.1", "1.1.2", …).</summary>
    public static RunResult WithVerdicts(IEnumerable<(Behavior Behavior, CloseBehavior Close)> verdicts) => Basic() with
    {
        Targets =
        [
            Basic().Targets[0] with
            {
                Cases = verdicts.Select((v, i) => OkCase() with { Id = $"1.1.{i + 1}", Behavior = v.Behavior, BehaviorClose = v.Close }).ToArray(),
            },
        ],
    };

    /// <summary>A large run (<paramref name="cases"/> cases, <paramref name="wireLines"/> wire-log lines each) for speed checks.</summary>
    public static RunResult Large(int cases, int wireLines)
    {
        var template = FailedCase();
        var wire = Enumerable.Range(0, wireLines)
            .Select(i => new WireLogEntry { TimeMs = i, Kind = i % 2 == 0 ? WireEntryKind.FrameOut : WireEntryKind.FrameIn, Opcode = 1, Fin = true, Rsv = 0, Masked = i % 2 == 0, Payload = new PayloadView(64, new string('x', 64), true) })
            .ToArray();
        return Basic() with
        {
            Targets =
            [
                Basic().Targets[0] with
                {
                    Cases = Enumerable.Range(0, cases)
                        .Select(i => template with { Id = $"{i / 100 + 1}.{i / 10 % 10 + 1}.{i % 10 + 1}", Category = $"Category {i / 100 + 1}", WireLog = wire })
                        .ToArray(),
                },
            ],
        };
    }
}
