using System.Text;
using Wsconform.Wire.Deflate;

namespace Wsconform.Wire.Tests.Deflate;

public class ExtensionHeaderTests
{
    private static ExtensionElement Single(string header)
    {
        ExtensionHeader parsed = ExtensionHeader.Parse(header);
        parsed.Error.Should().BeNull();
        return parsed.Elements.Should().ContainSingle().Subject;
    }

    [Test]
    public void Parse_NameOnly_OneElementWithoutParameters()
    {
        ExtensionElement element = Single("permessage-deflate");

        element.Name.Should().Be("permessage-deflate");
        element.Parameters.Should().BeEmpty();
        element.Text.Should().Be("permessage-deflate");
    }

    [Test]
    public void Parse_Parameters_InOrderWithValues()
    {
        ExtensionElement element = Single("permessage-deflate; client_max_window_bits; server_max_window_bits=10");

        element.Parameters.Should().Equal(
            new ExtensionParameter("client_max_window_bits", null),
            new ExtensionParameter("server_max_window_bits", "10"));
    }

    [Test]
    public void Parse_Rfc7692Section5QuotedExample_ValueUnquoted()
    {
        // RFC 7692 §5 negotiation example: a parameter value written as a quoted-string.
        ExtensionElement element = Single("permessage-foo; x=\"10\"");

        element.Name.Should().Be("permessage-foo");
        element.Parameters.Should().Equal(new ExtensionParameter("x", "10"));
        element.Text.Should().Be("permessage-foo; x=\"10\"");
    }

    [Test]
    public void Parse_Rfc7692Section5FallbackExample_TwoAlternatives()
    {
        // RFC 7692 §5 negotiation example: the same extension offered twice, with and without a parameter.
        ExtensionHeader parsed = ExtensionHeader.Parse("permessage-foo; use_y, permessage-foo");

        parsed.IsValid.Should().BeTrue();
        parsed.Elements.Select(e => e.Text).Should().Equal("permessage-foo; use_y", "permessage-foo");
        parsed.Elements[0].Parameters.Should().Equal(new ExtensionParameter("use_y", null));
        parsed.Elements[1].Parameters.Should().BeEmpty();
    }

    [Test]
    public void Parse_Rfc7692Section713TwoOffers_BothElementsInOrder()
    {
        // RFC 7692 §7.1.3: an offer asking for a 1,024-byte server window, falling back to one without that request.
        ExtensionHeader parsed = ExtensionHeader.Parse(
            "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits");

        parsed.Elements.Select(e => e.Text).Should().Equal(
            "permessage-deflate; client_max_window_bits; server_max_window_bits=10",
            "permessage-deflate; client_max_window_bits");
    }

    [Test]
    public void Parse_QuotedPair_Unescaped()
    {
        Single("a; b=\"1\\0\"").Parameters.Should().Equal(new ExtensionParameter("b", "10"));
    }

    [Test]
    public void Parse_SeveralLines_OneListInOrder()
    {
        ExtensionHeader parsed = ExtensionHeader.Parse(["x-foo; a=1", null, "permessage-deflate, x-bar"]);

        parsed.Elements.Select(e => e.Name).Should().Equal("x-foo", "permessage-deflate", "x-bar");
    }

    [TestCase("permessage-deflate;client_max_window_bits=10")]
    [TestCase("permessage-deflate ; client_max_window_bits = 10")]
    [TestCase("  permessage-deflate;\tclient_max_window_bits=\t10  ")]
    [TestCase("\tpermessage-deflate\t;client_max_window_bits= \"10\" ")]
    public void Parse_WhitespaceAroundSeparators_SameParameters(string header)
    {
        ExtensionElement element = Single(header);

        element.Name.Should().Be("permessage-deflate");
        element.Parameters.Should().Equal(new ExtensionParameter("client_max_window_bits", "10"));
        element.Text.Should().Be(header.Trim(' ', '\t'));
    }

    [Test]
    public void Parse_EmptyListElements_Skipped()
    {
        // RFC 7230 §7: recipients ignore empty list elements.
        ExtensionHeader.Parse(", a, ,\t, b ,").Elements.Select(e => e.Name).Should().Equal("a", "b");
    }

    [TestCase("")]
    [TestCase("  ")]
    [TestCase(" , ,")]
    public void Parse_NoElements_ValidAndEmpty(string header)
    {
        ExtensionHeader parsed = ExtensionHeader.Parse(header);

        parsed.IsValid.Should().BeTrue();
        parsed.Elements.Should().BeEmpty();
    }

    [Test]
    public void IsNamed_DifferentCase_Matches()
    {
        ExtensionElement element = Single("PerMessage-Deflate; Server_No_Context_Takeover");

        element.IsNamed("permessage-deflate").Should().BeTrue();
        element.Parameters[0].IsNamed("server_no_context_takeover").Should().BeTrue();
        element.Name.Should().Be("PerMessage-Deflate");
        element.IsNamed("permessage-deflat").Should().BeFalse();
    }

