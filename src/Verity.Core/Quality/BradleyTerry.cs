namespace Verity.Core.Quality;

/// <summary>
/// Bradley–Terry scores from pairwise comparisons, ties counted as half a win for each side.
/// Fitted by damped diagonal Newton steps on the log-strengths, with the common level solved exactly.
/// The noisy variant gives each worker a reliability r_w: with probability r_w the judgement
/// follows Bradley–Terry, otherwise it is a coin flip; r_w and the scores are fitted together by
/// EM (one Newton step per iteration).
/// </summary>
public static class BradleyTerry
{
    private const double Damping = 0.7;
    private const double MaxStep = 2;

    /// <summary>An item that never wins has no finite maximum-likelihood score; this floor keeps it finite.</summary>
    private const double MinLogStrength = -30;

    /// <summary>Fits plain Bradley–Terry.</summary>
    public static PairwiseResult Fit(PairwiseComparisons data, BradleyTerryOptions? options = null) =>
        Run(data, options ?? BradleyTerryOptions.Default, noisy: false);

    /// <summary>Fits Bradley–Terry with a per-worker reliability.</summary>
    public static PairwiseResult FitNoisy(PairwiseComparisons data, BradleyTerryOptions? options = null) =>
        Run(data, options ?? BradleyTerryOptions.Default, noisy: true);

    private static PairwiseResult Run(PairwiseComparisons data, BradleyTerryOptions options, bool noisy)
    {
        var n = data.ItemCount;
        var parts = Math.Clamp(data.Count / 250_000, 1, 8);
        var strength = new double[n];
        Array.Fill(strength, 1.0);
        var reliability = new double[data.WorkerCount];
        Array.Fill(reliability, noisy ? 0.8 : 1.0);
        var gradients = new double[parts][];
        var curvatures = new double[parts][];
        var honest = new double[parts][];
        var iterations = 0;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            Parallel.For(0, parts, p =>
            {
                var g = gradients[p] ??= new double[n];
                var h = curvatures[p] ??= new double[n];
                var e = honest[p] ??= new double[data.WorkerCount];
                Array.Clear(g);
                Array.Clear(h);
                Array.Clear(e);
                var (lefts, rights, outcomes, workers) = (data.LeftOf, data.RightOf, data.OutcomeOf, data.WorkerOf);
                var end = (int)((long)data.Count * (p + 1) / parts);
                for (var c = (int)((long)data.Count * p / parts); c < end; c++)
                {
                    int l = lefts[c], r = rights[c];
                    var pLeft = strength[l] / (strength[l] + strength[r]);
                    double leftWins = outcomes[c], rightWins = 1 - outcomes[c];
                    if (noisy)
                    {
                        // E-step: the chance that each half of the judgement was honest, not a coin flip.
                        var rel = reliability[workers[c]];
                        leftWins *= rel * pLeft / (rel * pLeft + (1 - rel) / 2);
                        rightWins *= rel * (1 - pLeft) / (rel * (1 - pLeft) + (1 - rel) / 2);
                        e[workers[c]] += leftWins + rightWins;
                    }

                    var weight = leftWins + rightWins;
                    g[l] += leftWins - weight * pLeft;
                    g[r] += rightWins - weight * (1 - pLeft);
                    var variance = weight * pLeft * (1 - pLeft);
                    h[l] += variance;
                    h[r] += variance;
                }
            });

            if (noisy)
                UpdateReliability(data, honest, reliability);

            var next = new double[n];
            var logMean = 0.0;
            for (var i = 0; i < n; i++)
            {
                // The reference ties: P(i beats the reference) = π_i / (π_i + 1).
                var pReference = strength[i] / (strength[i] + 1);
                double gradient = options.PriorTies * (0.5 - pReference), curvature = options.PriorTies * pReference * (1 - pReference);
                for (var p = 0; p < parts; p++)
                {
                    gradient += gradients[p][i];
                    curvature += curvatures[p][i];
                }

                // A damped diagonal Newton step on the log-strength. Hunter's MM steps crawl for items
                // that win (or lose) nearly always; Newton's step does not. The damping keeps the
                // Jacobi-style update convergent (the diagonally scaled Hessian has eigenvalues in [0, 2]).
                var step = curvature > 0 ? Math.Clamp(Damping * gradient / curvature, -MaxStep, MaxStep) : 0;
                var logStrength = Math.Max(Math.Log(strength[i]) + step, MinLogStrength);
                next[i] = Math.Exp(logStrength);
                logMean += logStrength;
            }

            // Comparisons fix only differences of scores. Without reference ties the level is free
            // (fix the geometric mean at one); with them, only the ties set it, and the per-item steps
            // would move it by tiny amounts for thousands of iterations, so it is solved for exactly.
            var scale = options.PriorTies > 0 ? ReferenceLevel(next) : Math.Exp(-logMean / n);
            var change = 0.0;
            for (var i = 0; i < n; i++)
            {
                next[i] *= scale;
                change = Math.Max(change, Math.Abs(Math.Log(next[i] / strength[i])));
            }

            strength = next;
            if (change <= options.Tolerance)
                break;
        }

