using Wsconform.Engine.Scripting;

namespace Wsconform.Engine.Serving;

/// <summary>
/// Which cases make sense with the harness as the server (testing a client). A case's script is written for the
/// harness's side of the connection and runs in either role, except where the case is about a server or depends on
/// what only a client sends:
/// <list type="bullet">
/// <item>cases with a <see cref="ConformanceCase.Handshake"/> probe (category 0) shape the client's upgrade request and
/// judge a server's answer;</item>
/// <item>cases that force the masking of a frame (14.1.x: an unmasked client frame, a client masking key of all zeros or
/// all ones) test how a server treats a client's masking; sent by a server they test nothing, or the opposite rule.</item>
/// </list>
/// </summary>
public static class ServeSelection
{
    /// <summary>Why <paramref name="conformanceCase"/> does not apply in serve mode, or null when it does.</summary>
    public static string? NotApplicableReason(ConformanceCase conformanceCase)
    {
        ArgumentNullException.ThrowIfNull(conformanceCase);
        if (conformanceCase.Handshake is not null)
            return "it tests a server's opening handshake";
        if (conformanceCase.Script.OfType<SendFrame>().Any(s => s.Frame.Masked is not null || s.Frame.MaskKey is not null))
            return "it tests how a server treats a client's masking";
        return null;
    }

    /// <summary>Splits a selection into the cases serve mode runs (numeric ID order) and the ones it leaves out, with why.</summary>
    public static (IReadOnlyList<ConformanceCase> Applicable, IReadOnlyList<(ConformanceCase Case, string Reason)> LeftOut) Split(
        IEnumerable<ConformanceCase> selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var applicable = new List<ConformanceCase>();
        var leftOut = new List<(ConformanceCase, string)>();
        foreach (var c in selection.OrderBy(c => c.Id, CaseIds.NumericOrder))
        {
            if (NotApplicableReason(c) is { } reason) leftOut.Add((c, reason));
            else applicable.Add(c);
        }
        return (applicable, leftOut);
    }
}
