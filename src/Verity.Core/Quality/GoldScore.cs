using Verity.Core.Work;

namespace Verity.Core.Quality;

/// <summary>
/// How well one answer matches a reference answer of the same kind, in [0,1]: the measures the task kinds score
/// with, against gold answers and between an annotator's two answers to a repeated item.
/// </summary>
public static class GoldScore
{
    /// <summary>Default tolerance for rating dimensions: a score one step from the reference still counts.</summary>
    public const int DefaultRatingTolerance = 1;

    /// <summary>Jaccard index of two label sets (1 for two empty sets): exact for one label each, partial credit for several.</summary>
    public static double Jaccard(IReadOnlyList<string> answer, IReadOnlyList<string> reference)
    {
        var a = answer.ToHashSet(StringComparer.Ordinal);
        var r = reference.ToHashSet(StringComparer.Ordinal);
        var union = a.Count + r.Count - a.Count(r.Contains);
        return union == 0 ? 1 : (double)a.Count(r.Contains) / union;
    }

    /// <summary>Share of the reference's dimensions whose score is within ±<paramref name="tolerance"/> (N/A matches only N/A).</summary>
    public static double Rating(RatingAnswer answer, RatingAnswer reference, int tolerance = DefaultRatingTolerance)
    {
        if (reference.Scores.Count == 0)
            throw new ArgumentException("the reference rating has no dimensions", nameof(reference));
        var within = 0;
        foreach (var (dimension, expected) in reference.Scores)
        {
            var given = answer.Scores.GetValueOrDefault(dimension);
            if (expected is null ? given is null : given is not null && Math.Abs(given.Value - expected.Value) <= tolerance)
                within++;
        }

        return (double)within / reference.Scores.Count;
    }

    /// <summary>Kendall's τ-b between two rankings, mapped to [0,1] as (τ + 1) / 2.</summary>
    public static double Ranking(RankingAnswer answer, RankingAnswer reference) => (KendallTauB(answer, reference) + 1) / 2;

    /// <summary>
    /// Kendall's τ-b over the reference's responses (ties allowed on either side). When the
    /// reference ties every response τ-b is undefined; then only an answer that also ties them all scores 1.
    /// An answer that ties every response says nothing about the order and gets τ = 0.
    /// </summary>
    private static double KendallTauB(RankingAnswer answer, RankingAnswer reference)
    {
        var ids = reference.Ranks.Keys.ToArray();
        var given = ids.Select(id => answer.Ranks.TryGetValue(id, out var rank)
            ? rank
            : throw new ArgumentException($"the ranking does not rank response '{id}'", nameof(answer))).ToArray();
        var expected = ids.Select(id => reference.Ranks[id]).ToArray();
        long concordant = 0, discordant = 0, tiedGiven = 0, tiedExpected = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            for (var j = i + 1; j < ids.Length; j++)
            {
                var g = Math.Sign(given[i] - given[j]);
                var e = Math.Sign(expected[i] - expected[j]);
                if (g == 0)
                    tiedGiven++;
                if (e == 0)
                    tiedExpected++;
                if (g * e > 0)
                    concordant++;
                else if (g * e < 0)
                    discordant++;
            }
        }

        var pairs = (long)ids.Length * (ids.Length - 1) / 2;
        if (tiedExpected == pairs)
            return tiedGiven == pairs ? 1 : -1;
        if (tiedGiven == pairs)
            return 0;
        return (concordant - discordant) / Math.Sqrt((double)(pairs - tiedGiven) * (pairs - tiedExpected));
    }
}
