namespace Wsconform.Wire.Deflate;

/// <summary>
/// A DEFLATE decoder (RFC 1951) that holds the sender to the LZ77 window it agreed to: a back-reference further than
/// <c>2^windowBits</c> octets is reported, where zlib would quietly follow it (see <see cref="MessageInflater.For"/>).
/// Used only for agreed windows below 15 bits. A message's compressed octets are collected and decoded when it ends;
/// the output is delivered to the sink in chunks from a buffer of the window plus 64 KiB, so a bomb costs no memory.
/// </summary>
public sealed class WindowCheckedInflater : IMessageInflater
{
    private const int Chunk = 64 * 1024;
    private const int TableBits = 15;

    private readonly int _window;
    private readonly byte[] _out;
    private readonly int[] _literalTable = new int[1 << TableBits];
    private readonly int[] _distanceTable = new int[1 << TableBits];
    private byte[] _input = new byte[256];
    private int _inputLength;
    /// <summary>End of the decoded octets in <see cref="_out"/>; the octets before the message's start are its history.</summary>
    private int _outPos;
    /// <summary>Octets of <see cref="_out"/> already handed to the sink (or kept as history).</summary>
    private int _delivered;

    // Bit reader over the collected input (RFC 1951 §3.1.1: bits are packed from the least significant end).
    private int _pos;
    private ulong _bits;
    private int _bitCount;

    private bool _sinkRefused;

