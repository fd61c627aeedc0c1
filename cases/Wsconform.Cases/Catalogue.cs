using Wsconform.Engine.Scripting;

namespace Wsconform.Cases;

/// <summary>
/// Every case of the catalogue, in numeric ID order (2.10 after 2.9), assembled from the per-category files.
/// Categories 1–7, 9, 10, 12 and 13 reproduce Autobahn|Testsuite with its IDs and verdict rules (517 cases: 301 without
/// compression, 216 permessage-deflate trials); category 0 (opening handshake), category 14 (frame encoding) and
/// category 15 (compression framing) go beyond it. Not every case applies to every peer (<see cref="CaseApplicability"/>):
/// <see cref="ForServers"/> and <see cref="ForClients"/> are the two run lists.
/// </summary>
public static class Catalogue
{
    /// <summary>All cases, sorted with <see cref="CaseIds.NumericOrder"/>.</summary>
    public static IReadOnlyList<ConformanceCase> All { get; } =
    [
        .. new[]
        {
            HandshakeCases.Cases,
            ClientHandshakeCases.Cases,
            Framing.Cases,
            PingsPongs.Cases,
            ReservedBits.Cases,
            Opcodes.Cases,
            Fragmentation.Cases,
            Utf8Handling.Cases,
            CloseHandling.Cases,
            LimitsPerformance.Cases,
            Misc.Cases,
            Compression.Cases,
            FrameEncoding.Cases,
            CompressionFraming.Cases,
        }
        .SelectMany(cases => cases)
        .OrderBy(c => c.Id, CaseIds.NumericOrder),
    ];

    /// <summary>The cases that apply to servers (<c>wsconform run</c>): all but the client handshake cases.</summary>
    public static IReadOnlyList<ConformanceCase> ForServers { get; } = CaseApplicability.Split(All, PeerKind.Server).Applicable;

    /// <summary>The cases that apply to clients (<c>wsconform serve</c>): all but the server handshake and client-masking cases.</summary>
    public static IReadOnlyList<ConformanceCase> ForClients { get; } = CaseApplicability.Split(All, PeerKind.Client).Applicable;

    private static readonly Dictionary<string, ConformanceCase> ById = Index(All);

    /// <summary>The case with ID <paramref name="id"/>; throws <see cref="KeyNotFoundException"/> naming the ID when there is none.</summary>
    public static ConformanceCase Get(string id) =>
        ById.TryGetValue(id, out var found)
            ? found
            : throw new KeyNotFoundException($"No case with ID '{id}' in the catalogue.");

    /// <summary>Looks up <paramref name="id"/> without throwing.</summary>
    public static bool TryGet(string id, out ConformanceCase? found) => ById.TryGetValue(id, out found);

    private static Dictionary<string, ConformanceCase> Index(IReadOnlyList<ConformanceCase> cases)
    {
        var index = new Dictionary<string, ConformanceCase>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            if (!index.TryAdd(c.Id, c)) throw new InvalidOperationException($"Case ID '{c.Id}' appears twice in the catalogue.");
        }
        return index;
    }
}
