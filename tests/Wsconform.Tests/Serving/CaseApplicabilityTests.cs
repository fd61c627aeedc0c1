using Wsconform.Cases;
using Wsconform.Engine.Running;
using Wsconform.Engine.Scripting;
using Wsconform.Wire.Deflate;

namespace Wsconform.Tests.Serving;

/// <summary>Which cases apply to clients and which to servers, and how serve mode negotiates permessage-deflate as the server.</summary>
[TestFixture]
public sealed class CaseApplicabilityTests
{
    private static bool IsServerHandshake(string id) => id.StartsWith("0.", StringComparison.Ordinal) && !IsClientHandshake(id);
    private static bool IsClientHandshake(string id) => id.StartsWith("0.8.", StringComparison.Ordinal) || id.StartsWith("0.9.", StringComparison.Ordinal);

    [Test]
    public void ForClients_ServerHandshakeAndClientMaskingCases_AreLeftOut_EverythingElseRuns()
    {
        var (applicable, leftOut) = CaseApplicability.Split(Catalogue.All, PeerKind.Client);
        leftOut.Select(l => l.Case.Id).Should().BeEquivalentTo(
            Catalogue.All.Where(c => IsServerHandshake(c.Id) || c.Id.StartsWith("14.1.", StringComparison.Ordinal)).Select(c => c.Id));
        leftOut.Where(l => l.Case.Id.StartsWith("0.", StringComparison.Ordinal)).Should().OnlyContain(l => l.Reason.Contains("a server's opening handshake"));
        leftOut.Where(l => l.Case.Id.StartsWith("14.1.", StringComparison.Ordinal)).Should().OnlyContain(l => l.Reason.Contains("masking"));
        applicable.Should().HaveCount(Catalogue.All.Count - leftOut.Count);
        applicable.Select(c => c.Id).Should().Contain(["0.8.1", "0.9.1", "1.1.1", "9.1.1", "12.1.1", "13.7.18", "14.2.1", "15.4.1"]);
    }

    [Test]
    public void ForServers_OnlyTheClientHandshakeCasesAreLeftOut()
    {
        var (applicable, leftOut) = CaseApplicability.Split(Catalogue.All, PeerKind.Server);
        leftOut.Select(l => l.Case.Id).Should().BeEquivalentTo(Catalogue.All.Where(c => IsClientHandshake(c.Id)).Select(c => c.Id)).And.NotBeEmpty();
        leftOut.Should().OnlyContain(l => l.Reason.Contains("a client's opening handshake"));
        applicable.Select(c => c.Id).Should().Contain(["0.1.1", "0.7.2", "1.1.1", "14.1.1", "15.4.1"]);
        Catalogue.ForServers.Select(c => c.Id).Should().Equal(applicable.Select(c => c.Id));
        Catalogue.ForClients.Select(c => c.Id).Should().Equal(CaseApplicability.Split(Catalogue.All, PeerKind.Client).Applicable.Select(c => c.Id));
    }

    [Test]
    public void DefaultOffer_AcceptsTheClientsFirstValidOfferAsItStands()
    {
        var acceptance = ServerCaseRunner.AcceptMirrored([DeflateOffer.Autobahn()], ["permessage-deflate; client_max_window_bits"]);
        acceptance.Should().NotBeNull();
        acceptance!.Response.Should().Be("permessage-deflate");
        ServerCaseRunner.MirroredPolicies([DeflateOffer.Autobahn()]).Should().Equal(DeflateServerPolicy.Default);
    }

    [Test]
    public void Category13Offers_BecomeRequirementsOnTheClientsCompressor()
    {
        // 13.5: (no context takeover, window 9) asked of the server when testing servers; asked of the client here.
        var offers = new[] { DeflateOffer.Autobahn(serverNoContextTakeover: true, serverMaxWindowBits: 9) };
        ServerCaseRunner.AcceptMirrored(offers, ["permessage-deflate; client_max_window_bits"])!.Response
            .Should().Be("permessage-deflate; client_no_context_takeover; client_max_window_bits=9");
        // Without client_max_window_bits in the offer the window cannot be asked for (RFC 7692 §7.1.2.2): no acceptance.
        ServerCaseRunner.AcceptMirrored(offers, ["permessage-deflate"]).Should().BeNull();
        ServerCaseRunner.AcceptMirrored(offers, []).Should().BeNull();
    }

    [Test]
    public void SeveralCaseOffers_TheFirstTheClientCanMeetWins()
    {
        // 13.7: (true, 9), (true, 0), (false, 0).
        DeflateOffer[] offers = [DeflateOffer.Autobahn(true, 9), DeflateOffer.Autobahn(true), DeflateOffer.Autobahn()];
        ServerCaseRunner.AcceptMirrored(offers, ["permessage-deflate"])!.Response.Should().Be("permessage-deflate; client_no_context_takeover");
    }
}
