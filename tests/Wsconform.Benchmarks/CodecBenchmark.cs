using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Validators;
using Wsconform.Benchmarks.Codec;
using Wsconform.Benchmarks.Support;

namespace Wsconform.Benchmarks;

/// <summary>
/// Codec throughput, measured with BenchmarkDotNet (<see cref="CodecBenchmarks"/>): masked encode and decode of
/// 16 B to 16 MiB binary frames, ours against System.Net.WebSockets over in-memory streams. Runs in process
/// (<see cref="InProcessEmitToolchain"/>: no project is generated or rebuilt) with a short job, then prints
/// BenchmarkDotNet's table and ours: MB/s per size and direction and the ratio ours/theirs (goal: at least 1.00).
/// Takes about two minutes on 2 cores, so it is not in the default set.
/// </summary>
internal sealed class CodecBenchmark : IBenchmark
{
    /// <summary>Goal of the issue: our codec at least as fast as System.Net.WebSockets at every size.</summary>
    public const double GoalRatio = 1.0;

    public string Name => "codec";

    public string Description => "BenchmarkDotNet: masked encode/decode MB/s of Wsconform.Wire vs System.Net.WebSockets, 16 B to 16 MiB (goal: ours/theirs >= 1.00)";

    public string OptionsHelp => "--iterations N (BenchmarkDotNet iterations; default: Job.ShortRun, 3 warm-up + 3 measured)";

    public bool InDefaultSet => false;

