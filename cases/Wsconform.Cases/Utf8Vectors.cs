namespace Wsconform.Cases;

/// <summary>
/// The single-frame UTF-8 vectors of Autobahn groups 6.5–6.23 (132 cases: 63 valid, 69 invalid), derived from Markus
/// Kuhn's UTF-8 decoder stress test. Each row is one case: its full ID, the payload octets in hex exactly as sent,
/// whether the payload is valid UTF-8, and where a strict incremental validator first knows it is not.
/// Group titles are Autobahn's, as printed in its reports. Upstream quirks are kept on purpose: 6.12.8 stops at 0xBE
/// (0xBF is left out) and the 6.13 ranges stop one lead octet short (C0–DE, E0–EE, F0–F6, F8–FA, FC).
/// </summary>
public static class Utf8Vectors
{
    /// <summary>
    /// One vector. <paramref name="RejectsAt"/> is the index of the first octet at which a strict RFC 3629 validator
    /// fed octet by octet knows the message is invalid (the fail-fast point); null for valid payloads and for invalid
    /// ones that are a valid prefix and only fail because the message ends inside a code point.
    /// </summary>
    public sealed record Vector(string Id, string Hex, bool IsValid, int? RejectsAt)
    {
        /// <summary>The payload octets (a fresh decode; the catalogue keeps its own copy).</summary>
        public ReadOnlyMemory<byte> Octets => Convert.FromHexString(Hex);
    }

    /// <summary>One Autobahn sub-category: ID prefix ("6.5"), report title, what it checks in our words, and its rows.</summary>
    public sealed record Group(string Prefix, string Title, string About, IReadOnlyList<Vector> Vectors);

    private static Vector Valid(string id, string hex) => new(id, hex, IsValid: true, RejectsAt: null);

    /// <summary>Invalid; a strict validator rejects the octet at index <paramref name="rejectsAt"/>.</summary>
    private static Vector Invalid(string id, string hex, int rejectsAt) => new(id, hex, IsValid: false, rejectsAt);

    /// <summary>Invalid only because the message ends inside a code point: every octet is a valid prefix ("end of message").</summary>
    private static Vector Truncated(string id, string hex) => new(id, hex, IsValid: false, RejectsAt: null);

