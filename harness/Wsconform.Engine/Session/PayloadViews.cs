using System.Security.Cryptography;
using System.Text.Unicode;
using Wsconform.Model;

namespace Wsconform.Engine.Session;

/// <summary>Turns payload octets into the short, safe-to-store <see cref="PayloadView"/> that reports show.</summary>
public static class PayloadViews
{
    /// <summary>Octets shown in a preview, as Autobahn's reports do (first 64 octets, then " ...").</summary>
    public const int PreviewLength = 64;

    /// <param name="hash">Add a SHA-256 of the whole payload when it is longer than the preview, so long payloads can still be told apart.</param>
    /// <param name="asHex">Always show hex (raw socket octets), never decoded text.</param>
    public static PayloadView Create(ReadOnlySpan<byte> payload, bool hash = true, bool asHex = false)
    {
        string? sha = payload.Length > PreviewLength && hash ? Convert.ToHexStringLower(SHA256.HashData(payload)) : null;
        return ForPrefix(payload[..Math.Min(payload.Length, PreviewLength)], payload.Length, asHex) with { Sha256 = sha };
    }

    /// <summary>A view of a payload of <paramref name="totalLength"/> octets of which only the first ones are at hand (generated payloads).</summary>
    public static PayloadView ForPrefix(ReadOnlySpan<byte> prefix, long totalLength, bool asHex = false)
    {
        var cut = totalLength > prefix.Length;
        var head = prefix[..Math.Min(prefix.Length, PreviewLength)];
        var suffix = cut ? " ..." : "";
        if (!asHex && TryDecodeText(head, cut, out var text)) return new PayloadView(totalLength, text + suffix, true);
        return new PayloadView(totalLength, (head.Length == 0 ? "" : "0x" + Convert.ToHexStringLower(head)) + suffix, false);
    }

    /// <summary>Decodes valid UTF-8; a preview cut inside a code point drops the partial sequence at the end.</summary>
    private static bool TryDecodeText(ReadOnlySpan<byte> head, bool cut, out string text)
    {
        text = "";
        var candidate = head;
        if (cut)
        {
            // Walk back over at most 3 octets of an incomplete trailing sequence.
            for (var back = 0; back < 3 && candidate.Length > 0 && !Utf8.IsValid(candidate); back++) candidate = candidate[..^1];
        }
        if (!Utf8.IsValid(candidate)) return false;
        foreach (var b in candidate)
        {
            // Control characters other than tab/newline make text unreadable; show hex instead.
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D)) return false;
        }
        text = System.Text.Encoding.UTF8.GetString(candidate);
        return true;
    }
}
