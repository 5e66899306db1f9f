using Verity.Core.Labels;
using Verity.Core.Work;

namespace Verity.Core.Exports;

/// <summary>The outcome for one item: a chosen/rejected pair, or the reason there is none.</summary>
public sealed record PreferenceOutcome(
    string? ChosenId, string? RejectedId, double Margin, double Agreement, int Annotators, SkipReason? Skipped);

/// <summary>The preference record of one pairwise item whose label the project's aggregation has decided.</summary>
public static class PreferenceAggregation
{
    /// <summary>
    /// The label is the chosen response. Margin is the mean strength toward it (a vote against counts negative, a
    /// tie zero), so a reward model trained with a margin term sees how decisively people preferred it; agreement is
    /// the share of answers that chose it.
    /// </summary>
    /// <param name="answers">The item's answers.</param>
    /// <param name="responseIds">The item's two response ids.</param>
    /// <param name="label">The item's label: a response id, "tie", or null when it has none.</param>
    /// <param name="confidence">The label's posterior; at most one half, the annotators have not settled the item.</param>
    public static PreferenceOutcome Decide(IReadOnlyList<PairwiseAnswer> answers, IReadOnlyList<string> responseIds, string? label, double confidence)
    {
        var n = answers.Count;
        if (n == 0 || label is null)
            return new(null, null, 0, 0, n, SkipReason.NotEnoughAnnotations);
        var agreement = (double)answers.Count(a => a.Choice == label) / n;
        if (confidence <= 0.5)
            return new(null, null, 0, agreement, n, SkipReason.SplitVote);
        if (label == PairwiseAnswer.Tie)
            return new(null, null, 0, agreement, n, SkipReason.Tie);
        if (!responseIds.Contains(label, StringComparer.Ordinal))
            throw new ArgumentException($"label {label} is not one of the responses", nameof(label));

        var rejected = responseIds.First(id => id != label);
        var margin = answers.Sum(a => a.Choice == label ? a.Strength ?? 0 : a.Choice == rejected ? -(a.Strength ?? 0) : 0) / (double)n;
        return new(label, rejected, margin, agreement, n, null);
    }
}
