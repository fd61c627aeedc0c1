using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wsconform.Model;

namespace Wsconform.Reports.Autobahn;

/// <summary>
/// Autobahn|Testsuite's machine-readable report layout (catalogue §4.1–4.3), so scripts written for Autobahn read a
/// wsconform run unchanged: <c>index.json</c> (agent → case → behavior, behaviorClose, duration, remoteCloseCode,
/// reportfile) and one <c>&lt;agent&gt;_case_&lt;X_Y_Z&gt;.json</c> per case with Autobahn's key names. Keys are sorted
/// and indented by 3, as Autobahn writes them. Autobahn's HTML pages are not written (index.html is ours).
/// </summary>
/// <remarks>
/// Where the model has no Autobahn equivalent: <c>case</c> is the 1-based position of the case in its target's run
/// (Autobahn: position in its full catalogue); <c>trafficStats</c> is null unless the case negotiated permessage-deflate,
/// and then holds only the keys that map onto the model (see <see cref="TrafficStats"/>); wire-log lines without an
/// Autobahn tag (violations, notes, TCP ends) are left out of <c>wirelog</c> (results.json has them). Per-case files are
/// written first and index.json last, each atomically, so index.json never names a file that is not complete.
/// </remarks>
public sealed class AutobahnReportWriter : IReportWriter
{
    public const string IndexFileName = "index.json";

    /// <summary>Per-case files written at once: enough to overlap their flushes to the disk, few enough not to crowd the machine.</summary>
    private const int CaseFilesAtOnce = 8;

    public string Name => "autobahn";

