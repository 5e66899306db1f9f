namespace Verity.Core.Quality;

/// <summary>
/// MACE, Hovy et al. (2013), "Learning Whom to Trust with MACE": each label is, with probability
/// θ_w, the true class, and otherwise a "spam" draw from the worker's own label distribution ξ_w.
/// Fitted by EM (not the paper's variational Bayes or random restarts) from the majority-vote
/// posteriors, with a uniform class prior as in the paper and a pseudo-count of one half on θ
/// and ξ. A worker's skill is the competence θ_w.
/// </summary>
public static class Mace
{
    private const double PseudoCount = 0.5;

    /// <summary>Runs MACE.</summary>
    public static CategoricalResult Run(CategoricalLabels data, AggregationOptions? options = null)
    {
        options ??= AggregationOptions.Default;
        var k = data.ClassCount;
        var chunks = Posterior.Chunks(data);
        var post = Posterior.Votes(data, ReadOnlySpan<double>.Empty);
        var prior = new double[k];
        Array.Fill(prior, 1.0 / k);
        var competence = new double[data.WorkerCount];
        Array.Fill(competence, 0.5);
        var spam = new double[data.WorkerCount * k];
        Array.Fill(spam, 1.0 / k);
        var table = new double[data.WorkerCount * k * k];
        Fill(table, competence, spam, k);

        var previous = double.NegativeInfinity;
        var iterations = 0;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            MaximizationStep(data, post, competence, spam);
            Fill(table, competence, spam, k);
            var logLikelihood = DawidSkene.ExpectationStep(data, chunks, prior, table, post, counts: null);
            if (Posterior.Converged(previous, logLikelihood, options.Tolerance))
                break;
            previous = logLikelihood;
        }

        var (labels, confidence) = Posterior.Decide(data, post, options.Seed);
        return new CategoricalResult(labels, confidence, post, competence, null, iterations);
    }

    /// <summary>P(given | true) = θ [given = true] + (1 − θ) ξ_given, in the layout of <see cref="DawidSkene.ExpectationStep"/>.</summary>
    private static void Fill(double[] table, double[] competence, double[] spam, int k)
    {
        for (var w = 0; w < competence.Length; w++)
        {
            for (var g = 0; g < k; g++)
            {
                var random = (1 - competence[w]) * spam[w * k + g];
                for (var t = 0; t < k; t++)
                    table[(w * k + g) * k + t] = random + (g == t ? competence[w] : 0);
            }
        }
    }

    private static void MaximizationStep(CategoricalLabels data, double[] post, double[] competence, double[] spam)
    {
        var k = data.ClassCount;
        var honest = new double[competence.Length];
        var total = new double[competence.Length];
        var spamCounts = new double[spam.Length];
        for (var a = 0; a < data.Count; a++)
        {
            var w = data.WorkerOf[a];
            var g = data.LabelOf[a];
            var random = (1 - competence[w]) * spam[w * k + g];

            // The label is honest only if the true class equals it and the worker did not spam.
            var trueIsGiven = post[data.ItemOf[a] * k + g];
            var notSpam = trueIsGiven * competence[w] / (competence[w] + random);
            honest[w] += notSpam;
            total[w]++;
            spamCounts[w * k + g] += 1 - notSpam;
        }

        for (var w = 0; w < competence.Length; w++)
        {
            competence[w] = (honest[w] + PseudoCount) / (total[w] + 2 * PseudoCount);
            var row = spam.AsSpan(w * k, k);
            for (var g = 0; g < k; g++)
                row[g] = spamCounts[w * k + g] + PseudoCount;
            Posterior.Normalize(row);
        }
    }
}
