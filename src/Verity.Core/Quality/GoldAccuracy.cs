using MathNet.Numerics.Distributions;

namespace Verity.Core.Quality;

/// <summary>
/// An annotator's accuracy on gold items as a Beta-binomial posterior: the prior Beta(a, b) stands
/// for what a typical annotator scores, so a handful of lucky golds moves the estimate only a little
/// and the credible interval stays wide until the evidence is real.
/// </summary>
/// <param name="Items">Gold items scored.</param>
/// <param name="Score">Sum of the per-item scores (each in [0,1]; partial credit counts as a fraction of a success).</param>
/// <param name="Mean">Posterior mean accuracy.</param>
/// <param name="Low">Lower end of the equal-tailed 95% credible interval.</param>
/// <param name="High">Upper end of the equal-tailed 95% credible interval.</param>
public sealed record GoldAccuracy(int Items, double Score, double Mean, double Low, double High)
{
    /// <summary>
    /// The default prior: Beta(8, 2), mean 0.8 (a typical trained annotator), worth ten gold items.
    /// </summary>
    public static readonly BetaPrior DefaultPrior = new(8, 2);

    /// <summary>The posterior after <paramref name="scores"/>, one per gold item, each in [0,1].</summary>
    public static GoldAccuracy Estimate(IEnumerable<double> scores, BetaPrior? prior = null)
    {
        var items = 0;
        var sum = 0.0;
        foreach (var score in scores)
        {
            if (!(score is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(nameof(scores), score, "gold scores must be in [0,1]");
            items++;
            sum += score;
        }

        var (a, b) = prior ?? DefaultPrior;
        var alpha = a + sum;
        var beta = b + items - sum;
        return new GoldAccuracy(items, sum, alpha / (alpha + beta), Beta.InvCDF(alpha, beta, 0.025), Beta.InvCDF(alpha, beta, 0.975));
    }
}

/// <summary>A Beta(A, B) prior on an accuracy: mean A / (A + B), worth A + B observations.</summary>
public sealed record BetaPrior
{
    /// <summary>Pseudo-successes and pseudo-failures, both positive.</summary>
    public BetaPrior(double a, double b)
    {
        if (!(a > 0) || !(b > 0) || double.IsInfinity(a) || double.IsInfinity(b))
            throw new ArgumentOutOfRangeException(nameof(a), "both Beta parameters must be finite and positive");
        A = a;
        B = b;
    }

    /// <summary>Pseudo-successes.</summary>
    public double A { get; }

    /// <summary>Pseudo-failures.</summary>
    public double B { get; }

    /// <summary>Splits the prior into its parameters.</summary>
    public void Deconstruct(out double a, out double b) => (a, b) = (A, B);
}
