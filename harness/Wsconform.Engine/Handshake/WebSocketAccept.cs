using System.Security.Cryptography;
using System.Text;

namespace Wsconform.Engine.Handshake;

/// <summary>The key/accept computation of RFC 6455 §4.2.2 step 5.4 and §4.1.</summary>
public static class WebSocketAccept
{
    /// <summary>The GUID every endpoint appends to the key before hashing (RFC 6455 §1.3).</summary>
    public const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>base64(SHA-1(key + GUID)), with the key exactly as sent (not decoded, not trimmed).</summary>
    public static string Compute(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));

    /// <summary>A fresh key: base64 of 16 random octets (RFC 6455 §4.1, "randomly selected").</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
}
