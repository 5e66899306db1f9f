using System.Globalization;

namespace Verity.Core.Quality;

/// <summary>One annotator's answers in one slice: real items compared with the consensus of the others, and gold items.</summary>
/// <param name="Slice">The slice.</param>
/// <param name="Disagreements">Answers to real items that disagreed with the consensus of the others.</param>
/// <param name="Compared">Answers to real items compared with such a consensus.</param>
/// <param name="GoldWrong">Gold answers that missed the gold answer.</param>
/// <param name="GoldSeen">Gold items answered.</param>
public sealed record SliceTally(string Slice, int Disagreements, int Compared, int GoldWrong = 0, int GoldSeen = 0);

/// <summary>
/// Fires when an annotator's disagreement concentrates in one slice beyond chance: the targeted flip of an annotator
/// who answers everything else well shows as disagreement with everyone else in one topic. The expected rate in the
/// slice is the higher of the annotator's own rate elsewhere and the pooled rate of the other annotators in that slice
/// (so a slice that is hard for everyone is not held against anyone). Each (annotator, slice) is tested twice: over
/// real and gold answers together, and over real answers alone, because an adversary who recognises gold answers it
/// right and so dilutes the first; the smaller p-value, doubled, is the pair's. The pairs of the whole project are then
/// cut at a false discovery rate (Benjamini–Hochberg), which keeps the share of honest annotators among the flagged
/// small without demanding of each adversary the evidence a Bonferroni bound over every pair would; on a project with
/// no adversary it bounds the chance of any false alarm as a family-wise rate does. The rate must also exceed the
/// expected one by <see cref="MinExcess"/>.
/// </summary>
/// <param name="Slice">The slice tested.</param>
/// <param name="Disagreements">Disagreements counted by the test that gave the p-value.</param>
/// <param name="Compared">Answers counted by that test.</param>
/// <param name="GoldIncluded">Whether that test counted gold answers with the real ones.</param>
/// <param name="Expected">The rate expected in the slice.</param>
/// <param name="ElsewhereRate">The annotator's own rate in the other slices (Laplace-smoothed).</param>
/// <param name="CrowdRate">The pooled rate of the other annotators in the slice (Laplace-smoothed), or null when fewer than <see cref="MinCrowd"/> answered there.</param>
/// <param name="PValue">The pair's p-value: the smaller exact one-sided binomial p-value of its tests, times the number of tests.</param>
/// <param name="Cut">The largest p-value the false discovery rate control accepts in this project (0 when it accepts none).</param>
/// <param name="Rate">The false discovery rate.</param>
/// <param name="Tests">How many (annotator, slice) pairs were tested.</param>
public sealed record SliceDisagreement(
    string Slice, int Disagreements, int Compared, bool GoldIncluded, double Expected, double ElsewhereRate, double? CrowdRate, double PValue, double Cut,
    double Rate, int Tests) : IDetection
{
    /// <summary>Fewest other annotators who answered in a slice for their pooled rate to be the crowd's rate there.</summary>
    public const int MinCrowd = 3;

    /// <summary>How far above the expected rate the slice's rate must be, whatever the p-value.</summary>
    public const double MinExcess = 0.2;

    /// <summary>Share of the counted answers that disagreed.</summary>
    public double Observed => (double)Disagreements / Compared;

    /// <inheritdoc />
    public bool Fires => PValue <= Cut && Observed >= Expected + MinExcess;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"disagreed with {(GoldIncluded ? "the consensus or gold" : "the consensus of the others")} on {Disagreements} of {Compared} {(GoldIncluded ? "items" : "real items")} "
        + $"in slice \"{Slice}\" ({Observed:P0}) where {Expected:P0} was expected "
        + $"(their rate elsewhere {ElsewhereRate:P0}, the others' pooled rate in this slice {(CrowdRate is { } c ? c.ToString("P0", CultureInfo.InvariantCulture) : "unknown")}); "
        + $"p = {PValue:G3} (exact one-sided binomial, the smaller of two tests, doubled); fires at p ≤ {Cut:G3}, the Benjamini–Hochberg cut for a "
        + $"false discovery rate of {Rate} over {Tests} annotator-slice pairs, and {MinExcess:P0} above the expected rate");

    /// <summary>
    /// Tests every annotator's slices and returns, per annotator in the order given, the test of their most surprising
    /// slice, or null when none had enough answers.
    /// </summary>
    /// <param name="annotators">Each annotator's tallies, one per slice they answered in.</param>
    /// <param name="rate">False discovery rate over the whole project.</param>
    /// <param name="minCompared">Fewest answers in a slice (and outside it) for the slice to be tested.</param>
    public static IReadOnlyList<SliceDisagreement?> Detect(IReadOnlyList<IReadOnlyList<SliceTally>> annotators, double rate = 0.01, int minCompared = 10)
    {
        var withGold = Side.Of(annotators, t => (t.Disagreements + t.GoldWrong, t.Compared + t.GoldSeen));
        var realOnly = Side.Of(annotators, t => (t.Disagreements, t.Compared));
        var candidates = annotators.Select((tallies, a) => tallies
            .Select(t =>
            {
                var all = withGold.Test(a, t, minCompared);
                // Without gold in the slice both tests count the same answers: one test, undoubled.
                var real = t.GoldSeen > 0 ? realOnly.Test(a, t, minCompared) : null;
                var tests = real is null ? 1 : 2;
                var best = real is not null && (all is null || real.Value.P < all.Value.P) ? real.Value with { GoldIncluded = false } : all;
                return best is { } b ? b with { P = Math.Min(1, b.P * tests) } : (Test?)null;
            })
            .OfType<Test>()
            .ToList()).ToList();

        var tests = Math.Max(1, candidates.Sum(c => c.Count));
        var sorted = candidates.SelectMany(c => c).Select(c => c.P).Order().ToList();
        var cut = 0.0;
        for (var k = sorted.Count; k >= 1; k--)
        {
            if (sorted[k - 1] <= k * rate / tests)
            {
                cut = sorted[k - 1];
                break;
            }
        }

        return [.. candidates.Select(c => c.Count == 0 ? null : c
            .Select(t => new SliceDisagreement(t.Slice, t.Disagreements, t.Compared, t.GoldIncluded, t.Expected, t.Elsewhere, t.Crowd, t.P, cut, rate, tests))
            .OrderBy(d => d.PValue).ThenBy(d => d.Slice, StringComparer.Ordinal)
            .First())];
    }

    private readonly record struct Test(string Slice, int Disagreements, int Compared, bool GoldIncluded, double Expected, double Elsewhere, double? Crowd, double P);

    /// <summary>One way of counting a tally's answers, with each annotator's totals and each slice's pooled totals under it.</summary>
    private sealed class Side
    {
        private readonly Func<SliceTally, (int Disagreements, int Compared)> _count;
        private readonly List<(int Disagreements, int Compared)> _totals;
        private readonly Dictionary<string, (int Disagreements, int Compared, int People)> _pooled;

        private Side(IReadOnlyList<IReadOnlyList<SliceTally>> annotators, Func<SliceTally, (int, int)> count)
        {
            _count = count;
            _totals = [.. annotators.Select(tallies => (tallies.Sum(t => count(t).Item1), tallies.Sum(t => count(t).Item2)))];
            _pooled = annotators.SelectMany(tallies => tallies)
                .GroupBy(t => t.Slice, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (g.Sum(t => count(t).Item1), g.Sum(t => count(t).Item2), g.Count(t => count(t).Item2 > 0)), StringComparer.Ordinal);
        }

        public static Side Of(IReadOnlyList<IReadOnlyList<SliceTally>> annotators, Func<SliceTally, (int, int)> count) => new(annotators, count);

        public Test? Test(int annotator, SliceTally tally, int minCompared)
        {
            var (disagreements, compared) = _count(tally);
            var (totalDisagreements, totalCompared) = _totals[annotator];
            if (compared < minCompared || totalCompared - compared < minCompared)
                return null;
            var elsewhere = (totalDisagreements - disagreements + 1.0) / (totalCompared - compared + 2.0);
            var slice = _pooled[tally.Slice];
            double? crowd = slice.People - 1 < MinCrowd ? null : (slice.Disagreements - disagreements + 1.0) / (slice.Compared - compared + 2.0);
            var expected = Math.Max(elsewhere, crowd ?? 0);
            return new Test(tally.Slice, disagreements, compared, true, expected, elsewhere, crowd, BinomialTest.Greater(disagreements, compared, expected));
        }
    }
}
