namespace Wsconform.Benchmarks.Support;

/// <summary>Min / median / max of a sample.</summary>
internal readonly record struct Stats(double Min, double Median, double Max, int Count)
{
    public static Stats Of(IReadOnlyCollection<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Stats(sorted[0], median, sorted[^1], sorted.Length);
    }
}
