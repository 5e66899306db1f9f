using System.Globalization;

namespace Verity.Core.Quality;

/// <summary>
/// Fires when two annotators submit within <see cref="Window"/> seconds of each other far more often than two people
/// working independently would: accounts driven by one operator, or a group that works in step, move together. Over
/// the span both were active, a submission of A lands within the window of one of B's with probability at most
/// (B's submissions in the span × 2 × window / span) if they work independently; the coincidences among A's
/// submissions are tested against that with an exact one-sided binomial test, Bonferroni-corrected over the pairs.
/// It cannot tell two people who share a room and a rhythm from one operator, so it names a group (the influence cap
/// then counts them as one) and leaves quarantine to the owner.
/// </summary>
/// <param name="A">One annotator, by index.</param>
/// <param name="B">The other.</param>
/// <param name="Submissions">A's submissions in the span both were active.</param>
/// <param name="Coincident">Of which within the window of one of B's.</param>
/// <param name="Expected">The share independent work would make coincide.</param>
/// <param name="PValue">One-sided exact binomial p-value.</param>
/// <param name="Alpha">Family-wise error rate over the project.</param>
/// <param name="Tests">How many pairs were tested, the Bonferroni divisor.</param>
public sealed record CoordinatedTiming(int A, int B, int Submissions, int Coincident, double Expected, double PValue, double Alpha, int Tests) : IDetection
{
    /// <summary>Seconds apart that count as the same moment.</summary>
    public const double Window = 2;

    /// <summary>Fewest coincident submissions that can fire, whatever the p-value.</summary>
    public const int MinCoincident = 10;

    /// <inheritdoc />
    public bool Fires => Coincident >= MinCoincident && PValue < Alpha / Tests;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"{Coincident} of {Submissions} submissions in the span both worked came within {Window} s of one of the other's, where independent work would make {Expected:P1} coincide; "
        + $"exact one-sided binomial p = {PValue:G3}; fires below p = {Alpha} / {Tests} pairs (Bonferroni) with at least {MinCoincident}");

    /// <summary>Tests every pair of annotators; returns the pairs that fire.</summary>
    /// <param name="times">Each annotator's submission times in seconds, by index (any order).</param>
    /// <param name="alpha">Family-wise error rate.</param>
    public static IReadOnlyList<CoordinatedTiming> Detect(IReadOnlyList<IReadOnlyList<double>> times, double alpha = 0.01)
    {
        var sorted = times.Select(t => t.Order().ToArray()).ToList();
        var pairs = new List<(int A, int B, int Submissions, int Coincident, double Expected)>();
        for (var a = 0; a < sorted.Count; a++)
        {
            for (var b = a + 1; b < sorted.Count; b++)
            {
                if (sorted[a].Length == 0 || sorted[b].Length == 0)
                    continue;
                var start = Math.Max(sorted[a][0], sorted[b][0]);
                var end = Math.Min(sorted[a][^1], sorted[b][^1]);
                if (end - start <= 2 * Window)
                    continue;
                var mine = Within(sorted[a], start, end);
                var theirs = Within(sorted[b], start, end);
                if (mine.Length < MinCoincident || theirs.Length == 0)
                    continue;
                pairs.Add((a, b, mine.Length, CountCoincident(mine, theirs), Math.Min(1, theirs.Length * 2 * Window / (end - start))));
            }
        }

        return [.. pairs
            .Select(p => new CoordinatedTiming(p.A, p.B, p.Submissions, p.Coincident, p.Expected, BinomialTest.Greater(p.Coincident, p.Submissions, p.Expected), alpha, pairs.Count))
            .Where(c => c.Fires)];
    }

    private static double[] Within(double[] times, double start, double end) => [.. times.Where(t => t >= start && t <= end)];

    /// <summary>How many of <paramref name="mine"/> lie within the window of one of <paramref name="theirs"/> (both sorted).</summary>
    private static int CountCoincident(double[] mine, double[] theirs)
    {
        var count = 0;
        var j = 0;
        foreach (var t in mine)
        {
            while (j < theirs.Length && theirs[j] < t - Window)
                j++;
            if (j < theirs.Length && theirs[j] <= t + Window)
                count++;
        }

        return count;
    }
}
