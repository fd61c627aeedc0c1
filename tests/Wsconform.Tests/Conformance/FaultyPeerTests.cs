using Wsconform.Cases;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Model;
using Wsconform.Tests.Peers;

namespace Wsconform.Tests.Conformance;

/// <summary>
/// The "can fail" half: a peer that breaks exactly one rule is caught by the cases that check that rule, asserted by
/// case ID. Where Autobahn's verdict rules only flag the close (a peer that ignores a violation but echoes nothing
/// still gets behavior OK), the close verdict is asserted instead, as Autobahn would report it.
/// </summary>
[TestFixture]
public class FaultyPeerTests
{
    /// <summary>One expectation: with this fault, this case gets this verdict.</summary>
    public sealed record Caught(ServerFault Fault, string Id, Behavior? Behavior = null, CloseBehavior? Close = null)
    {
        public override string ToString() => $"{Fault} caught by {Id}";
    }

    private static IEnumerable<Caught> Failing(ServerFault fault, params string[] ids) => ids.Select(id => new Caught(fault, id, Behavior.Failed));

    private static IEnumerable<Caught> Closing(ServerFault fault, CloseBehavior close, params string[] ids) => ids.Select(id => new Caught(fault, id, Close: close));

    public static IEnumerable<Caught> Expectations =>
    [
        // RFC 6455 §5.2: RSV bits without an extension must fail the connection; the faulty peer echoes instead.
        .. Failing(ServerFault.IgnoresReservedBits, "3.1", "3.2", "3.3", "3.4", "3.5", "3.6"),
        // §5.2 reserved opcodes: echoing nothing but not failing shows in the close verdict (the harness had to close);
        // when a valid frame and a ping follow, the extra pong fails the behaviour.
        .. Closing(ServerFault.AcceptsReservedOpcodes, CloseBehavior.Failed, "4.1.1", "4.1.2", "4.2.1", "4.2.2"),
        .. Failing(ServerFault.AcceptsReservedOpcodes, "4.1.3", "4.1.4", "4.1.5", "4.2.3", "4.2.4", "4.2.5"),
        // §5.5.3 the Pong must carry the Ping's payload.
        .. Failing(ServerFault.PongsWithWrongPayload, "2.1", "2.2", "2.3", "2.4", "2.6", "2.9", "2.10", "2.11", "5.6", "5.7", "5.8", "5.19", "5.20"),
        // §5.5 control frames of 126 octets: the oversized pong is itself a violation the harness fails on (2.5),
        // and an oversized Close answered normally is the wrong code (7.3.6).
        .. Closing(ServerFault.AcceptsOversizedControlFrames, CloseBehavior.Failed, "2.5"),
        new(ServerFault.AcceptsOversizedControlFrames, "7.3.6", Behavior.Failed, CloseBehavior.WrongCode),
        // §5.5 fragmented ping answered as if complete.
        .. Failing(ServerFault.AcceptsFragmentedControlFrames, "5.1"),
        // §5.4 a continuation that continues nothing.
        .. Failing(ServerFault.AcceptsOrphanContinuation, "5.9", "5.10", "5.11", "5.12", "5.13", "5.14", "5.15", "5.16", "5.17"),
        // §7.4 invalid close codes and §5.5.1 a 1-octet close body must be answered with 1002, not 1000.
        .. new[] { "7.3.2", "7.9.1", "7.9.2", "7.9.3", "7.9.4", "7.9.5", "7.9.6", "7.9.7", "7.9.8", "7.9.9" }
            .Select(id => new Caught(ServerFault.SkipsCloseValidation, id, Behavior.Failed, CloseBehavior.WrongCode)),
        // §5.5.1 a Close must be answered; without an answer the closing handshake is never clean.
        .. Closing(ServerFault.NeverAnswersClose, CloseBehavior.Unclean, "1.1.1", "2.7", "2.8", "7.1.1", "7.1.2", "7.3.1", "7.3.3", "7.3.4", "7.3.5"),
        // §1.4/§5.5.1 nothing is processed after a Close; §7.1.1 the server closes TCP after the closing handshake.
        .. Failing(ServerFault.EchoesAfterClose, "7.1.3", "7.1.4", "7.1.5"),
        .. Closing(ServerFault.EchoesAfterClose, CloseBehavior.Unclean, "7.1.1", "7.3.1"),
        // §8.1 invalid UTF-8 must fail the connection (1007): every invalid vector of category 6 catches a peer that echoes it.
        .. Failing(ServerFault.SkipsUtf8Validation, InvalidUtf8Cases),
        // Autobahn 6.4.x: failing only once the whole message is in is NON-STRICT, not OK.
        .. new[] { "6.4.1", "6.4.2", "6.4.3", "6.4.4" }.Select(id => new Caught(ServerFault.ValidatesUtf8AtMessageEnd, id, Behavior.NonStrict)),
        // §10.4 allows a size limit, but category 9 expects messages up to 16 MiB to come back.
        .. Failing(ServerFault.LimitsMessagesTo1MiB, "9.1.4", "9.1.5", "9.1.6", "9.2.4", "9.2.5", "9.2.6",
            "9.3.1", "9.3.5", "9.3.9", "9.4.1", "9.4.5", "9.4.9"),
        // Category 9.7/9.8 checks every one of the 1000 echoes for type and length.
        .. Failing(ServerFault.TruncatesTenthEcho, "9.7.2", "9.7.6", "9.8.2", "9.8.6"),
        // §5.6 an echo must keep the message type: every case that expects an echo, and every trial, catches the swap.
        .. Failing(ServerFault.SwapsMessageType, EchoCases),
        // §5.4 fragments form one message.
        .. Failing(ServerFault.EchoesFragmentsSeparately, "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "5.19", "5.20",
            "6.1.2", "6.1.3", "6.2.2", "6.2.3", "6.2.4", "9.3.1", "9.4.1", "10.1.1"),
        // §5.4 a new message while one is open must fail the connection, not start over.
        .. Failing(ServerFault.RestartsMessageOnNewDataFrame, "5.18"),
        // §5.2 RSV bits must fail the connection; silently dropping the frame shows in the close verdict (or the extra pong).
        .. Closing(ServerFault.DropsFramesWithReservedBits, CloseBehavior.Failed, "3.1", "3.5", "3.6", "3.7"),
        .. Failing(ServerFault.DropsFramesWithReservedBits, "3.2", "3.3", "3.4"),
        // §5.5 a fragmented ping joined with its continuation is answered; a fragmented pong joined is never failed.
        .. Failing(ServerFault.AcceptsFragmentedControlFrames, "5.1"),
        .. Closing(ServerFault.AcceptsFragmentedControlFrames, CloseBehavior.Failed, "5.2"),
        // §5.6 a code point may span fragments (6.2.3, 6.2.4, 6.4.2 split one inside a frame boundary).
        .. Failing(ServerFault.ValidatesUtf8PerFragment, "6.2.3", "6.2.4", "6.4.2"),
        // RFC 3629: non-characters and 4-octet sequences are valid UTF-8 and must be echoed.
        .. Failing(ServerFault.RejectsNonCharacters, [.. Group("6.22"), "6.23.6", "6.23.7"]),
        .. Failing(ServerFault.RejectsFourOctetUtf8, [.. Group("6.22").Skip(2), "6.5.4", "6.7.4", "6.9.4", "6.11.4"]),
        // §5.5.1 an invalid close reason must be answered with 1007 (or 1002), not 1000.
        new(ServerFault.SkipsCloseValidation, "7.5.1", Behavior.Failed, CloseBehavior.WrongCode),
        // §5.5.1 every valid close code must get its answer.
        .. Closing(ServerFault.NeverAnswersClose, CloseBehavior.Unclean, Group("7.7")),
    ];

