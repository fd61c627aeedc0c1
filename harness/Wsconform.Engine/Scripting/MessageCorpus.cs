using System.Text;

namespace Wsconform.Engine.Scripting;

/// <summary>
/// A test file whose consecutive slices are the messages of a compression trial (Autobahn's categories 12 and 13). The
/// file is a ring buffer: message <c>k</c> of size <c>n</c> starts at position <c>k·n</c> modulo the file's length and
/// wraps around its end. Text files are sliced by characters, as Autobahn does since its fix for issue #71, so a
/// message of <c>n</c> characters may be longer than <c>n</c> octets and never splits a UTF-8 sequence.
/// </summary>
/// <remarks>The content is generated deterministically on first use and shared by every case that uses the file.</remarks>
public sealed class MessageCorpus
{
    private readonly Lazy<byte[]> _octets;
    private readonly Lazy<string> _text;

    /// <param name="name">Short name for reports, e.g. "JSON".</param>
    /// <param name="description">Autobahn's description string, used in case titles, e.g. "Large JSON data file".</param>
    /// <param name="isText">True for text files, sliced by characters and sent as text messages unless a case says otherwise.</param>
    /// <param name="generate">Produces the file's octets (UTF-8 for text files); called once.</param>
    public MessageCorpus(string name, string description, bool isText, Func<byte[]> generate)
    {
        Name = name;
        Description = description;
        IsText = isText;
        _octets = new Lazy<byte[]>(generate, LazyThreadSafetyMode.ExecutionAndPublication);
        _text = new Lazy<string>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(_octets.Value), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name { get; }
    public string Description { get; }
    public bool IsText { get; }

    /// <summary>The whole file.</summary>
    public ReadOnlyMemory<byte> Octets => _octets.Value;

    /// <summary>Length of the file in the unit it is sliced by: characters (UTF-16 code units) for text, octets otherwise.</summary>
    public int SliceUnits => IsText ? _text.Value.Length : _octets.Value.Length;

    /// <summary>Message <paramref name="index"/> (0-based) of <paramref name="size"/> characters or octets.</summary>
    public byte[] Message(int index, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return IsText ? TextMessage(index, size) : BinaryMessage(index, size);
    }

    private byte[] BinaryMessage(int index, int size)
    {
        var file = _octets.Value;
        var message = new byte[size];
        var start = (int)((long)index * size % file.Length);
        for (var filled = 0; filled < size;)
        {
            var piece = Math.Min(size - filled, file.Length - start);
            file.AsSpan(start, piece).CopyTo(message.AsSpan(filled));
            filled += piece;
            start = 0;
        }
        return message;
    }

    private byte[] TextMessage(int index, int size)
    {
        var text = _text.Value;
        var start = (int)((long)index * size % text.Length);
        var builder = new StringBuilder(size);
        for (var filled = 0; filled < size;)
        {
            var piece = Math.Min(size - filled, text.Length - start);
            builder.Append(text, start, piece);
            filled += piece;
            start = 0;
        }
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
