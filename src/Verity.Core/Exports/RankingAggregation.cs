using Verity.Core.Work;

namespace Verity.Core.Exports;

/// <summary>A chosen/rejected pair derived from several annotators' answers.</summary>
/// <param name="Margin">Mean rank distance from rejected to chosen (positive favours the chosen).</param>
/// <param name="Agreement">Share of annotators who put the chosen response strictly above the rejected one.</param>
public sealed record PreferencePair(string ChosenId, string RejectedId, double Margin, double Agreement, int Annotators);

/// <summary>Turns rankings of one item into preference pairs.</summary>
public static class RankingAggregation
{
    /// <summary>
    /// Every pair of responses that a strict (weighted) majority of annotators ordered the same way; pairs the
    /// annotators split on are left out, because a training pair with no consensus teaches noise.
    /// </summary>
    /// <param name="answers">The rankings.</param>
    /// <param name="ids">The item's response ids.</param>
    /// <param name="weights">Each answer's weight (e.g. its annotator's trust); null counts every answer once.</param>
    public static IReadOnlyList<PreferencePair> ImpliedPairs(IReadOnlyList<RankingAnswer> answers, IReadOnlyList<string> ids, IReadOnlyList<double>? weights = null)
    {
        var pairs = new List<PreferencePair>();
        for (var i = 0; i < ids.Count; i++)
        {
            for (var j = i + 1; j < ids.Count; j++)
            {
                var pair = Compare(answers, weights, ids[i], ids[j]) ?? Compare(answers, weights, ids[j], ids[i]);
                if (pair is not null)
                    pairs.Add(pair);
            }
        }

        return pairs.OrderByDescending(p => p.Agreement).ThenByDescending(p => p.Margin).ToList();
    }

    /// <summary>
    /// One pair: the response with the best (weighted) mean rank against the one with the worst; null when either end
    /// is shared by two responses, or the annotators do not by majority put best above worst.
    /// </summary>
    /// <param name="answers">The rankings.</param>
    /// <param name="ids">The item's response ids.</param>
    /// <param name="weights">Each answer's weight; null counts every answer once.</param>
    public static PreferencePair? BestWorst(IReadOnlyList<RankingAnswer> answers, IReadOnlyList<string> ids, IReadOnlyList<double>? weights = null)
    {
        var means = Order(answers, ids, weights);
        if (means.Count < 2 || means[0].MeanRank == means[1].MeanRank || means[^1].MeanRank == means[^2].MeanRank)
            return null;
        return Compare(answers, weights, means[0].Id, means[^1].Id);
    }

    /// <summary>The responses from best to worst by weighted mean rank; empty when every weight is zero.</summary>
    public static IReadOnlyList<(string Id, double MeanRank)> Order(IReadOnlyList<RankingAnswer> answers, IReadOnlyList<string> ids, IReadOnlyList<double>? weights = null)
    {
        var w = Weights.Of(answers.Count, weights);
        var total = w.Sum();
        if (total <= 0)
            return [];
        return ids.Select(id => (Id: id, MeanRank: answers.Select((a, i) => a.Ranks[id] * w[i]).Sum() / total))
            .OrderBy(m => m.MeanRank).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
    }

    private static PreferencePair? Compare(IReadOnlyList<RankingAnswer> answers, IReadOnlyList<double>? weights, string chosen, string rejected)
    {
        var w = Weights.Of(answers.Count, weights);
        var total = w.Sum();
        var wins = answers.Select((a, i) => a.Ranks[chosen] < a.Ranks[rejected] ? w[i] : 0).Sum();
        var losses = answers.Select((a, i) => a.Ranks[chosen] > a.Ranks[rejected] ? w[i] : 0).Sum();
        if (total <= 0 || wins * 2 <= total || wins <= losses)
            return null;
        var margin = answers.Select((a, i) => (a.Ranks[rejected] - a.Ranks[chosen]) * w[i]).Sum() / total;
        return new PreferencePair(chosen, rejected, margin, wins / total, answers.Count);
    }
}

/// <summary>Answer weights: given, or one per answer.</summary>
internal static class Weights
{
    public static double[] Of(int count, IReadOnlyList<double>? weights)
    {
        if (weights is null)
            return Enumerable.Repeat(1.0, count).ToArray();
        if (weights.Count != count)
            throw new ArgumentException($"{weights.Count} weights for {count} answers", nameof(weights));
        return weights.Any(w => !(w >= 0) || double.IsInfinity(w))
            ? throw new ArgumentOutOfRangeException(nameof(weights), "weights must be finite and not negative")
            : [.. weights];
    }
}

