namespace Wsconform.Wire.Deflate;

/// <summary>
/// What a server adds to, or requires of, a permessage-deflate offer before accepting it (RFC 7692 §7.1). The defaults
/// accept the first valid offer as it stands: the response grants what the offer asks and repeats what the client
/// announced (<c>client_no_context_takeover</c>, a <c>client_max_window_bits</c> value), so the agreement describes what
/// both sides will actually do.
/// </summary>
public sealed record DeflateServerPolicy
{
    /// <summary>The defaults: accept the first valid offer as is.</summary>
    public static DeflateServerPolicy Default { get; } = new();

    /// <summary>
    /// The server resets its compressor after every message anyway, so it says so even when not asked; RFC 7692
    /// §7.1.1.1 (erratum 4982) lets a server add <c>server_no_context_takeover</c> unrequested.
    /// </summary>
    public bool ServerNoContextTakeover { get; init; }

    /// <summary>Ask the client to reset its compressor per message; a server may add this unrequested (§7.1.1.2).</summary>
    public bool ClientNoContextTakeover { get; init; }

    /// <summary>
    /// The server compressor's window, 8–15, announced in the response (a server may state it unrequested, §7.1.2.1).
    /// When the offer asks for a smaller one, the offer's value is used: a response may only lower it.
    /// </summary>
    public int? ServerMaxWindowBits { get; init; }

    /// <summary>
    /// Smallest window the server's compressor can use. An offer requiring a smaller one is declined, as §7.1.2.1 lets a
    /// server do: zlib cannot make a raw compressor with window 8, so a server built on it sets 9.
    /// </summary>
    public int MinServerMaxWindowBits { get; init; } = DeflateAgreement.MinWindowBits;

    /// <summary>
    /// Ask the client to compress with at most this window, 8–15. A response may carry <c>client_max_window_bits</c>
    /// only when the offer has it (§7.1.2.2), with at most the offered value; an offer without it is accepted without
    /// the limit unless <see cref="RequireClientMaxWindowBits"/> is set.
    /// </summary>
    public int? ClientMaxWindowBits { get; init; }

    /// <summary>Decline offers that cannot carry <see cref="ClientMaxWindowBits"/> (they lack the parameter).</summary>
    public bool RequireClientMaxWindowBits { get; init; }

    /// <summary>Throws when the policy itself is inconsistent: a programming error, unlike anything a peer sends.</summary>
    internal void Validate()
    {
        CheckBits(ServerMaxWindowBits, nameof(ServerMaxWindowBits));
        CheckBits(ClientMaxWindowBits, nameof(ClientMaxWindowBits));
        CheckBits(MinServerMaxWindowBits, nameof(MinServerMaxWindowBits));
        if (ServerMaxWindowBits < MinServerMaxWindowBits)
        {
            throw new ArgumentException(
                $"{nameof(ServerMaxWindowBits)} {ServerMaxWindowBits} is below {nameof(MinServerMaxWindowBits)} {MinServerMaxWindowBits}");
        }

        if (RequireClientMaxWindowBits && ClientMaxWindowBits is null)
        {
            throw new ArgumentException($"{nameof(RequireClientMaxWindowBits)} needs a {nameof(ClientMaxWindowBits)} value to require");
        }
    }

    /// <summary>
    /// The response this policy gives to <paramref name="offer"/>, or false when it must decline it. Whatever the policy,
    /// the response keeps <c>server_no_context_takeover</c> if offered (§7.1.1.1) and a <c>server_max_window_bits</c> no
    /// larger than offered (§7.1.2.1), since anything else would not accept that offer.
    /// </summary>
    internal bool TryRespond(DeflateParameters offer, out DeflateParameters response)
    {
        response = default;

        int? serverBits = (offer.ServerMaxWindowBits, ServerMaxWindowBits) switch
        {
            ({ } asked, { } own) => Math.Min(asked, own),
            ({ } asked, null) => asked,
            (null, var own) => own,
        };
        if (serverBits < MinServerMaxWindowBits)
        {
            return false;
        }

        int? clientBits = offer.ClientMaxWindowBits.Value;
        if (ClientMaxWindowBits is { } limit)
        {
            if (offer.ClientMaxWindowBits.Offered)
            {
                clientBits = clientBits is { } announced ? Math.Min(announced, limit) : limit;
            }
            else if (RequireClientMaxWindowBits)
            {
                return false;
            }
        }

        response = new DeflateParameters(
            offer.ServerNoContextTakeover || ServerNoContextTakeover,
            offer.ClientNoContextTakeover || ClientNoContextTakeover,
            serverBits,
            clientBits is { } bits ? ClientWindowBitsOffer.Of(bits) : ClientWindowBitsOffer.Absent);
        return true;
    }

    private static void CheckBits(int? bits, string name)
    {
        if (bits is { } value)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, DeflateAgreement.MinWindowBits, name);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, DeflateAgreement.MaxWindowBits, name);
        }
    }
}
