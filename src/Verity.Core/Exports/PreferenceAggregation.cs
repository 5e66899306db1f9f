using Verity.Core.Work;

namespace Verity.Core.Exports;

/// <summary>Why an item produced no preference record.</summary>
public enum SkipReason
{
    /// <summary>Fewer submitted annotations than the project's overlap.</summary>
    NotEnoughAnnotations,

    /// <summary>The most common answer was a tie: there is no chosen response.</summary>
    Tie,

    /// <summary>Two answers share the most votes: the annotators did not settle it.</summary>
    SplitVote,
}

/// <summary>The outcome for one item: a chosen/rejected pair, or the reason there is none.</summary>
public sealed record PreferenceOutcome(
    string? ChosenId, string? RejectedId, double Margin, double Agreement, int Annotators, SkipReason? Skipped);

/// <summary>Majority vote over the pairwise answers of one item.</summary>
public static class PreferenceAggregation
{
    /// <summary>
    /// The winner needs strictly more votes than any other answer (ties count as an answer of their own).
    /// Margin is the mean strength toward the winner (a vote against counts negative, a tie zero), so a
    /// reward model trained with a margin term sees how decisively people preferred it; agreement is the
    /// winner's share of the votes.
    /// </summary>
    public static PreferenceOutcome Decide(IReadOnlyList<PairwiseAnswer> answers, IReadOnlyList<string> responseIds, int required)
    {
        var n = answers.Count;
        if (n < required || n == 0)
            return new(null, null, 0, 0, n, SkipReason.NotEnoughAnnotations);

        var counts = answers.GroupBy(a => a.Choice, StringComparer.Ordinal)
            .Select(g => (Choice: g.Key, Votes: g.Count()))
            .OrderByDescending(c => c.Votes)
            .ToList();
        var top = counts[0];
        var agreement = (double)top.Votes / n;
        if (counts.Count > 1 && counts[1].Votes == top.Votes)
            return new(null, null, 0, agreement, n, SkipReason.SplitVote);
        if (top.Choice == PairwiseAnswer.Tie)
            return new(null, null, 0, agreement, n, SkipReason.Tie);

        var rejected = responseIds.First(id => id != top.Choice);
        var margin = answers.Sum(a => a.Choice == top.Choice ? a.Strength ?? 0 : a.Choice == rejected ? -(a.Strength ?? 0) : 0) / (double)n;
        return new(top.Choice, rejected, margin, agreement, n, null);
    }
}
