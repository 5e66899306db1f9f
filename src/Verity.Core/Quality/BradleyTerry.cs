namespace Verity.Core.Quality;

/// <summary>
/// Bradley–Terry scores from pairwise comparisons, ties counted as half a win for each side.
/// Fitted with Hunter's (2004) MM algorithm, "MM algorithms for generalized Bradley–Terry models".
/// The noisy variant gives each worker a reliability r_w: with probability r_w the judgement
/// follows Bradley–Terry, otherwise it is a coin flip; r_w and the scores are fitted together by
/// EM (one MM step per iteration).
/// </summary>
public static class BradleyTerry
{
    /// <summary>Fits plain Bradley–Terry.</summary>
    public static PairwiseResult Fit(PairwiseComparisons data, BradleyTerryOptions? options = null) =>
        Run(data, options ?? BradleyTerryOptions.Default, noisy: false);

    /// <summary>Fits Bradley–Terry with a per-worker reliability.</summary>
    public static PairwiseResult FitNoisy(PairwiseComparisons data, BradleyTerryOptions? options = null) =>
        Run(data, options ?? BradleyTerryOptions.Default, noisy: true);

    private static PairwiseResult Run(PairwiseComparisons data, BradleyTerryOptions options, bool noisy)
    {
        var n = data.ItemCount;
        var parts = Math.Clamp(data.Count / 131_072, 1, 8);
        var strength = new double[n];
        Array.Fill(strength, 1.0);
        var reliability = new double[data.WorkerCount];
        Array.Fill(reliability, noisy ? 0.8 : 1.0);
        var wins = new double[parts][];
        var denominators = new double[parts][];
        var honest = new double[parts][];
        var iterations = 0;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            Parallel.For(0, parts, p =>
            {
                var w = wins[p] ??= new double[n];
                var d = denominators[p] ??= new double[n];
                var h = honest[p] ??= new double[data.WorkerCount];
                Array.Clear(w);
                Array.Clear(d);
                Array.Clear(h);
                var end = (int)((long)data.Count * (p + 1) / parts);
                for (var c = (int)((long)data.Count * p / parts); c < end; c++)
                {
                    int l = data.LeftOf[c], r = data.RightOf[c];
                    var y = data.OutcomeOf[c];
                    var sum = strength[l] + strength[r];
                    double leftWins = y, rightWins = 1 - y;
                    if (noisy)
                    {
                        // E-step: the chance that each half of the judgement was honest, not a coin flip.
                        var rel = reliability[data.WorkerOf[c]];
                        var pLeft = strength[l] / sum;
                        leftWins *= rel * pLeft / (rel * pLeft + (1 - rel) / 2);
                        rightWins *= rel * (1 - pLeft) / (rel * (1 - pLeft) + (1 - rel) / 2);
                        h[data.WorkerOf[c]] += leftWins + rightWins;
                    }

                    w[l] += leftWins;
                    w[r] += rightWins;
                    var weight = (leftWins + rightWins) / sum;
                    d[l] += weight;
                    d[r] += weight;
                }
            });

            if (noisy)
                UpdateReliability(data, honest, reliability);

            var change = 0.0;
            var logMean = 0.0;
            var next = new double[n];
            for (var i = 0; i < n; i++)
            {
                double win = options.PriorTies / 2, denominator = options.PriorTies / (strength[i] + 1);
                for (var p = 0; p < parts; p++)
                {
                    win += wins[p][i];
                    denominator += denominators[p][i];
                }

                // An item that never wins has no finite maximum-likelihood score; the floor keeps it finite.
                next[i] = Math.Max(win / denominator, 1e-12);
                logMean += Math.Log(next[i]);
            }

            // Without the reference ties the scale is free: fix the geometric mean at one.
            var scale = options.PriorTies > 0 ? 1 : Math.Exp(-logMean / n);
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
