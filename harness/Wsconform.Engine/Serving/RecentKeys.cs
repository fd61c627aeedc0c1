namespace Wsconform.Engine.Serving;

/// <summary>
/// The Sec-WebSocket-Key values of the last connections a server saw, so a client that repeats a key (RFC 6455 §4.1
/// wants a fresh random one per connection) can be told. Bounded: the oldest keys are forgotten first, so a client
/// cannot grow the server's memory by connecting forever. Thread-safe.
/// </summary>
internal sealed class RecentKeys(int capacity)
{
    /// <summary>Far more connections than one client's run of the catalogue makes; about 5 MiB of strings at most.</summary>
    public const int DefaultCapacity = 65_536;

    private readonly object _gate = new();
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Adds <paramref name="key"/>; false when it was already among the remembered keys.</summary>
    public bool Add(string key)
    {
        // A key longer than any valid one (24 characters) is remembered by its start only: the memory bound holds.
        if (key.Length > 64) key = key[..64];
        lock (_gate)
        {
            if (!_keys.Add(key)) return false;
            _order.Enqueue(key);
            if (_order.Count > capacity) _keys.Remove(_order.Dequeue());
            return true;
        }
    }
}
