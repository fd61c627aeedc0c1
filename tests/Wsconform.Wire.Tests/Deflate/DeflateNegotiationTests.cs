using Wsconform.Wire.Deflate;

namespace Wsconform.Wire.Tests.Deflate;

public class DeflateNegotiationTests
{
    /// <summary>Autobahn case 13.7 offers three alternatives in one header.</summary>
    private static readonly DeflateOffer[] Case13_7 = [DeflateOffer.Autobahn(true, 9), DeflateOffer.Autobahn(true), DeflateOffer.Autobahn()];

    /// <summary>RFC 7692 §7.1.3: a 1,024-byte server window with client_max_window_bits support, then the fallback.</summary>
    private static readonly DeflateOffer SmallServerWindow = new(ServerMaxWindowBits: 10, ClientMaxWindowBits: ClientWindowBitsOffer.Valueless);
    private static readonly DeflateOffer Fallback = new(ClientMaxWindowBits: ClientWindowBitsOffer.Valueless);

    private static DeflateResponseCheck Check(string response, params DeflateOffer[] offers) =>
        DeflateNegotiation.CheckResponse(offers, [response]);

    private static DeflateResponseCheck.Accepted Accepted(string response, params DeflateOffer[] offers) =>
        Check(response, offers).Should().BeOfType<DeflateResponseCheck.Accepted>().Subject;

    private static DeflateResponseCheck.Invalid Invalid(string response, params DeflateOffer[] offers) =>
        Check(response, offers).Should().BeOfType<DeflateResponseCheck.Invalid>().Subject;

    private static string Header(params DeflateOffer[] offers) => string.Join(", ", offers.Select(o => o.Render()));

    private static DeflateAcceptance AcceptOf(string offers, DeflateServerPolicy? policy = null)
    {
        DeflateAcceptance? acceptance = DeflateNegotiation.Accept([offers], policy ?? DeflateServerPolicy.Default);
        acceptance.Should().NotBeNull();
        return acceptance!;
    }

    // ---- RFC 7692 examples -------------------------------------------------------------------------------------------

    [Test]
    public void CheckResponse_Rfc7692Section713SimplestOfferAndResponse_AcceptedWithDefaults()
    {
        // RFC 7692 §7.1.3: the simplest offer "permessage-deflate", accepted by the same text.
        DeflateResponseCheck.Accepted accepted = Accepted("permessage-deflate", new DeflateOffer());

        accepted.Agreement.Should().Be(new DeflateAgreement(false, false, 15, 15, "permessage-deflate"));
        accepted.OfferIndex.Should().Be(0);
    }

    [Test]
    public void CheckResponse_Rfc7692Section713SimplestOfferAnsweredWithClientWindow_Invalid()
    {
        // RFC 7692 §7.1.3: the simplest offer lacks client_max_window_bits, so the server must not answer with it.
        DeflateResponseCheck.Invalid invalid = Invalid("permessage-deflate; client_max_window_bits=10", new DeflateOffer());

        invalid.Reason.Should().Contain("client_max_window_bits");
        invalid.RfcSection.Should().Be("RFC 7692 §7.1.2.2");
    }

    [Test]
    public void Accept_Rfc7692Section713SimplestOffer_SameTextBack()
    {
        // RFC 7692 §7.1.3: "permessage-deflate" answered by "permessage-deflate".
        DeflateAcceptance acceptance = AcceptOf("permessage-deflate");

        acceptance.Response.Should().Be("permessage-deflate");
        acceptance.Agreement.Should().Be(new DeflateAgreement(false, false, 15, 15, "permessage-deflate"));
    }

    [Test]
    public void CheckResponse_Rfc7692Section713SmallServerWindowAccepted_Window10()
    {
        // RFC 7692 §7.1.3: offer "permessage-deflate; client_max_window_bits; server_max_window_bits=10",
        // response "permessage-deflate; server_max_window_bits=10".
        Header(SmallServerWindow).Should().Be("permessage-deflate; client_max_window_bits; server_max_window_bits=10");

        DeflateResponseCheck.Accepted accepted = Accepted("permessage-deflate; server_max_window_bits=10", SmallServerWindow);

        accepted.Agreement.Should().Be(new DeflateAgreement(false, false, 10, 15, "permessage-deflate; server_max_window_bits=10"));
    }

