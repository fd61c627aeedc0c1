namespace Wsconform.Wire;

/// <summary>
/// Which close status codes may appear in a Close frame on the wire (RFC 6455 §7.4). A receiver that gets any
/// other code must fail the connection (1002), so the harness needs the exact line between the two sets.
/// </summary>
public static class CloseStatusRules
{
    //  Code        Status on the wire    Source
    //  ----------  --------------------  ------------------------------------------------------------------
    //  0–999       invalid               RFC 6455 §7.4.2: not used.
    //  1000        valid                 §7.4.1 normal closure.
    //  1001        valid                 §7.4.1 going away.
    //  1002        valid                 §7.4.1 protocol error.
    //  1003        valid                 §7.4.1 unsupported data.
    //  1004        invalid               §7.4.1 reserved, meaning may be defined later.
    //  1005        invalid               §7.4.1 no status received: MUST NOT be sent (local use only).
    //  1006        invalid               §7.4.1 abnormal closure: MUST NOT be sent (local use only).
    //  1007        valid                 §7.4.1 invalid frame payload data.
    //  1008        valid                 §7.4.1 policy violation.
    //  1009        valid                 §7.4.1 message too big.
    //  1010        valid                 §7.4.1 mandatory extension (sent by clients).
    //  1011        valid                 §7.4.1 internal error.
    //  1012        valid                 IANA registry: service restart.
    //  1013        valid                 IANA registry: try again later.
    //  1014        valid                 IANA registry: bad gateway.
    //  1015        invalid               §7.4.1 TLS handshake failure: MUST NOT be sent (local use only).
    //  1016–2999   invalid               §7.4.2 reserved for future revisions and extensions (unassigned).
    //  3000–3999   valid                 §7.4.2 registered with IANA, for libraries, frameworks, applications.
    //  4000–4999   valid                 §7.4.2 private use.
    //  ≥ 5000      invalid               outside every range RFC 6455 defines.
    //
    //  1012–1014 were registered with IANA after RFC 6455 and are accepted here, although Autobahn|Python 0.10.9's
    //  receive-side validator still rejects them (its valid list stops at 1011).

    /// <summary>True when a peer may send <paramref name="code"/> in a Close frame (RFC 6455 §7.4.1, §7.4.2, IANA registry).</summary>
    public static bool IsValidOnWire(int code) => code is
        >= 1000 and <= 1003 or
        >= 1007 and <= 1014 or
        >= 3000 and <= 4999;
}
