using Verity.Core.Work;

namespace Verity.Core.Labels;

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