/// <summary>Summary of one rating dimension for one response.</summary>
/// <param name="Spread">Population standard deviation of the scores.</param>
/// <param name="NotApplicable">How many annotators said N/A.</param>
public sealed record ScoreSummary(double Mean, double Median, double Spread, int Count, int NotApplicable);

/// <summary>Summarises rating scores.</summary>
public static class RatingAggregation
{
    /// <summary>
    /// Mean, median and spread of the scores given (N/A excluded), the mean and spread weighted; null when nobody
    /// with a weight above zero gave a score.
    /// </summary>
    /// <param name="scores">One score, or null for N/A, per answer.</param>
    /// <param name="weights">Each answer's weight (e.g. its annotator's trust); null counts every answer once.</param>
    public static ScoreSummary? Summarise(IReadOnlyList<int?> scores, IReadOnlyList<double>? weights = null)
    {
        var w = Weights.Of(scores.Count, weights);
        var given = scores.Select((s, i) => (Score: s, Weight: w[i])).Where(x => x.Weight > 0).ToList();
        var values = given.Where(x => x.Score.HasValue).Select(x => (Value: (double)x.Score!.Value, x.Weight)).OrderBy(x => x.Value).ToArray();
        if (values.Length == 0)
            return null;
        var total = values.Sum(v => v.Weight);
        var mean = values.Sum(v => v.Value * v.Weight) / total;
        var median = values.Length % 2 == 1 ? values[values.Length / 2].Value : (values[(values.Length / 2) - 1].Value + values[values.Length / 2].Value) / 2;
        var spread = Math.Sqrt(values.Sum(v => v.Weight * (v.Value - mean) * (v.Value - mean)) / total);
        return new ScoreSummary(mean, median, spread, values.Length, given.Count - values.Length);
    }
}

/// <summary>The labels decided for one item, with vote counts.</summary>
/// <param name="Confidence">Single-label: the winner's share. Multi-label: the weakest per-label majority.</param>
public sealed record ClassificationOutcome(IReadOnlyList<string> Labels, double Confidence, IReadOnlyDictionary<string, int> Votes, int Annotators, SkipReason? Skipped);

/// <summary>Majority vote over classification answers; a free-text answer counts as the label "other:TEXT".</summary>
public static class ClassificationAggregation
{
    /// <summary>Decides the labels of one item by (weighted) vote; votes are counted per answer whatever the weights.</summary>
    /// <param name="answers">The answers.</param>
    /// <param name="multiLabel">Whether an answer may hold several labels.</param>
    /// <param name="required">Fewer answers than this give no labels.</param>
    /// <param name="weights">Each answer's weight; null counts every answer once.</param>
    public static ClassificationOutcome Decide(IReadOnlyList<ClassificationAnswer> answers, bool multiLabel, int required, IReadOnlyList<double>? weights = null)
    {
        var n = answers.Count;
        var w = Weights.Of(n, weights);
        var given = answers.Select((a, i) => (Labels: a.Other is null ? a.Labels : [.. a.Labels, $"other:{a.Other}"], Weight: w[i])).ToList();
        var votes = given.SelectMany(g => g.Labels)
            .GroupBy(l => l, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var total = w.Sum();
        if (n < required || n == 0 || total <= 0)
            return new([], 0, votes, n, SkipReason.NotEnoughAnnotations);
        var weighted = votes.Keys.ToDictionary(l => l, l => given.Where(g => g.Labels.Contains(l, StringComparer.Ordinal)).Sum(g => g.Weight), StringComparer.Ordinal);

        if (!multiLabel)
        {
            var ordered = weighted.OrderByDescending(v => v.Value).ToList();
            if (ordered.Count > 1 && ordered[1].Value == ordered[0].Value)
                return new([], ordered[0].Value / total, votes, n, SkipReason.SplitVote);
            return new([ordered[0].Key], ordered[0].Value / total, votes, n, null);
        }

        var chosen = weighted.Where(v => v.Value * 2 > total).Select(v => v.Key).ToList();
        var confidence = weighted.Count == 0 ? 1 : weighted.Values.Min(v => Math.Max(v, total - v) / total);
        return new(chosen, confidence, votes, n, null);
    }
}
