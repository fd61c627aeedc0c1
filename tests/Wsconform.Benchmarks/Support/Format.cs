using System.Globalization;

namespace Wsconform.Benchmarks.Support;

/// <summary>Number formatting, always in the invariant culture.</summary>
internal static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Milliseconds with one decimal: "1234.5".</summary>
    public static string Ms(double ms) => ms.ToString("0.0", Invariant);

    /// <summary>Milliseconds with the unit: "1234.5 ms".</summary>
    public static string MsUnit(double ms) => Ms(ms) + " ms";

    /// <summary>Milliseconds as seconds with two decimals and the unit: "12.34 s".</summary>
    public static string Seconds(double ms) => (ms / 1000).ToString("0.00", Invariant) + " s";

    /// <summary>A ratio: "2.10x".</summary>
    public static string Ratio(double ratio) => double.IsFinite(ratio) ? ratio.ToString("0.00", Invariant) + "x" : "n/a";

    /// <summary>Bytes as MiB: "123.4 MiB".</summary>
    public static string MiB(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", Invariant) + " MiB";

    public static string Int(long value) => value.ToString(Invariant);

    /// <summary>"met" when <paramref name="value"/> is at most <paramref name="goal"/>, else "MISSED". Printed, never asserted.</summary>
    public static string AgainstGoal(double value, double goal) => value <= goal ? "met" : "MISSED";
}
