using FsCheck.Xunit;
using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

public class AgreementTests
{
    /// <summary>
    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with 4 observers,
    /// 12 units and missing values ('.' is missing). Columns are units, rows observers A to D.
    /// </summary>
    private static readonly string[][] Krippendorff2011 =
    [
        ["1", "2", "3", "3", "2", "1", "4", "1", "2", ".", ".", "."],
        ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", ".", "3"],
        [".", "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", "."],
        ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", "."],
    ];

    /// <summary>
    /// The worked example of the Wikipedia article "Fleiss' kappa": 10 subjects, 14 raters each,
    /// 5 categories; the table gives how many raters put each subject in each category.
    /// </summary>
    private static readonly int[][] FleissExample =
    [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ];

    /// <summary>
    /// Fleiss (1971): 30 patients, each diagnosed by 6 psychiatrists into 5 categories, as the
    /// `diagnoses` data of R's irr package (one row per patient, one column per rater).
    /// </summary>
    private static readonly int[][] Diagnoses =
    [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ];

    /// <summary>
    /// The `anxiety` data of R's irr package: 20 subjects rated by 3 raters on a 1–6 scale
    /// (listed rater by rater: rater 1's 20 ratings, then rater 2's, then rater 3's).
    /// </summary>
    private static readonly int[] Anxiety =
    [
        3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3,
        3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4,
        2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2,
    ];

