using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Verity.Core.Quality;
using Verity.Quality;

namespace Verity.Bench;

/// <summary>
/// Rationale scores and detectors on UKPConvArg1 (real crowd judgements with written reasons): do
/// annotators whose rationales score low agree less with the gold labels, and how often does each detector fire?
/// </summary>
internal static class RationaleBench
{
    private const int MinJudgements = 10;

    private sealed record Judgement(string Pair, string Worker, string Label, string Reason, double Seconds, DateTime Submitted);

    private sealed record Pair(string First, string Second, string? Gold);

    /// <summary>One judgement's rationale score, and whether it agrees with gold (null without gold).</summary>
    private sealed record Scored(RationaleScore Score, bool? Agrees);

    private sealed record Worker(
        string Name, int Judgements, double MeanScore, int GoldJudgements, int GoldAgreeing, TooFast TooFast, LengthBias LengthBias, VagueRationales Vague, Scored[] Scored)
    {
        public double Agreement => (double)GoldAgreeing / GoldJudgements;
    }

    public static int Run()
    {
        var clock = Stopwatch.StartNew();
        var folder = Path.Combine(RepositoryData.Folder, "ukpconvarg1");
        var arguments = ReadArguments(Path.Combine(folder, "arguments.jsonl"));
        var pairs = ReadPairs(Path.Combine(folder, "pairs.csv"));
        var judgements = ReadJudgements(Path.Combine(folder, "annotations.csv"));
        var workers = judgements
            .GroupBy(j => j.Worker, StringComparer.Ordinal)
            .Select(g => Measure(g.Key, [.. g.OrderBy(j => j.Submitted)], pairs, arguments))
            .OrderBy(w => w.MeanScore).ThenBy(w => w.Name, StringComparer.Ordinal)
            .ToList();
        var seconds = clock.Elapsed.TotalSeconds;

        var judged = workers.Where(w => w.Judgements >= MinJudgements && w.GoldJudgements > 0).ToList();
        var groups = new StringBuilder();
        groups.AppendLine("| annotators | count | mean rationale score | judgements | judgements with gold | agreement with gold (pooled) | mean of per-annotator agreement |");
        groups.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
        for (var q = 0; q < 4; q++)
        {
            var quartile = judged.Skip(q * judged.Count / 4).Take(((q + 1) * judged.Count / 4) - (q * judged.Count / 4)).ToList();
            groups.AppendLine(Row($"quartile {q + 1} of rationale score", quartile));
        }

        groups.AppendLine(Row($"all with ≥ {MinJudgements} judgements", judged));
        groups.AppendLine(Row($"fewer than {MinJudgements} judgements", workers.Where(w => w.Judgements < MinJudgements && w.GoldJudgements > 0).ToList()));

        var scored = workers.SelectMany(w => w.Scored).Where(s => s.Agrees is not null).ToList();
        var parts = new StringBuilder();
        parts.AppendLine("| judgements whose rationale … | judgements with gold | share of them | agreement with gold |");
        parts.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (label, test) in new (string, Func<RationaleScore, bool>)[]
        {
            ("scores below 0.25", s => s.Score < 0.25),
            ("scores 0.25 to 0.5", s => s.Score is >= 0.25 and < 0.5),
            ("scores 0.5 to 0.75", s => s.Score is >= 0.5 and < 0.75),
            ("scores 0.75 or more", s => s.Score >= 0.75),
            ($"is shorter than {RationaleQuality.FullLengthWords} words", s => s.Words < RationaleQuality.FullLengthWords),
            ("shares no content word with the arguments", s => s.SharedWords == 0),
            ("is half or more boilerplate", s => s.BoilerplateShare >= 0.5),
            ("nearly copies an earlier one of the same annotator", s => s.CopyOf is not null),
            ("(all)", _ => true),
        })
        {
            var group = scored.Where(s => test(s.Score)).ToList();
            parts.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {group.Count:N0} | {(double)group.Count / scored.Count:P1} | {(group.Count == 0 ? "–" : ((double)group.Count(s => s.Agrees == true) / group.Count).ToString("0.000", CultureInfo.InvariantCulture))} |"));
        }

