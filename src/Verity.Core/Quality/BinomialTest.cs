using MathNet.Numerics.Distributions;

namespace Verity.Core.Quality;

/// <summary>Exact binomial tests, as R's <c>binom.test</c> computes them.</summary>
public static class BinomialTest
{
    // R's binom.test counts outcomes "as likely" as the observed one with this relative slack, so
    // that rounding in the probabilities does not drop the mirror-image outcome at p = 0.5.
    private const double RelativeError = 1 + 1e-7;

    /// <summary>
    /// Two-sided p-value of <paramref name="successes"/> in <paramref name="trials"/> under success
    /// probability <paramref name="p"/>: the total probability of every outcome no more likely than the observed one.
    /// </summary>
    public static double TwoSided(int successes, int trials, double p)
    {
        Check(successes, trials, p);
        var observed = Binomial.PMF(p, trials, successes);
        var total = 0.0;
        for (var k = 0; k <= trials; k++)
        {
            var probability = Binomial.PMF(p, trials, k);
            if (probability <= observed * RelativeError)
                total += probability;
        }

        return Math.Min(1, total);
    }

    /// <summary>One-sided p-value: the probability of <paramref name="successes"/> or more under <paramref name="p"/>.</summary>
    public static double Greater(int successes, int trials, double p)
    {
        Check(successes, trials, p);
        // Summing the tail itself keeps small p-values accurate, where 1 − CDF would cancel to zero.
        var total = 0.0;
        for (var k = successes; k <= trials; k++)
            total += Binomial.PMF(p, trials, k);
        return Math.Min(1, total);
    }

    private static void Check(int successes, int trials, double p)
    {
        if (trials < 0 || successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"need 0 ≤ successes ≤ trials ({trials})");
        if (!(p is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "a probability must be in [0,1]");
    }
}