    [Test]
    public void CheckResponse_Rfc7692Section713SmallServerWindowDeclined_Declined()
    {
        // RFC 7692 §7.1.3: a server not supporting server_max_window_bits may decline that offer (no element).
        DeflateNegotiation.CheckResponse([SmallServerWindow], []).Should().BeOfType<DeflateResponseCheck.Declined>();
    }

    [TestCase("permessage-deflate; server_max_window_bits=10", 0, 10)]
    [TestCase("permessage-deflate", 1, 15)]
    public void CheckResponse_Rfc7692Section713FallbackOffers_EitherAccepted(string response, int offerIndex, int serverBits)
    {
        // RFC 7692 §7.1.3: offers "...; server_max_window_bits=10, permessage-deflate; client_max_window_bits";
        // the server may accept the first ("...; server_max_window_bits=10") or the second ("permessage-deflate").
        DeflateResponseCheck.Accepted accepted = Accepted(response, SmallServerWindow, Fallback);

        accepted.OfferIndex.Should().Be(offerIndex);
        accepted.Agreement.ServerMaxWindowBits.Should().Be(serverBits);
    }

    [Test]
    public void Accept_Rfc7692Section713FallbackOffers_FirstWhenSupportedElseSecond()
    {
        // RFC 7692 §7.1.3: the same two offers, from the server's side.
        string offers = "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits";

        AcceptOf(offers).Should().BeEquivalentTo(new { Response = "permessage-deflate; server_max_window_bits=10", OfferIndex = 0 });
        AcceptOf(offers, new DeflateServerPolicy { MinServerMaxWindowBits = 11 })
            .Should().BeEquivalentTo(new { Response = "permessage-deflate", OfferIndex = 1, Offer = Fallback });
    }

    [TestCase("permessage-foo; x=\"10\"")]
    [TestCase("permessage-foo; use_y, permessage-foo")]
    public void CheckResponse_Rfc7692Section5OtherExtensionExamples_DeclinedNotInvalid(string response)
    {
        // RFC 7692 §5 negotiation examples use a hypothetical "permessage-foo": not this check's concern.
        Check(response, DeflateOffer.Autobahn()).Should().BeOfType<DeflateResponseCheck.Declined>();
        DeflateNegotiation.Accept([response], DeflateServerPolicy.Default).Should().BeNull();
    }

    // ---- client side: declined and accepted variants -----------------------------------------------------------------

    [Test]
    public void CheckResponse_NoHeader_Declined() =>
        DeflateNegotiation.CheckResponse([DeflateOffer.Autobahn()], []).Should().BeOfType<DeflateResponseCheck.Declined>();

    [TestCase("")]
    [TestCase("x-webkit-deflate-frame")]
    [TestCase("x-foo; bar=1, x-baz")]
    public void CheckResponse_NoDeflateElement_Declined(string response) =>
        Check(response, DeflateOffer.Autobahn()).Should().BeOfType<DeflateResponseCheck.Declined>();

    [Test]
    public void CheckResponse_OtherExtensionsAround_IgnoredAndResponseTrimmed()
    {
        DeflateResponseCheck.Accepted accepted = Accepted(" x-foo; a=1 ,  permessage-deflate; client_no_context_takeover  , x-bar", DeflateOffer.Autobahn());

        accepted.Agreement.Response.Should().Be("permessage-deflate; client_no_context_takeover");
        accepted.Agreement.ClientNoContextTakeover.Should().BeTrue();
    }

    [Test]
    public void CheckResponse_ElementOnSecondLine_Accepted()
    {
        DeflateNegotiation.CheckResponse([DeflateOffer.Autobahn()], ["x-foo", "permessage-deflate"])
            .Should().BeOfType<DeflateResponseCheck.Accepted>();
    }

