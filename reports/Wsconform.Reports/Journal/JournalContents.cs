using Wsconform.Model;

namespace Wsconform.Reports.Journal;

/// <summary>One finished case of the journal.</summary>
/// <param name="Target">Position of the case's target in <see cref="JournalHeader.Targets"/>.</param>
public sealed record JournalEntry(int Target, CaseResult Result);

/// <summary>What <see cref="JournalReader.Read"/> found in a <c>results.jsonl</c>.</summary>
/// <param name="Entries">The finished cases, in the order they finished.</param>
/// <param name="CompleteLength">Octets up to the end of the last complete line: where the next line goes.</param>
/// <param name="TornLastLine">The file ended in an incomplete line (the process was killed while writing it), which was ignored.</param>
public sealed record JournalContents(JournalHeader Header, IReadOnlyList<JournalEntry> Entries, long CompleteLength, bool TornLastLine)
{
    /// <summary>The finished cases of target <paramref name="target"/>.</summary>
    public IReadOnlyList<CaseResult> FinishedCases(int target) => Entries.Where(e => e.Target == target).Select(e => e.Result).ToList();
}
