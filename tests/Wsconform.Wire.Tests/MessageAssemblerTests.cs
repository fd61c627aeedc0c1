namespace Wsconform.Wire.Tests;

public class MessageAssemblerTests
{
    private static ReceivedFrame Frame(Opcode opcode, bool fin, params byte[] payload) =>
        new(new FrameHeader((int)opcode, fin, 0, false, 0, (ulong)payload.Length, 2, LengthEncoding.Minimal), payload, []);

    private static ReceivedFrame Frame(Opcode opcode, bool fin, string hex) => Frame(opcode, fin, Convert.FromHexString(hex));

    [Test]
    public void Accept_SingleTextFrame_CompletesMessage()
    {
        var assembler = new MessageAssembler();

        AssemblyStep step = assembler.Accept(Frame(Opcode.Text, true, "Hello"u8.ToArray()));

        step.Violation.Should().BeNull();
        step.Message.Should().NotBeNull();
        step.Message!.IsBinary.Should().BeFalse();
        step.Message.FrameCount.Should().Be(1);
        step.Message.Payload.ToArray().Should().Equal("Hello"u8.ToArray());
        assembler.InMessage.Should().BeFalse();
    }

    [Test]
    public void Accept_FragmentedBinary_ConcatenatesInOrder()
    {
        var assembler = new MessageAssembler();

        assembler.Accept(Frame(Opcode.Binary, false, 1, 2)).Should().Be(default(AssemblyStep));
        assembler.InMessage.Should().BeTrue();
        assembler.Accept(Frame(Opcode.Continuation, false)).Should().Be(default(AssemblyStep));
        AssemblyStep step = assembler.Accept(Frame(Opcode.Continuation, true, 3));

        step.Message!.IsBinary.Should().BeTrue();
        step.Message.FrameCount.Should().Be(3);
        step.Message.Payload.ToArray().Should().Equal(1, 2, 3);
        assembler.InMessage.Should().BeFalse();
    }

    [Test]
    public void Accept_TextSplitInsideCodePoint_IsValid()
    {
        // κόσμε = ce ba e1 bd b9 cf 83 ce bc ce b5, split inside ό (e1 | bd b9) and inside μ (ce | bc)
        var assembler = new MessageAssembler();

        assembler.Accept(Frame(Opcode.Text, false, "cebae1")).Violation.Should().BeNull();
        assembler.Accept(Frame(Opcode.Continuation, false, "bdb9cf83ce")).Violation.Should().BeNull();
        AssemblyStep step = assembler.Accept(Frame(Opcode.Continuation, true, "bcceb5"));

        step.Violation.Should().BeNull();
        step.Message!.Payload.ToArray().Should().Equal(Convert.FromHexString("cebae1bdb9cf83cebcceb5"));
    }

    [Test]
    public void Accept_TextInOneOctetFragments_IsValid()
    {
        // Autobahn 6.2.4: κόσμε in 1-octet fragments plus an empty final continuation.
        byte[] text = Convert.FromHexString("cebae1bdb9cf83cebcceb5");
        var assembler = new MessageAssembler();

        for (int i = 0; i < text.Length; i++)
        {
            assembler.Accept(Frame(i == 0 ? Opcode.Text : Opcode.Continuation, false, text[i])).Should().Be(default(AssemblyStep));
        }

        AssemblyStep step = assembler.Accept(Frame(Opcode.Continuation, true));

        step.Message!.Payload.ToArray().Should().Equal(text);
        step.Message.FrameCount.Should().Be(12);
    }

    [Test]
    public void Accept_InvalidUtf8SplitAcrossFragments_DetectedAtSecondFragment()
    {
        // Autobahn 6.4.2: T(κόσμε + f4, FIN=0), C(90, FIN=0), C(80 80 "edited", FIN=1); 0x90 cannot follow 0xF4.
        var assembler = new MessageAssembler();

        assembler.Accept(Frame(Opcode.Text, false, "cebae1bdb9cf83cebcceb5f4")).Violation.Should().BeNull();
        AssemblyStep step = assembler.Accept(Frame(Opcode.Continuation, false, "90"));

        step.Message.Should().BeNull();
        step.Violation.Should().NotBeNull();
        step.Violation!.CloseCode.Should().Be(1007);
        step.Violation.RfcSection.Should().Be("RFC 6455 §8.1");
        step.Violation.Description.Should().Contain("octet 12").And.Contain("frame 2");
    }

    [Test]
    public void Accept_InvalidUtf8InFirstFragment_DetectedBeforeFin()
    {
        // Autobahn 6.4.1 part 2: C(f4 90 80 80, FIN=0) after a valid T(κόσμε, FIN=0).
        var assembler = new MessageAssembler();
        assembler.Accept(Frame(Opcode.Text, false, "cebae1bdb9cf83cebcceb5"));

        AssemblyStep step = assembler.Accept(Frame(Opcode.Continuation, false, "f4908080"));

        step.Violation!.CloseCode.Should().Be(1007);
    }

