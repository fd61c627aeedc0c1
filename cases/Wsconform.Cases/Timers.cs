namespace Wsconform.Cases;

/// <summary>
/// The timer values Autobahn|Testsuite arms in categories 1–7 and 10 (catalogue §1.3), named so no case carries a bare
/// number; category 9's per-case timeouts are a column of its tables (<see cref="LimitsPerformance"/>). All are
/// relative to the end of the opening handshake. Changing one changes verdicts: keep them equal to Autobahn's so
/// results compare one to one.
/// </summary>
public static class Timers
{
    /// <summary>
    /// Autobahn's <c>killAfter(1)</c>: a peer that must fail the connection, or answer a Close, gets one second
    /// before the harness fails the connection itself (Close 1001, or a TCP drop when already closing).
    /// </summary>
    public static readonly TimeSpan Kill = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Autobahn's <c>killAfter(10)</c> for the 64 KiB frames of 1.1.6–1.1.8 / 1.2.6–1.2.8 and the 64 KiB fragmented
    /// message of 10.1.1: the echo of a large (and, in x.8, octet-chunked) message may legitimately take longer than a second.
    /// </summary>
    public static readonly TimeSpan KillLargeFrame = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Autobahn's <c>closeAfter(1)</c>: in echo/pong cases the harness closes normally as soon as the expected
    /// events arrive; this is only the fallback that ends the case when they never do.
    /// </summary>
    public static readonly TimeSpan Close = TimeSpan.FromSeconds(1);

    /// <summary>Autobahn's <c>closeAfter(2)</c> in 2.6: a 125-octet ping written one octet at a time needs longer to arrive.</summary>
    public static readonly TimeSpan CloseChoppedPing = TimeSpan.FromSeconds(2);

    /// <summary>Autobahn's <c>closeAfter(3)</c> in 2.10/2.11: ten pings (octet-wise in 2.11) and ten pongs to wait for.</summary>
    public static readonly TimeSpan ClosePingBurst = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Autobahn's <c>continueLater(1, part2)</c> in 5.19/5.20: the pause between the two halves of the fragmented
    /// message, long enough that the first pong should come back while the message is still open.
    /// </summary>
    public static readonly TimeSpan PauseBetweenParts = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Autobahn's <c>killAfter(0.5)</c> in the generated single-frame UTF-8 cases 6.5–6.23, shorter than elsewhere:
    /// one tiny frame, so an echo (or the peer failing the connection) comes back at once.
    /// </summary>
    public static readonly TimeSpan KillUtf8Vector = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// Autobahn's <c>continueLater(1, …)</c> between the three parts of the fail-fast cases 6.4.x: a peer that fails
    /// fast has a second after the invalid octets arrive to do so before the harness records its next timeout marker.
    /// </summary>
    public static readonly TimeSpan FailFastPause = TimeSpan.FromSeconds(1);
}
