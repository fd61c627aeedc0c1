using System.Text;

namespace Wsconform.Benchmarks.Support;

/// <summary>A plain-text table with padded columns: text left-aligned, figures right-aligned.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <param name="headers">Column headers; a header starting with '>' makes its column right-aligned (the '>' is not printed).</param>
    public TextTable(params string[] headers)
    {
        _rightAligned = headers.Select(h => h.StartsWith('>')).ToArray();
        _headers = headers.Select(h => h.TrimStart('>')).ToArray();
    }

    public TextTable Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    public void Write(TextWriter output, string indent = "  ")
    {
        var widths = _headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line(_headers));
        output.WriteLine(indent + string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
            output.WriteLine(Line(row));

        string Line(string[] cells)
        {
            var line = new StringBuilder(indent);
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0) line.Append("  ");
                line.Append(_rightAligned[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
            }
            return line.ToString().TrimEnd();
        }
    }
}
