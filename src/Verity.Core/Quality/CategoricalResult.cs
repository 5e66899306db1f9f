namespace Verity.Core.Quality;

/// <summary>
/// The outcome of a categorical aggregation: for every item a label and its confidence
/// (the posterior probability of that label), and for every worker what the method estimated.
/// </summary>
/// <param name="Labels">Chosen class index per item.</param>
/// <param name="Confidence">Posterior probability of the chosen class per item.</param>
/// <param name="Posteriors">Item-by-class posterior probabilities, row-major (item * ClassCount + class).</param>
/// <param name="WorkerSkill">Per worker: the method's skill estimate (accuracy, ability or competence; see each method).</param>
/// <param name="WorkerConfusion">
/// Per worker confusion matrices for Dawid–Skene methods, row-major
/// (worker * K * K + trueClass * K + givenClass); null for methods without one.
/// </param>
/// <param name="Iterations">EM iterations run (0 for voting).</param>
public sealed record CategoricalResult(
    int[] Labels,
    double[] Confidence,
    double[] Posteriors,
    double[] WorkerSkill,
    double[]? WorkerConfusion,
    int Iterations);

/// <summary>Convergence settings shared by the iterative aggregation methods.</summary>
/// <param name="MaxIterations">Iteration cap.</param>
/// <param name="Tolerance">Stop when the log-likelihood changes by less than this fraction of its size.</param>
/// <param name="Seed">Seed for breaking exact ties between classes.</param>
public sealed record AggregationOptions(int MaxIterations = 100, double Tolerance = 1e-5, int Seed = 0)
{
    /// <summary>The defaults.</summary>
    public static AggregationOptions Default { get; } = new();
}