    public static IReadOnlyList<Group> Groups { get; } =
    [
        new("6.5", "Some valid UTF-8 sequences",
            "Well-formed UTF-8 built from 1-, 2-, 3- and 4-octet sequences is valid text; the receiver must accept it and deliver it unchanged.",
            [
                Valid("6.5.1", "68656c6c6f24776f726c64"),
                Valid("6.5.2", "68656c6c6fc2a2776f726c64"),
                Valid("6.5.3", "68656c6c6fe282ac776f726c64"),
                Valid("6.5.4", "68656c6c6ff0a4ada2776f726c64"),
                Valid("6.5.5", "cebae1bdb9cf83cebcceb5"),
            ]),
        new("6.6", "All prefixes of a valid UTF-8 string that contains multi-byte code points",
            "A text message must be valid UTF-8 as a whole: a message that stops inside a multi-octet sequence is invalid, while every prefix that ends on a code-point boundary is valid.",
            [
                Truncated("6.6.1", "ce"),
                Valid("6.6.2", "ceba"),
                Truncated("6.6.3", "cebae1"),
                Truncated("6.6.4", "cebae1bd"),
                Valid("6.6.5", "cebae1bdb9"),
                Truncated("6.6.6", "cebae1bdb9cf"),
                Valid("6.6.7", "cebae1bdb9cf83"),
                Truncated("6.6.8", "cebae1bdb9cf83ce"),
                Valid("6.6.9", "cebae1bdb9cf83cebc"),
                Truncated("6.6.10", "cebae1bdb9cf83cebcce"),
                Valid("6.6.11", "cebae1bdb9cf83cebcceb5"),
            ]),
        new("6.7", "First possible sequence of a certain length",
            "The smallest code point of each sequence length (U+0000, U+0080, U+0800, U+10000) is well-formed UTF-8 and must be accepted.",
            [
                Valid("6.7.1", "00"),
                Valid("6.7.2", "c280"),
                Valid("6.7.3", "e0a080"),
                Valid("6.7.4", "f0908080"),
            ]),
        new("6.8", "First possible sequence length 5/6 (invalid codepoints)",
            "UTF-8 has no 5- or 6-octet sequences (lead octets F8-FD, removed by RFC 3629); a message containing one is invalid.",
            [
                Invalid("6.8.1", "f888808080", 0),
                Invalid("6.8.2", "fc8480808080", 0),
            ]),
        new("6.9", "Last possible sequence of a certain length",
            "The largest code point of each sequence length (U+007F, U+07FF, U+FFFF, U+10FFFF) is well-formed UTF-8 and must be accepted.",
            [
                Valid("6.9.1", "7f"),
                Valid("6.9.2", "dfbf"),
                Valid("6.9.3", "efbfbf"),
                Valid("6.9.4", "f48fbfbf"),
            ]),
        new("6.10", "Last possible sequence length 4/5/6 (invalid codepoints)",
            "Sequences that would encode code points above U+10FFFF (a 4-octet form led by F7, and the 5- and 6-octet forms) are not UTF-8; a message containing one is invalid.",
            [
                Invalid("6.10.1", "f7bfbfbf", 0),
                Invalid("6.10.2", "fbbfbfbfbf", 0),
                Invalid("6.10.3", "fdbfbfbfbfbf", 0),
            ]),
        new("6.11", "Other boundary conditions",
            "Code points at the edges of the surrogate range and of the code space (U+D7FF, U+E000, U+FFFD, U+10FFFF) are valid; U+110000, one past the last code point, is invalid.",
            [
                Valid("6.11.1", "ed9fbf"),
                Valid("6.11.2", "ee8080"),
                Valid("6.11.3", "efbfbd"),
                Valid("6.11.4", "f48fbfbf"),
                Invalid("6.11.5", "f4908080", 1),
            ]),
        new("6.12", "Unexpected continuation bytes",
            "Continuation octets (80-BF) cannot start a sequence; a message containing continuation octets with no lead octet before them is invalid.",
            [
                Invalid("6.12.1", "80", 0),
                Invalid("6.12.2", "bf", 0),
                Invalid("6.12.3", "80bf", 0),
                Invalid("6.12.4", "80bf80", 0),
                Invalid("6.12.5", "80bf80bf", 0),
                Invalid("6.12.6", "80bf80bf80", 0),
                Invalid("6.12.7", "80bf80bf80bf", 0),
                Invalid("6.12.8", "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbe", 0),
            ]),
        new("6.13", "Lonely start characters",
            "A lead octet must be followed by the right number of continuation octets; a lead octet followed by a space (or an octet that can never lead) is invalid.",
            [
                Invalid("6.13.1", "c020c120c220c320c420c520c620c720c820c920ca20cb20cc20cd20ce20cf20d020d120d220d320d420d520d620d720d820d920da20db20dc20dd20de20", 0),
                Invalid("6.13.2", "e020e120e220e320e420e520e620e720e820e920ea20eb20ec20ed20ee20", 1),
                Invalid("6.13.3", "f020f120f220f320f420f520f620", 1),
                Invalid("6.13.4", "f820f920fa20", 0),
                Invalid("6.13.5", "fc20", 0),
            ]),
        new("6.14", "Sequences with last continuation byte missing",
            "A multi-octet sequence must be complete; a sequence missing its last continuation octet, or led by an octet that can never start a sequence, is invalid, even when the message ends right there.",
            [
                Invalid("6.14.1", "c0", 0),
                Invalid("6.14.2", "e080", 1),
                Invalid("6.14.3", "f08080", 1),
                Invalid("6.14.4", "f8808080", 0),
                Invalid("6.14.5", "fc80808080", 0),
                Truncated("6.14.6", "df"),
                Truncated("6.14.7", "efbf"),
                Invalid("6.14.8", "f7bfbf", 0),
                Invalid("6.14.9", "fbbfbfbf", 0),
                Invalid("6.14.10", "fdbfbfbfbf", 0),
            ]),
        new("6.15", "Concatenation of incomplete sequences",
            "Several incomplete or impossible sequences in a row are invalid; the receiver must reject the message at the first one.",
            [
                Invalid("6.15.1", "c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf", 0),
            ]),
        new("6.16", "Impossible bytes",
            "The octets FE and FF never occur in UTF-8; a message containing them is invalid.",
            [
                Invalid("6.16.1", "fe", 0),
                Invalid("6.16.2", "ff", 0),
                Invalid("6.16.3", "fefeffff", 0),
            ]),
        new("6.17", "Examples of an overlong ASCII character",
            "An overlong form (a code point encoded with more octets than it needs) is invalid; here the ASCII character '/' (U+002F) in 2- to 6-octet forms.",
            [
                Invalid("6.17.1", "c0af", 0),
                Invalid("6.17.2", "e080af", 1),
                Invalid("6.17.3", "f08080af", 1),
                Invalid("6.17.4", "f8808080af", 0),
                Invalid("6.17.5", "fc80808080af", 0),
            ]),
        new("6.18", "Maximum overlong sequences",
            "The largest code point of each length encoded one length too long is an overlong form and invalid.",
            [
                Invalid("6.18.1", "c1bf", 0),
                Invalid("6.18.2", "e09fbf", 1),
                Invalid("6.18.3", "f08fbfbf", 1),
                Invalid("6.18.4", "f887bfbfbf", 0),
                Invalid("6.18.5", "fc83bfbfbfbf", 0),
            ]),
        new("6.19", "Overlong representation of the NUL character",
            "The NUL character U+0000 may only be encoded as the single octet 00; its 2- to 6-octet overlong forms are invalid.",
            [
                Invalid("6.19.1", "c080", 0),
                Invalid("6.19.2", "e08080", 1),
                Invalid("6.19.3", "f0808080", 1),
                Invalid("6.19.4", "f880808080", 0),
                Invalid("6.19.5", "fc8080808080", 0),
            ]),
        new("6.20", "Single UTF-16 surrogates",
            "UTF-16 surrogate code points (U+D800-U+DFFF) must not be encoded in UTF-8 (RFC 3629); a message containing one is invalid.",
            [
                Invalid("6.20.1", "eda080", 1),
                Invalid("6.20.2", "edadbf", 1),
                Invalid("6.20.3", "edae80", 1),
                Invalid("6.20.4", "edafbf", 1),
                Invalid("6.20.5", "edb080", 1),
                Invalid("6.20.6", "edbe80", 1),
                Invalid("6.20.7", "edbfbf", 1),
            ]),
        new("6.21", "Paired UTF-16 surrogates",
            "A high and a low UTF-16 surrogate encoded one after the other are still two forbidden surrogate code points, not one supplementary character; the message is invalid.",
            [
                Invalid("6.21.1", "eda080edb080", 1),
                Invalid("6.21.2", "eda080edbfbf", 1),
                Invalid("6.21.3", "edadbfedb080", 1),
                Invalid("6.21.4", "edadbfedbfbf", 1),
                Invalid("6.21.5", "edae80edb080", 1),
                Invalid("6.21.6", "edae80edbfbf", 1),
                Invalid("6.21.7", "edafbfedb080", 1),
                Invalid("6.21.8", "edafbfedbfbf", 1),
            ]),
        new("6.22", "Non-character code points (valid UTF-8)",
            "Non-characters (U+FFFE, U+FFFF and the last two code points of every plane) are well-formed UTF-8; a WebSocket receiver must accept and deliver them, not reject them.",
            [
                Valid("6.22.1", "efbfbe"),
                Valid("6.22.2", "efbfbf"),
                Valid("6.22.3", "f09fbfbe"),
                Valid("6.22.4", "f09fbfbf"),
                Valid("6.22.5", "f0afbfbe"),
                Valid("6.22.6", "f0afbfbf"),
                Valid("6.22.7", "f0bfbfbe"),
                Valid("6.22.8", "f0bfbfbf"),
                Valid("6.22.9", "f18fbfbe"),
                Valid("6.22.10", "f18fbfbf"),
                Valid("6.22.11", "f19fbfbe"),
                Valid("6.22.12", "f19fbfbf"),
                Valid("6.22.13", "f1afbfbe"),
                Valid("6.22.14", "f1afbfbf"),
                Valid("6.22.15", "f1bfbfbe"),
                Valid("6.22.16", "f1bfbfbf"),
                Valid("6.22.17", "f28fbfbe"),
                Valid("6.22.18", "f28fbfbf"),
                Valid("6.22.19", "f29fbfbe"),
                Valid("6.22.20", "f29fbfbf"),
                Valid("6.22.21", "f2afbfbe"),
                Valid("6.22.22", "f2afbfbf"),
                Valid("6.22.23", "f2bfbfbe"),
                Valid("6.22.24", "f2bfbfbf"),
                Valid("6.22.25", "f38fbfbe"),
                Valid("6.22.26", "f38fbfbf"),
                Valid("6.22.27", "f39fbfbe"),
                Valid("6.22.28", "f39fbfbf"),
                Valid("6.22.29", "f3afbfbe"),
                Valid("6.22.30", "f3afbfbf"),
                Valid("6.22.31", "f3bfbfbe"),
                Valid("6.22.32", "f3bfbfbf"),
                Valid("6.22.33", "f48fbfbe"),
                Valid("6.22.34", "f48fbfbf"),
            ]),
        new("6.23", "Unicode specials (i.e. replacement char)",
            "The Unicode specials U+FFF9-U+FFFF, including the replacement character U+FFFD, are well-formed UTF-8 and must be accepted.",
            [
                Valid("6.23.1", "efbfb9"),
                Valid("6.23.2", "efbfba"),
                Valid("6.23.3", "efbfbb"),
                Valid("6.23.4", "efbfbc"),
                Valid("6.23.5", "efbfbd"),
                Valid("6.23.6", "efbfbe"),
                Valid("6.23.7", "efbfbf"),
            ]),
    ];

    /// <summary>Every vector of every group, in ID order.</summary>
    public static IReadOnlyList<Vector> All { get; } = [.. Groups.SelectMany(g => g.Vectors)];
}