    [TestCase(";x", "extension name", "\";x\"")]
    [TestCase("permessage-deflate;", "parameter name", "end of the header value")]
    [TestCase("permessage-deflate; =10", "parameter name", "\"=10\"")]
    [TestCase("permessage-deflate; server_max_window_bits=", "after '='", "end of the header value")]
    [TestCase("permessage-deflate; server_max_window_bits=;", "after '='", "\";\"")]
    [TestCase("permessage-deflate; server_max_window_bits=\"10", "closing", "\"\\\"10\"")]
    [TestCase("permessage-deflate; server_max_window_bits=\"1 0\"", "not a token", "server_max_window_bits")]
    [TestCase("permessage-deflate; x=\"\"", "not a token", "\"x\"")]
    [TestCase("permessage-deflate; x=\"a,b\"", "not a token", "\"x\"")]
    [TestCase("permessage-deflate client_max_window_bits", "unexpected 'c'", "\"client_max_window_bits\"")]
    [TestCase("permessage-deflate; a=b c", "unexpected 'c'", "permessage-deflate")]
    [TestCase("permessage/deflate", "unexpected '/'", "\"/deflate\"")]
    [TestCase("a\u0000b", "U+0000", "\\u0000b")]
    [TestCase("é", "extension name", "\\u00E9")]
    [TestCase("a; b=c=d", "unexpected '='", "\"=d\"")]
    public void Parse_SyntaxError_SentenceNamesProblemAndText(string header, string problem, string quoted)
    {
        ExtensionHeader parsed = ExtensionHeader.Parse(header);

        parsed.IsValid.Should().BeFalse();
        parsed.Elements.Should().BeEmpty();
        parsed.Error.Should().Contain(problem).And.Contain(quoted);
    }

    [Test]
    public void Parse_ErrorInSecondLine_WholeHeaderInvalid()
    {
        ExtensionHeader.Parse(["permessage-deflate", "x;"]).IsValid.Should().BeFalse();
    }

    [Test]
    public void Parse_LongOffendingText_QuotationShortened()
    {
        string header = "a b" + new string('x', 10_000);

        string error = ExtensionHeader.Parse(header).Error!;

        error.Should().Contain("…");
        error.Length.Should().BeLessThan(200);
    }

    [Test]
    public void Parse_MaxElements_Accepted()
    {
        string header = string.Join(", ", Enumerable.Repeat("x", ExtensionHeader.MaxElements));

        ExtensionHeader.Parse(header).Elements.Should().HaveCount(ExtensionHeader.MaxElements);
    }

    [Test]
    public void Parse_MoreThanMaxElementsOverSeveralLines_Error()
    {
        string line = string.Join(",", Enumerable.Repeat("x", 40));

        ExtensionHeader.Parse([line, line]).Error.Should().Contain("more than 64 extension elements");
    }

    [Test]
    public void Parse_MaxParameters_Accepted()
    {
        string header = "x" + string.Concat(Enumerable.Repeat("; p", ExtensionHeader.MaxParametersPerElement));

        Single(header).Parameters.Should().HaveCount(ExtensionHeader.MaxParametersPerElement);
    }

    [Test]
    public void Parse_MoreThanMaxParameters_Error()
    {
        string header = "x" + string.Concat(Enumerable.Repeat("; p", ExtensionHeader.MaxParametersPerElement + 1));

        ExtensionHeader.Parse(header).Error.Should().Contain("more than 64 parameters");
    }

    [Test]
    public void Parse_RandomText_NeverThrows()
    {
        // Characters that steer the parser into every branch, plus some that no branch expects.
        const string alphabet = "ab=;,\" \t\\x1\u0000\u00e9\r\n/";
        var random = new Random(7692);
        var text = new StringBuilder();

        for (int i = 0; i < 20_000; i++)
        {
            text.Clear();
            int length = random.Next(0, 40);
            for (int j = 0; j < length; j++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            string header = text.ToString();
            Action act = () =>
            {
                ExtensionHeader parsed = ExtensionHeader.Parse(header);
                DeflateNegotiation.CheckResponse([DeflateOffer.Autobahn()], [header]);
                DeflateNegotiation.Accept([header], DeflateServerPolicy.Default);
                (parsed.IsValid || parsed.Error.Length > 0).Should().BeTrue();
            };

            act.Should().NotThrow(header);
        }
    }

    [TestCase("a; b=c, ")]
    [TestCase("a;")]
    [TestCase(" ")]
    [TestCase(",")]
    [TestCase("x")]
    [TestCase("a; b=\"\\\\")]
    [TestCase("permessage-deflate; server_max_window_bits=\"")]
    public void Parse_100KilobyteHeader_NeverThrowsAndFinishesQuickly(string unit)
    {
        var header = new StringBuilder();
        while (header.Length < 100_000)
        {
            header.Append(unit);
        }

        string text = header.ToString();
        Action act = () =>
        {
            ExtensionHeader.Parse(text);
            DeflateNegotiation.CheckResponse([DeflateOffer.Autobahn()], [text]);
            DeflateNegotiation.Accept([text], DeflateServerPolicy.Default);
        };

        act.Should().NotThrow();
        act.ExecutionTime().Should().BeLessThan(TimeSpan.FromSeconds(2));
    }
}
