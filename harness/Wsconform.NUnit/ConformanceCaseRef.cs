namespace Wsconform.NUnit;

/// <summary>
/// The argument of a generated conformance test: just the case ID, so the value is small, serialisable and shows as
/// the ID in a test explorer. Look the case up with <c>Catalogue.Get(Id)</c> when more is needed.
/// </summary>
/// <param name="Id">The catalogue case ID, e.g. "6.4.3".</param>
[Serializable]
public sealed record ConformanceCaseRef(string Id)
{
    /// <summary>The case ID.</summary>
    public override string ToString() => Id;
}