    public async Task<BenchmarkOutcome> RunAsync(BenchmarkOptions options, TextWriter output, CancellationToken ct)
    {
        // Like for like before anything is timed: same frame octets, each side decodes the other's frames.
        var crossCheck = new List<string>();
        foreach (var size in CodecBenchmarks.Sizes)
            crossCheck.AddRange((await CodecBenchmarks.CrossCheckAsync(size).ConfigureAwait(false)).Select(p => $"{size}: {p}"));
        output.WriteLine(crossCheck.Count == 0
            ? "Cross-check: both encoders write frames of the same length; each decoder reads the other's frames back to the payload."
            : "Cross-check FAILED:" + Environment.NewLine + string.Join(Environment.NewLine, crossCheck.Select(p => "  " + p)));
        if (crossCheck.Count > 0)
            return new BenchmarkOutcome([new SummaryRow(Name, "codec cross-check", "failed", "", "INVALID")], false);

        var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess");
        if (options.Iterations is { } iterations) job = job.WithIterationCount(iterations);
        var progress = new ProgressLogger(output, CodecBenchmarks.Sizes.Count() * 5);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(new FramesPerOperationColumn(), new ThroughputColumn())
            .HideColumns(Column.AllocRatio) // always NA: System.Net.WebSockets, the baseline, allocates nothing
            .AddDiagnoser(new MemoryDiagnoser(new MemoryDiagnoserConfig(displayGenColumns: false)))
            .AddValidator(JitOptimizationsValidator.FailOnError)
            .AddLogger(progress)
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "wsconform-benchmarkdotnet"))
            .WithOptions(ConfigOptions.DisableLogFile);

        output.WriteLine($"BenchmarkDotNet, {job.Id} (in process), {CodecBenchmarks.Sizes.Count()} sizes x 5 methods; " +
                         "one operation = about 1 MiB of payload (Frames/op frames)");
        ct.ThrowIfCancellationRequested();
        var summary = await Task.Run(() => BenchmarkRunner.Run<CodecBenchmarks>(config), ct).ConfigureAwait(false);
        output.WriteLine();

        var table = new TextWriterLogger(output);
        MarkdownExporter.Console.ExportToLog(summary, table);
        output.WriteLine("  Ratio: time relative to System.Net.WebSockets in the same category and size (below 1 = ours faster).");
        output.WriteLine("  Allocated: per operation (Frames/op frames).");
        output.WriteLine();

        return Summarise(summary, output);
    }

    private BenchmarkOutcome Summarise(Summary summary, TextWriter output)
    {
        var figures = summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .ToDictionary(r => (Method: r.BenchmarkCase.Descriptor.WorkloadMethod.Name, Size: ((PayloadSize)r.BenchmarkCase.Parameters["Size"]).Bytes),
                r => new Figure(ThroughputColumn.MBps(r), (r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? 0)
                                                        / (double)CodecBenchmarks.FramesPerOperation((PayloadSize)r.BenchmarkCase.Parameters["Size"])));
        var rows = new List<SummaryRow>();
        var valid = !summary.HasCriticalValidationErrors && figures.Count == summary.BenchmarksCases.Length;
        var ours = new TextTable("size", "direction", ">ours MB/s", ">theirs MB/s", ">ours/theirs", "goal >= 1.00", ">ours B/frame", ">theirs B/frame",
            ">ours, fixed key MB/s");
        foreach (var size in CodecBenchmarks.Sizes)
        {
            foreach (var (direction, oursMethod, theirsMethod) in new[]
                     {
                         ("encode", nameof(CodecBenchmarks.EncodeOurs), nameof(CodecBenchmarks.EncodeTheirs)),
                         ("decode", nameof(CodecBenchmarks.DecodeOurs), nameof(CodecBenchmarks.DecodeTheirs)),
                     })
            {
                if (!figures.TryGetValue((oursMethod, size.Bytes), out var o) || !figures.TryGetValue((theirsMethod, size.Bytes), out var t))
                {
                    ours.Add(size.ToString(), direction, "-", "-", "-", "INVALID", "-", "-", "-");
                    rows.Add(new SummaryRow(Name, $"{direction} {size}: ours/theirs", "-", ">= 1.00x", "INVALID"));
                    continue;
                }
                var ratio = o.MBps / t.MBps;
                var verdict = ratio >= GoalRatio ? "met" : "MISSED";
                var fixedKey = direction == "encode" && figures.TryGetValue((nameof(CodecBenchmarks.EncodeOursFixedKey), size.Bytes), out var f)
                    ? Rate(f.MBps) : "";
                ours.Add(size.ToString(), direction, Rate(o.MBps), Rate(t.MBps), Format.Ratio(ratio), verdict,
                    o.BytesPerFrame.ToString("0", CultureInfo.InvariantCulture), t.BytesPerFrame.ToString("0", CultureInfo.InvariantCulture), fixedKey);
                rows.Add(new SummaryRow(Name, $"{direction} {size}: ours {Rate(o.MBps)} MB/s vs theirs {Rate(t.MBps)} MB/s",
                    Format.Ratio(ratio), ">= 1.00x", verdict));
            }
        }
        output.WriteLine("== codec: throughput, ours vs System.Net.WebSockets (payload MB/s, 1 MB = 10^6 octets; mean of BenchmarkDotNet's measured iterations)");
        ours.Write(output);
        output.WriteLine("  encode: ours = FrameEncoder.Encode into a reused buffer with PayloadMask.NewKey() per frame (as the harness sends);");
        output.WriteLine("          theirs = client WebSocket.SendAsync (masks with a fresh random key per frame) into a stream that counts octets.");
        output.WriteLine("  decode: ours = FrameReader.Feed (ExpectMasked) on the frame octets: payloads lent from a reused buffer, one ReceivedFrame per frame;");
        output.WriteLine("          theirs = server WebSocket.ReceiveAsync into a reused buffer from a MemoryStream rewound each operation.");
        output.WriteLine("  B/frame: bytes allocated per frame (BenchmarkDotNet's MemoryDiagnoser).");
        output.WriteLine();
        if (!valid)
            output.WriteLine("  INVALID: BenchmarkDotNet reported a validation error or a benchmark without results; see its output above.");
        return new BenchmarkOutcome(rows, valid);

        static string Rate(double mbps) => mbps.ToString(mbps >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);
    }

    private sealed record Figure(double MBps, double BytesPerFrame);

    /// <summary>Frames handled by one operation of a case.</summary>
    private sealed class FramesPerOperationColumn : IColumn
    {
        public string Id => "FramesPerOp";
        public string ColumnName => "Frames/op";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Frames handled by one benchmark operation (about 1 MiB of payload)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            CodecBenchmarks.FramesPerOperation((PayloadSize)benchmarkCase.Parameters["Size"]).ToString(CultureInfo.InvariantCulture);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }

    /// <summary>Payload MB/s (10^6 octets) from the mean time of an operation.</summary>
    private sealed class ThroughputColumn : IColumn
    {
        public string Id => "PayloadMBps";
        public string ColumnName => "MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 1;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Payload octets per second, in 10^6, from the mean";

        public static double MBps(BenchmarkReport report)
        {
            var size = (PayloadSize)report.BenchmarkCase.Parameters["Size"];
            var octets = (double)size.Bytes * CodecBenchmarks.FramesPerOperation(size);
            return report.ResultStatistics is { Mean: > 0 } stats ? octets * 1000.0 / stats.Mean : double.NaN; // mean in ns
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            summary[benchmarkCase] is { } report && MBps(report) is var mbps && double.IsFinite(mbps)
                ? mbps.ToString(mbps >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture)
                : "-";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }

    /// <summary>While BenchmarkDotNet runs: one line per benchmark case and its errors, nothing else.</summary>
    private sealed class ProgressLogger(TextWriter output, int total) : ILogger
    {
        private int _started;

        public string Id => nameof(ProgressLogger);
        public int Priority => 0;

        public void Write(LogKind logKind, string text)
        {
            if (logKind == LogKind.Error) output.Write(text);
        }

        public void WriteLine()
        {
        }

        public void WriteLine(LogKind logKind, string text)
        {
            if (logKind == LogKind.Error)
            {
                output.WriteLine("  " + text);
            }
            else if (text.StartsWith("// Benchmark: ", StringComparison.Ordinal))
            {
                _started++;
                output.WriteLine($"  [{_started}/{total}] {text["// Benchmark: ".Length..]}");
            }
        }

        public void Flush() => output.Flush();
    }

    /// <summary>Everything to the writer: used for BenchmarkDotNet's own table.</summary>
    private sealed class TextWriterLogger(TextWriter output) : ILogger
    {
        public string Id => nameof(TextWriterLogger);
        public int Priority => 0;
        public void Write(LogKind logKind, string text) => output.Write(text);
        public void WriteLine() => output.WriteLine();
        public void WriteLine(LogKind logKind, string text) => output.WriteLine(text);
        public void Flush() => output.Flush();
    }
}