    [Fact]
    public void fleiss_kappa_matches_fleiss_1971_as_computed_by_r_irr()
    {
        // irr: kappam.fleiss(diagnoses) gives Kappa = 0.4302445 (seven digits printed).
        var ratings = Ratings.FromTriples(
            from patient in Enumerable.Range(0, Diagnoses.Length)
            from rater in Enumerable.Range(0, 6)
            select ($"p{patient}", $"r{rater}", Diagnoses[patient][rater].ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Agreement.FleissKappa(ratings).ShouldBe(0.4302445, 1e-7);
    }

    [Theory]
    [InlineData(KappaWeights.None, -0.006289308)]
    [InlineData(KappaWeights.Linear, 0.1459075)]
    [InlineData(KappaWeights.Quadratic, 0.2520325)]
    public void cohen_kappa_matches_r_irr_kappa2_on_the_anxiety_data(KappaWeights weights, double expected)
    {
        // irr: kappa2(anxiety[, 2:3]) with weights "unweighted", "equal" and "squared"; irr, like
        // this code, weights by the positions of the values present (1, 2, 3, 4, 6).
        var ratings = Ratings.FromTriples(
            from rater in Enumerable.Range(1, 2)
            from subject in Enumerable.Range(0, 20)
            select ($"s{subject}", $"r{rater}", Anxiety[rater * 20 + subject].ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Agreement.CohenKappa(ratings, weights).ShouldBe(expected, 1e-7);
    }

    [Theory]
    [InlineData(KappaWeights.None, 0.4842)]
    [InlineData(KappaWeights.Linear, 0.4701)]
    public void cohen_kappa_matches_the_sas_printout_for_a_three_by_three_table(KappaWeights weights, double expected)
    {
        // The SAS PROC FREQ example reproduced in statsmodels' tests: rows are rater A's category,
        // columns rater B's, counts [[0, 4, 1], [0, 8, 0], [0, 1, 5]]; SAS prints κ = 0.4842 and
        // weighted κ (Cicchetti–Allison, i.e. linear) = 0.4701, four decimals.
        int[][] table = [[0, 4, 1], [0, 8, 0], [0, 1, 5]];
        var rows = new List<(string, string, string)>();
        for (var a = 0; a < 3; a++)
        {
            for (var b = 0; b < 3; b++)
            {
                for (var c = 0; c < table[a][b]; c++)
                {
                    var item = $"u{rows.Count}";
                    rows.Add((item, "A", $"{a + 1}"));
                    rows.Add((item, "B", $"{b + 1}"));
                }
            }
        }

        Agreement.CohenKappa(Ratings.FromTriples(rows), weights).ShouldBe(expected, 0.00005);
    }

    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.743)]
    [InlineData(MeasurementLevel.Ordinal, 0.815)]
    [InlineData(MeasurementLevel.Interval, 0.849)]
    [InlineData(MeasurementLevel.Ratio, 0.797)]
    public void krippendorff_alpha_matches_krippendorff_2011_to_the_published_three_digits(MeasurementLevel level, double published)
    {
        // Krippendorff (2011) prints α to three decimals: nominal .743, ordinal .815, interval .849, ratio .797.
        Agreement.KrippendorffAlpha(ReliabilityData(Krippendorff2011), level).ShouldBe(published, 0.0005);
    }

    [Theory]
    [InlineData(MeasurementLevel.Nominal)]
    [InlineData(MeasurementLevel.Ordinal)]
    [InlineData(MeasurementLevel.Interval)]
    [InlineData(MeasurementLevel.Ratio)]
    public void krippendorff_alpha_matches_a_brute_force_pairing_of_values_to_1e_9(MeasurementLevel level)
    {
        Agreement.KrippendorffAlpha(ReliabilityData(Krippendorff2011), level)
            .ShouldBe(BruteForceAlpha(Krippendorff2011, level), 1e-9);
    }

    [Fact]
    public void krippendorff_alpha_nominal_is_exactly_the_fraction_worked_out_in_the_paper()
    {
        // The nominal case by hand, as the paper does it: n = 40 pairable values (unit 12 has one),
        // Σ o_cc = 32 agreeing coincidences (per unit Σ n_uc(n_uc − 1) / (m_u − 1): 3, 2, 4, 4, 4, 0,
        // 4, 2, 4, 3, 2), value totals n_1..n_5 = 9, 13, 10, 5, 3, and
        // α = 1 − (n − 1)(n − Σ o_cc) / (n² − Σ n_c²) = 1 − 312 / 1216 ≈ .743.
        var expected = 1 - (39.0 * (40 - 32)) / (40.0 * 40 - (9 * 9 + 13 * 13 + 10 * 10 + 5 * 5 + 3 * 3));

        Agreement.KrippendorffAlpha(ReliabilityData(Krippendorff2011), MeasurementLevel.Nominal).ShouldBe(expected, 1e-12);
    }

    [Fact]
    public void fleiss_kappa_matches_the_wikipedia_worked_example()
    {
        // The article gives P̄ = 0.378, P̄e = 0.213 and κ = 0.210 (three digits); the exact value is
        // (P̄ − P̄e) / (1 − P̄e) from the same table: Σ n_ij(n_ij − 1) = 688 over 10 · 14 · 13 pairs,
        // column totals 20, 28, 39, 21, 32 of 140.
        var pBar = 688.0 / (10 * 14 * 13);
        var pe = (20.0 * 20 + 28 * 28 + 39 * 39 + 21 * 21 + 32 * 32) / (140.0 * 140);
        var ratings = Ratings.FromTriples(
            from subject in Enumerable.Range(0, 10)
            from category in Enumerable.Range(0, 5)
            from rater in Enumerable.Range(0, FleissExample[subject][category])
            select ($"s{subject}", $"r{category}-{rater}", $"c{category}"));

        var kappa = Agreement.FleissKappa(ratings);

        kappa.ShouldBe(0.210, 0.0005);
        kappa.ShouldBe((pBar - pe) / (1 - pe), 1e-12);
        Agreement.PercentAgreement(ratings).ShouldBe(pBar, 1e-12);
    }

    [Fact]
    public void cohen_kappa_matches_the_textbook_two_by_two_example()
    {
        // The Wikipedia "Cohen's kappa" example: 50 applications, both say yes on 20, both no on 15,
        // A yes / B no on 5, A no / B yes on 10: p_o = 0.7, p_e = 0.5, κ = 0.4 exactly.
        var rows = new List<(string, string, string)>();
        void Add(int count, string a, string b)
        {
            for (var j = 0; j < count; j++)
            {
                var item = $"app{rows.Count}";
                rows.Add((item, "A", a));
                rows.Add((item, "B", b));
            }
        }

        Add(20, "yes", "yes");
        Add(5, "yes", "no");
        Add(10, "no", "yes");
        Add(15, "no", "no");
        var ratings = Ratings.FromTriples(rows);

        Agreement.CohenKappa(ratings).ShouldBe(0.4, 1e-12);
        Agreement.PercentAgreement(ratings).ShouldBe(0.7, 1e-12);
    }

    [Theory]
    [InlineData(KappaWeights.None)]
    [InlineData(KappaWeights.Linear)]
    [InlineData(KappaWeights.Quadratic)]
    public void weighted_cohen_kappa_matches_the_disagreement_form_of_cohen_1968(KappaWeights weights)
    {
        // Two raters, values 1..4, with some missing ratings.
        var random = new Random(4);
        var rows = new List<(string, string, string)>();
        for (var i = 0; i < 80; i++)
        {
            var truth = random.Next(1, 5);
            if (random.NextDouble() < 0.9)
                rows.Add(($"u{i}", "A", $"{Math.Clamp(truth + random.Next(-1, 2), 1, 4)}"));
            if (random.NextDouble() < 0.9)
                rows.Add(($"u{i}", "B", $"{Math.Clamp(truth + random.Next(-1, 2), 1, 4)}"));
        }

        var ratings = Ratings.FromTriples(rows);

        Agreement.CohenKappa(ratings, weights).ShouldBe(DisagreementKappa(rows, weights), 1e-12);
    }

    [Fact]
    public void percent_agreement_averages_the_agreeing_pairs_of_each_item()
    {
        var ratings = Ratings.FromTriples([("a", "r1", "x"), ("a", "r2", "x"), ("a", "r3", "y"), ("b", "r1", "z"), ("b", "r2", "z"), ("c", "r1", "x")]);

        // Item a: 1 agreeing pair of 3; item b: 1 of 1; item c has one rating and is skipped.
        Agreement.PercentAgreement(ratings).ShouldBe((1.0 / 3 + 1) / 2, 1e-12);
    }

    [Fact]
    public void perfect_agreement_gives_one_and_constant_ratings_are_undefined()
    {
        var perfect = Ratings.FromTriples([("a", "r1", "1"), ("a", "r2", "1"), ("b", "r1", "2"), ("b", "r2", "2")]);
        var constant = Ratings.FromTriples([("a", "r1", "1"), ("a", "r2", "1"), ("b", "r1", "1"), ("b", "r2", "1")]);

        Agreement.KrippendorffAlpha(perfect, MeasurementLevel.Interval).ShouldBe(1, 1e-12);
        Agreement.CohenKappa(perfect).ShouldBe(1, 1e-12);
        Agreement.FleissKappa(perfect).ShouldBe(1, 1e-12);
        double.IsNaN(Agreement.KrippendorffAlpha(constant, MeasurementLevel.Nominal)).ShouldBeTrue();
    }

    [Fact]
    public void bootstrap_interval_is_seeded_and_brackets_the_estimate()
    {
        var ratings = ReliabilityData(Krippendorff2011);
        double Alpha(Ratings r) => Agreement.KrippendorffAlpha(r, MeasurementLevel.Interval);

        var (low, high) = Agreement.Bootstrap(ratings, Alpha, 500, seed: 1);
        var again = Agreement.Bootstrap(ratings, Alpha, 500, seed: 1);
        var other = Agreement.Bootstrap(ratings, Alpha, 500, seed: 2);

        again.ShouldBe((low, high));
        other.ShouldNotBe((low, high));
        low.ShouldBeLessThan(Alpha(ratings));
        high.ShouldBeGreaterThan(Alpha(ratings));
        high.ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public void non_numeric_values_are_refused_at_the_interval_level_and_cohen_needs_two_raters()
    {
        var words = Ratings.FromTriples([("a", "r1", "low"), ("a", "r2", "high"), ("a", "r3", "high")]);

        Should.Throw<ArgumentException>(() => Agreement.KrippendorffAlpha(words, MeasurementLevel.Interval));
        Should.Throw<ArgumentException>(() => Agreement.CohenKappa(words));
    }

    [Property(MaxTest = 30)]
    public void coefficients_do_not_depend_on_row_order_or_on_names(int seed)
    {
        var random = new Random(seed);
        var rows = new List<(string Item, string Rater, string Value)>();
        for (var i = 0; i < 15; i++)
        {
            var truth = random.Next(1, 5);
            foreach (var rater in new[] { "A", "B" })
            {
                if (random.NextDouble() < 0.9)
                    rows.Add(($"u{i}", rater, $"{Math.Clamp(truth + random.Next(-1, 2), 1, 4)}"));
            }
        }

        var moved = rows.OrderBy(_ => random.Next()).Select(r => ("item " + r.Item, r.Rater == "A" ? "zed" : "amy", r.Value)).ToList();
        Func<Ratings, double>[] metrics =
        [
            Agreement.PercentAgreement,
            Agreement.FleissKappa,
            r => Agreement.CohenKappa(r, KappaWeights.Quadratic),
            r => Agreement.KrippendorffAlpha(r, MeasurementLevel.Ordinal),
            r => Agreement.KrippendorffAlpha(r, MeasurementLevel.Interval),
        ];

        foreach (var metric in metrics)
        {
            var a = metric(Ratings.FromTriples(rows));
            var b = metric(Ratings.FromTriples(moved));
            if (double.IsNaN(a))
                double.IsNaN(b).ShouldBeTrue();
            else
                b.ShouldBe(a, 1e-12);
        }
    }

    private static Ratings ReliabilityData(string[][] matrix) => Ratings.FromTriples(
        from rater in Enumerable.Range(0, matrix.Length)
        from unit in Enumerable.Range(0, matrix[rater].Length)
        where matrix[rater][unit] != "."
        select ($"u{unit}", $"r{rater}", matrix[rater][unit]));

    /// <summary>
    /// α = 1 − D_o / D_e straight from the definition, pairing every value with every other one:
    /// within units (weighted 1 / (m_u − 1)) for D_o, across all pairable values for D_e.
    /// </summary>
    private static double BruteForceAlpha(string[][] matrix, MeasurementLevel level)
    {
        var units = Enumerable.Range(0, matrix[0].Length)
            .Select(u => matrix.Select(row => row[u]).Where(v => v != ".").Select(double.Parse).ToArray())
            .Where(values => values.Length >= 2)
            .ToArray();
        var all = units.SelectMany(v => v).ToArray();
        double n = all.Length;
        var frequency = all.GroupBy(v => v).ToDictionary(g => g.Key, g => (double)g.Count());

        double Delta(double a, double b) => level switch
        {
            MeasurementLevel.Nominal => a == b ? 0 : 1,
            MeasurementLevel.Ordinal => Math.Pow(frequency.Where(f => f.Key >= Math.Min(a, b) && f.Key <= Math.Max(a, b)).Sum(f => f.Value) - (frequency[a] + frequency[b]) / 2, 2),
            MeasurementLevel.Interval => (a - b) * (a - b),
            _ => Math.Pow((a - b) / (a + b), 2),
        };

        var observed = 0.0;
        foreach (var values in units)
        {
            for (var i = 0; i < values.Length; i++)
            {
                for (var j = 0; j < values.Length; j++)
                {
                    if (i != j)
                        observed += Delta(values[i], values[j]) / (values.Length - 1);
                }
            }
        }

        var expected = 0.0;
        for (var i = 0; i < all.Length; i++)
        {
            for (var j = 0; j < all.Length; j++)
            {
                if (i != j)
                    expected += Delta(all[i], all[j]);
            }
        }

        return 1 - (observed / n) / (expected / (n * (n - 1)));
    }

    /// <summary>Cohen (1968): κ_w = 1 − Σ v_ij p_ij / Σ v_ij p_i. p_.j with disagreement weights v = 1 − w.</summary>
    private static double DisagreementKappa(List<(string Item, string Rater, string Value)> rows, KappaWeights weights)
    {
        var pairs = rows.GroupBy(r => r.Item, StringComparer.Ordinal)
            .Where(g => g.Count() == 2)
            .Select(g => (A: int.Parse(g.Single(r => r.Rater == "A").Value) - 1, B: int.Parse(g.Single(r => r.Rater == "B").Value) - 1))
            .ToArray();
        var k = rows.Select(r => r.Value).Distinct(StringComparer.Ordinal).Count();
        double V(int a, int b) => weights switch
        {
            KappaWeights.Linear => Math.Abs(a - b) / (double)(k - 1),
            KappaWeights.Quadratic => (a - b) * (a - b) / (double)((k - 1) * (k - 1)),
            _ => a == b ? 0 : 1,
        };

        var observed = pairs.Average(p => V(p.A, p.B));
        var expected = pairs.SelectMany(p => pairs, (p, q) => V(p.A, q.B)).Average();
        return 1 - observed / expected;
    }
}
