using FsCheck.Xunit;
using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

public class BradleyTerryTests
{
    private static readonly string[] Journals = ["Biometrika", "Comm Statist", "JASA", "JRSS-B"];

    /// <summary>
    /// Citations among four statistics journals (Stigler 1994, Agresti 2002 p. 448), the `citations`
    /// data of R's BradleyTerry2: Cited[i][j] is how often journal i was cited by journal j, and a
    /// citation is a win for the cited journal.
    /// </summary>
    private static readonly int[][] Cited =
    [
        [714, 730, 498, 221],
        [33, 425, 68, 17],
        [320, 813, 1072, 142],
        [284, 276, 325, 188],
    ];

    [Fact]
    public void bradley_terry_matches_bradleyterry2_on_the_citations_data()
    {
        // BradleyTerry2's `citeModel <- BTm(cbind(win1, win2), journal1, journal2, data = citations.sf)`
        // reports abilities relative to Biometrika: Comm Statist −2.9491, JASA −0.4796, JRSS-B 0.2690
        // (four decimals printed, so compared to 5e-5).
        var fit = BradleyTerry.Fit(Citations(), new BradleyTerryOptions(PriorTies: 0, Tolerance: 1e-12));

        (fit.Scores[1] - fit.Scores[0]).ShouldBe(-2.9491, 5e-5);
        (fit.Scores[2] - fit.Scores[0]).ShouldBe(-0.4796, 5e-5);
        (fit.Scores[3] - fit.Scores[0]).ShouldBe(0.2690, 5e-5);
        fit.Ranks.ShouldBe([2, 4, 3, 1]);
        fit.Scores.Sum().ShouldBe(0, 1e-9);
    }

    [Fact]
    public void the_fit_solves_the_likelihood_equations_exactly()
    {
        // At the maximum-likelihood fit every journal's expected wins equal its observed wins.
        var data = Citations();
        var fit = BradleyTerry.Fit(data, new BradleyTerryOptions(PriorTies: 0, Tolerance: 1e-13));

        for (var i = 0; i < 4; i++)
        {
            double observed = 0, expected = 0;
            for (var j = 0; j < 4; j++)
            {
                if (i == j)
                    continue;
                var games = Cited[i][j] + Cited[j][i];
                observed += Cited[i][j];
                expected += games / (1 + Math.Exp(fit.Scores[j] - fit.Scores[i]));
            }

            expected.ShouldBe(observed, 1e-6);
        }
    }

    [Fact]
    public void a_tie_counts_as_half_a_win()
    {
        // a beats b once and ties once: 1.5 wins of 2, so P(a beats b) = 0.75 and s_a − s_b = ln 3.
        var data = new PairwiseComparisons(["a", "b"], ["w"], [0, 0], [0, 1], [1, 0], [1, 0.5]);

        var fit = BradleyTerry.Fit(data, new BradleyTerryOptions(PriorTies: 0, Tolerance: 1e-13));

        (fit.Scores[0] - fit.Scores[1]).ShouldBe(Math.Log(3), 1e-9);
    }

    [Fact]
    public void an_item_that_never_wins_stays_finite_with_the_default_prior()
    {
        var data = new PairwiseComparisons(["a", "b", "c"], ["w"], [0, 0, 0], [0, 1, 0], [1, 2, 2], [1, 1, 1]);

        var fit = BradleyTerry.Fit(data);

        fit.Scores.ShouldAllBe(s => double.IsFinite(s));
        fit.StandardErrors.ShouldAllBe(s => double.IsFinite(s) && s > 0);
        fit.Ranks.ShouldBe([1, 2, 3]);
    }

