using System.Globalization;

namespace Verity.Core.Quality;

/// <summary>One annotator's comparisons in one slice: answers that disagreed with the reference (the consensus of the
/// others, or the gold answer), out of the answers compared.</summary>
public sealed record SliceTally(string Slice, int Disagreements, int Compared);

/// <summary>
/// Fires when an annotator's disagreement concentrates in one slice beyond chance: the targeted flip of an annotator
/// who answers everything else well (and gold perfectly) shows as disagreement with everyone else in one topic. The
/// expected rate in the slice is the higher of the annotator's own rate elsewhere and the pooled rate of the other
/// annotators in that slice (so a slice that is hard for everyone is not held against anyone; pooled rather than a
/// median of per-annotator rates, which smoothing inflates when each has answered only a few); the evidence is an exact
/// one-sided binomial test, Bonferroni-corrected over every (annotator, slice) tested in the project, and the rate must
/// also exceed the expected one by <see cref="MinExcess"/>.
/// </summary>
/// <param name="Slice">The slice tested.</param>
/// <param name="Disagreements">Disagreements in the slice.</param>
/// <param name="Compared">Answers compared in the slice.</param>
/// <param name="Expected">The rate expected in the slice.</param>
/// <param name="ElsewhereRate">The annotator's own rate in the other slices (Laplace-smoothed).</param>
/// <param name="CrowdRate">The pooled rate of the other annotators in the slice (Laplace-smoothed), or null when fewer than <see cref="MinCrowd"/> answered there.</param>
/// <param name="PValue">One-sided exact binomial p-value of this many disagreements at the expected rate.</param>
/// <param name="Alpha">Family-wise error rate over the project.</param>
/// <param name="Tests">How many (annotator, slice) pairs were tested, the Bonferroni divisor.</param>
public sealed record SliceDisagreement(
    string Slice, int Disagreements, int Compared, double Expected, double ElsewhereRate, double? CrowdRate, double PValue, double Alpha, int Tests) : IDetection
{
    /// <summary>Fewest other annotators who answered in a slice for their pooled rate to be the crowd's rate there.</summary>
    public const int MinCrowd = 3;

    /// <summary>How far above the expected rate the slice's rate must be, whatever the p-value.</summary>
    public const double MinExcess = 0.2;

    /// <summary>Share of the slice's answers that disagreed.</summary>
    public double Rate => (double)Disagreements / Compared;

    /// <inheritdoc />
    public bool Fires => PValue < Alpha / Tests && Rate >= Expected + MinExcess;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"disagreed with the consensus or gold on {Disagreements} of {Compared} items in slice \"{Slice}\" ({Rate:P0}) where {Expected:P0} was expected "
        + $"(their rate elsewhere {ElsewhereRate:P0}, the others' pooled rate in this slice {(CrowdRate is { } c ? c.ToString("P0", CultureInfo.InvariantCulture) : "unknown")}); "
        + $"exact one-sided binomial p = {PValue:G3}; fires below p = {Alpha} / {Tests} tests (Bonferroni) and {MinExcess:P0} above the expected rate");

    /// <summary>
    /// Tests every annotator's slices and returns, per annotator in the order given, the test of their most surprising
    /// slice, or null when none had enough answers.
    /// </summary>
    /// <param name="annotators">Each annotator's tallies, one per slice they answered in.</param>
    /// <param name="alpha">Family-wise error rate over the whole project.</param>
    /// <param name="minCompared">Fewest answers in a slice (and outside it) for the slice to be tested.</param>
    public static IReadOnlyList<SliceDisagreement?> Detect(IReadOnlyList<IReadOnlyList<SliceTally>> annotators, double alpha = 0.01, int minCompared = 10)
    {
        var pooled = annotators.SelectMany(tallies => tallies)
            .GroupBy(t => t.Slice, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Disagreements: g.Sum(t => t.Disagreements), Compared: g.Sum(t => t.Compared), People: g.Count(t => t.Compared > 0)), StringComparer.Ordinal);
        var candidates = annotators.Select((tallies, a) =>
        {
            var disagreements = tallies.Sum(t => t.Disagreements);
            var compared = tallies.Sum(t => t.Compared);
            return tallies
                .Where(t => t.Compared >= minCompared && compared - t.Compared >= minCompared)
                .Select(t =>
                {
                    var elsewhere = (disagreements - t.Disagreements + 1.0) / (compared - t.Compared + 2.0);
                    var slice = pooled[t.Slice];
                    double? crowd = slice.People - 1 < MinCrowd ? null : (slice.Disagreements - t.Disagreements + 1.0) / (slice.Compared - t.Compared + 2.0);
                    return (Tally: t, Elsewhere: elsewhere, Crowd: crowd, Expected: Math.Max(elsewhere, crowd ?? 0));
                })
                .ToList();
        }).ToList();
        var tests = Math.Max(1, candidates.Sum(c => c.Count));
        return [.. candidates.Select(c => c.Count == 0 ? null : c
            .Select(t => new SliceDisagreement(t.Tally.Slice, t.Tally.Disagreements, t.Tally.Compared, t.Expected, t.Elsewhere, t.Crowd,
                BinomialTest.Greater(t.Tally.Disagreements, t.Tally.Compared, t.Expected), alpha, tests))
            .OrderBy(d => d.PValue).ThenBy(d => d.Slice, StringComparer.Ordinal)
            .First())];
    }

}