    [TestCase("permessage-deflate;server_max_window_bits=10")]
    [TestCase("permessage-deflate ; server_max_window_bits = 10")]
    [TestCase("\tpermessage-deflate;\tserver_max_window_bits=10\t")]
    [TestCase("permessage-deflate; server_max_window_bits=\"10\"")]
    [TestCase("PerMessage-Deflate; Server_Max_Window_Bits=10")]
    [TestCase("PERMESSAGE-DEFLATE; SERVER_MAX_WINDOW_BITS=\"10\"")]
    public void CheckResponse_SpellingVariants_SameAgreementOriginalText(string response)
    {
        DeflateResponseCheck.Accepted accepted = Accepted(response, SmallServerWindow);

        accepted.Agreement.ServerMaxWindowBits.Should().Be(10);
        accepted.Agreement.Response.Should().Be(response.Trim(' ', '\t'));
    }

    [Test]
    public void CheckResponse_UnrequestedServerNoContextTakeover_Accepted()
    {
        // RFC 7692 §7.1.1.1 with erratum 4982: a server may add it unrequested.
        Accepted("permessage-deflate; server_no_context_takeover", new DeflateOffer())
            .Agreement.ServerNoContextTakeover.Should().BeTrue();
    }

    [Test]
    public void CheckResponse_UnrequestedClientNoContextTakeover_Accepted()
    {
        // RFC 7692 §7.1.1.2: the server may ask the client to drop its context although the offer did not mention it.
        Accepted("permessage-deflate; client_no_context_takeover", new DeflateOffer())
            .Agreement.ClientNoContextTakeover.Should().BeTrue();
    }

    [Test]
    public void CheckResponse_UnrequestedServerWindow_Accepted()
    {
        // RFC 7692 §7.1.2.1: the server may state its window although the offer did not ask.
        Accepted("permessage-deflate; server_max_window_bits=12", new DeflateOffer()).Agreement.ServerMaxWindowBits.Should().Be(12);
    }

    [Test]
    public void CheckResponse_ServerWindowBelowRequested_Accepted()
    {
        Accepted("permessage-deflate; server_max_window_bits=8", SmallServerWindow).Agreement.ServerMaxWindowBits.Should().Be(8);
    }

    [TestCase(8)]
    [TestCase(15)]
    public void CheckResponse_ClientWindowAfterValuelessOffer_Accepted(int bits)
    {
        Accepted($"permessage-deflate; client_max_window_bits={bits}", Fallback).Agreement.ClientMaxWindowBits.Should().Be(bits);
    }

    [TestCase(9)]
    [TestCase(10)]
    public void CheckResponse_ClientWindowAtMostOffered_Accepted(int bits)
    {
        var offer = new DeflateOffer(ClientMaxWindowBits: ClientWindowBitsOffer.Of(10));

        Accepted($"permessage-deflate; client_max_window_bits={bits}", offer).Agreement.ClientMaxWindowBits.Should().Be(bits);
    }

    [Test]
    public void CheckResponse_AllParameters_AgreementCarriesEach()
    {
        const string response =
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=11";

        Accepted(response, DeflateOffer.Autobahn(true, 9)).Agreement.Should().Be(new DeflateAgreement(true, true, 9, 11, response));
    }

    // ---- client side: every Invalid rule -----------------------------------------------------------------------------

