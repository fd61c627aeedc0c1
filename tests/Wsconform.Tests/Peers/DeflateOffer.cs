namespace Wsconform.Tests.Peers;

/// <summary>The parameter rules of a permessage-deflate offer (RFC 7692 §7.1), for a server that declines or refuses bad offers.</summary>
public static class DeflateOffer
{
    /// <summary>
    /// True when <paramref name="offer"/> (one element of Sec-WebSocket-Extensions) is a permessage-deflate offer a server
    /// must decline (RFC 7692 §5): an unknown parameter, a parameter given twice, a value on a valueless parameter, or a
    /// window size that is not 8–15 written without leading zeros (§7.1.2.1, §7.1.2.2). Other extensions: false.
    /// </summary>
    public static bool IsInvalid(string offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var parts = offer.Split(';').Select(p => p.Trim()).ToArray();
        if (!parts[0].Equals("permessage-deflate", StringComparison.OrdinalIgnoreCase)) return false;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.Skip(1))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? part : part[..equals]).Trim();
            var value = equals < 0 ? null : Unquote(part[(equals + 1)..].Trim());
            if (!seen.Add(name)) return true;
            var valid = name.ToLowerInvariant() switch
            {
                "server_no_context_takeover" or "client_no_context_takeover" => value is null,
                "server_max_window_bits" => value is not null && IsWindowBits(value),
                // §7.1.2.2: valueless in an offer means "I support it".
                "client_max_window_bits" => value is null || IsWindowBits(value),
                _ => false,
            };
            if (!valid) return true;
        }
        return false;
    }

    /// <summary>8–15 in decimal, no leading zeros (RFC 7692 §7.1.2.1 ABNF: %x38-39 / "1" %x30-35).</summary>
    private static bool IsWindowBits(string value) => value is "8" or "9" or "10" or "11" or "12" or "13" or "14" or "15";

    /// <summary>A quoted-string value is its content (RFC 7692 §5.1 allows either form).</summary>
    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
}
