using System.Globalization;
using System.Text;
using Wsconform.Model;

namespace Wsconform.Reports;

/// <summary>
/// Projects <see cref="RunResult"/> into <see cref="ReportViewModel"/>. All formatting decisions live here (invariant
/// culture, Autobahn's labels and colours), so templates stay free of logic and a user's template gets the same text.
/// Every step is linear in the size of the run: 500 cases with long wire logs must render in well under a second.
/// </summary>
internal static class ReportViewModelBuilder
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Requirement length in the summary tables before it is cut with an ellipsis.</summary>
    private const int ShortRequirementLength = 100;

    /// <summary>Sizes shown per socket read/write histogram before the rest is folded into an "other sizes" row.</summary>
    internal const int MaxHistogramRows = 20;

    public static ReportViewModel Build(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // Servers first, then clients, each role in run order (OrderBy is stable), so that the target sections and the
        // matrix's columns group by role and numbers count down the page. A run of servers alone keeps its order.
        run = run with { Targets = [.. run.Targets.OrderBy(t => t.Target.IsClient)] };
        var multiple = run.Targets.Count > 1;
        var rowAnchors = MatrixRowAnchors(run);
        var targets = new List<TargetView>(run.Targets.Count);
        for (var i = 0; i < run.Targets.Count; i++)
        {
            targets.Add(BuildTarget(run.Targets[i], i + 1, multiple, rowAnchors, run.Settings));
        }
        var charts = new List<RoundTripChartView>();
        for (var i = 0; i < run.Targets.Count; i++)
        {
            charts.AddRange(RoundTripCharts(run.Targets[i], targets[i], multiple));
        }
        var behaviorLegend = BehaviorOrder.Select(b => new LegendItemView
        {
            Label = Label(b), Verdict = b.ToAutobahnString(), Css = Css(b), Meaning = Meaning(b),
        }).ToArray();

        var other = run.Settings.Other.Select(kv => new NameValueView { Name = kv.Key, Value = kv.Value }).ToArray();
        var title = run.Targets.Count switch
        {
            0 => "wsconform report",
            1 => $"wsconform report: {run.Targets[0].Target.Agent}",
            _ => $"wsconform report: {run.Targets.Count.ToString(Inv)} targets",
        };
        return new ReportViewModel
        {
            Title = title,
            ToolVersion = run.ToolVersion,
            StartedAtUtc = FormatUtc(run.StartedAt, withMilliseconds: false),
            FinishedAtUtc = FormatUtc(run.FinishedAt, withMilliseconds: false),
            RunDuration = FormatDuration((run.FinishedAt - run.StartedAt).TotalMilliseconds),
            TotalCases = run.CaseCount,
            Interrupted = run.Interrupted is not null,
            InterruptedText = run.Interrupted is { } interrupted
                ? $"Interrupted: {run.CaseCount.ToString(Inv)} of {interrupted.SelectedCases.ToString(Inv)} cases finished; this report shows only those. " +
                  "Run the same command with --resume to run the others."
                : "",
            Options = new OptionsView
            {
                Cases = run.Settings.Cases.Count == 0 ? "*" : string.Join(", ", run.Settings.Cases),
                Exclude = string.Join(", ", run.Settings.Exclude),
                HasExclude = run.Settings.Exclude.Count > 0,
                Parallel = run.Settings.Parallel.ToString(Inv),
                Other = other,
                HasOther = other.Length > 0,
            },
            BehaviorLegend = behaviorLegend,
            CloseLegend = CloseOrder.Select(c => new LegendItemView
            {
                Label = Label(c), Verdict = c.ToAutobahnString(), Css = Css(c), Meaning = Meaning(c),
            }).ToArray(),
            MultipleTargets = multiple,
            Targets = targets,
            TargetGroups = GroupByRole(targets),
            ShowRoles = targets.Any(t => t.IsClient),
            Matrix = BuildMatrix(run, targets, rowAnchors),
            VerdictFilter = behaviorLegend,
            RoundTripCharts = charts,
            HasRoundTripCharts = charts.Count > 0,
        };
    }

    // ---------------------------------------------------------------- roles

    private const string ServerRole = "server", ClientRole = "client";

    private const string TestedAsServer = "wsconform run (the harness is the client)";
    private const string TestedAsClient = "wsconform serve (the harness is the server)";

    /// <summary>"Servers" with the server targets, then "Clients" with the client targets; a role without targets is left out.</summary>
    private static TargetGroupView[] GroupByRole(IReadOnlyList<TargetView> targets)
    {
        var groups = new List<TargetGroupView>(2);
        AddGroup(ServerRole, "Servers", "servers",
            "WebSocket servers, tested by wsconform run: the harness is the client, connects to each server and sends every case.");
        AddGroup(ClientRole, "Clients", "clients",
            "WebSocket clients, tested by wsconform serve: the harness is the server, each client connects to /runCase for every case and echoes what the harness sends.");
        return groups.ToArray();

        void AddGroup(string role, string title, string anchor, string description)
        {
            var members = targets.Where(t => t.Role == role).ToArray();
            if (members.Length == 0)
            {
                return;
            }
            groups.Add(new TargetGroupView
            {
                Role = role, Title = title, Anchor = anchor, Description = description, Targets = members, MatrixColumnSpan = 3 * members.Length,
            });
        }
    }

    /// <summary>The case detail's labels when the harness tested a server (it was the client).</summary>
    private static readonly RoleWordingView HarnessAsClient = new()
    {
        Sent = "Sent",
        ConformingPeer = "A conforming peer",
        HandshakeNote = "",
        HasHandshakeNote = false,
        NoRequest = "no request was sent",
        NoResponse = "no response was received",
    };

    /// <summary>The case detail's labels when the harness tested a client (it was the server).</summary>
    private static readonly RoleWordingView HarnessAsServer = new()
    {
        Sent = "Sent by the harness (as server)",
        ConformingPeer = "A conforming client",
        HandshakeNote = "The client's upgrade request, then the harness's response: the harness is the server here.",
        HasHandshakeNote = true,
        NoRequest = "no request was received from the client",
        NoResponse = "no response was sent",
    };

    // ---------------------------------------------------------------- summary matrix

    /// <summary>Key of a case in the matrix: its ID and which occurrence of that ID in its target (IDs may repeat).</summary>
    private static IEnumerable<(string Key, CaseResult Case)> Keyed(TargetResult target)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in target.Cases)
        {
            seen[c.Id] = seen.TryGetValue(c.Id, out var n) ? n + 1 : 1;
            yield return (seen[c.Id] == 1 ? c.Id : $"{c.Id}\u0000{seen[c.Id].ToString(Inv)}", c);
        }
    }

    /// <summary>Matrix row anchors ("row-1-1-1") by case key, in first-appearance order over all targets.</summary>
    private static Dictionary<string, string> MatrixRowAnchors(RunResult run)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var anchors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in run.Targets)
        {
            foreach (var (key, c) in Keyed(target))
            {
                if (!anchors.ContainsKey(key))
                {
                    anchors.Add(key, UniqueAnchor("row-" + Slug(c.Id), used));
                }
            }
        }
        return anchors;
    }

    private static MatrixView BuildMatrix(RunResult run, IReadOnlyList<TargetView> targets, Dictionary<string, string> rowAnchors)
    {
        // Rows in first-appearance order, grouped by category in first-appearance order.
        var rowOrder = new List<(string Key, CaseResult Case)>();
        var cells = new Dictionary<string, MatrixCellView[]>(StringComparer.Ordinal);
        var empty = new MatrixCellView
        {
            Present = false, LinkLabel = false, Anchor = "", BehaviorLabel = "not run", BehaviorVerdict = "", BehaviorCss = "none", CloseText = "",
            CloseVerdict = "", CloseCss = "none", DurationMs = "", RoundTrips = "", HasRoundTrips = false,
            CompressionRatios = "", CompressionRatiosTitle = "", HasCompression = false, IsOk = true,
        };
        for (var t = 0; t < run.Targets.Count; t++)
        {
            var rows = targets[t].Categories.SelectMany(cat => cat.Rows).ToDictionary(r => r.Anchor, StringComparer.Ordinal);
            var i = 0;
            foreach (var (key, c) in Keyed(run.Targets[t]))
            {
                if (!cells.TryGetValue(key, out var line))
                {
                    line = Enumerable.Repeat(empty, run.Targets.Count).ToArray();
                    cells.Add(key, line);
                    rowOrder.Add((key, c));
                }
                var detail = targets[t].Cases[i++];
                var row = rows[detail.Anchor];
                line[t] = new MatrixCellView
                {
                    Present = true,
                    LinkLabel = run.Targets.Count > 1,
                    Anchor = detail.Anchor,
                    BehaviorLabel = row.BehaviorLabel,
                    BehaviorVerdict = row.BehaviorVerdict,
                    BehaviorCss = row.BehaviorCss,
                    CloseText = row.CloseText,
                    CloseVerdict = row.CloseVerdict,
                    CloseCss = row.CloseCss,
                    DurationMs = row.DurationMs,
                    RoundTrips = row.RoundTrips,
                    HasRoundTrips = row.HasRoundTrips,
                    CompressionRatios = row.CompressionRatios,
                    CompressionRatiosTitle = row.CompressionRatiosTitle,
                    HasCompression = row.HasCompression,
                    IsOk = detail.IsOk,
                };
            }
        }

        var categories = new List<(string Title, List<MatrixRowView> Rows)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, c) in rowOrder)
        {
            if (!index.TryGetValue(c.Category, out var at))
            {
                at = categories.Count;
                index.Add(c.Category, at);
                categories.Add((c.Category, []));
            }
            var line = cells[key];
            var groupShort = ShortGroup(c.Group ?? "");
            categories[at].Rows.Add(new MatrixRowView
            {
                Id = c.Id,
                Anchor = rowAnchors[key],
                DetailAnchor = line.First(cell => cell.Present).Anchor,
                Group = c.Group ?? "",
                GroupShort = groupShort,
                GroupCut = !string.Equals(groupShort, c.Group ?? "", StringComparison.Ordinal),
                RequirementShort = Shorten(c.Requirement, ShortRequirementLength),
                CategoryKey = Slug(c.Category),
                Verdicts = string.Join(" ", line.Where(cell => cell.Present).Select(cell => cell.BehaviorVerdict).Distinct(StringComparer.Ordinal)),
                IsOk = line.All(cell => cell.IsOk),
                SearchText = $"{c.Id} {c.Group} {c.Requirement}".ReplaceLineEndings(" ").ToLowerInvariant(),
                Cells = line,
            });
        }
        var used = new HashSet<string>(StringComparer.Ordinal);
        return new MatrixView
        {
            Columns = targets.Select(t => new MatrixColumnView { Number = t.Number, Agent = t.Agent, Anchor = t.Anchor }).ToArray(),
            Categories = categories.Select(cat => new MatrixCategoryView
            {
                Title = cat.Title,
                Anchor = UniqueAnchor("cat-" + Slug(cat.Title), used),
                Key = Slug(cat.Title),
                CaseCount = cat.Rows.Count,
                CaseCountText = cat.Rows.Count == 1 ? "1 case" : $"{cat.Rows.Count.ToString(Inv)} cases",
                Rows = cat.Rows,
            }).ToArray(),
            RowCount = rowOrder.Count,
        };
    }

    internal static bool IsOk(Behavior b, CloseBehavior c) =>
        b is Behavior.Ok or Behavior.Informational && c is CloseBehavior.Ok or CloseBehavior.Informational;

    // ---------------------------------------------------------------- charts

    private const double BarWidth = 200;

    private static VerdictBarView Bar(int[] counts)
    {
        var total = counts.Sum();
        var segments = new List<BarSegmentView>();
        var words = new List<string>();
        double x = 0;
        for (var i = 0; i < BehaviorOrder.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }
            var width = BarWidth * counts[i] / total;
            segments.Add(new BarSegmentView
            {
                Css = Css(BehaviorOrder[i]), Label = Label(BehaviorOrder[i]), Count = counts[i], X = Num(x), Width = Num(width),
            });
            words.Add($"{Label(BehaviorOrder[i])} {counts[i].ToString(Inv)}");
            x += width;
        }
        return new VerdictBarView { Segments = segments, Text = words.Count == 0 ? "no cases" : string.Join(", ", words) };
    }

    private static string Num(double value) => Math.Round(value, 2).ToString("0.##", Inv);

    private const double ChartTop = 22, ChartPlot = 150, SlotWidth = 64, ChartLeft = 8;

    /// <summary>One chart per sub-category (9.x, and the compression trials 12.x, 13.x) of cases with measured round trips, median and p99 per case.</summary>
    private static IEnumerable<RoundTripChartView> RoundTripCharts(TargetResult target, TargetView view, bool multiple)
    {
        var measured = target.Cases.Select((c, i) => (Case: c, Detail: view.Cases[i]))
            .Where(x => x.Case.RoundTrips is { MedianMs: not null, P99Ms: not null })
            .GroupBy(x => x.Case.Group ?? x.Case.Category);
        foreach (var group in measured)
        {
            var items = group.ToArray();
            var max = items.Max(x => x.Case.RoundTrips!.P99Ms!.Value);
            var scale = max > 0 && double.IsFinite(max) ? ChartPlot / (max * 1.05) : 0;
            var baseY = ChartTop + ChartPlot;
            var bars = new List<RoundTripBarView>(items.Length);
            for (var i = 0; i < items.Length; i++)
            {
                var (c, detail) = items[i];
                var median = c.RoundTrips!.MedianMs!.Value;
                var p99 = c.RoundTrips.P99Ms!.Value;
                var slot = ChartLeft + i * SlotWidth;
                double Height(double v) => double.IsFinite(v) ? Math.Max(v * scale, 1) : 1;
                var frameNote = FrameNote(c);
                bars.Add(new RoundTripBarView
                {
                    CaseId = c.Id,
                    CaseAnchor = detail.Anchor,
                    SizeLabel = MessageSize(c),
                    FrameNote = frameNote,
                    HasFrameNote = frameNote.Length > 0,
                    MedianMs = Rtt(median),
                    P99Ms = Rtt(p99),
                    MedianX = Num(slot + 12),
                    P99X = Num(slot + 32),
                    BarWidth = "18",
                    LabelX = Num(slot + SlotWidth / 2),
                    MedianY = Num(baseY - Height(median)),
                    MedianHeight = Num(Height(median)),
                    P99Y = Num(baseY - Height(p99)),
                    P99Height = Num(Height(p99)),
                    MedianTextX = Num(slot + 21),
                    P99TextX = Num(slot + 41),
                    MedianTextY = Num(baseY - Height(median) - 3),
                    P99TextY = Num(baseY - Height(p99) - 3),
                });
            }
            yield return new RoundTripChartView
            {
                Title = multiple ? $"Target {view.Number.ToString(Inv)} ({view.Agent}): {group.Key}" : group.Key,
                Width = Num(ChartLeft * 2 + items.Length * SlotWidth),
                Height = Num(baseY + 34),
                BaseY = Num(baseY),
                AxisMax = Rtt(max) + " ms",
                Bars = bars,
            };
        }
    }

    private static readonly System.Text.RegularExpressions.Regex OctetsInStimulus =
        new(@"(\d+) octets", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The compression trials' wording: "Sends 1000 text messages of 16 characters each, …" (a text file is sliced
    /// by characters, and the file's own size in octets comes later in the sentence).</summary>
    private static readonly System.Text.RegularExpressions.Regex MessagesOfSize =
        new(@"messages of (\d+) (characters|octets) each", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>"… the compressed octets of each message are cut into frames of 256 octets …" (compression trials, rows 11–18).</summary>
    private static readonly System.Text.RegularExpressions.Regex CutIntoFrames =
        new(@"cut into frames of (\d+) octets", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The message size a performance trial sends, read from its stimulus ("… of 1 KiB (1024 octets) …",
    /// "… messages of 16 characters each …").</summary>
    private static string MessageSize(CaseResult c)
    {
        if (c.Stimulus.Contains("empty payload", StringComparison.OrdinalIgnoreCase))
        {
            return "0 octets";
        }
        var sized = MessagesOfSize.Match(c.Stimulus);
        if (sized.Success)
        {
            return sized.Groups[1].Value + (sized.Groups[2].Value == "characters" ? " chars" : " octets");
        }
        var match = OctetsInStimulus.Match(c.Stimulus);
        return match.Success ? match.Groups[1].Value + " octets" : c.Id;
    }

    /// <summary>"frames of 256 octets" when the stimulus says the messages were cut so; "" otherwise.</summary>
    private static string FrameNote(CaseResult c)
    {
        var match = CutIntoFrames.Match(c.Stimulus);
        return match.Success ? $"frames of {match.Groups[1].Value} octets" : "";
    }

    private static TargetView BuildTarget(TargetResult target, int number, bool multiple, Dictionary<string, string> rowAnchors, RunSettings settings)
    {
        var isClient = target.Target.IsClient;
        // Anchors must be unique in the page; with one target they are the plain, bookmarkable "case-1-1-1".
        var prefix = multiple ? $"t{number.ToString(Inv)}-" : "";
        var usedAnchors = new HashSet<string>(StringComparer.Ordinal);
        var behaviorCounts = new int[BehaviorOrder.Length];
        var closeCounts = new int[CloseOrder.Length];
        var categories = new List<(string Title, List<CaseRowView> Rows, int[] Counts)>();
        var categoryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var details = new List<CaseView>(target.Cases.Count);
        var keyed = Keyed(target).ToArray();
        var anchors = target.Cases.Select(c => UniqueAnchor(prefix + "case-" + Slug(c.Id), usedAnchors)).ToArray();

        for (var i = 0; i < keyed.Length; i++)
        {
            var (key, c) = keyed[i];
            var behaviorIndex = Array.IndexOf(BehaviorOrder, c.Behavior);
            behaviorCounts[behaviorIndex]++;
            closeCounts[Array.IndexOf(CloseOrder, c.BehaviorClose)]++;
            var anchor = anchors[i];
            var duration = c.DurationMs.ToString("F1", Inv);

            if (!categoryIndex.TryGetValue(c.Category, out var index))
            {
                index = categories.Count;
                categoryIndex.Add(c.Category, index);
                categories.Add((c.Category, [], new int[BehaviorOrder.Length]));
            }
            categories[index].Counts[behaviorIndex]++;
            categories[index].Rows.Add(new CaseRowView
            {
                Id = c.Id,
                Anchor = anchor,
                Group = c.Group ?? "",
                RequirementShort = Shorten(c.Requirement, ShortRequirementLength),
                BehaviorLabel = Label(c.Behavior),
                BehaviorVerdict = c.Behavior.ToAutobahnString(),
                BehaviorCss = Css(c.Behavior),
                CloseText = CloseCellText(c.BehaviorClose, c.Close.RemoteCloseCode),
                CloseVerdict = c.BehaviorClose.ToAutobahnString(),
                CloseCss = Css(c.BehaviorClose),
                DurationMs = duration,
                RoundTrips = c.RoundTrips is { } rt ? RoundTripSummary(rt) : "",
                HasRoundTrips = c.RoundTrips is not null,
                CompressionRatios = c.Compression is { } z ? CompressionRatios(z) : "",
                CompressionRatiosTitle = c.Compression is { } zt ? CompressionRatiosTitle(zt) : "",
                HasCompression = c.Compression is not null,
            });
            var neighbours = new Neighbours(
                i > 0 ? anchors[i - 1] : "", i > 0 ? target.Cases[i - 1].Id : "",
                i + 1 < anchors.Length ? anchors[i + 1] : "", i + 1 < anchors.Length ? target.Cases[i + 1].Id : "");
            details.Add(BuildCase(c, anchor, duration, rowAnchors[key], neighbours, isClient));
        }

        var response = target.Cases.Select(c => c.HandshakeResponse).FirstOrDefault(r => !string.IsNullOrEmpty(r));
        var subprotocol = HeaderValue(response, "Sec-WebSocket-Protocol");
        // Extensions: the first response that has the header, since only the cases that offer one (compression: 12, 13,
        // 15) get one back; the first response of the run usually has none.
        var extensions = FirstHeaderValue(target, "Sec-WebSocket-Extensions");
        var categoryAnchors = new HashSet<string>(StringComparer.Ordinal);
        var userAgent = isClient ? settings.ClientUserAgent(target.Target.Agent) ?? "" : "";
        return new TargetView
        {
            Number = number,
            Anchor = $"target-{number.ToString(Inv)}",
            Url = target.Target.Url,
            Agent = target.Target.Agent,
            ServerHeader = target.Target.ServerHeader,
            HasServerHeader = !string.IsNullOrEmpty(target.Target.ServerHeader),
            BuiltIn = target.Target.BuiltIn,
            IsClient = isClient,
            Role = isClient ? ClientRole : ServerRole,
            TestedBy = isClient ? TestedAsClient : TestedAsServer,
            UserAgent = userAgent,
            HasUserAgent = userAgent.Length > 0,
            Subprotocol = subprotocol,
            HasSubprotocol = subprotocol.Length > 0,
            Extensions = extensions,
            HasExtensions = extensions.Length > 0,
            HandshakeKnown = response is not null,
            BehaviorBar = Bar(behaviorCounts),
            RunPhase = FormatDuration(target.RunPhaseMs),
            CaseCount = target.Cases.Count,
            BehaviorTotals = Totals(BehaviorOrder, behaviorCounts, Label, b => b.ToAutobahnString(), Css),
            CloseTotals = Totals(CloseOrder, closeCounts, Label, b => b.ToAutobahnString(), Css),
            Categories = categories.Select(cat => new CategoryView
            {
                Title = cat.Title,
                Anchor = UniqueAnchor(prefix + "cat-" + Slug(cat.Title), categoryAnchors),
                CaseCount = cat.Rows.Count,
                CaseCountText = cat.Rows.Count == 1 ? "1 case" : $"{cat.Rows.Count.ToString(Inv)} cases",
                Rows = cat.Rows,
                BehaviorBar = Bar(cat.Counts),
            }).ToArray(),
            Cases = details,
        };
    }

    private sealed record Neighbours(string PrevAnchor, string PrevId, string NextAnchor, string NextId);

    /// <summary>The header's value in the first handshake response of the target that has it; "" when none has.</summary>
    private static string FirstHeaderValue(TargetResult target, string name)
    {
        foreach (var c in target.Cases)
        {
            var value = HeaderValue(c.HandshakeResponse, name);
            if (value.Length > 0)
            {
                return value;
            }
        }
        return "";
    }

    /// <summary>A header's value from a raw response head (first occurrence, case-insensitive name); "" when absent.</summary>
    private static string HeaderValue(string? head, string name)
    {
        if (head is null)
        {
            return "";
        }
        foreach (var line in head.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }
        return "";
    }

    private static CaseView BuildCase(CaseResult c, string anchor, string duration, string rowAnchor, Neighbours neighbours, bool isClient)
    {
        // The first difference: against the first expected outcome, unless some outcome matched exactly.
        var differenceAt = -1;
        var difference = "";
        if (c.Expected.Count > 0 && !c.Expected.Any(o => o.Events.SequenceEqual(c.Received)))
        {
            var reference = c.Expected[0].Events;
            differenceAt = 0;
            while (differenceAt < reference.Count && differenceAt < c.Received.Count && Equals(reference[differenceAt], c.Received[differenceAt]))
            {
                differenceAt++;
            }
            string Describe(IReadOnlyList<CaseEvent> list) =>
                differenceAt < list.Count ? Describe2(ToView(list[differenceAt])) : "nothing";
            static string Describe2(EventView e) => e.Detail.Length == 0 ? e.Kind : $"{e.Kind} ({e.Detail})";
            difference = $"event {(differenceAt + 1).ToString(Inv)}: expected {Describe(reference)}, received {Describe(c.Received)}"
                + (c.Expected.Count > 1 ? " (compared with the first expected outcome)" : "");
        }
        var expected = c.Expected.Select((o, n) =>
        {
            var events = o.Events.Select((e, k) => n == 0 && k == differenceAt ? Marked(ToView(e)) : ToView(e)).ToArray();
            return new ExpectedOutcomeView
            {
                Label = Label(o.Verdict),
                Verdict = o.Verdict.ToAutobahnString(),
                Css = Css(o.Verdict),
                Matched = o.Events.SequenceEqual(c.Received),
                Events = events,
                IsEmpty = events.Length == 0,
            };
        }).ToArray();
        var received = c.Received.Select((e, k) => k == differenceAt ? Marked(ToView(e)) : ToView(e)).ToArray();
        var wireLog = new WireLineView[c.WireLog.Count];
        for (var i = 0; i < wireLog.Length; i++)
        {
            wireLog[i] = ToView(c.WireLog[i], i + 1);
        }

        return new CaseView
        {
            Id = c.Id,
            Anchor = anchor,
            Category = c.Category,
            Group = c.Group ?? "",
            HasGroup = !string.IsNullOrEmpty(c.Group),
            RfcSections = string.Join(", ", c.RfcSections),
            Requirement = c.Requirement,
            Stimulus = c.Stimulus,
            ExpectedBehaviour = c.ExpectedBehaviour,
            IsClient = isClient,
            Wording = isClient ? HarnessAsServer : HarnessAsClient,
            BehaviorLabel = Label(c.Behavior),
            BehaviorVerdict = c.Behavior.ToAutobahnString(),
            BehaviorCss = Css(c.Behavior),
            Result = c.Result,
            CloseLabel = Label(c.BehaviorClose),
            CloseVerdict = c.BehaviorClose.ToAutobahnString(),
            CloseCss = Css(c.BehaviorClose),
            ResultClose = c.ResultClose,
            Started = FormatUtc(c.Started, withMilliseconds: true),
            DurationMs = duration,
            Expected = expected,
            HasExpected = expected.Length > 0,
            Received = received,
            HasReceived = received.Length > 0,
            ExpectedClose = new ExpectedCloseView
            {
                ClosedByHarness = Py(c.ExpectedClose.ClosedByHarness),
                CloseCodes = c.ExpectedClose.CloseCodes.Count == 0
                    ? "any"
                    : string.Join(", ", c.ExpectedClose.CloseCodes.Select(code => code.ToString(Inv))),
                RequireClean = Py(c.ExpectedClose.RequireClean),
                ClosedByWrongEndpointIsFatal = Py(c.ExpectedClose.ClosedByWrongEndpointIsFatal),
            },
            CloseFacts = CloseFactRows(c.Close, isClient),
            Violations = c.Violations.Select(v => new ViolationView
            {
                TimeMs = v.TimeMs.ToString("F3", Inv),
                RfcSection = v.RfcSection,
                Description = v.Description,
            }).ToArray(),
            HasViolations = c.Violations.Count > 0,
            RoundTrips = c.RoundTrips is { } rt ? RoundTripLine(rt) : "",
            HasRoundTrips = c.RoundTrips is not null,
            Compression = c.Compression is { } z ? CompressionOf(z) : null,
            HasCompression = c.Compression is not null,
            WireStats = WireStatsOf(c.Stats),
            HandshakeRequest = c.HandshakeRequest,
            HasHandshakeRequest = !string.IsNullOrEmpty(c.HandshakeRequest),
            HandshakeResponse = c.HandshakeResponse,
            HasHandshakeResponse = !string.IsNullOrEmpty(c.HandshakeResponse),
            WireLog = wireLog,
            HasWireLog = wireLog.Length > 0,
            WireLogLines = wireLog.Length,
            NeedsAttention = c.Behavior is Behavior.Failed or Behavior.Error
                || c.BehaviorClose is CloseBehavior.Failed or CloseBehavior.Unclean or CloseBehavior.WrongCode
                    or CloseBehavior.FailedByClient or CloseBehavior.Error,
            RowAnchor = rowAnchor,
            PrevAnchor = neighbours.PrevAnchor,
            PrevId = neighbours.PrevId,
            HasPrev = neighbours.PrevAnchor.Length > 0,
            NextAnchor = neighbours.NextAnchor,
            NextId = neighbours.NextId,
            HasNext = neighbours.NextAnchor.Length > 0,
            FirstDifference = difference,
            HasFirstDifference = difference.Length > 0,
            IsOk = IsOk(c.Behavior, c.BehaviorClose),
        };
    }

    private static EventView Marked(EventView e) => new() { Kind = e.Kind, Detail = e.Detail, IsFirstDifference = true };

    // ---------------------------------------------------------------- events and wire log

    private static EventView ToView(CaseEvent e)
    {
        var kind = e.Kind switch
        {
            EventKind.Message => e.IsBinary ? "binary message" : "text message",
            EventKind.Ping => "ping",
            EventKind.Pong => "pong",
            EventKind.Timeout => "timeout",
            _ => e.Kind.ToString().ToLowerInvariant(),
        };
        string detail;
        if (e.Kind == EventKind.Timeout)
        {
            detail = e.Tag ?? "";
        }
        else if (e.Payload is { } p)
        {
            detail = p.Length == 0 ? "0 octets" : $"{Octets(p.Length)}: {p.Preview}";
        }
        else
        {
            detail = "";
        }
        return new EventView { Kind = kind, Detail = detail };
    }

    private static WireLineView ToView(WireLogEntry w, int number)
    {
        var chopped = w.Sync == true || w.ChopSize is not null;
        var (kind, css) = w.Kind switch
        {
            WireEntryKind.OctetsOut => ("TX OCTETS", chopped ? "wl-tx-chop" : "wl-tx-octets"),
            WireEntryKind.OctetsIn => ("RX OCTETS", "wl-rx-octets"),
            WireEntryKind.FrameOut => ("TX FRAME", chopped ? "wl-tx-chop" : "wl-tx"),
            WireEntryKind.FrameIn => ("RX FRAME", "wl-rx"),
            WireEntryKind.DelayScheduled => ("DELAY", "wl-timer"),
            WireEntryKind.DelayFired => ("DELAY TIMEOUT", "wl-timer"),
            WireEntryKind.KillScheduled => ("KILL TIMER", "wl-timer"),
            WireEntryKind.KillFired => ("KILL", "wl-timer"),
            WireEntryKind.CloseTimerScheduled => ("CLOSE TIMER", "wl-timer"),
            WireEntryKind.CloseTimerFired => ("CLOSE TIMEOUT", "wl-timer"),
            WireEntryKind.Violation => ("VIOLATION", "wl-violation"),
            WireEntryKind.TcpDroppedByPeer => ("TCP DROP", "wl-drop-peer"),
            WireEntryKind.TcpDroppedByMe => ("TCP DROP", "wl-drop-me"),
            WireEntryKind.Note => ("NOTE", "wl-note"),
            _ => (w.Kind.ToString().ToUpperInvariant(), "wl-note"),
        };
        var payload = w.Payload;
        var payloadInfo = payload is null
            ? ""
            : payload.Sha256 is null ? Octets(payload.Length) : $"{Octets(payload.Length)}, sha256 {payload.Sha256}";
        var (text, hex, truncated) = payload is null ? ("", "", false) : TextAndHex(payload);
        return new WireLineView
        {
            PayloadText = text,
            PayloadHex = hex,
            HasPayloadHex = hex.Length > 0,
            PayloadTruncated = truncated,
            Number = number.ToString("000", Inv),
            TimeMs = w.TimeMs.ToString("F3", Inv),
            Kind = kind,
            Css = css,
            Detail = WireDetail(w),
            Payload = payload?.Preview ?? "",
            HasPayload = payload is not null && payload.Preview.Length > 0,
            PayloadInfo = payloadInfo,
        };
    }

    private const string Cut = " ...";

    /// <summary>A preview as text and as hex: text previews are encoded to UTF-8 for the hex, hex previews ("0x…") are
    /// decoded for the text (printable ASCII, '.' for the rest).</summary>
    private static (string Text, string Hex, bool Truncated) TextAndHex(PayloadView p)
    {
        var cut = p.Preview.EndsWith(Cut, StringComparison.Ordinal);
        var body = cut ? p.Preview[..^Cut.Length] : p.Preview;
        byte[] bytes;
        string text;
        if (p.IsText)
        {
            bytes = Encoding.UTF8.GetBytes(body);
            text = p.Preview;
        }
        else
        {
            var digits = body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? body[2..] : body;
            try
            {
                bytes = Convert.FromHexString(digits);
            }
            catch (FormatException)
            {
                return (p.Preview, "", cut || p.Sha256 is not null);
            }
            var sb = new StringBuilder(bytes.Length + Cut.Length);
            foreach (var b in bytes)
            {
                sb.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            }
            text = sb.Append(cut ? Cut : "").ToString();
        }
        var truncated = cut || p.Sha256 is not null || p.Length > bytes.Length;
        if (bytes.Length == 0)
        {
            return (text, "", truncated);
        }
        var hex = new StringBuilder(bytes.Length * 3 + Cut.Length);
        foreach (var b in bytes)
        {
            if (hex.Length > 0)
            {
                hex.Append(' ');
            }
            hex.Append(b.ToString("x2", Inv));
        }
        return (text, hex.Append(truncated ? Cut : "").ToString(), truncated);
    }

    /// <summary>Autobahn's wire-log wording (catalogue §4.4), fields in one fixed order, only those the entry has.</summary>
    private static string WireDetail(WireLogEntry w)
    {
        string Seconds() => (w.DelaySeconds ?? 0).ToString("F6", Inv);
        switch (w.Kind)
        {
            case WireEntryKind.DelayScheduled:
                return $"DELAY {Seconds()} sec for TAG {w.Text}";
            case WireEntryKind.DelayFired:
                return $"DELAY TIMEOUT on TAG {w.Text}";
            case WireEntryKind.KillScheduled:
                return $"FAIL CONNECTION AFTER {Seconds()} sec";
            case WireEntryKind.KillFired:
                return Append("FAILING CONNECTION", w.Text);
            case WireEntryKind.CloseTimerScheduled:
                return $"CLOSE CONNECTION AFTER {Seconds()} sec";
            case WireEntryKind.CloseTimerFired:
                return Append("CLOSING CONNECTION", w.Text);
            case WireEntryKind.TcpDroppedByPeer:
                return Append("TCP DROPPED BY PEER", w.Text);
            case WireEntryKind.TcpDroppedByMe:
                return Append("TCP DROPPED BY ME", w.Text);
            case WireEntryKind.Violation:
            case WireEntryKind.Note:
                return w.Text ?? "";
        }

        var fields = new StringBuilder(96);
        void Field(string name, string value)
        {
            if (fields.Length > 0)
            {
                fields.Append(", ");
            }
            fields.Append(name).Append('=').Append(value);
        }
        var frame = w.Kind is WireEntryKind.FrameOut or WireEntryKind.FrameIn;
        var outgoing = w.Kind is WireEntryKind.FrameOut or WireEntryKind.OctetsOut;
        if (w.Opcode is { } opcode)
        {
            Field("OPCODE", opcode.ToString(Inv));
        }
        if (w.Fin is { } fin)
        {
            Field("FIN", Py(fin));
        }
        if (w.Rsv is { } rsv)
        {
            Field("RSV", rsv.ToString(Inv));
        }
        // The declared length (which may lie, up to 2^64-1) wins over the octets actually carried.
        if (w.DeclaredLength is { } declared)
        {
            Field("LEN", declared.ToString(Inv));
        }
        else if (w.Payload is { } carried)
        {
            Field("LEN", carried.Length.ToString(Inv));
        }
        if (w.Masked is { } masked)
        {
            Field("MASKED", Py(masked));
        }
        if (w.MaskKey is not null || (frame && w.Masked == true))
        {
            Field("MASK", w.MaskKey ?? "None");
        }
        if (outgoing)
        {
            // Autobahn prints CHOPSIZE and SYNC on every TX line, "None"/"False" included: a reader looks for them there.
            Field("CHOP", w.ChopSize?.ToString(Inv) ?? "None");
            Field("SYNC", Py(w.Sync ?? false));
        }
        if (!string.IsNullOrEmpty(w.Text))
        {
            fields.Append(fields.Length > 0 ? " \u2014 " : "").Append(w.Text);
        }
        return fields.ToString();
    }

    private static string Append(string head, string? text) => string.IsNullOrEmpty(text) ? head : $"{head}: {text}";

    // ---------------------------------------------------------------- wire statistics and round trips

    private static WireStatsView WireStatsOf(WireStats stats) => new()
    {
        FrameTables = [FrameTable("Frames sent", stats.FramesSentByOpcode), FrameTable("Frames received", stats.FramesReceivedByOpcode)],
        SizeTables = [SizeTable("Socket writes", stats.WritesBySize), SizeTable("Socket reads", stats.ReadsBySize)],
        IsEmpty = stats.FramesSentByOpcode.Count == 0 && stats.FramesReceivedByOpcode.Count == 0
            && stats.WritesBySize.Count == 0 && stats.ReadsBySize.Count == 0,
    };

    private static FrameTableView FrameTable(string title, IReadOnlyDictionary<int, int> byOpcode)
    {
        var rows = byOpcode.OrderBy(kv => kv.Key).Select(kv => new OpcodeCountView
        {
            Opcode = kv.Key.ToString(Inv),
            Name = OpcodeName(kv.Key),
            Count = kv.Value.ToString(Inv),
        }).ToArray();
        return new FrameTableView
        {
            Title = title,
            Rows = rows,
            IsEmpty = rows.Length == 0,
            Total = byOpcode.Values.Sum(v => (long)v).ToString(Inv),
        };
    }

    internal static string OpcodeName(int opcode) => opcode switch
    {
        0 => "continuation",
        1 => "text",
        2 => "binary",
        8 => "close",
        9 => "ping",
        10 => "pong",
        _ => $"reserved (0x{opcode.ToString("X", Inv)})",
    };

    private static SizeTableView SizeTable(string title, IReadOnlyDictionary<int, int> bySize)
    {
        // The most frequent sizes (ties: the smaller size) get rows, shown in size order like Autobahn's table.
        var shown = bySize.Count <= MaxHistogramRows
            ? bySize.OrderBy(kv => kv.Key).ToArray()
            : bySize.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(MaxHistogramRows).OrderBy(kv => kv.Key).ToArray();
        long totalCount = 0, totalOctets = 0, shownCount = 0, shownOctets = 0;
        foreach (var (size, count) in bySize)
        {
            totalCount += count;
            totalOctets += (long)size * count;
        }
        var rows = new SizeCountView[shown.Length];
        for (var i = 0; i < shown.Length; i++)
        {
            var (size, count) = shown[i];
            var octets = (long)size * count;
            shownCount += count;
            shownOctets += octets;
            rows[i] = new SizeCountView { Size = size.ToString(Inv), Count = count.ToString(Inv), Octets = octets.ToString(Inv) };
        }
        var folded = bySize.Count - shown.Length;
        return new SizeTableView
        {
            Title = title,
            Rows = rows,
            IsEmpty = rows.Length == 0,
            HasOther = folded > 0,
            OtherLabel = folded switch
            {
                0 => "",
                1 => "1 other size",
                _ => $"{folded.ToString(Inv)} other sizes",
            },
            OtherCount = folded > 0 ? (totalCount - shownCount).ToString(Inv) : "",
            OtherOctets = folded > 0 ? (totalOctets - shownOctets).ToString(Inv) : "",
            TotalCount = totalCount.ToString(Inv),
            TotalOctets = totalOctets.ToString(Inv),
        };
    }

    /// <summary>The detail line: "998 of 1000 round trips, median 0.08 ms, p99 0.31 ms (min 0.05 ms, max 1.2 ms)".</summary>
    private static string RoundTripLine(RoundTripStats rt)
    {
        var head = $"{rt.Completed.ToString(Inv)} of {rt.Requested.ToString(Inv)} round trips";
        return rt is { MedianMs: { } median, P99Ms: { } p99, MinMs: { } min, MaxMs: { } max }
            ? $"{head}, median {Rtt(median)} ms, p99 {Rtt(p99)} ms (min {Rtt(min)} ms, max {Rtt(max)} ms)"
            : $"{head}, no round-trip time measured";
    }

    /// <summary>The summary-table addition: "RTT p50 0.08 / p99 0.31 ms".</summary>
    private static string RoundTripSummary(RoundTripStats rt) =>
        rt is { MedianMs: { } median, P99Ms: { } p99 }
            ? $"RTT p50 {Rtt(median)} / p99 {Rtt(p99)} ms"
            : $"RTT none ({rt.Completed.ToString(Inv)} of {rt.Requested.ToString(Inv)})";

    /// <summary>Round-trip milliseconds to the microsecond, without trailing zeros: "0.08", "0.125", "1234.5".</summary>
    private static string Rtt(double milliseconds) =>
        double.IsFinite(milliseconds) ? milliseconds.ToString("0.0##", Inv) : "unknown";

    // ---------------------------------------------------------------- compression

    /// <summary>Autobahn's matrix figure: "[in/out]", compressed ÷ uncompressed, three decimals, "-" for a direction
    /// without compressed messages ("[0.123/0.456]", "[-/0.456]").</summary>
    internal static string CompressionRatios(CompressionStats z) => $"[{Ratio(z.RatioIn, "-")}/{Ratio(z.RatioOut, "-")}]";

    private static string CompressionRatiosTitle(CompressionStats z) =>
        $"compressed \u00f7 uncompressed payload octets: received (in) {Ratio(z.RatioIn, "none compressed")}, sent (out) {Ratio(z.RatioOut, "none compressed")}";

    private static string Ratio(double? ratio, string none) =>
        ratio is { } r && double.IsFinite(r) ? r.ToString("0.000", Inv) : none;

    private static CompressionView CompressionOf(CompressionStats z) => new()
    {
        Agreement = z.Agreement,
        Ratios = CompressionRatios(z),
        Directions =
        [
            new CompressionDirectionView
            {
                Title = "Received (in)",
                Octets = z.ReceivedOctets.ToString(Inv),
                CompressedOctets = z.ReceivedCompressedOctets.ToString(Inv),
                Ratio = Ratio(z.RatioIn, "none received compressed"),
            },
            new CompressionDirectionView
            {
                Title = "Sent (out)",
                Octets = z.SentOctets.ToString(Inv),
                CompressedOctets = z.SentCompressedOctets.ToString(Inv),
                Ratio = Ratio(z.RatioOut, "none sent compressed"),
            },
        ],
    };

    // ---------------------------------------------------------------- close facts

    /// <summary>Autobahn's "Closing Behavior" rows. Three descriptions depend on the harness's role: RFC 6455 §7.1.1 has
    /// the server close TCP first, which is the peer's duty when the harness is the client and the harness's own when it
    /// tests a client.</summary>
    private static CloseFactView[] CloseFactRows(CloseFacts f, bool peerIsClient) =>
    [
        Fact("closedByMe", Py(f.ClosedByMe), "True when the harness sent the first Close frame, i.e. started the closing handshake."),
        Fact("failedByMe", Py(f.FailedByMe), "True when the harness failed the connection (a protocol error by the peer, or the kill timer fired)."),
        Fact("droppedByMe", Py(f.DroppedByMe), peerIsClient
            ? "True when the harness closed the TCP connection itself (as the server it does so right after the closing handshake)."
            : "True when the harness closed the TCP connection itself."),
        Fact("wasClean", Py(f.WasClean), peerIsClient
            ? "True when Close frames went both ways."
            : "True when Close frames went both ways (and, with the harness as client, the server then closed TCP in time)."),
        Fact("wasNotCleanReason", f.WasNotCleanReason ?? "None", "Why the connection did not close cleanly, when it did not."),
        Fact("wasServerConnectionDropTimeout", Py(f.WasServerConnectionDropTimeout), peerIsClient
            ? "Not applicable: the harness is the server and closes TCP itself after the closing handshake."
            : "True when the server did not close TCP in time after the closing handshake."),
        Fact("wasOpenHandshakeTimeout", Py(f.WasOpenHandshakeTimeout), "True when the peer did not finish the opening handshake in time."),
        Fact("wasCloseHandshakeTimeout", Py(f.WasCloseHandshakeTimeout), "True when the peer did not answer the harness's Close in time."),
        Fact("localCloseCode", f.LocalCloseCode?.ToString(Inv) ?? "None", "The close code the harness sent."),
        Fact("localCloseReason", f.LocalCloseReason ?? "None", "The close reason the harness sent."),
        Fact("remoteCloseCode", f.RemoteCloseCode?.ToString(Inv) ?? "None", "The close code the peer sent."),
        Fact("remoteCloseReason", f.RemoteCloseReason ?? "None", "The close reason the peer sent."),
        Fact("tcpEnd", f.TcpEnd ?? "None", "How the TCP connection ended, seen from the harness."),
    ];

    private static CloseFactView Fact(string key, string value, string description) =>
        new() { Key = key, Value = value, Description = description };

    // ---------------------------------------------------------------- verdict labels and colours

    private static readonly Behavior[] BehaviorOrder =
        [Behavior.Ok, Behavior.NonStrict, Behavior.Failed, Behavior.Informational, Behavior.Unimplemented, Behavior.Error];

    private static readonly CloseBehavior[] CloseOrder =
    [
        CloseBehavior.Ok, CloseBehavior.FailedByClient, CloseBehavior.WrongCode, CloseBehavior.Unclean,
        CloseBehavior.Failed, CloseBehavior.Informational, CloseBehavior.Error,
    ];

    /// <summary>Autobahn's summary-page words (catalogue §4.5), plus "Error" for a case that could not run.</summary>
    internal static string Label(Behavior b) => b switch
    {
        Behavior.Ok => "Pass",
        Behavior.NonStrict => "Non-Strict",
        Behavior.Failed => "Fail",
        Behavior.Informational => "Info",
        Behavior.Unimplemented => "Unimplemented",
        Behavior.Error => "Error",
        _ => b.ToString(),
    };

    internal static string Css(Behavior b) => b switch
    {
        Behavior.Ok => "v-pass",
        Behavior.NonStrict => "v-nonstrict",
        Behavior.Failed => "v-fail",
        Behavior.Informational => "v-info",
        Behavior.Unimplemented => "v-unimpl",
        Behavior.Error => "v-error",
        _ => "v-error",
    };

    private static string Meaning(Behavior b) => b switch
    {
        Behavior.Ok => "the peer did what the case expects",
        Behavior.NonStrict => "conformant, but not the canonical or SHOULD-level behaviour",
        Behavior.Failed => "a MUST of the RFC was violated",
        Behavior.Informational => "behaviour the RFC leaves open; recorded, never a failure",
        Behavior.Unimplemented => "the peer does not implement the optional feature under test",
        Behavior.Error => "the case could not run (connection refused, handshake rejected, harness fault); not a verdict on the peer",
        _ => "",
    };

    internal static string Label(CloseBehavior c) => c switch
    {
        CloseBehavior.Ok => "OK",
        CloseBehavior.Failed => "Fail",
        CloseBehavior.WrongCode => "Wrong code",
        CloseBehavior.Unclean => "Unclean",
        CloseBehavior.FailedByClient => "Failed by client",
        CloseBehavior.Informational => "Info",
        CloseBehavior.Error => "Error",
        _ => c.ToString(),
    };

    internal static string Css(CloseBehavior c) => c switch
    {
        CloseBehavior.Ok => "c-ok",
        CloseBehavior.Failed => "c-fail",
        CloseBehavior.WrongCode => "c-wrong",
        CloseBehavior.Unclean => "c-unclean",
        CloseBehavior.FailedByClient => "c-client",
        CloseBehavior.Informational => "c-info",
        CloseBehavior.Error => "c-error",
        _ => "c-error",
    };

    private static string Meaning(CloseBehavior c) => c switch
    {
        CloseBehavior.Ok => "the connection ended as the case expects",
        CloseBehavior.Failed => "the wrong endpoint failed the connection, or the opening handshake never completed",
        CloseBehavior.WrongCode => "the peer's Close carried a code the case does not allow",
        CloseBehavior.Unclean => "the case requires a clean closing handshake and it was not clean",
        CloseBehavior.FailedByClient => "the harness (as client) had to drop TCP although the server should have",
        CloseBehavior.Informational => "how the connection ended is recorded, not judged",
        CloseBehavior.Error => "the case could not run",
        _ => "",
    };

    /// <summary>Autobahn shows the peer's close code on the colour; we add the verdict word when it is not OK so the
    /// cell does not rely on colour alone.</summary>
    private static string CloseCellText(CloseBehavior verdict, int? remoteCode) => verdict switch
    {
        CloseBehavior.Unclean or CloseBehavior.Failed or CloseBehavior.Error => Label(verdict),
        CloseBehavior.Ok => remoteCode?.ToString(Inv) ?? Label(verdict),
        _ => remoteCode is { } code ? $"{code.ToString(Inv)} {Label(verdict)}" : Label(verdict),
    };

    private static VerdictCountView[] Totals<T>(T[] order, int[] counts, Func<T, string> label, Func<T, string> verdict, Func<T, string> css)
    {
        var result = new VerdictCountView[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            result[i] = new VerdictCountView
            {
                Label = label(order[i]),
                Verdict = verdict(order[i]),
                Css = css(order[i]),
                Count = counts[i],
                IsZero = counts[i] == 0,
            };
        }
        return result;
    }

    // ---------------------------------------------------------------- formatting

    /// <summary>Python-style booleans, as Autobahn's reports print them.</summary>
    private static string Py(bool value) => value ? "True" : "False";

    private static string Octets(long length) => length == 1 ? "1 octet" : $"{length.ToString(Inv)} octets";

    internal static string FormatUtc(DateTimeOffset value, bool withMilliseconds) =>
        value.UtcDateTime.ToString(withMilliseconds ? "yyyy-MM-dd HH:mm:ss.fff" : "yyyy-MM-dd HH:mm:ss", Inv) + " UTC";

    internal static string FormatDuration(double milliseconds)
    {
        if (double.IsNaN(milliseconds) || double.IsInfinity(milliseconds))
        {
            return "unknown";
        }
        if (milliseconds < 1000)
        {
            return milliseconds.ToString("F1", Inv) + " ms";
        }
        var seconds = milliseconds / 1000;
        if (seconds < 60)
        {
            return seconds.ToString("F3", Inv) + " s";
        }
        var minutes = Math.Floor(seconds / 60);
        return $"{minutes.ToString("F0", Inv)} min {(seconds - minutes * 60).ToString("00.0", Inv)} s";
    }

    /// <summary>Sub-category titles up to this length show whole in the matrix; longer ones are cut (<see cref="ShortGroup"/>).</summary>
    internal const int MatrixGroupLength = 80;

    /// <summary>
    /// The matrix form of a sub-category title (<see cref="MatrixRowView.GroupShort"/>). A long title that ends in a
    /// short "…: value" keeps its start and that value, which is what tells sibling sub-categories apart in Autobahn's
    /// 13.x titles ("Large JSON data file (utf8, 194056 bytes) … [(True, 9), (True, 0), (False, 0)]"); any other long
    /// title is cut at a word with an ellipsis.
    /// </summary>
    internal static string ShortGroup(string group)
    {
        var line = group.ReplaceLineEndings(" ");
        if (line.Length <= MatrixGroupLength)
        {
            return line;
        }
        const int head = 45;
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        if (colon > head && colon + 2 < line.Length)
        {
            var cut = line.LastIndexOf(' ', head);
            var start = (cut > head / 2 ? line[..cut] : line[..head]).TrimEnd(' ', ',', ';', ':', '.', '-', '/');
            var shortened = $"{start} \u2026 {line[(colon + 2)..]}";
            if (shortened.Length <= MatrixGroupLength)
            {
                return shortened;
            }
        }
        return Shorten(line, MatrixGroupLength);
    }

    private static string Shorten(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        if (line.Length <= max)
        {
            return line;
        }
        var cut = line.LastIndexOf(' ', max - 1);
        return (cut > max / 2 ? line[..cut] : line[..(max - 1)]).TrimEnd(' ', ',', ';', ':', '.') + "\u2026";
    }

    /// <summary>An id made of [A-Za-z0-9-] only, so it is safe in id and href attributes: "1.1.1" → "1-1-1".</summary>
    internal static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            sb.Append(char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-');
        }
        return sb.Length == 0 ? "x" : sb.ToString();
    }

    private static string UniqueAnchor(string candidate, HashSet<string> used)
    {
        if (used.Add(candidate))
        {
            return candidate;
        }
        for (var n = 2; ; n++)
        {
            var next = $"{candidate}-{n.ToString(Inv)}";
            if (used.Add(next))
            {
                return next;
            }
        }
    }
}