    public WindowCheckedInflater(int windowBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBits, DeflateAgreement.MinWindowBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowBits, DeflateAgreement.MaxWindowBits);
        WindowBits = windowBits;
        _window = 1 << windowBits;
        _out = new byte[_window + Chunk];
    }

    public int WindowBits { get; }

    public string? Inflate(ReadOnlySpan<byte> compressed, IInflatedOctets sink)
    {
        if (_inputLength + compressed.Length > _input.Length)
            Array.Resize(ref _input, Math.Max(_inputLength + compressed.Length, _input.Length * 2));
        compressed.CopyTo(_input.AsSpan(_inputLength));
        _inputLength += compressed.Length;
        return null;
    }

    public string? FinishMessage(IInflatedOctets sink)
    {
        Inflate(RawDeflater.SyncTail, sink);
        _pos = 0;
        _bits = 0;
        _bitCount = 0;
        _sinkRefused = false;
        string? problem;
        bool streamEnded;
        try
        {
            (problem, streamEnded) = DecodeBlocks(sink);
            if (problem is null && !_sinkRefused) Deliver(sink);
        }
        finally
        {
            _inputLength = 0;
        }
        if (streamEnded) Reset();
        else KeepHistory();
        return problem;
    }

    public void Reset()
    {
        _outPos = 0;
        _delivered = 0;
        _inputLength = 0;
    }

    public void Dispose() { }

    /// <summary>Keeps the last window of output as the next message's history (context takeover, RFC 7692 §7.2.1).</summary>
    private void KeepHistory()
    {
        if (_outPos > _window)
        {
            Buffer.BlockCopy(_out, _outPos - _window, _out, 0, _window);
            _outPos = _window;
        }
        _delivered = _outPos;
    }

    private (string? Problem, bool StreamEnded) DecodeBlocks(IInflatedOctets sink)
    {
        while (!_sinkRefused)
        {
            if (_pos == _inputLength && _bitCount == 0) return (null, false);
            if (!Need(3)) return ("the compressed message ends inside a DEFLATE block header", false);
            var final = Take(1) == 1;
            var type = (int)Take(2);
            var problem = type switch
            {
                0 => StoredBlock(sink),
                1 => HuffmanBlock(FixedTables.Literal, FixedTables.Distance, sink),
                2 => ReadDynamicTables() ?? HuffmanBlock(_literalTable, _distanceTable, sink),
                _ => "the compressed data uses the reserved DEFLATE block type 3",
            };
            if (problem is not null) return (problem, false);
            // A final block ends the DEFLATE stream; what follows (the re-added tail) is ignored (RFC 7692 §7.2.3.4).
            if (final) return (null, true);
        }
        return (null, false);
    }

    private string? StoredBlock(IInflatedOctets sink)
    {
        Take(_bitCount & 7);
        if (!Need(32)) return "the compressed message ends inside a stored block's length";
        var length = (int)Take(16);
        var complement = (int)Take(16);
        if ((length ^ 0xFFFF) != complement) return "a stored DEFLATE block's length does not match its complement";
        while (length > 0 && _bitCount >= 8)
        {
            Emit((byte)Take(8), sink);
            length--;
        }
        if (_inputLength - _pos < length) return "the compressed message ends inside a stored block";
        while (length > 0 && !_sinkRefused)
        {
            var room = _out.Length - _outPos;
            if (room == 0)
            {
                Slide(sink);
                continue;
            }
            var n = Math.Min(room, length);
            Buffer.BlockCopy(_input, _pos, _out, _outPos, n);
            _pos += n;
            _outPos += n;
            length -= n;
        }
        return null;
    }

    private string? HuffmanBlock(int[] literals, int[] distances, IInflatedOctets sink)
    {
        while (!_sinkRefused)
        {
            var symbol = Decode(literals);
            if (symbol < 0) return "the compressed data contains an invalid literal/length code";
            if (symbol < 256)
            {
                Emit((byte)symbol, sink);
                continue;
            }
            if (symbol == 256) return null;
            symbol -= 257;
            if (symbol >= LengthBase.Length) return "the compressed data contains an invalid length symbol";
            var extra = LengthExtra[symbol];
            if (!Need(extra)) return "the compressed message ends inside a match length";
            var length = LengthBase[symbol] + (int)Take(extra);
            var distanceSymbol = Decode(distances);
            if (distanceSymbol < 0 || distanceSymbol >= DistanceBase.Length) return "the compressed data contains an invalid distance code";
            extra = DistanceExtra[distanceSymbol];
            if (!Need(extra)) return "the compressed message ends inside a match distance";
            var distance = DistanceBase[distanceSymbol] + (int)Take(extra);
            if (distance > _window)
                return $"a back-reference reaches {distance} octets back, beyond the {_window}-octet window ({WindowBits} bits) the sender agreed to";
            if (distance > _outPos) return $"a back-reference reaches {distance} octets back, before the start of the data (invalid distance too far back)";
            Copy(distance, length, sink);
        }
        return null;
    }

    private void Copy(int distance, int length, IInflatedOctets sink)
    {
        while (length > 0 && !_sinkRefused)
        {
            var room = _out.Length - _outPos;
            if (room == 0)
            {
                Slide(sink);
                continue;
            }
            var n = Math.Min(Math.Min(room, length), distance);
            // Runs no longer than the distance do not overlap their source, so they copy in one go.
            Buffer.BlockCopy(_out, _outPos - distance, _out, _outPos, n);
            _outPos += n;
            length -= n;
        }
    }

    private void Emit(byte octet, IInflatedOctets sink)
    {
        if (_outPos == _out.Length) Slide(sink);
        _out[_outPos++] = octet;
    }

    /// <summary>The buffer is full: hand the new octets to the sink and keep only the window for back-references.</summary>
    private void Slide(IInflatedOctets sink)
    {
        Deliver(sink);
        Buffer.BlockCopy(_out, _outPos - _window, _out, 0, _window);
        _outPos = _window;
        _delivered = _window;
    }

    private void Deliver(IInflatedOctets sink)
    {
        if (_outPos > _delivered && !sink.Accept(_out.AsSpan(_delivered, _outPos - _delivered))) _sinkRefused = true;
        _delivered = _outPos;
    }

    private string? ReadDynamicTables()
    {
        if (!Need(14)) return "the compressed message ends inside a dynamic block header";
        var literalCount = (int)Take(5) + 257;
        var distanceCount = (int)Take(5) + 1;
        var codeLengthCount = (int)Take(4) + 4;
        if (literalCount > 286 || distanceCount > 30) return "a dynamic DEFLATE block declares too many codes";

        Span<byte> codeLengthLengths = stackalloc byte[19];
        for (var i = 0; i < codeLengthCount; i++)
        {
            if (!Need(3)) return "the compressed message ends inside a dynamic block header";
            codeLengthLengths[CodeLengthOrder[i]] = (byte)Take(3);
        }
        Span<int> codeLengthTable = stackalloc int[1 << 7];
        if (!HuffmanTable.Build(codeLengthLengths, codeLengthTable, 7)) return "a dynamic block's code-length code is invalid";

        Span<byte> lengths = stackalloc byte[286 + 30];
        for (var i = 0; i < literalCount + distanceCount;)
        {
            var symbol = Decode(codeLengthTable, 7);
            if (symbol < 0) return "a dynamic block's code lengths are invalid";
            if (symbol < 16)
            {
                lengths[i++] = (byte)symbol;
                continue;
            }
            int repeat;
            byte value = 0;
            switch (symbol)
            {
                case 16:
                    if (i == 0) return "a dynamic block repeats a code length before the first";
                    if (!Need(2)) return "the compressed message ends inside a dynamic block header";
                    value = lengths[i - 1];
                    repeat = 3 + (int)Take(2);
                    break;
                case 17:
                    if (!Need(3)) return "the compressed message ends inside a dynamic block header";
                    repeat = 3 + (int)Take(3);
                    break;
                default:
                    if (!Need(7)) return "the compressed message ends inside a dynamic block header";
                    repeat = 11 + (int)Take(7);
                    break;
            }
            if (i + repeat > literalCount + distanceCount) return "a dynamic block's code lengths overrun their count";
            lengths.Slice(i, repeat).Fill(value);
            i += repeat;
        }
        if (lengths[256] == 0) return "a dynamic block has no end-of-block code";
        if (!HuffmanTable.Build(lengths[..literalCount], _literalTable, TableBits)) return "a dynamic block's literal/length code is invalid";
        if (!HuffmanTable.Build(lengths.Slice(literalCount, distanceCount), _distanceTable, TableBits)) return "a dynamic block's distance code is invalid";
        return null;
    }

    private int Decode(ReadOnlySpan<int> table, int tableBits = TableBits)
    {
        Need(tableBits);
        var entry = table[(int)(_bits & ((1UL << tableBits) - 1))];
        var length = entry & 0xF;
        if (length == 0 || length > _bitCount) return -1;
        Take(length);
        return entry >> 4;
    }

    /// <summary>Tops the bit buffer up to <paramref name="count"/> bits; false when the input ends first.</summary>
    private bool Need(int count)
    {
        while (_bitCount < count)
        {
            if (_pos >= _inputLength) return false;
            _bits |= (ulong)_input[_pos++] << _bitCount;
            _bitCount += 8;
        }
        return true;
    }

    private uint Take(int count)
    {
        var value = (uint)(_bits & ((1UL << count) - 1));
        _bits >>= count;
        _bitCount -= count;
        return value;
    }

    private static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
    private static readonly int[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly int[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly int[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    private static readonly int[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

    /// <summary>The fixed Huffman codes of RFC 1951 §3.2.6.</summary>
    private static class FixedTables
    {
        public static readonly int[] Literal = BuildLiteral();
        public static readonly int[] Distance = BuildDistance();

        private static int[] BuildLiteral()
        {
            var lengths = new byte[288];
            lengths.AsSpan(0, 144).Fill(8);
            lengths.AsSpan(144, 112).Fill(9);
            lengths.AsSpan(256, 24).Fill(7);
            lengths.AsSpan(280, 8).Fill(8);
            var table = new int[1 << TableBits];
            HuffmanTable.Build(lengths, table, TableBits);
            return table;
        }

        private static int[] BuildDistance()
        {
            var lengths = new byte[30];
            lengths.AsSpan().Fill(5);
            var table = new int[1 << TableBits];
            HuffmanTable.Build(lengths, table, TableBits);
            return table;
        }
    }
}

/// <summary>Single-level decoding tables for canonical Huffman codes (RFC 1951 §3.2.2).</summary>
internal static class HuffmanTable
{
    /// <summary>
    /// Fills <paramref name="table"/> (2^<paramref name="tableBits"/> entries, indexed by the next bits of input) with
    /// <c>symbol &lt;&lt; 4 | codeLength</c>; 0 marks bit patterns no code uses. False for an over-subscribed code.
    /// </summary>
    public static bool Build(ReadOnlySpan<byte> lengths, Span<int> table, int tableBits)
    {
        Span<int> count = stackalloc int[16];
        foreach (var length in lengths) count[length]++;
        count[0] = 0;
        var left = 1;
        for (var bits = 1; bits <= 15; bits++)
        {
            left = (left << 1) - count[bits];
            if (left < 0) return false;
        }
        Span<int> next = stackalloc int[16];
        var code = 0;
        for (var bits = 1; bits <= 15; bits++)
        {
            code = (code + count[bits - 1]) << 1;
            next[bits] = code;
        }
        table.Clear();
        for (var symbol = 0; symbol < lengths.Length; symbol++)
        {
            int length = lengths[symbol];
            if (length == 0) continue;
            if (length > tableBits) return false;
            var reversed = Reverse(next[length]++, length);
            var entry = (symbol << 4) | length;
            for (var i = reversed; i < table.Length; i += 1 << length) table[i] = entry;
        }
        return true;
    }

    private static int Reverse(int code, int length)
    {
        var reversed = 0;
        for (var i = 0; i < length; i++)
        {
            reversed = (reversed << 1) | (code & 1);
            code >>= 1;
        }
        return reversed;
    }
}
