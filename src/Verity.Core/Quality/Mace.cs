using MathNet.Numerics;

namespace Verity.Core.Quality;

/// <summary>
/// MACE, Hovy, Berg-Kirkpatrick, Vaswani and Hovy (2013), "Learning Whom to Trust with MACE" (NAACL): each label
/// is, with probability θ_w, the true class ("knowing"), and otherwise a "spam" draw from the worker's own label
/// distribution ξ_w; the true class has a uniform prior. Fitted as the paper's reference implementation fits it:
/// variational Bayes with a Beta(0.5, 0.5) prior on θ_w and a symmetric Dirichlet(10) prior on ξ_w, from
/// <see cref="Restarts"/> random starts of at most <see cref="IterationsPerRestart"/> iterations each, keeping the
/// start whose fit has the highest log-likelihood. A worker's skill is the posterior mean of θ_w.
/// </summary>
/// <remarks>
/// The starts are pseudo-random, drawn from <see cref="AggregationOptions.Seed"/> and from what each worker did (how
/// many labels, how often the others agreed with them, how often they gave each class), never from names or the
/// order of the data: a seed always gives the same result, and renaming or reordering workers, items or classes
/// changes nothing, as with the other methods.
/// </remarks>
public static class Mace
{
    /// <summary>Random starts per fit, as in the reference implementation.</summary>
    public const int Restarts = 10;

    /// <summary>Iteration cap per start, as in the reference implementation (a start stops earlier once converged).</summary>
    public const int IterationsPerRestart = 50;

    // Beta prior on (guessing, knowing) and the Dirichlet prior on the spam strategy: the reference defaults.
    private const double GuessPrior = 0.5;
    private const double KnowPrior = 0.5;
    private const double StrategyPrior = 10;

    // A start draws every probability as 1 + InitialNoise × uniform, normalised: near uniform, so no start is
    // far from the others, but different enough for EM to settle in different optima.
    private const double InitialNoise = 0.5;

    /// <summary>Runs MACE. <see cref="CategoricalResult.Iterations"/> counts the iterations of every start.</summary>
    public static CategoricalResult Run(CategoricalLabels data, AggregationOptions? options = null)
    {
        options ??= AggregationOptions.Default;
        var k = data.ClassCount;
        var labelsPerWorker = new double[data.WorkerCount];
        foreach (var w in data.Workers)
            labelsPerWorker[w]++;

        var profiles = Profiles(data);
        var starts = new Start[Restarts];
        for (var r = 0; r < Restarts; r++)
            starts[r] = Start.Draw(data, profiles, options.Seed, r);

        // The starts run in parallel, each on one thread over all items in order, so their sums do not depend on the
        // machine. Each thread reuses one posterior buffer, and only the best fit's posterior is copied out. The
        // earlier start among equals wins, so the choice does not depend on thread timing either.
        var maxIterations = Math.Min(options.MaxIterations, IterationsPerRestart);
        var bestPosteriors = new double[data.ItemCount * k];
        (double LogLikelihood, int Restart, double[] KnowCounts)? best = null;
        var iterations = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(
            0,
            Restarts,
            parallel,
            () => new double[data.ItemCount * k],
            (r, _, post) =>
            {
                var (logLikelihood, knowCounts, runs) = Fit(data, labelsPerWorker, starts[r], post, maxIterations, options.Tolerance);
                lock (bestPosteriors)
                {
                    iterations += runs;
                    if (best is not { } b || logLikelihood > b.LogLikelihood || (logLikelihood == b.LogLikelihood && r < b.Restart))
                    {
                        best = (logLikelihood, r, knowCounts);
                        post.CopyTo(bestPosteriors, 0);
                    }
                }

                return post;
            },
            _ => { });

        var (labels, confidence) = Posterior.Decide(data, bestPosteriors, options.Seed);
        var skill = new double[data.WorkerCount];
        for (var w = 0; w < skill.Length; w++)
            skill[w] = (best!.Value.KnowCounts[w] + KnowPrior) / (labelsPerWorker[w] + GuessPrior + KnowPrior);
        return new CategoricalResult(labels, confidence, bestPosteriors, skill, null, iterations);
    }

