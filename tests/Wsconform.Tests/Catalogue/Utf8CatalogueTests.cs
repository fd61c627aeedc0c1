using Wsconform.Cases;
using Wsconform.Engine.Scripting;
using Wsconform.Wire;

// Not "Wsconform.Tests.Catalogue": that namespace would shadow the Catalogue class for every test under Wsconform.Tests.*.
namespace Wsconform.Tests.CatalogueShape;

/// <summary>
/// Cross-checks category 6 against the harness's own strict validator (<see cref="Utf8Validator"/>): every
/// single-frame payload is valid exactly when the case expects an echo, the vector table agrees with the cases built
/// from it, and for invalid payloads the first octet the validator rejects is the reference's "rejects at" column.
/// </summary>
[TestFixture]
public class Utf8CatalogueTests
{
    /// <summary>Cases outside the vector table with a known fail-fast point: 6.3.1's V (0xA0 after 0xED at index 11).</summary>
    private static readonly Dictionary<string, int> FixedRejectsAt = new(StringComparer.Ordinal) { ["6.3.1"] = 12 };

    private static readonly Dictionary<string, Utf8Vectors.Vector> TableById = Utf8Vectors.All.ToDictionary(v => v.Id, StringComparer.Ordinal);

    /// <summary>Category-6 cases whose whole message is one text frame (6.1.1, 6.2.1, 6.3.1 and 6.5–6.23).</summary>
    private static IEnumerable<TestCaseData> SingleFrameCases() =>
        Catalogue.All
            .Where(c => c.Id.StartsWith("6.", StringComparison.Ordinal))
            .Where(c => c.Script.OfType<SendFrame>().Count() == 1 && !c.Script.Any(s => s is SendMessage or SendFrameHeader))
            .Select(c => new TestCaseData(c).SetName($"{{m}}({c.Id})"));

    /// <summary>The single-frame cases that expect the peer to fail the connection.</summary>
    private static IEnumerable<TestCaseData> InvalidSingleFrameCases() =>
        SingleFrameCases().Where(d => !ExpectsEcho((ConformanceCase)d.Arguments[0]!));

    private static ReadOnlyMemory<byte> PayloadOf(ConformanceCase c)
    {
        var frame = c.Script.OfType<SendFrame>().Single().Frame;
        frame.Opcode.Should().Be((int)Opcode.Text, c.Id);
        frame.Fin.Should().BeTrue(c.Id);
        return frame.Payload;
    }

    private static bool ExpectsEcho(ConformanceCase c) => c.Expected[0].Events.Count == 1;

    [Test]
    public void SingleFrameCases_CoverTheWholeVectorTableAndTheFixedOnes()
    {
        var ids = SingleFrameCases().Select(d => ((ConformanceCase)d.Arguments[0]!).Id).ToList();
        ids.Should().HaveCount(3 + 132);
        ids.Should().Contain(["6.1.1", "6.2.1", "6.3.1"]);
        ids.Should().Contain(Utf8Vectors.All.Select(v => v.Id));
        InvalidSingleFrameCases().Should().HaveCount(1 + 69);
    }

    [TestCaseSource(nameof(SingleFrameCases))]
    public void Payload_IsValidExactlyWhenTheCaseExpectsAnEcho(ConformanceCase c)
    {
        var payload = PayloadOf(c);
        var valid = Utf8Validator.IsValidComplete(payload.Span);
        valid.Should().Be(ExpectsEcho(c), "the case expects an echo only for valid UTF-8");
        c.ExpectedClose.Should().Be(valid ? CloseExpectations.EchoThenNormalClose : CloseExpectations.FailFastInvalidUtf8);
        if (valid)
        {
            c.Expected[0].Events.Single().Payload.ToArray().Should().Equal(payload.ToArray());
            c.Expected[0].Events.Single().IsBinary.Should().BeFalse();
        }
        if (TableById.TryGetValue(c.Id, out var row))
        {
            row.IsValid.Should().Be(valid, "the table's validity column agrees with the harness's validator");
            payload.ToArray().Should().Equal(row.Octets.ToArray());
        }
    }

