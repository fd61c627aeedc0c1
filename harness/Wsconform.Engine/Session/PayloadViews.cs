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
        var cut = payload.Length > PreviewLength;
        var head = cut ? payload[..PreviewLength] : payload;
        var suffix = cut ? " ..." : "";
        string? sha = cut && hash ? Convert.ToHexStringLower(SHA256.HashData(payload)) : null;
        if (!asHex && TryDecodeText(head, cut, out var text)) return new PayloadView(payload.Length, text + suffix, true, sha);
        return new PayloadView(payload.Length, (head.Length == 0 ? "" : "0x" + Convert.ToHexStringLower(head)) + suffix, false, sha);
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