    /// <summary>
    /// One start: EM from its parameters until converged or the cap, leaving the item posteriors in
    /// <paramref name="post"/>; returns the log-likelihood, the expected knowing labels per worker and the iterations.
    /// </summary>
    private static (double LogLikelihood, double[] KnowCounts, int Iterations) Fit(
        CategoricalLabels data, double[] labelsPerWorker, Start start, double[] post, int maxIterations, double tolerance)
    {
        var k = data.ClassCount;
        var (know, guess, strategy) = (start.Know, start.Guess, start.Strategy);
        var knowCounts = new double[know.Length];
        var strategyCounts = new double[strategy.Length];
        var logLikelihood = ExpectationStep(data, know, guess, strategy, post, knowCounts, strategyCounts);
        var iterations = 0;
        while (iterations < maxIterations)
        {
            iterations++;
            VariationalStep(k, labelsPerWorker, knowCounts, strategyCounts, know, guess, strategy);
            var previous = logLikelihood;
            logLikelihood = ExpectationStep(data, know, guess, strategy, post, knowCounts, strategyCounts);
            if (Posterior.Converged(previous, logLikelihood, tolerance))
                break;
        }

        return (logLikelihood, knowCounts, iterations);
    }

    /// <summary>
    /// Posterior of every item's true class, the expected count of labels each worker gave knowing, and the expected
    /// count of each label given as spam. Returns the log-likelihood.
    /// </summary>
    /// <remarks>
    /// P(label g | true t) = guess_w ξ_w(g) + know_w [g = t]. An item's likelihood of class t is then the product of
    /// every label's spam term times, for the labels that say t, the ratio (spam + know) / spam, so each label costs
    /// one multiplication, whatever the number of classes.
    /// </remarks>
    private static double ExpectationStep(
        CategoricalLabels data, double[] know, double[] guess, double[] strategy, double[] post, double[] knowing, double[] spamming)
    {
        var k = data.ClassCount;
        var logSpam = new double[strategy.Length];
        var ratio = new double[strategy.Length];
        var knowShare = new double[strategy.Length];
        for (var w = 0; w < know.Length; w++)
        {
            for (var g = 0; g < k; g++)
            {
                var spam = guess[w] * strategy[w * k + g];
                logSpam[w * k + g] = Math.Log(spam);
                ratio[w * k + g] = (spam + know[w]) / spam;
                knowShare[w * k + g] = know[w] / (spam + know[w]);
            }
        }

        // Locals, not fields, in the hot loop: the JIT then keeps them in registers.
        var start = data.Start;
        var workers = data.WorkerOf;
        var labels = data.LabelOf;
        var logPrior = -Math.Log(k);
        var likelihood = new DawidSkene.LogSum();
        Array.Clear(knowing);
        Array.Clear(spamming);
        for (var i = 0; i < data.ItemCount; i++)
        {
            var row = post.AsSpan(i * k, k);
            row.Fill(1);
            var logScale = logPrior;
            for (var a = start[i]; a < start[i + 1]; a++)
            {
                var cell = workers[a] * k + labels[a];
                row[labels[a]] *= ratio[cell];
                logScale += logSpam[cell];

                // Ratios exceed one, so long products overflow. The priors keep a worker's spam share above about
                // 1e-7 of its know share even after a million labels, so eight ratios stay far below 1e150 and
                // checking every eighth label is early enough.
                if ((a & 7) == 7)
                    logScale += Shrink(row);
            }

            likelihood.Add(Posterior.Normalize(row), logScale);
            for (var a = start[i]; a < start[i + 1]; a++)
            {
                var cell = workers[a] * k + labels[a];
                var knew = row[labels[a]] * knowShare[cell];
                knowing[workers[a]] += knew;
                spamming[cell] += 1 - knew;
            }
        }

        return likelihood.Value;
    }

    /// <summary>
    /// The variational M-step: each parameter becomes exp(ψ(count + prior) − ψ(total + priors)), the geometric mean
    /// under its posterior.
    /// </summary>
    private static void VariationalStep(
        int k, double[] labelsPerWorker, double[] knowing, double[] spamming, double[] know, double[] guess, double[] strategy)
    {
        for (var w = 0; w < know.Length; w++)
        {
            var total = SpecialFunctions.DiGamma(labelsPerWorker[w] + GuessPrior + KnowPrior);
            know[w] = Math.Exp(SpecialFunctions.DiGamma(knowing[w] + KnowPrior) - total);
            guess[w] = Math.Exp(SpecialFunctions.DiGamma(labelsPerWorker[w] - knowing[w] + GuessPrior) - total);
            var spamTotal = 0.0;
            for (var g = 0; g < k; g++)
                spamTotal += spamming[w * k + g];
            var strategyTotal = SpecialFunctions.DiGamma(spamTotal + k * StrategyPrior);
            for (var g = 0; g < k; g++)
                strategy[w * k + g] = Math.Exp(SpecialFunctions.DiGamma(spamming[w * k + g] + StrategyPrior) - strategyTotal);
        }
    }

