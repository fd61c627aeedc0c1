using Wsconform.Engine.Scripting;

namespace Wsconform.Engine.Running;

/// <summary>
/// The hard deadline of a case: every timer the script can run, plus the protocol timeouts that may follow them, plus a
/// margin. The case's own timers always end the connection first against any peer; the deadline is the backstop that
/// guarantees a run never hangs whatever the peer (or a harness bug) does.
/// </summary>
public static class CaseDeadline
{
    /// <summary>Slack for scheduling and loopback I/O on a loaded machine.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    /// <summary>The fixed waits of a case's script: the least time it takes whatever the peer does.</summary>
    public static TimeSpan ScriptedDelays(ConformanceCase conformanceCase) =>
        conformanceCase.Script.OfType<Delay>().Aggregate(TimeSpan.Zero, (sum, delay) => sum + delay.Duration);

    /// <summary>Deadline for the session, counted from the moment the connection is open.</summary>
    public static TimeSpan ForSession(ConformanceCase conformanceCase, ProtocolTimeouts timeouts)
    {
        var delays = TimeSpan.Zero;
        var longestTimer = TimeSpan.Zero;
        foreach (var step in conformanceCase.Script)
        {
            switch (step)
            {
                case Delay delay: delays += delay.Duration; break;
                case KillAfter kill when kill.After > longestTimer: longestTimer = kill.After; break;
                case CloseAfter close when close.After > longestTimer: longestTimer = close.After; break;
            }
        }
        return delays + longestTimer + timeouts.CloseHandshake * 2 + timeouts.ServerConnectionDrop + Margin;
    }
}
