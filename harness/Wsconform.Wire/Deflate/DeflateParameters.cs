using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Wsconform.Wire.Deflate;

/// <summary>A broken negotiation rule: one sentence naming the parameter and values, and where the rule is written.</summary>
internal sealed record DeflateProblem(string Reason, string RfcSection);

/// <summary>
/// The four parameters permessage-deflate defines (RFC 7692 §7.1), read from one offer or response element with every
/// value checked. Offers and responses share the syntax but differ in one rule: <c>client_max_window_bits</c> may be
/// valueless in an offer only (§7.1.2.2).
/// </summary>
internal readonly record struct DeflateParameters(
    bool ServerNoContextTakeover,
    bool ClientNoContextTakeover,
    int? ServerMaxWindowBits,
    ClientWindowBitsOffer ClientMaxWindowBits)
{
    public const string ServerNoContextTakeoverName = "server_no_context_takeover";
    public const string ClientNoContextTakeoverName = "client_no_context_takeover";
    public const string ServerMaxWindowBitsName = "server_max_window_bits";
    public const string ClientMaxWindowBitsName = "client_max_window_bits";

    /// <summary>
    /// Reads <paramref name="element"/>'s parameters. Fails on the first parameter RFC 7692 §7 does not define, a
    /// parameter given twice, or an invalid value: a client must then fail the connection, a server must decline that
    /// offer (§7).
    /// </summary>
    /// <param name="isResponse">True for a server's response, false for a client's offer.</param>
    public static bool TryRead(
        ExtensionElement element,
        bool isResponse,
        out DeflateParameters parameters,
        [NotNullWhen(false)] out DeflateProblem? problem)
    {
        string who = isResponse ? "the response" : "the offer";
        bool serverNoContext = false, clientNoContext = false;
        int? serverBits = null;
        ClientWindowBitsOffer clientBits = ClientWindowBitsOffer.Absent;
        bool serverBitsSeen = false;
        parameters = default;

        foreach (ExtensionParameter parameter in element.Parameters)
        {
            string? name = Canonical(parameter);
            if (name is null)
            {
                problem = new DeflateProblem(
                    $"{who} contains parameter {ExtensionHeader.Quote(parameter.Name)}, which permessage-deflate does not define",
                    "RFC 7692 §7");
                return false;
            }

            bool seen = name switch
            {
                ServerNoContextTakeoverName => serverNoContext,
                ClientNoContextTakeoverName => clientNoContext,
                ServerMaxWindowBitsName => serverBitsSeen,
                _ => clientBits.Offered,
            };
            if (seen)
            {
                problem = new DeflateProblem($"{who} contains parameter {name} more than once", "RFC 7692 §7");
                return false;
            }

            switch (name)
            {
                case ServerNoContextTakeoverName:
                case ClientNoContextTakeoverName:
                    if (parameter.Value is not null)
                    {
                        problem = new DeflateProblem(
                            $"{who} gives {name} the value {ExtensionHeader.Quote(parameter.Value)}, but that parameter takes no value",
                            name == ServerNoContextTakeoverName ? "RFC 7692 §7.1.1.1" : "RFC 7692 §7.1.1.2");
                        return false;
                    }

                    if (name == ServerNoContextTakeoverName)
                    {
                        serverNoContext = true;
                    }
                    else
                    {
                        clientNoContext = true;
                    }

                    break;

                case ServerMaxWindowBitsName:
                    // §7.1.2.1: the parameter always carries a value, in offers and responses alike.
                    if (!TryReadWindowBits(who, name, parameter.Value, "RFC 7692 §7.1.2.1", out int bits, out problem))
                    {
                        return false;
                    }

                    serverBits = bits;
                    serverBitsSeen = true;
                    break;

                default:
                    // §7.1.2.2: valueless in an offer means "I can honour a limit"; a response must state the limit.
                    if (parameter.Value is null && !isResponse)
                    {
                        clientBits = ClientWindowBitsOffer.Valueless;
                        break;
                    }

                    if (!TryReadWindowBits(who, name, parameter.Value, "RFC 7692 §7.1.2.2", out int clientLimit, out problem))
                    {
                        return false;
                    }

                    clientBits = ClientWindowBitsOffer.Of(clientLimit);
                    break;
            }
        }

        parameters = new DeflateParameters(serverNoContext, clientNoContext, serverBits, clientBits);
        problem = null;
        return true;
    }

    /// <summary>The parameters as the client offer they express.</summary>
    public DeflateOffer ToOffer() =>
        new(ServerNoContextTakeover, ClientNoContextTakeover, ServerMaxWindowBits, ClientMaxWindowBits);

    /// <summary>
    /// What a response with these parameters settles. A window the response does not state is 15: the sender may use
    /// the largest (§7.1.2.1, §7.1.2.2).
    /// </summary>
    public DeflateAgreement ToAgreement(string response) => new(
        ServerNoContextTakeover,
        ClientNoContextTakeover,
        ServerMaxWindowBits ?? DeflateAgreement.MaxWindowBits,
        ClientMaxWindowBits.Value ?? DeflateAgreement.MaxWindowBits,
        response);

    /// <summary>The parameters as one response element, in a fixed order so the server's answers are predictable.</summary>
    public string RenderResponse()
    {
        var text = new StringBuilder(DeflateOffer.ExtensionName);
        if (ServerNoContextTakeover) text.Append("; ").Append(ServerNoContextTakeoverName);
        if (ClientNoContextTakeover) text.Append("; ").Append(ClientNoContextTakeoverName);
        if (ServerMaxWindowBits is { } serverBits) text.Append("; ").Append(ServerMaxWindowBitsName).Append('=').Append(serverBits);
        if (ClientMaxWindowBits.Value is { } clientBits) text.Append("; ").Append(ClientMaxWindowBitsName).Append('=').Append(clientBits);
        return text.ToString();
    }

    /// <summary>
    /// Reads a window size: decimal 8–15 without leading zeros (§7.1.2.1, §7.1.2.2). A quoted value arrives here
    /// unquoted and is held to the same rule (§7.1).
    /// </summary>
    internal static bool TryParseWindowBits(string? value, out int bits)
    {
        bits = 0;
        if (value is not { Length: 1 or 2 } || value[0] == '0')
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            bits = (bits * 10) + (c - '0');
        }

        return bits is >= DeflateAgreement.MinWindowBits and <= DeflateAgreement.MaxWindowBits;
    }

    private static bool TryReadWindowBits(
        string who,
        string name,
        string? value,
        string section,
        out int bits,
        [NotNullWhen(false)] out DeflateProblem? problem)
    {
        if (value is null)
        {
            problem = new DeflateProblem($"{who} gives {name} without a value; it needs a decimal 8–15", section);
            bits = 0;
            return false;
        }

        if (!TryParseWindowBits(value, out bits))
        {
            problem = new DeflateProblem(
                $"{who} gives {name} the value {ExtensionHeader.Quote(value)}, not a decimal 8–15 without leading zeros",
                section);
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>The defined name <paramref name="parameter"/> spells (names compare without case), or null.</summary>
    private static string? Canonical(ExtensionParameter parameter) =>
        parameter.IsNamed(ServerNoContextTakeoverName) ? ServerNoContextTakeoverName
        : parameter.IsNamed(ClientNoContextTakeoverName) ? ClientNoContextTakeoverName
        : parameter.IsNamed(ServerMaxWindowBitsName) ? ServerMaxWindowBitsName
        : parameter.IsNamed(ClientMaxWindowBitsName) ? ClientMaxWindowBitsName
        : null;
}
