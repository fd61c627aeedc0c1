namespace Wsconform.Wire.Tests;

public class CloseTests
{
    [TestCase(1000)]
    [TestCase(1001)]
    [TestCase(1002)]
    [TestCase(1003)]
    [TestCase(1007)]
    [TestCase(1008)]
    [TestCase(1009)]
    [TestCase(1010)]
    [TestCase(1011)]
    [TestCase(1012)]
    [TestCase(1013)]
    [TestCase(1014)]
    [TestCase(3000)]
    [TestCase(3999)]
    [TestCase(4000)]
    [TestCase(4999)]
    public void IsValidOnWire_ValidCode_True(int code) => CloseStatusRules.IsValidOnWire(code).Should().BeTrue();

    [TestCase(0)]
    [TestCase(999)]
    [TestCase(1004)]
    [TestCase(1005)]
    [TestCase(1006)]
    [TestCase(1015)]
    [TestCase(1016)]
    [TestCase(1100)]
    [TestCase(2000)]
    [TestCase(2999)]
    [TestCase(5000)]
    [TestCase(65535)]
    public void IsValidOnWire_InvalidCode_False(int code) => CloseStatusRules.IsValidOnWire(code).Should().BeFalse();

    [Test]
    public void Build_NullCode_Empty() => CloseBody.Build(null, default).Should().BeEmpty();

    [Test]
    public void Build_CodeAndReason_BigEndianCodeThenReason()
    {
        // 03 e8 = 1000 | "bye"
        CloseBody.Build(1000, "bye"u8).Should().Equal(0x03, 0xE8, 0x62, 0x79, 0x65);
    }

    [Test]
    public void Build_InvalidCode_StillBuilt()
    {
        // 03 ed = 1005 (may not be sent; the harness must be able to send it anyway)
        CloseBody.Build(1005, default).Should().Equal(0x03, 0xED);
    }

    [Test]
    public void Build_ReasonWithoutCode_Throws()
    {
        Action act = () => CloseBody.Build(null, "x"u8);

        act.Should().Throw<ArgumentException>();
    }

    [TestCase(-1)]
    [TestCase(65536)]
    public void Build_CodeOutside16Bits_Throws(int code)
    {
        Action act = () => CloseBody.Build(code, default);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void ReceivedFrame_CloseBodyBuiltAndRead_RoundTrips()
    {
        byte[] body = CloseBody.Build(4000, "κόσμε"u8);
        byte[] wire = FrameEncoder.Encode(FrameSpec.Of(Opcode.Close, body), true, 0xcafebabe);
        var frames = new List<ReceivedFrame>();

        new FrameReader(new FrameReaderOptions { ExpectMasked = true }).Feed(wire, frames);

        frames.Should().ContainSingle();
        frames[0].CloseCode.Should().Be(4000);
        frames[0].CloseReason.Should().Be("κόσμε");
        frames[0].Violations.Should().BeEmpty();
    }

    [Test]
    public void ReceivedFrame_NonCloseOpcode_NoCloseFields()
    {
        var frame = new ReceivedFrame(
            new FrameHeader((int)Opcode.Ping, true, 0, false, 0, 2, 2, LengthEncoding.Minimal), new byte[] { 0x03, 0xE8 }, []);

        frame.CloseCode.Should().BeNull();
        frame.CloseReason.Should().BeNull();
    }
}
