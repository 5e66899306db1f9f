namespace Verity.Core.Quality;

/// <summary>
/// Majority vote and weighted majority vote. The confidence is the (weighted) share of votes
/// for the chosen class; a worker's skill is the share of their labels that agree with the result.
/// </summary>
public static class MajorityVote
{
    /// <summary>Every label counts once.</summary>
    public static CategoricalResult Run(CategoricalLabels data, AggregationOptions? options = null) =>
        Run(data, ReadOnlySpan<double>.Empty, options);

    /// <summary>Each label counts with its worker's weight (non-negative, indexed by worker).</summary>
    public static CategoricalResult Run(CategoricalLabels data, ReadOnlySpan<double> workerWeights, AggregationOptions? options = null)
    {
        if (!workerWeights.IsEmpty)
        {
            if (workerWeights.Length != data.WorkerCount)
                throw new ArgumentException("one weight per worker is needed", nameof(workerWeights));
            foreach (var weight in workerWeights)
            {
                if (!(weight >= 0) || double.IsInfinity(weight))
                    throw new ArgumentException("weights must be finite and non-negative", nameof(workerWeights));
            }
        }

        var post = Posterior.Votes(data, workerWeights);
        var (labels, confidence) = Posterior.Decide(data, post, (options ?? AggregationOptions.Default).Seed);
        return new CategoricalResult(labels, confidence, post, Posterior.AgreementWithLabels(data, labels), null, 0);
    }
}
