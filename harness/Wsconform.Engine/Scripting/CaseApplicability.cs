namespace Wsconform.Engine.Scripting;

/// <summary>The kind of peer under test: a server (<c>wsconform run</c>) or a client (<c>wsconform serve</c>, <c>run-client</c>).</summary>
public enum PeerKind
{
    Server,
    Client,
}

/// <summary>
/// Which cases make sense against which kind of peer. A case's script is written for the harness's side of the
/// connection and runs in either role, except where the case is about one side only:
/// <list type="bullet">
/// <item>cases with a <see cref="ConformanceCase.Handshake"/> probe (category 0, 0.1–0.7) shape the harness's upgrade
/// request and judge a server's answer: servers only;</item>
/// <item>cases that force the masking of a frame (14.1.x: an unmasked client frame, a client masking key of all zeros or
/// all ones) test how a server treats a client's masking; sent by a server they test nothing, or the opposite rule:
/// servers only;</item>
/// <item>cases with a <see cref="ConformanceCase.ClientHandshake"/> check (0.8, 0.9) judge a client's upgrade request or
/// its treatment of a broken 101: clients only.</item>
/// </list>
/// </summary>
public static class CaseApplicability
{
    /// <summary>Why <paramref name="conformanceCase"/> does not apply to a <paramref name="peer"/>, or null when it does.</summary>
    public static string? NotApplicableReason(ConformanceCase conformanceCase, PeerKind peer)
    {
        ArgumentNullException.ThrowIfNull(conformanceCase);
        return peer switch
        {
            PeerKind.Client when conformanceCase.Handshake is not null => "it tests a server's opening handshake",
            PeerKind.Client when conformanceCase.Script.OfType<SendFrame>().Any(s => s.Frame.Masked is not null || s.Frame.MaskKey is not null)
                => "it tests how a server treats a client's masking",
            PeerKind.Server when conformanceCase.ClientHandshake is not null => "it tests a client's opening handshake",
            _ => null,
        };
    }

    /// <summary>True when the case applies to a <paramref name="peer"/>.</summary>
    public static bool AppliesTo(ConformanceCase conformanceCase, PeerKind peer) => NotApplicableReason(conformanceCase, peer) is null;

    /// <summary>
    /// Splits a selection into the cases that apply to a <paramref name="peer"/> (numeric ID order) and the ones left out,
    /// with why.
    /// </summary>
    public static (IReadOnlyList<ConformanceCase> Applicable, IReadOnlyList<(ConformanceCase Case, string Reason)> LeftOut) Split(
        IEnumerable<ConformanceCase> selection, PeerKind peer)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var applicable = new List<ConformanceCase>();
        var leftOut = new List<(ConformanceCase, string)>();
        foreach (var c in selection.OrderBy(c => c.Id, CaseIds.NumericOrder))
        {
            if (NotApplicableReason(c, peer) is { } reason) leftOut.Add((c, reason));
            else applicable.Add(c);
        }
        return (applicable, leftOut);
    }
}
