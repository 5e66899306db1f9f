using System.Numerics;
using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

public class DetectorTests
{
    [Fact]
    public void binomial_test_matches_the_example_of_r_binom_test()
    {
        // R documentation of binom.test, Mendel's peas: binom.test(c(682, 243), p = 3/4) prints p-value = 0.3825.
        BinomialTest.TwoSided(682, 925, 0.75).ShouldBe(0.3825, 5e-5);
    }

    [Theory]
    [InlineData(60, 100, 0.5)]
    [InlineData(3, 20, 0.5)]
    [InlineData(9, 12, 0.375)]
    [InlineData(0, 10, 0.5)]
    [InlineData(40, 40, 0.5)]
    public void binomial_p_values_agree_with_exact_rational_arithmetic(int successes, int trials, double p)
    {
        // Probabilities as exact fractions: every p here is a binary fraction, so numerator / 2^20 is exact.
        var pmf = Enumerable.Range(0, trials + 1).Select(k => ExactPmf(k, trials, p)).ToArray();
        var twoSided = pmf.Where(x => x <= pmf[successes] * (1 + 1e-7)).Sum();
        var greater = pmf.Skip(successes).Sum();

        BinomialTest.TwoSided(successes, trials, p).ShouldBe(Math.Min(1, twoSided), 1e-12);
        BinomialTest.Greater(successes, trials, p).ShouldBe(Math.Min(1, greater), 1e-12);
    }

    [Fact]
    public void too_fast_fires_when_a_fifth_of_the_tasks_beat_the_reading_floor()
    {
        // 1,200 characters are 200 words: 12 seconds at 1,000 words a minute.
        TooFast.Floor(1200).ShouldBe(12, 1e-12);
        var tasks = Enumerable.Repeat(new TimedTask(60, 1200), 8).Concat(Enumerable.Repeat(new TimedTask(5, 1200), 2)).ToList();

        var result = TooFast.Detect(tasks);

        result.BelowFloor.ShouldBe(2);
        result.Fires.ShouldBeTrue();
        result.Evidence.ShouldContain("2 of 10 tasks");
        TooFast.Detect(tasks.Skip(1)).Fires.ShouldBeFalse("nine tasks are fewer than the minimum of ten");
        TooFast.Detect(tasks.Take(9).Append(new TimedTask(60, 1200))).Fires.ShouldBeFalse("one fast task in ten is below a fifth");
    }

    [Fact]
    public void position_bias_fires_only_on_a_significant_lean_with_enough_answers()
    {
        var lean = PositionBias.Detect(70, 100);
        var chance = PositionBias.Detect(58, 100);
        var few = PositionBias.Detect(10, 10);

        lean.Fires.ShouldBeTrue();
        lean.PValue.ShouldBe(BinomialTest.TwoSided(70, 100, 0.5));
        lean.Evidence.ShouldContain("70 of 100");
        chance.Fires.ShouldBeFalse();
        few.PValue.ShouldBeLessThan(0.01);
        few.Fires.ShouldBeFalse("ten answers are fewer than the minimum of twenty");
    }

    [Fact]
    public void position_bias_is_two_sided()
    {
        PositionBias.Detect(30, 100).PValue.ShouldBe(PositionBias.Detect(70, 100).PValue, 1e-12);
        PositionBias.Detect(30, 100).Fires.ShouldBeTrue();
    }

    [Fact]
    public void length_bias_compares_with_the_consensus_rate_not_with_one_half()
    {
        // The consensus chose the longer response on 24 of 30 items; so did this annotator: no bias.
        var agreeing = LengthBias.Detect(Choices(annotator: 24, consensus: 24, items: 30));
        // Always choosing the longer where the consensus did half the time is a bias.
        var biased = LengthBias.Detect(Choices(annotator: 30, consensus: 15, items: 30));

        agreeing.Fires.ShouldBeFalse();
        biased.Fires.ShouldBeTrue();
        biased.ConsensusRate.ShouldBe(16.0 / 32);
        biased.PValue.ShouldBe(BinomialTest.Greater(30, 30, 0.5), 1e-15);
        biased.Evidence.ShouldContain("30 of 30 items");
    }

    [Fact]
    public void length_bias_does_not_fire_on_an_annotator_who_prefers_shorter_responses() =>
        LengthBias.Detect(Choices(annotator: 0, consensus: 20, items: 30)).Fires.ShouldBeFalse();

    private static IEnumerable<LengthChoice> Choices(int annotator, int consensus, int items) =>
        Enumerable.Range(0, items).Select(i => new LengthChoice(i < annotator, i < consensus));

    private static double ExactPmf(int k, int n, double p)
    {
        // p = numerator / 2^bits exactly for the binary fractions used above.
        const int Bits = 20;
        var numerator = new BigInteger(p * (1 << Bits));
        var denominator = BigInteger.One << Bits;
        var ways = Enumerable.Range(1, k).Aggregate(BigInteger.One, (acc, i) => acc * (n - k + i) / i);
        var top = ways * BigInteger.Pow(numerator, k) * BigInteger.Pow(denominator - numerator, n - k);
        var bottom = BigInteger.Pow(denominator, n);
        return Math.Exp(BigInteger.Log(top) - BigInteger.Log(bottom));
    }
}