    /// <summary>Cases that expect an echo of a message, and the trials (which check every echo's type).</summary>
    private static string[] EchoCases =>
        Catalogue.All
            .Where(c => c.Rule != VerdictRule.Informational)
            .Where(c => c.Expected.Any(o => o.Events.Any(e => e.Kind == EventKind.Message)) || c.Script.Any(step => step is RoundTrips))
            .Select(c => c.Id)
            .ToArray();

    private static string[] Group(string prefix) =>
        Catalogue.All.Where(c => c.Id.StartsWith(prefix + ".", StringComparison.Ordinal)).Select(c => c.Id).ToArray();

    private static string[] InvalidUtf8Cases =>
        Catalogue.All.Where(c => c.ExpectedClose.ClosedByWrongEndpointIsFatal).Select(c => c.Id).ToArray();

    private static readonly Dictionary<ServerFault, Task<IReadOnlyDictionary<string, CaseResult>>> Runs = [];

    /// <summary>One run per fault, shared by that fault's rows, covering only the cases those rows name.</summary>
    private static Task<IReadOnlyDictionary<string, CaseResult>> RunFor(ServerFault fault)
    {
        lock (Runs)
        {
            if (!Runs.TryGetValue(fault, out var run))
            {
                var ids = Expectations.Where(e => e.Fault == fault).Select(e => e.Id).ToHashSet();
                run = RunWithServerAsync(fault, ids);
                Runs[fault] = run;
            }
            return run;
        }
    }