    [TestCase("permessage-deflate; =10", "=10", "RFC 6455 §9.1")]
    [TestCase("permessage-deflate; server_max_window_bits=\"10", "server_max_window_bits", "RFC 6455 §9.1")]
    [TestCase("permessage-deflate, permessage-deflate; server_no_context_takeover", "permessage-deflate twice", "RFC 7692 §5")]
    [TestCase("permessage-deflate; foo", "\"foo\"", "RFC 7692 §7")]
    [TestCase("permessage-deflate; x-server_max_window_bits=10", "x-server_max_window_bits", "RFC 7692 §7")]
    [TestCase("permessage-deflate; server_no_context_takeover; server_no_context_takeover", "server_no_context_takeover more than once", "RFC 7692 §7")]
    [TestCase("permessage-deflate; client_no_context_takeover; CLIENT_NO_CONTEXT_TAKEOVER", "client_no_context_takeover more than once", "RFC 7692 §7")]
    [TestCase("permessage-deflate; server_max_window_bits=10; server_max_window_bits=10", "server_max_window_bits more than once", "RFC 7692 §7")]
    [TestCase("permessage-deflate; client_max_window_bits=10; client_max_window_bits=9", "client_max_window_bits more than once", "RFC 7692 §7")]
    [TestCase("permessage-deflate; server_no_context_takeover=1", "server_no_context_takeover", "RFC 7692 §7.1.1.1")]
    [TestCase("permessage-deflate; client_no_context_takeover=true", "client_no_context_takeover", "RFC 7692 §7.1.1.2")]
    [TestCase("permessage-deflate; server_max_window_bits", "server_max_window_bits without a value", "RFC 7692 §7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=7", "server_max_window_bits the value \"7\"", "RFC 7692 §7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=16", "server_max_window_bits the value \"16\"", "RFC 7692 §7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=09", "server_max_window_bits the value \"09\"", "RFC 7692 §7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=010", "server_max_window_bits the value \"010\"", "RFC 7692 §7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=\"010\"", "server_max_window_bits the value \"010\"", "RFC 7692 §7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=+9", "server_max_window_bits the value \"+9\"", "RFC 7692 §7.1.2.1")]
    [TestCase("permessage-deflate; server_max_window_bits=ten", "server_max_window_bits the value \"ten\"", "RFC 7692 §7.1.2.1")]
    [TestCase("permessage-deflate; client_max_window_bits", "client_max_window_bits without a value", "RFC 7692 §7.1.2.2")]
    [TestCase("permessage-deflate; client_max_window_bits=16", "client_max_window_bits the value \"16\"", "RFC 7692 §7.1.2.2")]
    [TestCase("permessage-deflate; client_max_window_bits=\"08\"", "client_max_window_bits the value \"08\"", "RFC 7692 §7.1.2.2")]
    public void CheckResponse_BrokenResponse_InvalidNamingParameter(string response, string mentioned, string section)
    {
        // Fallback offers client_max_window_bits, so only the response's own fault can make it invalid.
        DeflateResponseCheck.Invalid invalid = Invalid(response, Fallback);

        invalid.Reason.Should().Contain(mentioned);
        invalid.RfcSection.Should().Be(section);
    }

    [Test]
    public void CheckResponse_ClientWindowNotOffered_Invalid()
    {
        var offer = new DeflateOffer(ServerNoContextTakeover: true, ClientNoContextTakeover: true);

        DeflateResponseCheck.Invalid invalid = Invalid("permessage-deflate; server_no_context_takeover; client_max_window_bits=12", offer);

        invalid.Reason.Should().Be(
            "the response sets client_max_window_bits=12, but the offer did not include client_max_window_bits");
        invalid.RfcSection.Should().Be("RFC 7692 §7.1.2.2");
    }

    [Test]
    public void CheckResponse_ClientWindowAboveOffered_Invalid()
    {
        var offer = new DeflateOffer(ClientMaxWindowBits: ClientWindowBitsOffer.Of(10));

        DeflateResponseCheck.Invalid invalid = Invalid("permessage-deflate; client_max_window_bits=11", offer);

        invalid.Reason.Should().Contain("client_max_window_bits=11").And.Contain("10");
        invalid.RfcSection.Should().Be("RFC 7692 §7.1.2.2");
    }

    [Test]
    public void CheckResponse_RequestedServerWindowMissing_Invalid()
    {
        DeflateResponseCheck.Invalid invalid = Invalid("permessage-deflate", SmallServerWindow);

        invalid.Reason.Should().Contain("server_max_window_bits=10").And.Contain("omits");
        invalid.RfcSection.Should().Be("RFC 7692 §7.1.2.1");
    }

    [Test]
    public void CheckResponse_ServerWindowAboveRequested_Invalid()
    {
        DeflateResponseCheck.Invalid invalid = Invalid("permessage-deflate; server_max_window_bits=11", SmallServerWindow);

        invalid.Reason.Should().Contain("server_max_window_bits=11").And.Contain("10");
        invalid.RfcSection.Should().Be("RFC 7692 §7.1.2.1");
    }

