using Wsconform.Engine.Session;

namespace Wsconform.Engine.Scripting;

/// <summary>Exact comparison of received events with an expected list (catalogue §1.1: order, types and payloads).</summary>
public static class EventMatching
{
    public static bool Equal(IReadOnlyList<ReceivedEvent> received, IReadOnlyList<ExpectedEvent> expected)
    {
        if (received.Count != expected.Count) return false;
        for (var i = 0; i < received.Count; i++)
        {
            if (!Equal(received[i], expected[i])) return false;
        }
        return true;
    }

    public static bool Equal(ReceivedEvent received, ExpectedEvent expected) =>
        received.Kind == expected.Kind
        && received.IsBinary == expected.IsBinary
        && string.Equals(received.Tag, expected.Tag, StringComparison.Ordinal)
        && received.Payload.Span.SequenceEqual(expected.Payload.Span);
}