    private static async Task<IReadOnlyDictionary<string, CaseResult>> RunWithServerAsync(ServerFault fault, IReadOnlyCollection<string> ids)
    {
        await using var server = FaultyServer.Start(fault);
        return await CatalogueRuns.RunAsync(server.Url, ids);
    }

    [TestCaseSource(nameof(Expectations))]
    public async Task Fault_IsCaughtByTheCaseThatChecksIt(Caught expectation)
    {
        var result = (await RunFor(expectation.Fault))[expectation.Id];
        var explanation = CatalogueRuns.Explain(result);
        if (expectation.Behavior is { } behavior) result.Behavior.Should().Be(behavior, explanation);
        if (expectation.Close is { } close) result.BehaviorClose.Should().Be(close, explanation);
    }

    [Test]
    public async Task DroppedEcho_InRoundTripTrial_FailsWhenTheCaseTimerFires()
    {
        // 9.7.2 waits 60 s before giving up; the same case with a 2 s timer shows the rule without the wait.
        var original = Catalogue.Get("9.7.2");
        var shortened = original with { Script = [.. original.Script.Select(step => step is CloseAfter ? new CloseAfter(TimeSpan.FromSeconds(2)) : step)] };
        await using var server = FaultyServer.Start(ServerFault.DropsTenthEcho);
        var result = await CaseRunner.RunAsync(shortened, new TargetOptions { Url = server.Url }, ProtocolTimeouts.Autobahn);

        result.Behavior.Should().Be(Behavior.Failed, CatalogueRuns.Explain(result));
        result.Result.Should().Contain("Case did not finish within 60 seconds").And.Contain("9 of 1000");
        result.RoundTrips!.Completed.Should().Be(9, "the 10th echo never came");
    }

    [Test]
    public void EveryCase_IsShownAbleToFail()
    {
        // The quality bar: every case, informational ones aside, is run against a peer that breaks its rule.
        var caught = Expectations.Select(e => e.Id).Append("9.7.2").ToHashSet();
        Catalogue.All.Where(c => c.Rule != VerdictRule.Informational).Select(c => c.Id)
            .Should().OnlyContain(id => caught.Contains(id), "every case must be shown able to fail");
    }

    [Test]
    public void EveryFault_IsCaughtBySomeCase()
    {
        var covered = Expectations.Select(e => e.Fault).Append(ServerFault.DropsTenthEcho).ToHashSet();
        Enum.GetValues<ServerFault>().Where(f => f != ServerFault.None).Should().OnlyContain(f => covered.Contains(f));
    }
}
