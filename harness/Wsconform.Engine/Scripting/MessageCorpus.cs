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
    private readonly Lazy<Ring> _ring;

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
        _ring = new Lazy<Ring>(() => Ring.Build(_octets.Value, isText), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name { get; }
    public string Description { get; }
    public bool IsText { get; }

    /// <summary>The whole file.</summary>
    public ReadOnlyMemory<byte> Octets => _octets.Value;

    /// <summary>Length of the file in the unit it is sliced by: characters (UTF-16 code units) for text, octets otherwise.</summary>
    public int SliceUnits => _ring.Value.Units;

    /// <summary>
    /// Message <paramref name="index"/> (0-based) of <paramref name="size"/> characters or octets. A view into the
    /// corpus, not a copy: a trial of 1000 messages of 128 KiB allocates nothing per message.
    /// </summary>
    public ReadOnlyMemory<byte> Message(int index, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var ring = _ring.Value;
        if (size > ring.Units) return ring.Copy(index, size);
        var start = (int)((long)index * size % ring.Units);
        var from = ring.OctetOffset(start);
        return ring.Doubled.AsMemory(from, ring.OctetOffset(start + size) - from);
    }

    /// <summary>
    /// The file twice in a row, so that every slice no longer than the file, wrapping or not, is one contiguous range;
    /// for text, the octet offset of every character, so that slicing by characters needs no re-encoding.
    /// </summary>
    private sealed class Ring
    {
        private readonly int[]? _charOffsets;
        private readonly int _fileOctets;

        private Ring(byte[] doubled, int fileOctets, int units, int[]? charOffsets)
        {
            Doubled = doubled;
            _fileOctets = fileOctets;
            Units = units;
            _charOffsets = charOffsets;
        }

        public byte[] Doubled { get; }
        public int Units { get; }

        public static Ring Build(byte[] file, bool isText)
        {
            var doubled = new byte[file.Length * 2];
            file.CopyTo(doubled, 0);
            file.CopyTo(doubled, file.Length);
            if (!isText) return new Ring(doubled, file.Length, file.Length, null);

            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file);
            var offsets = new int[text.Length + 1];
            var octets = 0;
            for (var i = 0; i < text.Length; i++)
            {
                // Autobahn slices by characters; a UTF-16 surrogate pair would be split in two, which no UTF-8 can carry.
                if (char.IsSurrogate(text[i])) throw new InvalidOperationException("text corpora must stay in the Basic Multilingual Plane");
                offsets[i] = octets;
                octets += text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : 3;
            }
            offsets[text.Length] = octets;
            return new Ring(doubled, file.Length, text.Length, offsets);
        }

        /// <summary>Octet offset in <see cref="Doubled"/> of unit <paramref name="unit"/> (0 ≤ unit ≤ 2 × Units).</summary>
        public int OctetOffset(int unit) =>
            _charOffsets is null ? unit
            : unit <= Units ? _charOffsets[unit]
            : _fileOctets + _charOffsets[unit - Units];

        /// <summary>A slice longer than the file (no catalogue case asks for one): assembled from whole turns of the ring.</summary>
        public byte[] Copy(int index, int size)
        {
            var message = new List<byte>();
            var start = (int)((long)index * size % Units);
            for (var left = size; left > 0;)
            {
                var piece = Math.Min(left, Units - start);
                var from = OctetOffset(start);
                message.AddRange(Doubled.AsSpan(from, OctetOffset(start + piece) - from).ToArray());
                left -= piece;
                start = 0;
            }
            return message.ToArray();
        }
    }
}
