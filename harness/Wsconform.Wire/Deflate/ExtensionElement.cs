namespace Wsconform.Wire.Deflate;

/// <summary>
/// One <c>extension-param</c> of a <c>Sec-WebSocket-Extensions</c> element (RFC 6455 §9.1): a token name and an optional
/// value. A value written as a quoted-string is stored unquoted, because RFC 6455 §9.1 gives both spellings the same
/// meaning (the unquoted text must itself be a token, so <c>x=10</c> and <c>x="10"</c> are the same parameter).
/// </summary>
/// <param name="Name">The parameter name as written; compare it with <see cref="IsNamed"/>.</param>
/// <param name="Value">The unquoted value, or null when the parameter has no <c>=</c>.</param>
public sealed record ExtensionParameter(string Name, string? Value)
{
    /// <summary>
    /// Whether this parameter is called <paramref name="name"/>. HTTP tokens used as names are compared without regard
    /// to case, so a peer writing <c>Server_Max_Window_Bits</c> means the same parameter.
    /// </summary>
    public bool IsNamed(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Value is null ? Name : $"{Name}={Value}";
}

/// <summary>
/// One element of a <c>Sec-WebSocket-Extensions</c> list (RFC 6455 §9.1): an extension name and its parameters in the
/// order written. Several elements with the same name are alternatives a client offers in order of preference
/// (RFC 7692 §5).
/// </summary>
/// <param name="Name">The extension name as written; compare it with <see cref="IsNamed"/>.</param>
/// <param name="Parameters">The parameters in order, duplicates kept: judging duplicates is the extension's business
/// (RFC 7692 §7), not the list syntax's.</param>
/// <remarks>Record equality compares <see cref="Parameters"/> by reference; compare contents element by element.</remarks>
public sealed record ExtensionElement(string Name, IReadOnlyList<ExtensionParameter> Parameters)
{
    /// <summary>
    /// The element exactly as the peer wrote it, without surrounding whitespace, so reports can quote it verbatim
    /// (e.g. <see cref="DeflateAgreement.Response"/>). Defaults to the name for hand-built elements.
    /// </summary>
    public string Text { get; init; } = Name;

    /// <summary>Whether this element names extension <paramref name="name"/>; names are tokens compared without case.</summary>
    public bool IsNamed(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Text;
}