    [Test]
    public void CheckResponse_RequestedServerNoContextTakeoverMissing_Invalid()
    {
        DeflateResponseCheck.Invalid invalid = Invalid("permessage-deflate; client_no_context_takeover", DeflateOffer.Autobahn(true));

        invalid.Reason.Should().Contain("server_no_context_takeover");
        invalid.RfcSection.Should().Be("RFC 7692 §7.1.1.1");
    }

    [Test]
    public void CheckResponse_NothingOffered_Invalid()
    {
        DeflateNegotiation.CheckResponse([], ["permessage-deflate"]).Should().BeOfType<DeflateResponseCheck.Invalid>()
            .Which.RfcSection.Should().Be("RFC 6455 §4.1");
    }

    // ---- client side: several offers (Autobahn 13.7) -----------------------------------------------------------------

    [Test]
    public void Render_Case13_7_ThreeOffersInOneHeader()
    {
        Header(Case13_7).Should().Be(
            "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9, " +
            "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover, " +
            "permessage-deflate; client_no_context_takeover; client_max_window_bits");
    }

    [TestCase("permessage-deflate; server_no_context_takeover; server_max_window_bits=9", 0)]
    [TestCase("permessage-deflate; server_no_context_takeover; server_max_window_bits=8", 0)]
    [TestCase("permessage-deflate; server_no_context_takeover", 1)]
    [TestCase("permessage-deflate; server_no_context_takeover; server_max_window_bits=10", 1)]
    [TestCase("permessage-deflate; client_no_context_takeover; server_no_context_takeover", 1)]
    [TestCase("permessage-deflate; client_no_context_takeover", 2)]
    [TestCase("permessage-deflate", 2)]
    [TestCase("permessage-deflate; client_max_window_bits=9", 2)]
    [TestCase("permessage-deflate; server_max_window_bits=9", 2)]
    public void CheckResponse_Case13_7_FirstFittingOfferTaken(string response, int offerIndex)
    {
        Accepted(response, Case13_7).OfferIndex.Should().Be(offerIndex);
    }

    [Test]
    public void CheckResponse_FitsNoneOfSeveral_InvalidAgainstFirst()
    {
        DeflateResponseCheck.Invalid invalid = Invalid(
            "permessage-deflate; server_max_window_bits=12",
            new DeflateOffer(ServerNoContextTakeover: true),
            SmallServerWindow);

        invalid.Reason.Should().StartWith("the response fits none of the 2 permessage-deflate offers")
            .And.Contain("server_no_context_takeover");
        invalid.RfcSection.Should().Be("RFC 7692 §7.1.1.1");
    }

    [Test]
    public void CheckResponse_InvalidParameterWithSeveralOffers_InvalidWhateverTheOffers()
    {
        Invalid("permessage-deflate; server_max_window_bits=99", Case13_7).RfcSection.Should().Be("RFC 7692 §7.1.2.1");
    }

    // ---- server side -------------------------------------------------------------------------------------------------

