using Verity.Core.Work;

namespace Verity.Core.Labels;

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