        var rho = Spearman([.. judged.Select(w => w.MeanScore)], [.. judged.Select(w => w.Agreement)]);
        var lengthItems = workers.Sum(w => w.LengthBias.Items);
        var annotatorLonger = (double)workers.Sum(w => w.LengthBias.AnnotatorLonger) / lengthItems;
        var goldLonger = (double)workers.Sum(w => w.LengthBias.ConsensusLonger) / lengthItems;
        var hits = workers.Sum(w => w.TooFast.Tasks);
        var fastHits = workers.Sum(w => w.TooFast.BelowFloor);
        var detectors = new StringBuilder();
        detectors.AppendLine("| detector | annotators judged (enough evidence) | fired | firing rate | agreement with gold, fired | agreement with gold, not fired |");
        detectors.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        detectors.AppendLine(DetectorRow("too fast (1,000 words/min over the HIT's arguments, ≥ 20% of ≥ 10 HITs)", workers, w => w.TooFast));
        detectors.AppendLine(DetectorRow("length bias (one-sided binomial vs gold's rate, p < 0.01, ≥ 20 items)", workers, w => w.LengthBias));
        detectors.AppendLine(DetectorRow($"vague rationales (mean score < {VagueRationales.DefaultThreshold:0.00}, ≥ 5 rationales)", workers, w => w.Vague));
        detectors.AppendLine("| position bias | – | – | – | – | – |");

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"`{QualityBench.Machine()}`. {judgements.Count:N0} judgements by {workers.Count:N0} annotators, scored and tested in {seconds:0.0} s "
            + $"(reading included). Agreement with gold counts judgements on the {pairs.Values.Count(p => p.Gold is not null):N0} pairs that have a gold label; "
            + $"{judged.Count:N0} annotators have at least {MinJudgements} judgements and at least one with gold, split into quartiles by mean rationale score (lowest first).\n\n"
            + $"{groups}\nSpearman correlation between an annotator's mean rationale score and their agreement with gold, over the {judged.Count:N0} annotators: {rho:0.000}.\n\n"
            + $"The same question judgement by judgement, by score band and by the part of the score that is low:\n\n{parts}"
            + $"\nDetectors (each annotator judged only with the detector's minimum evidence; position bias needs the shown order, which the data does not record). The too-fast detector looks at HITs of three pairs; {fastHits:N0} of {hits:N0} HITs ({(double)fastHits / hits:P2}) were submitted faster than the reading floor. On the {lengthItems:N0} decisive judgements of decisive gold pairs whose arguments differ in length, annotators chose the longer argument {annotatorLonger:P1} of the time and gold {goldLonger:P1}:\n\n{detectors}");
        Console.WriteLine(summary);
        QualityBench.WriteSection("quality-rationales", summary);
        return 0;
    }

    private static Worker Measure(string name, Judgement[] judgements, Dictionary<string, Pair> pairs, Dictionary<string, string> arguments)
    {
        var scores = RationaleQuality.ScoreAnnotator(
            [.. judgements.Select(j => new RationaleInput(j.Reason, arguments[pairs[j.Pair].First] + "\n" + arguments[pairs[j.Pair].Second]))]);
        var withGold = judgements.Where(j => pairs[j.Pair].Gold is not null).ToList();
        // Judgements come in HITs of three pairs sharing one accept and one submit time, so the time is
        // spent on the whole HIT: each HIT is one task showing all of its arguments.
        var tooFast = TooFast.Detect(judgements
            .GroupBy(j => (j.Submitted, j.Seconds))
            .Select(hit => new TimedTask(hit.Key.Seconds, hit.Sum(j => arguments[pairs[j.Pair].First].Length + arguments[pairs[j.Pair].Second].Length))));

        // Length bias on decisive judgements of decisive gold pairs whose arguments differ in length;
        // the gold label (MACE over the crowd) stands for the consensus.
        var choices = new List<LengthChoice>();
        foreach (var j in withGold)
        {
            var pair = pairs[j.Pair];
            var (first, second) = (arguments[pair.First].Length, arguments[pair.Second].Length);
            if (j.Label != "equal" && pair.Gold != "equal" && first != second)
                choices.Add(new LengthChoice((j.Label == "a1") == (first > second), (pair.Gold == "a1") == (first > second)));
        }

        return new Worker(
            name, judgements.Length, scores.Average(s => s.Score), withGold.Count, withGold.Count(j => j.Label == pairs[j.Pair].Gold),
            tooFast, LengthBias.Detect(choices), VagueRationales.Detect(scores),
            [.. judgements.Select((j, i) => new Scored(scores[i], pairs[j.Pair].Gold is { } gold ? j.Label == gold : null))]);
    }

    private static string Row(string label, List<Worker> group)
    {
        if (group.Count == 0)
            return $"| {label} | 0 | – | – | – | – | – |";
        var gold = group.Sum(w => w.GoldJudgements);
        var agreeing = group.Sum(w => w.GoldAgreeing);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {group.Count:N0} | {group.Average(w => w.MeanScore):0.000} ({group.Min(w => w.MeanScore):0.00}–{group.Max(w => w.MeanScore):0.00}) | {group.Sum(w => w.Judgements):N0} | {gold:N0} | {(double)agreeing / gold:0.000} | {group.Where(w => w.GoldJudgements > 0).Average(w => w.Agreement):0.000} |");
    }

    private static string DetectorRow(string label, List<Worker> workers, Func<Worker, IDetection> detection)
    {
        var judged = workers.Where(w => w.GoldJudgements > 0 && Enough(detection(w))).ToList();
        var fired = judged.Where(w => detection(w).Fires).ToList();
        var quiet = judged.Where(w => !detection(w).Fires).ToList();
        static string Pooled(List<Worker> group) => group.Count == 0
            ? "–"
            : ((double)group.Sum(w => w.GoldAgreeing) / group.Sum(w => w.GoldJudgements)).ToString("0.000", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {judged.Count:N0} | {fired.Count:N0} | {(double)fired.Count / judged.Count:P1} | {Pooled(fired)} | {Pooled(quiet)} |");
    }

    /// <summary>Pearson correlation of the average ranks (ties share their mean rank).</summary>
    private static double Spearman(double[] x, double[] y)
    {
        var (rx, ry) = (Ranks(x), Ranks(y));
        var (mx, my) = (rx.Average(), ry.Average());
        var covariance = rx.Zip(ry, (a, b) => (a - mx) * (b - my)).Sum();
        return covariance / Math.Sqrt(rx.Sum(a => (a - mx) * (a - mx)) * ry.Sum(b => (b - my) * (b - my)));
    }

    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
                end++;
            for (var k = start; k <= end; k++)
                ranks[order[k]] = (start + end) / 2.0;
            start = end + 1;
        }

        return ranks;
    }

    private static bool Enough(IDetection detection) => detection switch
    {
        TooFast t => t.Tasks >= t.MinTasks,
        LengthBias l => l.Items >= l.MinItems,
        VagueRationales v => v.Rationales >= v.MinRationales,
        _ => throw new ArgumentException("unknown detector", nameof(detection)),
    };

    private static Dictionary<string, string> ReadArguments(string path)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            using var json = JsonDocument.Parse(line);
            texts.Add(json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("text").GetString()!);
        }

        return texts;
    }

    private static Dictionary<string, Pair> ReadPairs(string path)
    {
        var csv = CsvReader.Open(path);
        var c = csv.ReadHeader("pair", "arg1", "arg2", "gold");
        var pairs = new Dictionary<string, Pair>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var gold = csv[c[3]].Trim().ToString();
            pairs.Add(csv[c[0]].ToString(), new Pair(csv[c[1]].ToString(), csv[c[2]].ToString(), gold.Length == 0 ? null : gold));
        }

        return pairs;
    }

    private static List<Judgement> ReadJudgements(string path)
    {
        var csv = CsvReader.Open(path);
        var c = csv.ReadHeader("pair", "worker", "label", "reason", "accepted", "submitted");
        var judgements = new List<Judgement>();
        while (csv.Read())
        {
            var accepted = Time(csv[c[4]]);
            var submitted = Time(csv[c[5]]);
            judgements.Add(new Judgement(
                csv[c[0]].ToString(), csv[c[1]].ToString(), csv[c[2]].ToString(), csv[c[3]].ToString(), (submitted - accepted).TotalSeconds, submitted));
        }

        return judgements;
    }

    /// <summary>Times look like <c>2016-01-31 16:53:19.0 UTC</c>.</summary>
    private static DateTime Time(ReadOnlySpan<char> field) =>
        DateTime.ParseExact(field, "yyyy-MM-dd HH:mm:ss.f 'UTC'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
