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
    /// Every pair of responses that a strict majority of annotators ordered the same way; pairs the annotators
    /// split on are left out, because a training pair with no consensus teaches noise.
    /// </summary>
    public static IReadOnlyList<PreferencePair> ImpliedPairs(IReadOnlyList<RankingAnswer> answers, IReadOnlyList<string> ids)
    {
        var pairs = new List<PreferencePair>();
        for (var i = 0; i < ids.Count; i++)
        {
            for (var j = i + 1; j < ids.Count; j++)
            {
                var pair = Compare(answers, ids[i], ids[j]) ?? Compare(answers, ids[j], ids[i]);
                if (pair is not null)
                    pairs.Add(pair);
            }
        }

        return pairs.OrderByDescending(p => p.Agreement).ThenByDescending(p => p.Margin).ToList();
    }

    /// <summary>
    /// One pair: the response with the best mean rank against the one with the worst; null when either end is
    /// shared by two responses, or the annotators do not by majority put best above worst.
    /// </summary>
    public static PreferencePair? BestWorst(IReadOnlyList<RankingAnswer> answers, IReadOnlyList<string> ids)
    {
        var means = ids.Select(id => (Id: id, Mean: answers.Average(a => a.Ranks[id]))).OrderBy(m => m.Mean).ToList();
        if (means.Count < 2 || means[0].Mean == means[1].Mean || means[^1].Mean == means[^2].Mean)
            return null;
        return Compare(answers, means[0].Id, means[^1].Id);
    }

    private static PreferencePair? Compare(IReadOnlyList<RankingAnswer> answers, string chosen, string rejected)
    {
        var wins = answers.Count(a => a.Ranks[chosen] < a.Ranks[rejected]);
        var losses = answers.Count(a => a.Ranks[chosen] > a.Ranks[rejected]);
        if (wins * 2 <= answers.Count || wins <= losses)
            return null;
        var margin = answers.Average(a => a.Ranks[rejected] - a.Ranks[chosen]);
        return new PreferencePair(chosen, rejected, margin, (double)wins / answers.Count, answers.Count);
    }
}

/// <summary>Summary of one rating dimension for one response.</summary>
/// <param name="Spread">Population standard deviation of the scores.</param>
/// <param name="NotApplicable">How many annotators said N/A.</param>
public sealed record ScoreSummary(double Mean, double Median, double Spread, int Count, int NotApplicable);

/// <summary>Summarises rating scores.</summary>
public static class RatingAggregation
{
    /// <summary>Mean, median and spread of the scores given (N/A excluded); null when nobody gave a score.</summary>
    public static ScoreSummary? Summarise(IReadOnlyList<int?> scores)
    {
        var values = scores.Where(s => s.HasValue).Select(s => (double)s!.Value).Order().ToArray();
        if (values.Length == 0)
            return null;
        var mean = values.Average();
        var median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
        var spread = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        return new ScoreSummary(mean, median, spread, values.Length, scores.Count - values.Length);
    }
}

/// <summary>The labels decided for one item, with vote counts.</summary>
/// <param name="Confidence">Single-label: the winner's share. Multi-label: the weakest per-label majority.</param>
public sealed record ClassificationOutcome(IReadOnlyList<string> Labels, double Confidence, IReadOnlyDictionary<string, int> Votes, int Annotators, SkipReason? Skipped);

/// <summary>Majority vote over classification answers; a free-text answer counts as the label "other:TEXT".</summary>
public static class ClassificationAggregation
{
    /// <summary>Decides the labels of one item.</summary>
    public static ClassificationOutcome Decide(IReadOnlyList<ClassificationAnswer> answers, bool multiLabel, int required)
    {
        var n = answers.Count;
        var votes = answers.SelectMany(a => a.Other is null ? a.Labels : [.. a.Labels, $"other:{a.Other}"])
            .GroupBy(l => l, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (n < required || n == 0)
            return new([], 0, votes, n, SkipReason.NotEnoughAnnotations);

        if (!multiLabel)
        {
            var ordered = votes.ToList();
            if (ordered.Count > 1 && ordered[1].Value == ordered[0].Value)
                return new([], (double)ordered[0].Value / n, votes, n, SkipReason.SplitVote);
            return new([ordered[0].Key], (double)ordered[0].Value / n, votes, n, null);
        }

        var chosen = votes.Where(v => v.Value * 2 > n).Select(v => v.Key).ToList();
        var confidence = votes.Count == 0 ? 1 : votes.Values.Min(v => Math.Max(v, n - v) / (double)n);
        return new(chosen, confidence, votes, n, null);
    }
}