        return Summarize(data, options, strength, reliability, noisy, iterations);
    }

    /// <summary>
    /// The common factor e^c that maximizes the reference ties' likelihood: Newton's method on
    /// Σ_i (1/2 − σ(log π_i + c)) = 0, which has one root because the sum decreases in c.
    /// </summary>
    private static double ReferenceLevel(double[] strength)
    {
        var c = 0.0;
        for (var step = 0; step < 50; step++)
        {
            double gradient = 0, curvature = 0;
            var factor = Math.Exp(c);
            foreach (var s in strength)
            {
                var p = s * factor / (s * factor + 1);
                gradient += 0.5 - p;
                curvature += p * (1 - p);
            }

            var move = gradient / curvature;
            c += Math.Clamp(move, -5, 5);
            if (Math.Abs(move) < 1e-13)
                break;
        }

        return Math.Exp(c);
    }

    private static void UpdateReliability(PairwiseComparisons data, double[][] honest, double[] reliability)
    {
        var total = new double[data.WorkerCount];
        foreach (var w in data.WorkerOf)
            total[w]++;
        for (var w = 0; w < reliability.Length; w++)
        {
            var sum = 0.0;
            foreach (var part in honest)
                sum += part[w];

            // One honest and one random pseudo-judgement keep the reliability inside (0, 1).
            reliability[w] = (sum + 1) / (total[w] + 2);
        }
    }

    private static PairwiseResult Summarize(PairwiseComparisons data, BradleyTerryOptions options, double[] strength, double[] reliability, bool noisy, int iterations)
    {
        var n = data.ItemCount;
        var scores = new double[n];
        for (var i = 0; i < n; i++)
            scores[i] = Math.Log(strength[i]);
        var mean = n > 0 ? scores.Average() : 0;
        for (var i = 0; i < n; i++)
            scores[i] -= mean;

        var information = new double[n];
        var agreement = new double[data.WorkerCount];
        var count = new double[data.WorkerCount];
        for (var c = 0; c < data.Count; c++)
        {
            int l = data.LeftOf[c], r = data.RightOf[c], w = data.WorkerOf[c];
            var pLeft = strength[l] / (strength[l] + strength[r]);
            var weight = noisy ? reliability[w] : 1;
            information[l] += weight * pLeft * (1 - pLeft);
            information[r] += weight * pLeft * (1 - pLeft);
            var y = data.OutcomeOf[c];
            agreement[w] += y * pLeft + (1 - y) * (1 - pLeft);
            count[w]++;
        }

        var errors = new double[n];
        for (var i = 0; i < n; i++)
        {
            var pReference = strength[i] / (strength[i] + 1);
            information[i] += options.PriorTies * pReference * (1 - pReference);
            errors[i] = 1 / Math.Sqrt(information[i]);
        }

        var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var ranks = new int[n];
        for (var position = 0; position < n; position++)
            ranks[order[position]] = position + 1;

        var skill = noisy ? reliability : agreement.Select((a, w) => count[w] > 0 ? a / count[w] : 0).ToArray();
        return new PairwiseResult(scores, errors, ranks, skill, iterations);
    }
}
