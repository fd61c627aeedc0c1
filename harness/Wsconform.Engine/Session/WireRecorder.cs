using System.Diagnostics;
using Wsconform.Model;

namespace Wsconform.Engine.Session;

/// <summary>
/// Collects a case's wire log with timestamps relative to the case start, and its wire statistics. Thread-safe (the
/// read loop, the script and timers all record). Capped so a flooding peer cannot grow it without bound, and
/// suspendable so bulk transfers (category 9) are counted but not logged frame by frame, as in Autobahn.
/// </summary>
public sealed class WireRecorder
{
    /// <summary>Entries kept per case; beyond this one note says the log was cut (a flood must not exhaust memory).</summary>
    public const int MaxEntries = 20_000;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<WireLogEntry> _entries = [];
    private readonly Dictionary<int, int> _framesSent = [];
    private readonly Dictionary<int, int> _framesReceived = [];
    private readonly Dictionary<int, int> _writes = [];
    private readonly Dictionary<int, int> _reads = [];
    private bool _truncated;
    private bool _suspended;

    /// <summary>Milliseconds since the recorder was created (the case start).</summary>
    public double NowMs => _clock.Elapsed.TotalMilliseconds;

    /// <summary>Adds an entry; octet and frame entries are left out while the log is suspended.</summary>
    public void Add(WireLogEntry entry)
    {
        lock (_entries)
        {
            if (_suspended && entry.Kind is WireEntryKind.OctetsIn or WireEntryKind.OctetsOut or WireEntryKind.FrameIn or WireEntryKind.FrameOut) return;
            if (_entries.Count < MaxEntries) _entries.Add(entry);
            else if (!_truncated)
            {
                _truncated = true;
                _entries.Add(new WireLogEntry { TimeMs = NowMs, Kind = WireEntryKind.Note, Text = $"wire log cut after {MaxEntries} entries" });
            }
        }
    }

    /// <summary>Stops logging octets and frames (statistics go on) until <see cref="Resume"/>.</summary>
    public void Suspend(string why)
    {
        Note($"wire log suspended: {why}");
        lock (_entries) _suspended = true;
    }

    public void Resume(string why)
    {
        lock (_entries) _suspended = false;
        Note($"wire log resumed: {why}");
    }

    public void Note(string text) => Add(new WireLogEntry { TimeMs = NowMs, Kind = WireEntryKind.Note, Text = text });

    public void Timer(WireEntryKind kind, double? delaySeconds = null, string? tag = null) =>
        Add(new WireLogEntry { TimeMs = NowMs, Kind = kind, DelaySeconds = delaySeconds, Text = tag });

    public void Octets(WireEntryKind kind, ReadOnlySpan<byte> octets, bool? sync = null, int? chopSize = null)
    {
        lock (_entries)
        {
            var histogram = kind == WireEntryKind.OctetsOut ? _writes : _reads;
            histogram[octets.Length] = histogram.GetValueOrDefault(octets.Length) + 1;
            if (_suspended) return;
        }
        Add(new WireLogEntry { TimeMs = NowMs, Kind = kind, Payload = PayloadViews.Create(octets, hash: false, asHex: true), Sync = sync, ChopSize = chopSize });
    }

    /// <summary>Counts a frame sent or received by opcode; <paramref name="entry"/> builds its log line only when logging.</summary>
    public void Frame(bool sent, int opcode, Func<WireLogEntry> entry)
    {
        lock (_entries)
        {
            var counts = sent ? _framesSent : _framesReceived;
            counts[opcode] = counts.GetValueOrDefault(opcode) + 1;
            if (_suspended) return;
        }
        Add(entry());
    }

    /// <summary>The log line of a frame sent or received; callers add chop/sync/text where they apply.</summary>
    public WireLogEntry FrameEntry(bool sent, int opcode, bool fin, int rsv, bool masked, uint maskKey, ulong declaredLength, PayloadView? payload) => new()
    {
        TimeMs = NowMs,
        Kind = sent ? WireEntryKind.FrameOut : WireEntryKind.FrameIn,
        Payload = payload,
        Opcode = opcode,
        Fin = fin,
        Rsv = rsv,
        Masked = masked,
        MaskKey = masked ? maskKey.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) : null,
        DeclaredLength = declaredLength,
    };

    public IReadOnlyDictionary<int, int> FramesSent
    {
        get { lock (_entries) return new Dictionary<int, int>(_framesSent); }
    }

    public IReadOnlyList<WireLogEntry> Snapshot()
    {
        lock (_entries) return _entries.ToArray();
    }

    public WireStats Stats()
    {
        lock (_entries)
        {
            return new WireStats
            {
                FramesSentByOpcode = new Dictionary<int, int>(_framesSent),
                FramesReceivedByOpcode = new Dictionary<int, int>(_framesReceived),
                WritesBySize = new Dictionary<int, int>(_writes),
                ReadsBySize = new Dictionary<int, int>(_reads),
            };
        }
    }
}
