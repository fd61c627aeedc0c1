using System.Diagnostics;
using Wsconform.Model;

namespace Wsconform.Engine.Session;

/// <summary>
/// Collects a case's wire log with timestamps relative to the case start. Thread-safe (the read loop, the script and
/// timers all record). Capped so a flooding peer cannot grow it without bound.
/// </summary>
public sealed class WireRecorder
{
    /// <summary>Entries kept per case; beyond this one note says the log was cut (a flood must not exhaust memory).</summary>
    public const int MaxEntries = 20_000;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<WireLogEntry> _entries = [];
    private bool _truncated;

    /// <summary>Milliseconds since the recorder was created (the case start).</summary>
    public double NowMs => _clock.Elapsed.TotalMilliseconds;

    public void Add(WireLogEntry entry)
    {
        lock (_entries)
        {
            if (_entries.Count < MaxEntries) _entries.Add(entry);
            else if (!_truncated)
            {
                _truncated = true;
                _entries.Add(new WireLogEntry { TimeMs = NowMs, Kind = WireEntryKind.Note, Text = $"wire log cut after {MaxEntries} entries" });
            }
        }
    }

    public void Note(string text) => Add(new WireLogEntry { TimeMs = NowMs, Kind = WireEntryKind.Note, Text = text });

    public void Timer(WireEntryKind kind, double? delaySeconds = null, string? tag = null) =>
        Add(new WireLogEntry { TimeMs = NowMs, Kind = kind, DelaySeconds = delaySeconds, Text = tag });

    public void Octets(WireEntryKind kind, ReadOnlySpan<byte> octets, bool? sync = null, int? chopSize = null) =>
        Add(new WireLogEntry { TimeMs = NowMs, Kind = kind, Payload = PayloadViews.Create(octets, hash: false, asHex: true), Sync = sync, ChopSize = chopSize });

    public IReadOnlyList<WireLogEntry> Snapshot()
    {
        lock (_entries) return _entries.ToArray();
    }
}
