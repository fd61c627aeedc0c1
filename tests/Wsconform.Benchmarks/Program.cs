using System.Globalization;
using System.Runtime.InteropServices;
using Wsconform.Benchmarks;
using Wsconform.Benchmarks.Support;

// Speed benchmarks of wsconform. Prints figures; never asserts a time.
//   dotnet run -c Release --project tests/Wsconform.Benchmarks                 the default set (run-phase, process), then one summary table
//   dotnet run -c Release --project tests/Wsconform.Benchmarks -- run-phase    one benchmark (several names allowed)
//   dotnet run -c Release --project tests/Wsconform.Benchmarks -- codec        BenchmarkDotNet codec throughput (a few minutes; not in the default set)
//   dotnet run -c Release --project tests/Wsconform.Benchmarks -- compression  categories 12, 13 and the full catalogue against Node ws with deflate (several minutes; not in the default set)
//   dotnet run -c Release --project tests/Wsconform.Benchmarks -- all          every benchmark, codec and compression included
// Exit code: 0 when every benchmark produced valid figures (goals met or not), 1 when a run was invalid, 2 on bad usage.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

IBenchmark[] benchmarks = [new RunPhaseBenchmark(), new ProcessBenchmark(), new CodecBenchmark(), new CompressionBenchmark()];

var output = Console.Out;
if (ParseArguments(args, benchmarks, out var selected, out var options) is { } usageError)
{
    if (usageError.Length > 0) Console.Error.WriteLine($"wsconform-benchmarks: {usageError}");
    PrintHelp(usageError.Length > 0 ? Console.Error : output, benchmarks);
    return usageError.Length > 0 ? 2 : 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

#if DEBUG
const string configuration = "Debug (figures are not representative: use -c Release)";
#else
const string configuration = "Release";
#endif
output.WriteLine($"wsconform benchmarks | {Format.Int(Environment.ProcessorCount)} cores | {RuntimeInformation.FrameworkDescription} | " +
                 $"{RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture} | {configuration} | " +
                 $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z");
output.WriteLine();

var rows = new List<SummaryRow>();
var allValid = true;
try
{
    foreach (var benchmark in selected)
    {
        output.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
        var outcome = await benchmark.RunAsync(options, output, cancel.Token).ConfigureAwait(false);
        rows.AddRange(outcome.Rows);
        allValid &= outcome.Valid;
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("wsconform-benchmarks: interrupted");
    return 130;
}

if (selected.Count > 1)
{
    output.WriteLine("== summary (goals are printed, never asserted)");
    var summary = new TextTable("benchmark", "measure", ">value", "goal / reference", "verdict");
    foreach (var row in rows)
        summary.Add(row.Benchmark, row.Measure, row.Value, row.Goal, row.Verdict);
    summary.Write(output);
    output.WriteLine();
}
return allValid ? 0 : 1;

// Returns null when the arguments are good, "" for --help, else the error.
static string? ParseArguments(string[] args, IReadOnlyList<IBenchmark> benchmarks, out List<IBenchmark> selected, out BenchmarkOptions options)
{
    selected = [];
    options = new BenchmarkOptions();
    for (var i = 0; i < args.Length; i++)
    {
        var arg = args[i];
        switch (arg)
        {
            case "-h" or "--help" or "help":
                return "";
            case "--iterations" or "--parallel":
                if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                    return $"{arg} needs a whole number of at least 1";
                i++;
                options = arg == "--iterations" ? options with { Iterations = n } : options with { Parallel = n };
                break;
            case "--build":
                options = options with { Build = true };
                break;
            case "--sequential-full":
                options = options with { SequentialFull = true };
                break;
            case "all":
                selected.AddRange(benchmarks);
                break;
            default:
                var benchmark = benchmarks.FirstOrDefault(b => string.Equals(b.Name, arg, StringComparison.OrdinalIgnoreCase));
                if (benchmark is null)
                    return $"unknown benchmark or option '{arg}' (benchmarks: {string.Join(", ", benchmarks.Select(b => b.Name))})";
                selected.Add(benchmark);
                break;
        }
    }
    if (selected.Count == 0) selected.AddRange(benchmarks.Where(b => b.InDefaultSet));
    selected = selected.Distinct().ToList();
    return null;
}

static void PrintHelp(TextWriter writer, IReadOnlyList<IBenchmark> benchmarks)
{
    writer.WriteLine("usage: dotnet run -c Release --project tests/Wsconform.Benchmarks -- [BENCHMARK...] [OPTIONS]");
    writer.WriteLine($"With no benchmark named, runs {string.Join(", ", benchmarks.Where(b => b.InDefaultSet).Select(b => b.Name))} " +
                     "and prints a summary table; 'all' runs every benchmark.");
    writer.WriteLine();
    foreach (var b in benchmarks)
    {
        writer.WriteLine($"  {b.Name,-12} {b.Description}{(b.InDefaultSet ? "" : " (only when named)")}");
        writer.WriteLine($"  {"",-12} {b.OptionsHelp}");
    }
}
