namespace Verity.Core.Quality;

/// <summary>
/// GLAD, Whitehill et al. (2009), "Whose vote should count more": worker w with ability α_w
/// labels item i of difficulty 1/β_i correctly with probability σ(α_w β_i), errors spread evenly
/// over the other classes. EM with one diagonal Newton step per M-step (a generalized EM), Gaussian
/// priors α ~ N(1, 1) and log β ~ N(0, 1). A worker's skill is α (negative: worse than chance).
/// </summary>
public static class Glad
{
    private const double MaxStep = 1;
    private const double ProbabilityFloor = 1e-9;

    /// <summary>Runs GLAD from the majority-vote posteriors.</summary>
    public static CategoricalResult Run(CategoricalLabels data, AggregationOptions? options = null)
    {
        options ??= AggregationOptions.Default;
        var k = data.ClassCount;
        var chunks = Posterior.Chunks(data);
        var post = Posterior.Votes(data, ReadOnlySpan<double>.Empty);
        // A uniform class prior, as in the paper: learning it lets a small set talk itself into one class.
        var prior = new double[k];
        Array.Fill(prior, 1.0 / k);
        var ability = new double[data.WorkerCount];
        Array.Fill(ability, 1.0);
        var logEase = new double[data.ItemCount];
        var gradient = new double[chunks.Length - 1][];
        var curvature = new double[chunks.Length - 1][];
        var previous = double.NegativeInfinity;
        var iterations = 0;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            MaximizationStep(data, chunks, post, ability, logEase, gradient, curvature);
            var logLikelihood = ExpectationStep(data, chunks, prior, ability, logEase, post);
            if (Posterior.Converged(previous, logLikelihood, options.Tolerance))
                break;
            previous = logLikelihood;
        }

        var (labels, confidence) = Posterior.Decide(data, post, options.Seed);
        return new CategoricalResult(labels, confidence, post, ability, null, iterations);
    }

    private static double Correct(double ability, double ease) =>
        Math.Clamp(1 / (1 + Math.Exp(-ability * ease)), ProbabilityFloor, 1 - ProbabilityFloor);

    private static void MaximizationStep(CategoricalLabels data, int[] chunks, double[] post, double[] ability, double[] logEase, double[][] gradient, double[][] curvature)
    {
        var k = data.ClassCount;
        Posterior.ForEachChunk(chunks, (p, first, end) =>
        {
            var g = gradient[p] ??= new double[ability.Length];
            var h = curvature[p] ??= new double[ability.Length];
            Array.Clear(g);
            Array.Clear(h);
            for (var i = first; i < end; i++)
            {
                var ease = Math.Exp(logEase[i]);
                double gi = 0, hi = 0;
                for (var a = data.Start[i]; a < data.Start[i + 1]; a++)
                {
                    var w = data.WorkerOf[a];
                    var sigma = Correct(ability[w], ease);
                    var residual = post[i * k + data.LabelOf[a]] - sigma;
                    var variance = sigma * (1 - sigma);
                    g[w] += residual * ease;
                    h[w] += variance * ease * ease;
                    var slope = ability[w] * ease;
                    gi += residual * slope;
                    hi += variance * slope * slope;
                }

                // Prior log β ~ N(0, 1); Fisher scoring keeps the step an ascent direction.
                logEase[i] += Math.Clamp((gi - logEase[i]) / (hi + 1), -MaxStep, MaxStep);
            }
        });

        for (var w = 0; w < ability.Length; w++)
        {
            // Prior α ~ N(1, 1).
            double g = 1 - ability[w], h = 1;
            for (var p = 0; p < gradient.Length; p++)
            {
                g += gradient[p][w];
                h += curvature[p][w];
            }

            ability[w] += Math.Clamp(g / h, -MaxStep, MaxStep);
        }
    }

    private static double ExpectationStep(CategoricalLabels data, int[] chunks, double[] prior, double[] ability, double[] logEase, double[] post)
    {
        var k = data.ClassCount;
        var spread = Math.Max(1, k - 1);
        var logLikelihood = new double[chunks.Length - 1];
        Posterior.ForEachChunk(chunks, (p, first, end) =>
        {
            var likelihood = new DawidSkene.LogSum();
            for (var i = first; i < end; i++)
            {
                var ease = Math.Exp(logEase[i]);
                var row = post.AsSpan(i * k, k);
                prior.CopyTo(row);
                var logScale = 0.0;
                for (var a = data.Start[i]; a < data.Start[i + 1]; a++)
                {
                    var sigma = Correct(ability[data.WorkerOf[a]], ease);
                    var wrong = (1 - sigma) / spread;
                    var given = data.LabelOf[a];
                    for (var t = 0; t < k; t++)
                        row[t] *= t == given ? sigma : wrong;

                    // Factors are at least 1e-9 (the floor), so checking every eighth label avoids underflow.
                    if ((a & 7) == 7)
                        logScale += DawidSkene.Rescale(row);
                }

                likelihood.Add(Posterior.Normalize(row), logScale);
            }

            logLikelihood[p] = likelihood.Value;
        });
        return logLikelihood.Sum();
    }
}