    /// <summary>Divides a row by 1e150 when its largest entry exceeds 1e150; returns the log of the factor taken out.</summary>
    private static double Shrink(Span<double> row)
    {
        var max = 0.0;
        foreach (var v in row)
            max = Math.Max(max, v);
        if (max <= 1e150)
            return 0;
        foreach (ref var v in row)
            v *= 1e-150;
        return Math.Log(1e150);
    }

    /// <summary>
    /// Per worker, a hash of what they did that no renaming or reordering changes: their number of labels, the votes
    /// of everyone on the classes they gave, the votes on the items they labelled, and their class counts in sorted
    /// order. Everything counted in integers, so the hash is exact.
    /// </summary>
    private static ulong[] Profiles(CategoricalLabels data)
    {
        var k = data.ClassCount;
        var votes = new int[data.ItemCount * k];
        for (var a = 0; a < data.Count; a++)
            votes[data.ItemOf[a] * k + data.LabelOf[a]]++;
        var agreed = new long[data.WorkerCount];
        var seen = new long[data.WorkerCount];
        var counts = new int[data.WorkerCount * k];
        for (var a = 0; a < data.Count; a++)
        {
            var (i, w) = (data.ItemOf[a], data.WorkerOf[a]);
            agreed[w] += votes[i * k + data.LabelOf[a]];
            seen[w] += data.LabelCount(i);
            counts[w * k + data.LabelOf[a]]++;
        }

        var profiles = new ulong[data.WorkerCount];
        for (var w = 0; w < profiles.Length; w++)
        {
            var sorted = counts.AsSpan(w * k, k).ToArray();
            Array.Sort(sorted);
            var hash = Mix((ulong)agreed[w]) ^ (ulong)seen[w];
            foreach (var c in sorted)
                hash = Mix(hash ^ (ulong)c);
            profiles[w] = hash;
        }

        return profiles;
    }

    /// <summary>SplitMix64's finaliser: a well-mixed 64-bit hash of a 64-bit value.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform draw in [0, 1) from a hash.</summary>
    private static double Uniform(ulong hash) => (Mix(hash) >> 11) * (1.0 / (1UL << 53));

    /// <summary>The parameters one start begins from.</summary>
    private sealed record Start(double[] Know, double[] Guess, double[] Strategy)
    {
        /// <summary>
        /// Every probability 1 + noise, normalised. A class's draw is keyed by how often the worker gave it rather
        /// than by its index, so permuting the classes permutes the start.
        /// </summary>
        public static Start Draw(CategoricalLabels data, ulong[] profiles, int seed, int restart)
        {
            var k = data.ClassCount;
            var counts = new int[data.WorkerCount * k];
            for (var a = 0; a < data.Count; a++)
                counts[data.WorkerOf[a] * k + data.LabelOf[a]]++;
            var know = new double[data.WorkerCount];
            var guess = new double[data.WorkerCount];
            var strategy = new double[data.WorkerCount * k];
            var start = Mix(Mix((ulong)(uint)seed) ^ (ulong)restart);
            for (var w = 0; w < know.Length; w++)
            {
                var worker = Mix(start ^ profiles[w]);
                var g = 1 + InitialNoise * Uniform(worker ^ 1);
                var n = 1 + InitialNoise * Uniform(worker ^ 2);
                (guess[w], know[w]) = (g / (g + n), n / (g + n));
                var row = strategy.AsSpan(w * k, k);
                for (var c = 0; c < k; c++)
                    row[c] = 1 + InitialNoise * Uniform(Mix(worker ^ 3) ^ (ulong)counts[w * k + c]);
                Posterior.Normalize(row);
            }

            return new Start(know, guess, strategy);
        }
    }
}