    [Fact]
    public void noisy_bradley_terry_finds_the_random_clicker_and_ranks_better()
    {
        var (data, truth) = Simulated(seed: 3, items: 40, comparisons: 6000, randomWorkers: 6, honestWorkers: 2);

        var plain = BradleyTerry.Fit(data);
        var noisy = BradleyTerry.FitNoisy(data);

        var honest = Enumerable.Range(0, data.WorkerCount).Where(w => data.WorkerNames[w].StartsWith("honest", StringComparison.Ordinal));
        var random = Enumerable.Range(0, data.WorkerCount).Where(w => data.WorkerNames[w].StartsWith("random", StringComparison.Ordinal));
        honest.Min(w => noisy.WorkerSkill[w]).ShouldBeGreaterThan(0.8);
        random.Max(w => noisy.WorkerSkill[w]).ShouldBeLessThan(0.2);
        Correlation(noisy.Scores, truth).ShouldBeGreaterThan(0.95);

        // Spread: random clicks shrink plain scores towards zero; the noisy model undoes that.
        Spread(noisy.Scores).ShouldBeGreaterThan(Spread(plain.Scores) * 1.5);
    }

    [Property(MaxTest = 20)]
    public void swapping_sides_and_reordering_comparisons_changes_nothing(int seed)
    {
        var (data, _) = Simulated(seed, items: 15, comparisons: 400, randomWorkers: 1, honestWorkers: 3);
        var random = new Random(seed);
        var order = Enumerable.Range(0, data.Count).OrderBy(_ => random.Next()).ToArray();
        var swapped = new PairwiseComparisons(
            data.ItemNames,
            data.WorkerNames,
            order.Select(c => data.Workers[c]).ToArray(),
            order.Select(c => data.Right[c]).ToArray(),
            order.Select(c => data.Left[c]).ToArray(),
            order.Select(c => 1 - data.Outcomes[c]).ToArray());

        foreach (var fit in new Func<PairwiseComparisons, PairwiseResult>[] { d => BradleyTerry.Fit(d), d => BradleyTerry.FitNoisy(d) })
        {
            var a = fit(data);
            var b = fit(swapped);
            for (var i = 0; i < data.ItemCount; i++)
            {
                b.Scores[i].ShouldBe(a.Scores[i], 1e-6);
                b.StandardErrors[i].ShouldBe(a.StandardErrors[i], 1e-6);
            }
        }
    }

    private static PairwiseComparisons Citations()
    {
        List<int> left = [], right = [];
        List<double> outcome = [];
        for (var i = 0; i < 4; i++)
        {
            for (var j = i + 1; j < 4; j++)
            {
                for (var c = 0; c < Cited[i][j]; c++)
                {
                    left.Add(i);
                    right.Add(j);
                    outcome.Add(1);
                }

                for (var c = 0; c < Cited[j][i]; c++)
                {
                    left.Add(i);
                    right.Add(j);
                    outcome.Add(0);
                }
            }
        }

        return new PairwiseComparisons(Journals, ["stigler"], new int[left.Count], left.ToArray(), right.ToArray(), outcome.ToArray());
    }

    private static (PairwiseComparisons Data, double[] Truth) Simulated(int seed, int items, int comparisons, int randomWorkers, int honestWorkers)
    {
        var random = new Random(seed);
        var truth = Enumerable.Range(0, items).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var workers = Enumerable.Range(0, honestWorkers).Select(w => $"honest{w}").Concat(Enumerable.Range(0, randomWorkers).Select(w => $"random{w}")).ToArray();
        List<int> who = [], left = [], right = [];
        List<double> outcome = [];
        for (var c = 0; c < comparisons; c++)
        {
            var w = random.Next(workers.Length);
            var l = random.Next(items);
            var r = (l + 1 + random.Next(items - 1)) % items;
            var p = w < honestWorkers ? 1 / (1 + Math.Exp(truth[r] - truth[l])) : 0.5;
            who.Add(w);
            left.Add(l);
            right.Add(r);
            outcome.Add(random.NextDouble() < p ? 1 : 0);
        }

        var names = Enumerable.Range(0, items).Select(i => $"item{i}").ToArray();
        return (new PairwiseComparisons(names, workers, who.ToArray(), left.ToArray(), right.ToArray(), outcome.ToArray()), truth);
    }

    private static double Spread(double[] scores) => scores.Max() - scores.Min();

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
