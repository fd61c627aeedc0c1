using System.Globalization;
using Wsconform.Reports.Json;

namespace Wsconform.Reports.Journal;

/// <summary>Reads a run's journal, <c>results.jsonl</c>, back: its header and every case that finished.</summary>
public static class JournalReader
{
    /// <summary>
    /// Reads the journal at <paramref name="path"/>. A last line without its line break is what a process killed in the
    /// middle of a write leaves: it is ignored, and <see cref="JournalContents.TornLastLine"/> says so. Anything else that
    /// is not a journal line (a damaged line in the middle, a case of no target, a case twice) is an error, since it
    /// cannot come from a crash.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a journal, or is damaged; one line naming the file and line.</exception>
    public static JournalContents Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        var complete = bytes.AsSpan().LastIndexOf((byte)'\n') + 1;
        var torn = !bytes.AsSpan(complete).Trim(" \t\r"u8).IsEmpty;
        var lines = SplitLines(bytes.AsMemory(0, complete));
        if (lines.Count == 0)
            throw Invalid(path, torn ? "line 1: the header line is incomplete" : "the file is empty");

        var header = Parse(path, 1, () => JournalJson.ReadHeader(lines[0].Span));
        var entries = new List<JournalEntry>(lines.Count - 1);
        var seen = new Dictionary<(int Target, string Id), int>();
        for (var i = 1; i < lines.Count; i++)
        {
            var number = i + 1;
            if (lines[i].Span.Trim(" \t\r"u8).IsEmpty) continue;
            var entry = Parse(path, number, () => JournalJson.ReadCase(lines[i].Span));
            if (entry.Target < 0 || entry.Target >= header.Targets.Count)
                throw Invalid(path, $"line {Text(number)}: target {Text(entry.Target)} is not in the header ({Text(header.Targets.Count)} target(s))");
            if (!header.Targets[entry.Target].CaseIds.Contains(entry.Result.Id, StringComparer.Ordinal))
                throw Invalid(path, $"line {Text(number)}: case {entry.Result.Id} is not selected for target {Text(entry.Target)} in the header");
            if (!seen.TryAdd((entry.Target, entry.Result.Id), number))
                throw Invalid(path, $"line {Text(number)}: case {entry.Result.Id} of target {Text(entry.Target)} is already on line {Text(seen[(entry.Target, entry.Result.Id)])}");
            entries.Add(entry);
        }
        return new JournalContents(header, entries, complete, torn);
    }

    private static List<ReadOnlyMemory<byte>> SplitLines(ReadOnlyMemory<byte> text)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        while (!text.IsEmpty)
        {
            var end = text.Span.IndexOf((byte)'\n');
            lines.Add(text[..end]);
            text = text[(end + 1)..];
        }
        return lines;
    }

    private static T Parse<T>(string path, int lineNumber, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, $"line {Text(lineNumber)}: {e.Message}", e);
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) => new($"{path}: {problem}", inner);
}
