using Wsconform.Model;
using Wsconform.Reports.Journal;

namespace Wsconform.Cli;

/// <summary>
/// The finished cases of a run, by target: those a resumed journal holds, and each case finished since, which goes to the
/// journal the moment it is added. Thread-safe: cases finish concurrently.
/// </summary>
internal sealed class FinishedCases
{
    private readonly RunJournal _journal;
    private readonly TextWriter _stderr;
    private readonly List<CaseResult>[] _byTarget;
    private int _journalFailureReported;

    public FinishedCases(RunJournal journal, JournalContents? resumed, int targetCount, TextWriter stderr)
    {
        _journal = journal;
        _stderr = stderr;
        _byTarget = [.. Enumerable.Range(0, targetCount).Select(i => resumed?.FinishedCases(i).ToList() ?? [])];
    }

    /// <summary>Records a case of target <paramref name="target"/> that has just finished, in the journal first.</summary>
    public void Add(int target, CaseResult result)
    {
        if (!_journal.Append(target, result) && _journal.Failure is { } failure && Interlocked.Exchange(ref _journalFailureReported, 1) == 0)
        {
            // The run is worth more than its journal: go on, and say what a later --resume would miss.
            _stderr.WriteLine($"wsconform: cannot append to {_journal.FilePath}: {Program.OneLine(failure.Message)}; the run goes on, " +
                "but --resume would run again the cases that finish from now on");
        }
        var cases = _byTarget[target];
        lock (cases) cases.Add(result);
    }

    /// <summary>A copy of what target <paramref name="target"/> has finished so far.</summary>
    public IReadOnlyList<CaseResult> Of(int target)
    {
        var cases = _byTarget[target];
        lock (cases) return [.. cases];
    }
}