    [Test]
    public void Accept_TextEndingInsideCodePoint_DetectedAtFin()
    {
        // Autobahn 6.6.8 spread over two frames: ... cf 83 | ce (FIN=1) — a valid prefix until the message ends.
        var assembler = new MessageAssembler();
        assembler.Accept(Frame(Opcode.Text, false, "cebae1bdb9cf83")).Violation.Should().BeNull();

        AssemblyStep step = assembler.Accept(Frame(Opcode.Continuation, true, "ce"));

        step.Message.Should().BeNull();
        step.Violation!.CloseCode.Should().Be(1007);
        step.Violation.Description.Should().Contain("ends inside a code point");
    }

    [Test]
    public void Accept_InvalidUtf8InBinary_NotChecked()
    {
        AssemblyStep step = new MessageAssembler().Accept(Frame(Opcode.Binary, true, 0xFF, 0xC0));

        step.Violation.Should().BeNull();
        step.Message!.IsBinary.Should().BeTrue();
    }

    [Test]
    public void Accept_ContinuationWithoutStart_ViolatesSection5_4()
    {
        AssemblyStep step = new MessageAssembler().Accept(Frame(Opcode.Continuation, true, "Hi"u8.ToArray()));

        step.Message.Should().BeNull();
        step.Violation!.RfcSection.Should().Be("RFC 6455 §5.4");
        step.Violation.CloseCode.Should().Be(1002);
    }

    [Test]
    public void Accept_ContinuationAfterCompletedMessage_ViolatesSection5_4()
    {
        var assembler = new MessageAssembler();
        assembler.Accept(Frame(Opcode.Text, true, "a"u8.ToArray()));

        AssemblyStep step = assembler.Accept(Frame(Opcode.Continuation, true, "b"u8.ToArray()));

        step.Violation!.RfcSection.Should().Be("RFC 6455 §5.4");
    }

    [TestCase(Opcode.Text)]
    [TestCase(Opcode.Binary)]
    public void Accept_NewDataFrameWhileMessageOpen_ViolatesSection5_4(Opcode second)
    {
        var assembler = new MessageAssembler();
        assembler.Accept(Frame(Opcode.Text, false, "fragment1"u8.ToArray()));

        AssemblyStep step = assembler.Accept(Frame(second, true, "other"u8.ToArray()));

        step.Message.Should().BeNull();
        step.Violation!.RfcSection.Should().Be("RFC 6455 §5.4");
        step.Violation.CloseCode.Should().Be(1002);
    }

    [Test]
    public void Accept_MessageAboveLimit_Violates1009()
    {
        var assembler = new MessageAssembler(maxMessageLength: 10);
        assembler.Accept(Frame(Opcode.Binary, false, new byte[6])).Violation.Should().BeNull();

        AssemblyStep step = assembler.Accept(Frame(Opcode.Continuation, true, new byte[5]));

        step.Violation!.CloseCode.Should().Be(1009);
        step.Violation.RfcSection.Should().Be("RFC 6455 §10.4");
    }

    [Test]
    public void Accept_MessageExactlyAtLimit_Completes()
    {
        AssemblyStep step = new MessageAssembler(maxMessageLength: 10).Accept(Frame(Opcode.Binary, true, new byte[10]));

        step.Message!.Payload.Length.Should().Be(10);
    }

    [TestCase(Opcode.Ping)]
    [TestCase(Opcode.Close)]
    public void Accept_ControlFrame_ThrowsArgumentException(Opcode opcode)
    {
        Action act = () => new MessageAssembler().Accept(Frame(opcode, true));

        act.Should().Throw<ArgumentException>();
    }

    [Test]
    public void Accept_AfterViolation_DoesNotThrow()
    {
        var assembler = new MessageAssembler();
        assembler.Accept(Frame(Opcode.Text, false, "c0"));

        Action act = () =>
        {
            assembler.Accept(Frame(Opcode.Continuation, true, "41"));
            assembler.Accept(Frame(Opcode.Text, true, "41"));
        };

        act.Should().NotThrow();
    }

    [Test]
    public void Accept_LargeFragmentedText_ValidatesAndConcatenates()
    {
        byte[] chunk = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("κόσμε-", 100_000)));
        var assembler = new MessageAssembler();

        assembler.Accept(Frame(Opcode.Text, false, chunk.AsSpan(0, 1001).ToArray())).Violation.Should().BeNull();
        AssemblyStep step = assembler.Accept(Frame(Opcode.Continuation, true, chunk.AsSpan(1001).ToArray()));

        step.Message!.Payload.ToArray().Should().Equal(chunk);
    }
}
