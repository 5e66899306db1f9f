using System.Globalization;
using System.Text;
using Verity.Core.Quality;
using Verity.Quality;

namespace Verity.Bench;

/// <summary>
/// Replays real judgements to measure what choosing the next question buys at the same label budget.
/// UKPConvArg1: per topic-stance set, judgements are revealed one at a time, either at random or for the pair whose
/// order the current Bradley–Terry fit of the set is least sure of; Kendall's τ to the ranking fitted on every judgement
/// is tracked as the budget grows. Crowd sets: labels are revealed item by item under the same dynamic overlap, either
/// in import order or least certain item first; accuracy on gold is tracked (an item without labels counts as wrong).
/// </summary>
internal static class ActiveBench
{
    private const int RandomSeeds = 3;
    private static readonly int[] Shares = [5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100];

    public static int Run()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{QualityBench.Machine()}`. Load average when the run started: {QualityBench.LoadAverage()}.");
        text.AppendLine();
        Ukp(text);
        text.AppendLine();
        Crowd(text);
        QualityBench.WriteSection("active", text.ToString());
        return 0;
    }

    private sealed record Judgement(int Left, int Right, double Outcome);

    private static void Ukp(StringBuilder text)
    {
        var folder = Path.Combine(RepositoryData.Folder, "ukpconvarg1");
        var pairDebate = new Dictionary<string, (string Set, string A, string B)>(StringComparer.Ordinal);
        var csv = CsvReader.Open(Path.Combine(folder, "pairs.csv"));
        var p = csv.ReadHeader("pair", "debate", "arg1", "arg2", "gold");
        while (csv.Read())
        {
            var pair = csv[p[0]].ToString();
            pairDebate[pair] = (pair[..pair.IndexOf('/', StringComparison.Ordinal)], csv[p[2]].ToString(), csv[p[3]].ToString());
        }

        // Judgements per set, grouped by pair in recorded order.
        var sets = new SortedDictionary<string, (Dictionary<string, int> Args, Dictionary<string, List<Judgement>> Pairs)>(StringComparer.Ordinal);
        csv = CsvReader.Open(Path.Combine(folder, "annotations.csv"));
        var a = csv.ReadHeader("pair", "worker", "label");
        while (csv.Read())
        {
            var pair = csv[a[0]].ToString();
            var (set, first, second) = pairDebate[pair];
            if (!sets.TryGetValue(set, out var entry))
                sets[set] = entry = (new Dictionary<string, int>(StringComparer.Ordinal), new Dictionary<string, List<Judgement>>(StringComparer.Ordinal));
            int Index(string arg) => entry.Args.TryGetValue(arg, out var i) ? i : entry.Args[arg] = entry.Args.Count;
            var outcome = csv[a[2]].ToString() switch { "a1" => 1.0, "a2" => 0.0, _ => 0.5 };
            if (!entry.Pairs.TryGetValue(pair, out var list))
                entry.Pairs[pair] = list = [];
            list.Add(new Judgement(Index(first), Index(second), outcome));
        }

        var policyCurves = new List<double[]>();
        var randomCurves = new List<double[]>();
        var rows = new List<string>();
        var (policyTotal, randomTotal, judgementsTotal) = (0.0, 0.0, 0);
        foreach (var (set, (args, pairs)) in sets)
        {
            var all = pairs.Values.SelectMany(j => j).ToList();
            var reference = Fit(args.Count, all);
            var policy = LeastSure(args.Count, [.. pairs.Values], reference);
            var random = Enumerable.Range(0, RandomSeeds).Select(seed => RandomOrder(args.Count, all, reference, seed)).ToList();
            var policyNeeded = Needed(policy);
            var randomNeeded = random.Average(Needed);
            policyTotal += policyNeeded;
            randomTotal += randomNeeded;
            judgementsTotal += all.Count;
            policyCurves.Add(AtShares(policy));
            randomCurves.Add(Enumerable.Range(0, Shares.Length).Select(s => random.Average(r => AtShares(r)[s])).ToArray());
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {set} | {args.Count} | {pairs.Count} | {all.Count} | {policyNeeded} ({100.0 * policyNeeded / all.Count:0}%) | {randomNeeded:0} ({100 * randomNeeded / all.Count:0}%) | {policyNeeded / randomNeeded:0.00} |"));
            Console.WriteLine(rows[^1]);
        }

        var policyMean = Enumerable.Range(0, Shares.Length).Select(s => policyCurves.Average(c => c[s])).ToArray();
        var randomMean = Enumerable.Range(0, Shares.Length).Select(s => randomCurves.Average(c => c[s])).ToArray();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"**UKPConvArg1**, {sets.Count} topic-stance sets, {judgementsTotal:N0} judgements. Mean Kendall's τ (τ-b) to each set's ranking fitted on all its judgements (Bradley–Terry, ties half a win), by share of the set's judgements revealed; random is the mean of {RandomSeeds} seeds. Least sure: judgements are revealed in batches of 1 % of the set; before each batch the set is refitted on what was revealed, and the batch takes one judgement from each of the pairs (with judgements left) whose order the fit is least sure of, Φ(−|s_i − s_j| / √(se_i² + se_j²)). τ is measured after every batch, so the counts to τ 0.9 are to the nearest batch, for random as well.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| share of judgements | {string.Join(" | ", Shares.Select(s => $"{s}%"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- | {string.Join(" | ", Shares.Select(_ => "---:"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| least sure | {string.Join(" | ", policyMean.Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| random | {string.Join(" | ", randomMean.Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)))} |");
        text.AppendLine();
        text.AppendLine("![Kendall's τ by share of judgements](bench/results/active-ukp.svg)");
        WriteSvg("active-ukp.svg", "Kendall's τ to the all-judgement ranking, by share of judgements (UKPConvArg1, mean of 32 sets)", [.. Shares.Select(s => $"{s}%")],
            [("least sure", policyMean), ("random", randomMean)], 0, 1);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Judgements needed to reach τ 0.9 (and stay there), per set: least sure {policyTotal:N0} in all, random {randomTotal:N0} ({policyTotal / randomTotal:0.00} of random's; the goal was 0.5).");
        text.AppendLine();
        text.AppendLine("| set | arguments | pairs | judgements | least sure to τ 0.9 | random to τ 0.9 | ratio |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
            text.AppendLine(row);
    }

    private static PairwiseResult Fit(int items, IReadOnlyList<Judgement> judgements)
    {
        var names = Enumerable.Range(0, items).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        var data = new PairwiseComparisons(
            names, ["w"], new int[judgements.Count], [.. judgements.Select(j => j.Left)], [.. judgements.Select(j => j.Right)], [.. judgements.Select(j => j.Outcome)]);
        return BradleyTerry.Fit(data);
    }

    /// <summary>Judgements are revealed in batches of 1 % of the set, the fit renewed after each (a refit per judgement took too long here).</summary>
    private static int Batch(int total) => Math.Max(1, (int)Math.Ceiling(total / 100.0));

    /// <summary>τ after each revealed judgement (index 0: none revealed), measured after every batch and held between.</summary>
    private static double[] LeastSure(int items, IReadOnlyList<List<Judgement>> pairs, PairwiseResult reference)
    {
        var revealed = new int[pairs.Count];
        var seen = new List<Judgement>();
        var total = pairs.Sum(x => x.Count);
        var taus = new double[total + 1];
        var fit = Fit(items, seen);
        taus[0] = Tau(reference.Scores, fit.Scores);
        var doubts = new double[pairs.Count];
        while (seen.Count < total)
        {
            for (var q = 0; q < pairs.Count; q++)
            {
                var (i, j) = (pairs[q][0].Left, pairs[q][0].Right);
                var spread = Math.Sqrt(Sq(fit.StandardErrors[i]) + Sq(fit.StandardErrors[j]));
                doubts[q] = revealed[q] == pairs[q].Count ? double.NegativeInfinity
                    : spread <= 0 || !double.IsFinite(spread) ? 0.5 : Phi(-Math.Abs(fit.Scores[i] - fit.Scores[j]) / spread);
            }

            // The batch goes to the least sure pairs, one judgement each, the most doubtful first.
            var from = seen.Count;
            foreach (var q in Enumerable.Range(0, pairs.Count).Where(q => revealed[q] < pairs[q].Count).OrderByDescending(q => doubts[q]).ThenBy(q => q).Take(Batch(total)))
                seen.Add(pairs[q][revealed[q]++]);
            fit = Fit(items, seen);
            var tau = Tau(reference.Scores, fit.Scores);
            for (var step = from + 1; step <= seen.Count; step++)
                taus[step] = tau;
        }

        return taus;
    }

    private static double[] RandomOrder(int items, List<Judgement> all, PairwiseResult reference, int seed)
    {
        var order = all.ToArray();
        new Random(seed).Shuffle(order);
        var taus = new double[order.Length + 1];
        taus[0] = Tau(reference.Scores, Fit(items, []).Scores);
        for (var from = 0; from < order.Length; from += Batch(order.Length))
        {
            var to = Math.Min(order.Length, from + Batch(order.Length));
            var tau = Tau(reference.Scores, Fit(items, order[..to]).Scores);
            for (var step = from + 1; step <= to; step++)
                taus[step] = tau;
        }

        return taus;
    }

    /// <summary>The fewest judgements after which τ stays at or above 0.9.</summary>
    private static int Needed(double[] taus)
    {
        var last = taus.Length - 1;
        while (last > 0 && taus[last - 1] >= 0.9)
            last--;
        return last;
    }

    private static double[] AtShares(double[] taus) =>
        [.. Shares.Select(s => taus[(int)Math.Round((taus.Length - 1) * s / 100.0)])];

    private static double Tau(double[] x, double[] y)
    {
        double concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = i + 1; j < x.Length; j++)
            {
                var (dx, dy) = (Math.Sign(x[i] - x[j]), Math.Sign(y[i] - y[j]));
                if (dx == 0 && dy == 0)
                    continue;
                if (dx == 0)
                    tiesX++;
                else if (dy == 0)
                    tiesY++;
                else if (dx == dy)
                    concordant++;
                else
                    discordant++;
            }
        }

        var denominator = Math.Sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
        return denominator == 0 ? 0 : (concordant - discordant) / denominator;
    }

    private static double Sq(double x) => x * x;

    /// <summary>The standard normal distribution function (Abramowitz and Stegun 7.1.26 through erf).</summary>
    private static double Phi(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    private static void Crowd(StringBuilder text)
    {
        var options = new DynamicOverlapOptions(MinAnnotations: 1, MaxAnnotations: 5, TargetConfidence: 0.95);
        var policy = new DynamicOverlap(options);
        var crowdShares = new[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };
        text.AppendLine(CultureInfo.InvariantCulture,
            $"**Crowd sets**: accuracy on gold (majority vote of the labels revealed; a gold item without labels counts as wrong) against labels spent, as a share of all recorded labels. Both orders use the same dynamic overlap (minimum {options.MinAnnotations}, maximum {options.MaxAnnotations}, target {options.TargetConfidence}, shared accuracy {options.AssumedAccuracy}) and reveal each item's labels in recorded order; import order gives the next label to the first item that still wants one, uncertainty-first to the item whose live posterior is lowest (no label: 0), ties in import order. Where the policy stops every item before the budget, the rest of the budget is unspent.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| set | order | {string.Join(" | ", crowdShares.Select(s => $"{s}%"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- | --- | {string.Join(" | ", crowdShares.Select(_ => "---:"))} |");
        var crowd = Path.Combine(RepositoryData.Folder, "crowd");
        var charts = new List<(string Set, double[] Import, double[] Uncertain)>();
        foreach (var folder in Directory.GetDirectories(crowd).Order(StringComparer.Ordinal))
        {
            var labels = QualityCsv.ReadLabels(Path.Combine(folder, "labels.csv"));
            var gold = QualityCsv.ReadGold(Path.Combine(folder, "gold.csv"), labels);
            if (gold.All(g => g == -1))
                continue;
            var name = Path.GetFileName(folder);
            var import = Replay(labels, gold, policy, uncertaintyFirst: false, crowdShares);
            var uncertain = Replay(labels, gold, policy, uncertaintyFirst: true, crowdShares);
            charts.Add((name, import, uncertain));
            foreach (var (order, values) in new[] { ("import order", import), ("uncertainty-first", uncertain) })
            {
                var row = $"| {name} | {order} | {string.Join(" | ", values.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))} |";
                text.AppendLine(row);
                Console.WriteLine(row);
            }
        }

        text.AppendLine();
        foreach (var (set, import, uncertain) in charts)
        {
            WriteSvg($"active-crowd-{set}.svg", $"Accuracy on gold by labels spent, {set}", [.. crowdShares.Select(s => $"{s}%")],
                [("uncertainty-first", uncertain), ("import order", import)], 0, 1);
            text.AppendLine(CultureInfo.InvariantCulture, $"![{set}](bench/results/active-crowd-{set}.svg)");
        }
    }

    /// <summary>Accuracy on gold at each budget share, serving labels one at a time in the given order.</summary>
    private static double[] Replay(CategoricalLabels data, int[] gold, DynamicOverlap policy, bool uncertaintyFirst, int[] shares)
    {
        var model = WorkerModel.Shared(Math.Max(2, data.ClassCount), policy.Options.AssumedAccuracy);
        var revealed = new int[data.ItemCount];
        var certainty = new double[data.ItemCount];
        var open = new SortedSet<(double Certainty, int Item)>();
        for (var i = 0; i < data.ItemCount; i++)
        {
            if (data.LabelCount(i) > 0)
                open.Add((0, i));
        }

        var results = new double[shares.Length];
        var spent = 0;
        var nextImport = 0;
        for (var s = 0; s < shares.Length; s++)
        {
            var budget = (int)Math.Round(data.Count * shares[s] / 100.0);
            while (spent < budget && open.Count > 0)
            {
                int item;
                if (uncertaintyFirst)
                {
                    item = open.Min.Item;
                }
                else
                {
                    while (!open.Contains((certainty[nextImport], nextImport)))
                        nextImport++;
                    item = nextImport;
                }

                open.Remove((certainty[item], item));
                revealed[item]++;
                spent++;
                var seen = new Range(data.ItemStart[item], data.ItemStart[item] + revealed[item]);
                var decision = policy.Decide(data.Workers[seen], data.Labels[seen], model);
                certainty[item] = DynamicOverlap.Confidence(data.Workers[seen], data.Labels[seen], model);
                if (decision == OverlapDecision.Continue && revealed[item] < data.LabelCount(item))
                    open.Add((certainty[item], item));
            }

            results[s] = Accuracy(data, gold, revealed);
        }

        return results;
    }

    private static double Accuracy(CategoricalLabels data, int[] gold, int[] revealed)
    {
        var (right, total) = (0, 0);
        var votes = new int[data.ClassCount];
        for (var i = 0; i < data.ItemCount; i++)
        {
            if (gold[i] < 0)
                continue;
            total++;
            if (revealed[i] == 0)
                continue;
            Array.Clear(votes);
            for (var a = data.ItemStart[i]; a < data.ItemStart[i] + revealed[i]; a++)
                votes[data.Labels[a]]++;
            // Ties go to the label revealed first among the leaders.
            var top = votes.Max();
            var label = -1;
            for (var a = data.ItemStart[i]; a < data.ItemStart[i] + revealed[i] && label < 0; a++)
            {
                if (votes[data.Labels[a]] == top)
                    label = data.Labels[a];
            }

            right += label == gold[i] ? 1 : 0;
        }

        return total == 0 ? double.NaN : (double)right / total;
    }

    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    /// <summary>A standalone line chart (inline styles, so it renders on its own) in bench/results.</summary>
    private static void WriteSvg(string file, string title, IReadOnlyList<string> xLabels, IReadOnlyList<(string Name, double[] Values)> series, double min, double max)
    {
        const int Width = 640, Height = 300, Left = 50, Right = 20, Top = 30, Bottom = 50;
        string N(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);
        double X(int i) => Left + i * (Width - Left - Right) / (double)(xLabels.Count - 1);
        double Y(double v) => Top + (1 - (Math.Clamp(v, min, max) - min) / (max - min)) * (Height - Top - Bottom);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="11">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{Height}" fill="white"/><text x="{Left}" y="18" font-size="12">{System.Net.WebUtility.HtmlEncode(title)}</text>""");
        for (var t = 0; t <= 4; t++)
        {
            var v = min + (max - min) * t / 4;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Width - Right}" y1="{N(Y(v))}" y2="{N(Y(v))}" stroke="#ddd"/><text x="{Left - 6}" y="{N(Y(v) + 4)}" text-anchor="end">{N(v)}</text>""");
        }

        for (var i = 0; i < xLabels.Count; i++)
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(X(i))}" y="{Height - Bottom + 16}" text-anchor="middle">{xLabels[i]}</text>""");
        for (var s = 0; s < series.Count; s++)
        {
            var points = string.Join(' ', series[s].Values.Select((v, i) => $"{N(X(i))},{N(Y(v))}"));
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="{Colours[s]}" stroke-width="2" points="{points}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left + 140 * s}" x2="{Left + 140 * s + 20}" y1="{Height - 14}" y2="{Height - 14}" stroke="{Colours[s]}" stroke-width="2"/><text x="{Left + 140 * s + 26}" y="{Height - 10}">{series[s].Name}</text>""");
        }

        svg.Append("</svg>\n");
        var folder = Path.Combine(RepositoryData.Root, "bench", "results");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, file), svg.ToString());
    }
}
