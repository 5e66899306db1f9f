namespace Verity.Core.Labels;

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
