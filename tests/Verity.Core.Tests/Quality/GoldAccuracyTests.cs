using FsCheck.Xunit;
using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

public class GoldAccuracyTests
{
    [Fact]
    public void the_posterior_mean_adds_the_gold_scores_to_the_prior_counts()
    {
        var estimate = GoldAccuracy.Estimate([1, 1, 0, 0.5], new BetaPrior(8, 2));

        estimate.Items.ShouldBe(4);
        estimate.Score.ShouldBe(2.5);
        estimate.Mean.ShouldBe((8 + 2.5) / (8 + 2 + 4), 1e-12);
    }

    [Fact]
    public void three_lucky_golds_leave_the_interval_wide_and_the_mean_near_the_prior()
    {
        var lucky = GoldAccuracy.Estimate([1, 1, 1]);
        var proven = GoldAccuracy.Estimate(Enumerable.Repeat(1.0, 100));

        // Three of three is 100% raw, but the interval still holds the typical annotator's 0.8.
        lucky.Mean.ShouldBe(11.0 / 13, 1e-12);
        lucky.Low.ShouldBeLessThan(0.8);
        (lucky.High - lucky.Low).ShouldBeGreaterThan(0.3);
        proven.Low.ShouldBeGreaterThan(0.9);
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(7, 3)]
    [InlineData(40, 12)]
    public void the_interval_cuts_two_and_a_half_percent_of_the_posterior_on_each_side(int right, int wrong)
    {
        var estimate = GoldAccuracy.Estimate(Enumerable.Repeat(1.0, right).Concat(Enumerable.Repeat(0.0, wrong)));

        // Checked against the Beta(8 + right, 2 + wrong) density integrated numerically, independently of MathNet.
        BetaCdf(8 + right, 2 + wrong, estimate.Low).ShouldBe(0.025, 1e-6);
        BetaCdf(8 + right, 2 + wrong, estimate.High).ShouldBe(0.975, 1e-6);
    }

    [Property(MaxTest = 100)]
    public void the_mean_lies_inside_the_interval_and_more_right_answers_never_lower_it(int seed)
    {
        var random = new Random(seed);
        var scores = Enumerable.Range(0, random.Next(0, 30)).Select(_ => random.Next(2) * 1.0).ToList();
        var estimate = GoldAccuracy.Estimate(scores);
        var oneMore = GoldAccuracy.Estimate(scores.Append(1));

        estimate.Mean.ShouldBeInRange(estimate.Low, estimate.High);
        oneMore.Mean.ShouldBeGreaterThan(estimate.Mean);
        oneMore.Low.ShouldBeGreaterThan(estimate.Low);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void a_gold_score_outside_zero_to_one_is_refused(double score) =>
        Should.Throw<ArgumentOutOfRangeException>(() => GoldAccuracy.Estimate([score]));

    [Fact]
    public void a_prior_needs_positive_parameters() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new BetaPrior(0, 2));

    /// <summary>Composite Simpson's rule on the unnormalised density, divided by its integral over [0,1].</summary>
    private static double BetaCdf(int a, int b, double x)
    {
        static double Integral(int a, int b, double to)
        {
            const int Steps = 20_000;
            var h = to / Steps;
            var sum = 0.0;
            for (var i = 0; i <= Steps; i++)
            {
                var t = i * h;
                var weight = i == 0 || i == Steps ? 1 : i % 2 == 1 ? 4 : 2;
                sum += weight * Math.Pow(t, a - 1) * Math.Pow(1 - t, b - 1);
            }

            return sum * h / 3;
        }

        return Integral(a, b, x) / Integral(a, b, 1);
    }
}
