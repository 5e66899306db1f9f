namespace Verity.Core.Quality;

/// <summary>
/// Bradley–Terry scores from pairwise comparisons, ties counted as half a win for each side.
/// Fitted by damped diagonal Newton steps on the log-strengths, with the common level solved exactly.
/// The noisy variant gives each worker a reliability r_w: with probability r_w the judgement
/// follows Bradley–Terry, otherwise it is a coin flip; r_w and the scores are fitted together by
/// EM (one Newton step per iteration), accelerated by SQUAREM (Varadhan and Roland 2008).
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
        var step = new Step(data, options, noisy);

        // The state: log-strengths of the items, then the reliabilities of the workers.
        var x = new double[n + data.WorkerCount];
        Array.Fill(x, noisy ? 0.8 : 1.0, n, data.WorkerCount);
        var x1 = new double[x.Length];
        var x2 = new double[x.Length];
        var iterations = 0;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            var change = step.Apply(x, x1);
            if (change <= options.Tolerance || !noisy)
            {
                (x, x1) = (x1, x);
                if (change <= options.Tolerance)
                    break;
                continue;
            }

            // EM alone creeps along the ridge where lower reliability trades against wider scores.
            // SQUAREM extrapolates along the last two steps and then takes an EM step from there.
            iterations += 2;
            step.Apply(x1, x2);
            double rr = 0, vv = 0;
            for (var j = 0; j < x.Length; j++)
            {
                var r = x1[j] - x[j];
                var v = x2[j] - x1[j] - r;
                rr += r * r;
                vv += v * v;
            }

            var alpha = vv > 0 ? Math.Min(-Math.Sqrt(rr / vv), -1) : -1;
            for (var j = 0; j < x.Length; j++)
            {
                var r = x1[j] - x[j];
                var v = x2[j] - x1[j] - r;
                x1[j] = x[j] - 2 * alpha * r + alpha * alpha * v;
                x1[j] = j < n ? Math.Max(x1[j], MinLogStrength) : Math.Clamp(x1[j], 1e-3, 1 - 1e-3);
            }

            if (step.Apply(x1, x) <= options.Tolerance)
                break;
        }

        var strength = x.AsSpan(0, n).ToArray().Select(Math.Exp).ToArray();
        return Summarize(data, options, strength, x.AsSpan(n).ToArray(), noisy, iterations);
    }

    /// <summary>One iteration: E-step for the reliabilities (noisy model), then a Newton step for the scores.</summary>
    private sealed class Step(PairwiseComparisons data, BradleyTerryOptions options, bool noisy)
    {
        private readonly int _parts = Math.Clamp(data.Count / 250_000, 1, 8);
        private readonly double[] _strength = new double[data.ItemCount];
        private double[][]? _gradients;
        private double[][]? _curvatures;
        private double[][]? _honest;
        private double[]? _total;

        /// <summary>Maps the state <paramref name="from"/> to <paramref name="to"/>; returns the largest change of a log-strength.</summary>
        public double Apply(double[] from, double[] to)
        {
            var n = data.ItemCount;
            for (var i = 0; i < n; i++)
                _strength[i] = Math.Exp(from[i]);
            _gradients ??= [.. Enumerable.Range(0, _parts).Select(_ => new double[n])];
            _curvatures ??= [.. Enumerable.Range(0, _parts).Select(_ => new double[n])];
            _honest ??= [.. Enumerable.Range(0, _parts).Select(_ => new double[data.WorkerCount])];
            Parallel.For(0, _parts, p => Accumulate(p, from));

            for (var w = 0; w < data.WorkerCount; w++)
            {
                var sum = 0.0;
                foreach (var part in _honest)
                    sum += part[w];

                // One honest and one random pseudo-judgement keep the reliability inside (0, 1).
                to[n + w] = noisy ? (sum + 1) / (Total()[w] + 2) : 1;
            }

            var logMean = 0.0;
            for (var i = 0; i < n; i++)
            {
                // The reference ties: P(i beats the reference) = π_i / (π_i + 1).
                var pReference = _strength[i] / (_strength[i] + 1);
                double gradient = options.PriorTies * (0.5 - pReference), curvature = options.PriorTies * pReference * (1 - pReference);
                for (var p = 0; p < _parts; p++)
                {
                    gradient += _gradients[p][i];
                    curvature += _curvatures[p][i];
                }

                // A damped diagonal Newton step on the log-strength. Hunter's MM steps crawl for items
                // that win (or lose) nearly always; Newton's step does not. The damping keeps the
                // Jacobi-style update convergent (the diagonally scaled Hessian has eigenvalues in [0, 2]).
                var move = curvature > 0 ? Math.Clamp(Damping * gradient / curvature, -MaxStep, MaxStep) : 0;
                to[i] = Math.Max(from[i] + move, MinLogStrength);
                logMean += to[i];
            }

            // Comparisons fix only differences of scores. Without reference ties the level is free
            // (fix the mean at zero); with them, only the ties set it, and the per-item steps would
            // move it by tiny amounts for thousands of iterations, so it is solved for exactly.
            var shift = options.PriorTies > 0 ? ReferenceLevel(to.AsSpan(0, n)) : -logMean / Math.Max(n, 1);
            var change = 0.0;
            for (var i = 0; i < n; i++)
            {
                to[i] += shift;
                change = Math.Max(change, Math.Abs(to[i] - from[i]));
            }

            return change;
        }

        private double[] Total()
        {
            if (_total is null)
            {
                _total = new double[data.WorkerCount];
                foreach (var w in data.WorkerOf)
                    _total[w]++;
            }

            return _total;
        }

        private void Accumulate(int p, double[] state)
        {
            var n = data.ItemCount;
            var g = _gradients![p];
            var h = _curvatures![p];
            var e = _honest![p];
            Array.Clear(g);
            Array.Clear(h);
            Array.Clear(e);
            var (lefts, rights, outcomes, workers, strength) = (data.LeftOf, data.RightOf, data.OutcomeOf, data.WorkerOf, _strength);
            var end = (int)((long)data.Count * (p + 1) / _parts);
            for (var c = (int)((long)data.Count * p / _parts); c < end; c++)
            {
                int l = lefts[c], r = rights[c];
                var pLeft = strength[l] / (strength[l] + strength[r]);
                double leftWins = outcomes[c], rightWins = 1 - outcomes[c];
                if (noisy)
                {
                    // E-step: the chance that each half of the judgement was honest, not a coin flip.
                    var rel = state[n + workers[c]];
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
        }
    }

    /// <summary>
    /// The common shift c of all log-strengths that maximizes the reference ties' likelihood:
    /// Newton's method on Σ_i (1/2 − σ(θ_i + c)) = 0, which has one root because the sum decreases in c.
    /// </summary>
    private static double ReferenceLevel(ReadOnlySpan<double> logStrength)
    {
        var c = 0.0;
        for (var step = 0; step < 50; step++)
        {
            double gradient = 0, curvature = 0;
            foreach (var theta in logStrength)
            {
                var p = 1 / (1 + Math.Exp(-(theta + c)));
                gradient += 0.5 - p;
                curvature += p * (1 - p);
            }

            var move = gradient / curvature;
            c += Math.Clamp(move, -5, 5);
            if (Math.Abs(move) < 1e-13)
                break;
        }

        return c;
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