    [Test]
    public void Accept_Case13_7Defaults_FirstOfferAsIs()
    {
        DeflateAcceptance acceptance = AcceptOf(Header(Case13_7));

        acceptance.OfferIndex.Should().Be(0);
        acceptance.Offer.Should().Be(Case13_7[0]);
        acceptance.Response.Should().Be(
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9");
        acceptance.Agreement.Should().Be(new DeflateAgreement(true, true, 9, 15, acceptance.Response));
    }

    [Test]
    public void Accept_Case13_7ServerCannotUseWindow9_SecondOffer()
    {
        DeflateAcceptance acceptance = AcceptOf(Header(Case13_7), new DeflateServerPolicy { MinServerMaxWindowBits = 10 });

        acceptance.OfferIndex.Should().Be(1);
        acceptance.Response.Should().Be("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    }

    [TestCase("permessage-deflate; foo, permessage-deflate; server_no_context_takeover")]
    [TestCase("permessage-deflate; foo=1, permessage-deflate; server_no_context_takeover")]
    [TestCase("permessage-deflate; server_no_context_takeover; server_no_context_takeover, permessage-deflate; server_no_context_takeover")]
    [TestCase("permessage-deflate; server_no_context_takeover=1, permessage-deflate; server_no_context_takeover")]
    [TestCase("permessage-deflate; client_no_context_takeover=\"x\", permessage-deflate; server_no_context_takeover")]
    [TestCase("permessage-deflate; server_max_window_bits, permessage-deflate; server_no_context_takeover")]
    [TestCase("permessage-deflate; server_max_window_bits=08, permessage-deflate; server_no_context_takeover")]
    [TestCase("permessage-deflate; client_max_window_bits=16, permessage-deflate; server_no_context_takeover")]
    [TestCase("permessage-deflate; client_max_window_bits=\"010\", permessage-deflate; server_no_context_takeover")]
    public void Accept_BrokenFirstOffer_DeclinedAndNextTaken(string offers)
    {
        DeflateAcceptance acceptance = AcceptOf(offers);

        acceptance.OfferIndex.Should().Be(1);
        acceptance.Response.Should().Be("permessage-deflate; server_no_context_takeover");
    }

    [Test]
    public void Accept_IndexCountsOnlyDeflateElements()
    {
        AcceptOf("x-foo, permessage-deflate; bad, x-bar, permessage-deflate").OfferIndex.Should().Be(1);
    }

    [TestCase("")]
    [TestCase("x-webkit-deflate-frame")]
    [TestCase("permessage-deflate; foo")]
    [TestCase("permessage-deflate; client_max_window_bits=7, permessage-deflate; mux")]
    [TestCase("permessage-deflate; ")]
    [TestCase("permessage-deflate, x-foo;")]
    public void Accept_NothingAcceptable_Null(string offers)
    {
        DeflateNegotiation.Accept([offers], DeflateServerPolicy.Default).Should().BeNull();
    }

    [Test]
    public void Accept_ValuelessClientWindowInOffer_ValidAndNotEchoed()
    {
        AcceptOf("permessage-deflate; client_max_window_bits").Response.Should().Be("permessage-deflate");
    }

    [Test]
    public void Accept_ClientWindowValueInOffer_EchoedSoAgreementMatchesClient()
    {
        DeflateAcceptance acceptance = AcceptOf("permessage-deflate; client_max_window_bits=11");

        acceptance.Response.Should().Be("permessage-deflate; client_max_window_bits=11");
        acceptance.Agreement.ClientMaxWindowBits.Should().Be(11);
    }

    [Test]
    public void Accept_PolicyNoContextTakeover_BothAddedUnrequested()
    {
        var policy = new DeflateServerPolicy { ServerNoContextTakeover = true, ClientNoContextTakeover = true };

        AcceptOf("permessage-deflate", policy).Response.Should().Be(
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    }

    [TestCase("permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10")]
    [TestCase("permessage-deflate; server_max_window_bits=14", "permessage-deflate; server_max_window_bits=12")]
    [TestCase("permessage-deflate", "permessage-deflate; server_max_window_bits=12")]
    public void Accept_PolicyServerWindow_SmallerOfOfferAndPolicy(string offer, string response)
    {
        AcceptOf(offer, new DeflateServerPolicy { ServerMaxWindowBits = 12 }).Response.Should().Be(response);
    }

    [TestCase("permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=10")]
    [TestCase("permessage-deflate; client_max_window_bits=9", "permessage-deflate; client_max_window_bits=9")]
    [TestCase("permessage-deflate; client_max_window_bits=12", "permessage-deflate; client_max_window_bits=10")]
    [TestCase("permessage-deflate", "permessage-deflate")]
    public void Accept_PolicyClientWindow_OnlyWhereOfferAllows(string offer, string response)
    {
        AcceptOf(offer, new DeflateServerPolicy { ClientMaxWindowBits = 10 }).Response.Should().Be(response);
    }

    [Test]
    public void Accept_PolicyRequiresClientWindow_OfferWithoutItDeclined()
    {
        var policy = new DeflateServerPolicy { ClientMaxWindowBits = 10, RequireClientMaxWindowBits = true };

        DeflateNegotiation.Accept(["permessage-deflate"], policy).Should().BeNull();
        DeflateAcceptance acceptance = AcceptOf("permessage-deflate, permessage-deflate; client_max_window_bits", policy);
        acceptance.OfferIndex.Should().Be(1);
        acceptance.Response.Should().Be("permessage-deflate; client_max_window_bits=10");
    }

    [Test]
    public void Accept_EveryParameter_StableOrder()
    {
        var policy = new DeflateServerPolicy { ClientNoContextTakeover = true, ClientMaxWindowBits = 9 };

        AcceptOf("permessage-deflate; client_max_window_bits; server_max_window_bits=11; server_no_context_takeover", policy)
            .Response.Should().Be(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=11; client_max_window_bits=9");
    }

    [Test]
    public void Accept_QuotedAndMixedCaseOffer_Understood()
    {
        AcceptOf("PerMessage-Deflate; SERVER_MAX_WINDOW_BITS=\"10\"").Response.Should().Be("permessage-deflate; server_max_window_bits=10");
    }

    [TestCase(7, null)]
    [TestCase(16, null)]
    [TestCase(null, 7)]
    [TestCase(null, 16)]
    public void Accept_PolicyWindowOutOfRange_Throws(int? serverBits, int? clientBits)
    {
        var policy = new DeflateServerPolicy { ServerMaxWindowBits = serverBits, ClientMaxWindowBits = clientBits };

        Action act = () => DeflateNegotiation.Accept(["permessage-deflate"], policy);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void Accept_PolicyInconsistent_Throws()
    {
        Action requireWithoutValue = () =>
            DeflateNegotiation.Accept(["permessage-deflate"], new DeflateServerPolicy { RequireClientMaxWindowBits = true });
        Action windowBelowMinimum = () =>
            DeflateNegotiation.Accept(["permessage-deflate"], new DeflateServerPolicy { ServerMaxWindowBits = 9, MinServerMaxWindowBits = 10 });

        requireWithoutValue.Should().Throw<ArgumentException>();
        windowBelowMinimum.Should().Throw<ArgumentException>();
    }

    // ---- round trip --------------------------------------------------------------------------------------------------

    private static IEnumerable<TestCaseData> RoundTrips()
    {
        DeflateServerPolicy[] policies =
        [
            DeflateServerPolicy.Default,
            new() { ServerNoContextTakeover = true },
            new() { ClientNoContextTakeover = true, ServerMaxWindowBits = 12 },
            new() { ClientMaxWindowBits = 10 },
            new() { ClientMaxWindowBits = 9, RequireClientMaxWindowBits = true, MinServerMaxWindowBits = 10 },
        ];
        DeflateOffer[][] offerLists =
        [
            [new DeflateOffer()],
            [SmallServerWindow, Fallback],
            Case13_7,
            [new DeflateOffer(ServerMaxWindowBits: 8), new DeflateOffer(true, true, 11, ClientWindowBitsOffer.Of(12)), DeflateOffer.Autobahn()],
        ];

        for (int p = 0; p < policies.Length; p++)
        {
            for (int o = 0; o < offerLists.Length; o++)
            {
                yield return new TestCaseData(offerLists[o], policies[p]).SetArgDisplayNames($"offers{o}", $"policy{p}");
            }
        }
    }

    [TestCaseSource(nameof(RoundTrips))]
    public void Accept_ThenCheckResponse_SameAgreementAndOffer(DeflateOffer[] offers, DeflateServerPolicy policy)
    {
        DeflateAcceptance? acceptance = DeflateNegotiation.Accept([Header(offers)], policy);
        if (acceptance is null)
        {
            // Only the policy that requires client_max_window_bits may decline all of the plain offer.
            policy.RequireClientMaxWindowBits.Should().BeTrue();
            return;
        }

        acceptance.Offer.Should().Be(offers[acceptance.OfferIndex]);
        Accepted(acceptance.Response, offers).Should().Be(new DeflateResponseCheck.Accepted(acceptance.Agreement, acceptance.OfferIndex));
    }
}