    [TestCaseSource(nameof(InvalidSingleFrameCases))]
    public void InvalidPayload_IsRejectedAtTheReferenceOctet(ConformanceCase c)
    {
        var payload = PayloadOf(c);
        Utf8Validator.IsValidComplete(payload.Span).Should().BeFalse();
        int? rejectsAt = TableById.TryGetValue(c.Id, out var row) ? row.RejectsAt : FixedRejectsAt[c.Id];

        // Fed all at once and octet by octet: the fail-fast point must not depend on how the octets arrive.
        var whole = new Utf8Validator();
        var octetWise = new Utf8Validator();
        whole.Feed(payload.Span);
        foreach (var octet in payload.ToArray()) octetWise.Feed([octet]);

        foreach (var validator in new[] { whole, octetWise })
        {
            if (rejectsAt is { } at)
            {
                validator.IsInvalid.Should().BeTrue();
                validator.FailedAt.Should().Be(at);
            }
            else
            {
                // "End of message": every octet is a valid prefix; only the end inside a code point is wrong.
                validator.IsInvalid.Should().BeFalse();
                validator.IsAtCodePointBoundary.Should().BeFalse();
            }
        }
    }

    [Test]
    public void VectorTable_HasAutobahnsCountsAndOrder()
    {
        Utf8Vectors.Groups.Select(g => g.Prefix).Should().Equal(Enumerable.Range(5, 19).Select(i => $"6.{i}"));
        Utf8Vectors.All.Should().HaveCount(132);
        Utf8Vectors.All.Count(v => v.IsValid).Should().Be(63);
        Utf8Vectors.All.Where(v => v.IsValid).Should().OnlyContain(v => v.RejectsAt == null);
        foreach (var group in Utf8Vectors.Groups)
        {
            group.Vectors.Select(v => v.Id).Should().Equal(Enumerable.Range(1, group.Vectors.Count).Select(i => $"{group.Prefix}.{i}"));
            Catalogue.All.Where(c => c.Id.StartsWith(group.Prefix + ".", StringComparison.Ordinal)).Should().OnlyContain(c => c.Group == group.Title);
        }
        Utf8Vectors.All.Where(v => !v.IsValid && v.RejectsAt == null).Select(v => v.Id).Should().Equal(
            "6.6.1", "6.6.3", "6.6.4", "6.6.6", "6.6.8", "6.6.10", "6.14.6", "6.14.7");
    }

    [Test]
    public void VectorTable_KeepsAutobahnsQuirks()
    {
        // 6.12.8 is 0x80…0xBE (0xBF left out); 6.13.1 pairs C0…DE with a space (DF left out).
        Utf8Vectors.All.Single(v => v.Id == "6.12.8").Octets.ToArray().Should().Equal(Enumerable.Range(0x80, 63).Select(i => (byte)i));
        Utf8Vectors.All.Single(v => v.Id == "6.13.1").Octets.ToArray().Should().Equal(
            Enumerable.Range(0xC0, 31).SelectMany(i => new[] { (byte)i, (byte)0x20 }));
    }

    [TestCase("6.2.2"), TestCase("6.2.3"), TestCase("6.2.4"), TestCase("6.1.2"), TestCase("6.1.3")]
    public void FragmentedValidMessages_AreValidAsAWholeAndEchoedWhole(string id)
    {
        var c = Catalogue.Get(id);
        var sent = c.Script.OfType<SendMessage>().Select(m => m.Payload.ToArray())
            .Concat(c.Script.OfType<SendFrame>().Select(s => s.Frame.Payload.ToArray()))
            .SelectMany(p => p).ToArray();
        Utf8Validator.IsValidComplete(sent).Should().BeTrue();
        c.Expected[0].Events.Single().Payload.ToArray().Should().Equal(sent);
    }

    [Test]
    public void FragmentedInvalidMessage_6_3_2_IsTheSameOctetsAs6_3_1()
    {
        var sent = Catalogue.Get("6.3.2").Script.OfType<SendMessage>().Single().Payload;
        sent.ToArray().Should().Equal(PayloadOf(Catalogue.Get("6.3.1")).ToArray());
    }

    [TestCase("6.4.1"), TestCase("6.4.2"), TestCase("6.4.3"), TestCase("6.4.4")]
    public void FailFast_Part2HoldsTheFirstInvalidOctet(string id)
    {
        var c = Catalogue.Get(id);
        var parts = c.Script.OfType<SendFrameData>().Select(d => d.Data.ToArray())
            .Concat(c.Script.OfType<SendFrame>().Select(s => s.Frame.Payload.ToArray()).Where(p => p.Length > 0))
            .ToList();
        parts.Should().HaveCount(3);
        Convert.ToHexString(parts.SelectMany(p => p).ToArray()).Should().BeEquivalentTo("cebae1bdb9cf83cebcceb5f4908080656469746564");

        var validator = new Utf8Validator();
        validator.Feed(parts[0]).Should().BeTrue("part 1 is a valid prefix");
        validator.Feed(parts[1]).Should().BeFalse("part 2 holds the first invalid octet");
        validator.FailedAt.Should().Be(12);
    }
}
