using System.Diagnostics;
using System.Globalization;
using System.Text;
using Verity.Core.Quality;
using Verity.Quality;

namespace Verity.Bench;

/// <summary>
/// Dynamic overlap replayed on the real crowd sets: labels used and accuracy on gold, against
/// fixed overlap (the first k labels of every item) aggregated by majority vote and Dawid–Skene.
/// </summary>
internal static class OverlapBench
{
    private const int MaxFixed = 5;

    private static readonly (string Name, DynamicOverlapOptions Options)[] Policies =
    [
        ("shared accuracy 0.75, target 0.90", new(MinAnnotations: 2, MaxAnnotations: 5, TargetConfidence: 0.90)),
        ("shared accuracy 0.75, target 0.95", new(MinAnnotations: 2, MaxAnnotations: 5, TargetConfidence: 0.95)),
        ("worker confusion, target 0.90", new(MinAnnotations: 2, MaxAnnotations: 5, TargetConfidence: 0.90, Model: OverlapModel.WorkerConfusion)),
        ("worker confusion, target 0.95", new(MinAnnotations: 2, MaxAnnotations: 5, TargetConfidence: 0.95, Model: OverlapModel.WorkerConfusion)),
    ];

    public static int Run()
    {
        var crowd = Path.Combine(RepositoryData.Folder, "crowd");
        var sets = new List<(string Name, CategoricalLabels Labels, int[] Gold, (int Labels, double Mv, double Ds)[] Fixed)>();
        var skipped = new List<string>();
        foreach (var folder in Directory.GetDirectories(crowd).Order(StringComparer.Ordinal))
        {
            var labels = QualityCsv.ReadLabels(Path.Combine(folder, "labels.csv"));
            var gold = QualityCsv.ReadGold(Path.Combine(folder, "gold.csv"), labels);
            if (gold.All(g => g == -1))
            {
                skipped.Add(Path.GetFileName(folder));
                Console.WriteLine($"{Path.GetFileName(folder)}: no gold item joins the labels, skipped");
                continue;
            }

            var fixedOverlap = Enumerable.Range(1, MaxFixed).Select(k => Score(OverlapReplay.FirstK(labels, k), gold)).ToArray();
            sets.Add((Path.GetFileName(folder), labels, gold, fixedOverlap));
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{QualityBench.Machine()}`. Load average when the run started: {QualityBench.LoadAverage()}.");
        text.AppendLine();
        text.AppendLine("Fixed overlap, the first k recorded labels of every item: labels used (share of all), then accuracy on gold with majority vote / Dawid–Skene.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| set | all labels | items | {string.Join(" | ", Enumerable.Range(1, MaxFixed).Select(k => $"k = {k}"))} | all labels |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- | ---: | ---: | {string.Join(" | ", Enumerable.Repeat("---:", MaxFixed + 1))} |");
        foreach (var (name, labels, gold, fixedOverlap) in sets)
        {
            var all = Score(labels, gold);
            var cells = fixedOverlap.Append(all).Select(f => $"{Percent(f.Labels, labels.Count)} · {f.Mv:0.000} / {f.Ds:0.000}");
            var row = $"| {name} | {labels.Count:N0} | {labels.ItemCount:N0} | {string.Join(" | ", cells)} |";
            text.AppendLine(row);
            Console.WriteLine(row);
        }

        foreach (var (policyName, options) in Policies)
        {
            var policy = new DynamicOverlap(options);
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"**{policyName}** (minimum {options.MinAnnotations}, maximum {options.MaxAnnotations}{(options.Model == OverlapModel.WorkerConfusion ? $", {options.PriorLabels} prior labels at accuracy {options.AssumedAccuracy}, re-estimated after every round" : "")}). Fixed overlap at the same budget interpolates linearly between the k and k + 1 whose label counts bracket the policy's, as if some items had got k + 1.");
            text.AppendLine();
            text.AppendLine("| set | labels used | of all | stopped / exhausted / ran out | MV | DS | fixed, same budget: MV | DS | MV gain | DS gain | replay s |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (name, labels, gold, fixedOverlap) in sets)
            {
                var clock = Stopwatch.StartNew();
                var replay = OverlapReplay.Run(labels, policy);
                var seconds = clock.Elapsed.TotalSeconds;
                var dynamic = Score(replay.Revealed, gold);
                var (mv, ds) = SameBudget(fixedOverlap, dynamic.Labels);
                var row = string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {dynamic.Labels:N0} | {Percent(dynamic.Labels, labels.Count)} | {replay.Stopped:N0} / {replay.Exhausted:N0} / {replay.RanOut:N0} | {dynamic.Mv:0.0000} | {dynamic.Ds:0.0000} | {mv:0.0000} | {ds:0.0000} | {Gain(dynamic.Mv - mv)} | {Gain(dynamic.Ds - ds)} | {seconds:0.00} |");
                text.AppendLine(row);
                Console.WriteLine(row);
            }
        }

        text.AppendLine().AppendLine(Cost(sets.MaxBy(set => set.Labels.Count).Labels));
        if (skipped.Count > 0)
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Skipped, because no gold item joins the labels: {string.Join(", ", skipped)}.");
        QualityBench.WriteSection("overlap", text.ToString());
        return 0;
    }

    /// <summary>
    /// What the policy costs on the platform: one decision per submission (an item's first five
    /// labels under the worker-confusion model), and one re-estimate of that model over every label.
    /// </summary>
    private static string Cost(CategoricalLabels labels)
    {
        var policy = new DynamicOverlap(new DynamicOverlapOptions(Model: OverlapModel.WorkerConfusion));
        var clock = Stopwatch.StartNew();
        var model = policy.EstimateModel(labels);
        var estimate = clock.Elapsed.TotalSeconds;
        const int Repeats = 20;
        var decisions = 0;
        var stops = 0;
        clock.Restart();
        for (var repeat = 0; repeat < Repeats; repeat++)
        {
            for (var i = 0; i < labels.ItemCount; i++)
            {
                var first = new Range(labels.ItemStart[i], Math.Min(labels.ItemStart[i] + 5, labels.ItemStart[i + 1]));
                stops += policy.Decide(labels.Workers[first], labels.Labels[first], model) == OverlapDecision.Stop ? 1 : 0;
                decisions++;
            }
        }

        var perDecision = clock.Elapsed.TotalSeconds / decisions;
        return string.Create(CultureInfo.InvariantCulture,
            $"Cost, on the largest set ({labels.Count:N0} labels, {labels.ItemCount:N0} items, {labels.ClassCount} classes), worker-confusion model: re-estimating it from every label (one Dawid–Skene fit) took {estimate * 1000:0} ms; one decision on an item's first five labels took {perDecision * 1e6:0.00} µs ({decisions:N0} decisions, {stops:N0} of them stops).");
    }

    private static (int Labels, double Mv, double Ds) Score(CategoricalLabels labels, int[] gold) =>
        (labels.Count, GoldEvaluation.Evaluate(MajorityVote.Run(labels), gold).Accuracy, GoldEvaluation.Evaluate(DawidSkene.Run(labels), gold).Accuracy);

    /// <summary>Fixed-overlap accuracy at <paramref name="budget"/> labels, linear between the bracketing k (clamped to k = 1..5).</summary>
    private static (double Mv, double Ds) SameBudget((int Labels, double Mv, double Ds)[] fixedOverlap, int budget)
    {
        var upper = Array.FindIndex(fixedOverlap, f => f.Labels >= budget);
        if (upper <= 0)
            return upper == 0 ? (fixedOverlap[0].Mv, fixedOverlap[0].Ds) : (fixedOverlap[^1].Mv, fixedOverlap[^1].Ds);
        var (low, high) = (fixedOverlap[upper - 1], fixedOverlap[upper]);
        var share = (double)(budget - low.Labels) / (high.Labels - low.Labels);
        return (low.Mv + share * (high.Mv - low.Mv), low.Ds + share * (high.Ds - low.Ds));
    }

    private static string Gain(double value) => value.ToString("+0.0000;−0.0000;0", CultureInfo.InvariantCulture);

    private static string Percent(int part, int whole) => string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0}%");
}