    /// <summary>Autobahn's file-name form of an agent: lower case, anything outside [a-z0-9] a space, trimmed, spaces → '_'.</summary>
    public static string AgentFileName(string agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var chars = agent.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : ' ').ToArray();
        return new string(chars).Trim().Replace(' ', '_');
    }

    /// <summary>"&lt;agent&gt;_case_1_1_1.json".</summary>
    public static string CaseFileName(string agent, string caseId) => $"{AgentFileName(agent)}_case_{caseId.Replace('.', '_')}.json";

    public async Task<string> WriteAsync(RunResult run, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var index = new JsonObject();
        var caseFiles = new List<(string FileName, TargetResult Target, CaseResult Result, int Position)>();
        foreach (var target in run.Targets)
        {
            var agent = target.Target.Agent;
            if (index[agent] is not JsonObject agentIndex)
                index[agent] = agentIndex = new JsonObject();
            var position = 0;
            foreach (var result in target.Cases)
            {
                position++;
                var fileName = CaseFileName(agent, result.Id);
                caseFiles.Add((fileName, target, result, position));
                agentIndex[result.Id] = new JsonObject
                {
                    ["behavior"] = result.Behavior.ToAutobahnString(),
                    ["behaviorClose"] = result.BehaviorClose.ToAutobahnString(),
                    ["duration"] = Milliseconds(result.DurationMs),
                    ["remoteCloseCode"] = result.Close.RemoteCloseCode,
                    ["reportfile"] = fileName,
                };
            }
        }
        // Each per-case file is replaced atomically too: a run killed while writing them leaves the previous complete file
        // (which the previous index.json names), never a truncated one. Several at a time, because each waits for its
        // flush to the disk and those waits overlap.
        await Parallel.ForEachAsync(caseFiles, new ParallelOptions { MaxDegreeOfParallelism = CaseFilesAtOnce, CancellationToken = cancellationToken },
            async (file, ct) =>
            {
                var caseBytes = Serialize(CaseReport(file.Target, file.Result, file.Position));
                await AtomicFile.WriteAsync(Path.Combine(outputDirectory, file.FileName), (stream, t) => stream.WriteAsync(caseBytes, t).AsTask(), ct)
                    .ConfigureAwait(false);
            }).ConfigureAwait(false);
        var path = Path.Combine(outputDirectory, IndexFileName);
        var bytes = Serialize(index);
        await AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>The per-case document (every key of catalogue §4.3).</summary>
    public static JsonObject CaseReport(TargetResult target, CaseResult c, int position)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(c);
        var close = c.Close;
        var expected = new JsonObject();
        foreach (var outcome in c.Expected)
            expected[outcome.Verdict.ToAutobahnString()] = Events(outcome.Events);
        var expectedClose = new JsonObject
        {
            ["closedByMe"] = c.ExpectedClose.ClosedByHarness,
            ["closeCode"] = new JsonArray(c.ExpectedClose.CloseCodes.Select(code => (JsonNode?)code).ToArray()),
            ["requireClean"] = c.ExpectedClose.RequireClean,
        };
        if (c.ExpectedClose.ClosedByWrongEndpointIsFatal) expectedClose["closedByWrongEndpointIsFatal"] = true;
        var prefix = c.Id.Split('.')[0];
        return new JsonObject
        {
            ["agent"] = target.Target.Agent,
            ["behavior"] = c.Behavior.ToAutobahnString(),
            ["behaviorClose"] = c.BehaviorClose.ToAutobahnString(),
            ["case"] = position,
            ["closedByMe"] = close.ClosedByMe,
            ["createStats"] = true,
            ["createWirelog"] = true,
            ["description"] = c.Stimulus,
            ["droppedByMe"] = close.DroppedByMe,
            ["duration"] = Milliseconds(c.DurationMs),
            ["expectation"] = c.ExpectedBehaviour,
            ["expected"] = expected,
            ["expectedClose"] = expectedClose,
            ["failedByMe"] = close.FailedByMe,
            ["httpRequest"] = c.HandshakeRequest,
            ["httpResponse"] = c.HandshakeResponse,
            ["id"] = c.Id,
            // Autobahn's fuzzingserver (testing clients) writes true; wsconform serve marks its targets with a client: URL.
            ["isServer"] = target.Target.Url.StartsWith("client:", StringComparison.Ordinal),
            ["localCloseCode"] = close.LocalCloseCode,
            ["localCloseReason"] = close.LocalCloseReason,
            ["received"] = Events(c.Received),
            ["remoteCloseCode"] = close.RemoteCloseCode,
            ["remoteCloseReason"] = close.RemoteCloseReason,
            ["reportCompressionRatio"] = prefix is "12" or "13",
            ["reportTime"] = prefix is "9" or "12" or "13" || c.RoundTrips is not null,
            ["result"] = c.Result,
            ["resultClose"] = c.ResultClose,
            ["rxFrameStats"] = Histogram(c.Stats.FramesReceivedByOpcode),
            ["rxOctetStats"] = Histogram(c.Stats.ReadsBySize),
            ["started"] = c.Started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["trafficStats"] = TrafficStats(c.Compression),
            ["txFrameStats"] = Histogram(c.Stats.FramesSentByOpcode),
            ["txOctetStats"] = Histogram(c.Stats.WritesBySize),
            ["wasClean"] = close.WasClean,
            ["wasCloseHandshakeTimeout"] = close.WasCloseHandshakeTimeout,
            ["wasNotCleanReason"] = close.WasNotCleanReason,
            ["wasOpenHandshakeTimeout"] = close.WasOpenHandshakeTimeout,
            ["wasServerConnectionDropTimeout"] = close.WasServerConnectionDropTimeout,
            ["wirelog"] = WireLog(c.WireLog),
        };
    }

    /// <summary>
    /// Autobahn's <c>trafficStats</c> for a case that negotiated permessage-deflate, limited to the six keys the model
    /// has: per direction the payload octets before compression (<c>…OctetsAppLevel</c>) and after
    /// (<c>…OctetsWebSocketLevel</c>), and their quotient (<c>…CompressionRatio</c>, null when nothing went compressed
    /// that way), which is what Autobahn's own matrix reads for its "[in/out]" figures. "incoming" is what the harness
    /// received. Unlike Autobahn the octets count compressed messages only: a peer that echoes uncompressed gives
    /// incoming 0/0/null where Autobahn gives N/N/1.0. Autobahn's wire-level, overhead, frame, message and pre-open
    /// counts are not in the model and are left out rather than guessed. Null without compression.
    /// </summary>
    internal static JsonObject? TrafficStats(CompressionStats? compression) => compression is not { } z
        ? null
        : new JsonObject
        {
            ["incomingCompressionRatio"] = z.RatioIn,
            ["incomingOctetsAppLevel"] = z.ReceivedOctets,
            ["incomingOctetsWebSocketLevel"] = z.ReceivedCompressedOctets,
            ["outgoingCompressionRatio"] = z.RatioOut,
            ["outgoingOctetsAppLevel"] = z.SentOctets,
            ["outgoingOctetsWebSocketLevel"] = z.SentCompressedOctets,
        };

    /// <summary>Autobahn's event tuples: ["message", payload, isBinary], ["ping", payload], ["pong", payload], ["timeout", tag].</summary>
    private static JsonArray Events(IReadOnlyList<CaseEvent> events) =>
        new(events.Select(e => (JsonNode?)(e.Kind switch
        {
            EventKind.Message => new JsonArray("message", e.Payload?.Preview ?? "", e.IsBinary),
            EventKind.Ping => new JsonArray("ping", e.Payload?.Preview ?? ""),
            EventKind.Pong => new JsonArray("pong", e.Payload?.Preview ?? ""),
            _ => new JsonArray("timeout", e.Tag ?? ""),
        })).ToArray());

    private static JsonObject Histogram(IReadOnlyDictionary<int, int> counts)
    {
        var histogram = new JsonObject();
        foreach (var (key, count) in counts.OrderBy(p => p.Key))
            histogram[key.ToString(CultureInfo.InvariantCulture)] = count;
        return histogram;
    }

    /// <summary>Autobahn's wirelog tuples (catalogue §4.3); entries without an Autobahn tag are left out.</summary>
    private static JsonArray WireLog(IReadOnlyList<WireLogEntry> log)
    {
        var lines = new JsonArray();
        foreach (var e in log)
        {
            JsonArray? line = e.Kind switch
            {
                WireEntryKind.OctetsIn => new JsonArray("RO", Octets(e.Payload)),
                WireEntryKind.OctetsOut => new JsonArray("TO", Octets(e.Payload), e.Sync ?? false),
                WireEntryKind.FrameIn => new JsonArray("RF", Frame(e.Payload), e.Opcode, e.Fin, e.Rsv ?? 0, e.Masked ?? false, e.MaskKey),
                WireEntryKind.FrameOut => new JsonArray("TF", Frame(e.Payload), e.Opcode, e.Fin, e.Rsv ?? 0, e.MaskKey, null, e.ChopSize, e.Sync ?? false),
                WireEntryKind.DelayScheduled => new JsonArray("CT", e.DelaySeconds, e.Text),
                WireEntryKind.DelayFired => new JsonArray("CTE", e.Text),
                WireEntryKind.KillScheduled => new JsonArray("KL", e.DelaySeconds),
                WireEntryKind.KillFired => new JsonArray("KLE"),
                WireEntryKind.CloseTimerScheduled => new JsonArray("TI", e.DelaySeconds),
                WireEntryKind.CloseTimerFired => new JsonArray("TIE"),
                _ => null,
            };
            if (line is not null) lines.Add(line);
        }
        return lines;
    }

    /// <summary>[length, preview] of a frame payload.</summary>
    private static JsonArray Frame(PayloadView? payload) => new(payload?.Length ?? 0, payload?.Preview ?? "");

    /// <summary>[length, hex of the first octets (+ " ...")] of a socket read or write.</summary>
    private static JsonArray Octets(PayloadView? payload)
    {
        if (payload is null) return new JsonArray(0, "");
        var preview = payload.Preview;
        var cut = preview.EndsWith(" ...", StringComparison.Ordinal);
        if (cut) preview = preview[..^4];
        var hex = payload.IsText
            ? Convert.ToHexStringLower(Encoding.UTF8.GetBytes(preview))
            : (preview.StartsWith("0x", StringComparison.Ordinal) ? preview[2..] : preview).ToLowerInvariant();
        return new JsonArray(payload.Length, cut ? hex + " ..." : hex);
    }

    private static long Milliseconds(double ms) => (long)Math.Round(ms, MidpointRounding.AwayFromZero);

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 3,
        // Autobahn (Python json) writes non-ASCII as \\u escapes; any valid JSON escaping reads the same.
        Encoder = JavaScriptEncoder.Default,
    };

    /// <summary>Serialises with every object's keys in ordinal order (Python's sort_keys) and an indent of 3.</summary>
    public static byte[] Serialize(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            WriteSorted(writer, node);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteSorted(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) WriteSorted(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
