using System.Text;

namespace Wsconform.Wire.Tests;

public class Utf8ValidatorTests
{
    [TestCaseSource(typeof(Utf8Vectors), nameof(Utf8Vectors.All))]
    public void Feed_WholeVector_MatchesStrictVerdict(string hex, Utf8Outcome outcome, long failedAt)
    {
        byte[] data = Convert.FromHexString(hex);
        var validator = new Utf8Validator();

        bool result = validator.Feed(data);

        AssertOutcome(validator, result, outcome, failedAt);
        validator.OctetsSeen.Should().Be(data.Length);
        Utf8Validator.IsValidComplete(data).Should().Be(outcome == Utf8Outcome.Valid);
    }

    [TestCaseSource(typeof(Utf8Vectors), nameof(Utf8Vectors.All))]
    public void Feed_OneOctetPerCall_SameFailurePointAsWhole(string hex, Utf8Outcome outcome, long failedAt)
    {
        byte[] data = Convert.FromHexString(hex);
        var validator = new Utf8Validator();

        bool result = true;
        foreach (byte b in data)
        {
            result = validator.Feed([b]);
        }

        AssertOutcome(validator, result, outcome, failedAt);
    }

    [TestCaseSource(typeof(Utf8Vectors), nameof(Utf8Vectors.All))]
    public void Feed_AfterLongAsciiPrefix_FailureIndexShiftedByPrefix(string hex, Utf8Outcome outcome, long failedAt)
    {
        // A 100-octet ASCII prefix puts every vector behind the vectorised fast path.
        byte[] data = [.. Enumerable.Repeat((byte)'a', 100), .. Convert.FromHexString(hex)];
        var validator = new Utf8Validator();

        bool result = validator.Feed(data);

        AssertOutcome(validator, result, outcome, failedAt < 0 ? -1 : failedAt + 100);
    }

    [Test]
    public void Feed_ExamplesFromTheBrief_FailAtExpectedIndex()
    {
        FailedAtFor("e080").Should().Be(1);     // E0 needs A0–BF next: 0x80 would be overlong
        FailedAtFor("c0").Should().Be(0);       // C0 is always overlong
        FailedAtFor("f4908080").Should().Be(1); // F4 needs 80–8F next: 0x90 exceeds U+10FFFF
        FailedAtFor("e020").Should().Be(1);     // 0x20 is not a continuation octet
        FailedAtFor("f8888080").Should().Be(0); // 5-octet form
    }

    [Test]
    public void Feed_SplitInsideCodePoint_ValidAcrossCalls()
    {
        byte[] euro = [0xE2, 0x82, 0xAC]; // U+20AC
        var validator = new Utf8Validator();

        validator.Feed(euro.AsSpan(0, 1)).Should().BeTrue();
        validator.IsAtCodePointBoundary.Should().BeFalse();
        validator.Feed(euro.AsSpan(1, 1)).Should().BeTrue();
        validator.Feed(euro.AsSpan(2, 1)).Should().BeTrue();

        validator.IsAtCodePointBoundary.Should().BeTrue();
        validator.OctetsSeen.Should().Be(3);
        validator.FailedAt.Should().Be(-1);
    }

    [Test]
    public void Feed_AfterInvalid_KeepsReturningFalseAndFirstIndex()
    {
        var validator = new Utf8Validator();
        validator.Feed("abc"u8).Should().BeTrue();
        validator.Feed([0xFF]).Should().BeFalse();

        validator.Feed("more"u8).Should().BeFalse();

        validator.IsInvalid.Should().BeTrue();
        validator.FailedAt.Should().Be(3);
        validator.OctetsSeen.Should().Be(8);
    }

    [Test]
    public void Reset_AfterInvalid_AcceptsNewInput()
    {
        var validator = new Utf8Validator();
        validator.Feed([0xC0]);

        validator.Reset();

        validator.Feed("ok"u8).Should().BeTrue();
        validator.IsInvalid.Should().BeFalse();
        validator.FailedAt.Should().Be(-1);
        validator.OctetsSeen.Should().Be(2);
    }

    [Test]
    public void Feed_LargeMixedTextInRandomChunks_MatchesIsValidComplete()
    {
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Hello-µ@ßöäüàá-UTF-8!! κόσμε 😀 ", 2000)));
        var random = new Random(6455);
        var validator = new Utf8Validator();

        for (int offset = 0; offset < text.Length;)
        {
            int chunk = Math.Min(random.Next(1, 300), text.Length - offset);
            validator.Feed(text.AsSpan(offset, chunk)).Should().BeTrue();
            offset += chunk;
        }

        validator.IsAtCodePointBoundary.Should().BeTrue();
        validator.OctetsSeen.Should().Be(text.Length);
    }

    [Test]
    public void Feed_SurrogateDeepInLargeChunk_ReportsExactIndex()
    {
        byte[] data = [.. Enumerable.Repeat((byte)'x', 100_000), 0xED, 0xA0, 0x80, .. Enumerable.Repeat((byte)'y', 1000)];
        var validator = new Utf8Validator();

        validator.Feed(data).Should().BeFalse();

        validator.FailedAt.Should().Be(100_001);
    }

    private static long FailedAtFor(string hex)
    {
        var validator = new Utf8Validator();
        validator.Feed(Convert.FromHexString(hex));
        return validator.FailedAt;
    }

    private static void AssertOutcome(Utf8Validator validator, bool lastResult, Utf8Outcome outcome, long failedAt)
    {
        switch (outcome)
        {
            case Utf8Outcome.Valid:
                lastResult.Should().BeTrue();
                validator.IsAtCodePointBoundary.Should().BeTrue();
                validator.FailedAt.Should().Be(-1);
                break;
            case Utf8Outcome.EndOfMessage:
                lastResult.Should().BeTrue();
                validator.IsAtCodePointBoundary.Should().BeFalse();
                validator.IsInvalid.Should().BeFalse();
                validator.FailedAt.Should().Be(-1);
                break;
            default:
                lastResult.Should().BeFalse();
                validator.IsInvalid.Should().BeTrue();
                validator.FailedAt.Should().Be(failedAt);
                break;
        }
    }
}
