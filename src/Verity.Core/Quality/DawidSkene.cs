namespace Verity.Core.Quality;

/// <summary>
/// Dawid and Skene (1979), "Maximum likelihood estimation of observer error-rates using the EM
/// algorithm": every worker has a confusion matrix P(given label | true class), estimated by EM
/// together with the class prior. The one-coin variant gives each worker a single accuracy, with
/// errors spread evenly over the other classes: fewer parameters for workers with few labels.
/// </summary>
/// <remarks>
/// EM starts from the majority-vote posteriors, so no randomness is involved. The full matrices
/// are maximum a posteriori estimates under a prior favouring the diagonal. Confusion counts
/// get a small pseudo-count so that unseen classes, workers with one label and degenerate data
/// keep every probability positive (no zero, no NaN). A worker's skill is their estimated
/// accuracy, the prior-weighted diagonal of their confusion matrix.
/// </remarks>
public static class DawidSkene
{
    /// <summary>Pseudo-count added to every confusion cell and class-prior cell.</summary>
    internal const double Smoothing = 0.01;

    /// <summary>
    /// Extra pseudo-counts on the diagonal of every full confusion matrix: a Dirichlet prior that a
    /// worker is more often right than wrong. Workers with a handful of labels otherwise get
    /// confusion matrices fitted to noise; see BENCHMARKS.md for its effect on real sets.
    /// </summary>
    private const double DiagonalPrior = 2;

    /// <summary>Full confusion matrices.</summary>
    public static CategoricalResult Run(CategoricalLabels data, AggregationOptions? options = null) =>
        Fit(data, options ?? AggregationOptions.Default, oneCoin: false);

    /// <summary>One accuracy per worker.</summary>
    public static CategoricalResult RunOneCoin(CategoricalLabels data, AggregationOptions? options = null) =>
        Fit(data, options ?? AggregationOptions.Default, oneCoin: true);

    private static CategoricalResult Fit(CategoricalLabels data, AggregationOptions options, bool oneCoin)
    {
        var k = data.ClassCount;
        var chunks = Posterior.Chunks(data);
        var post = Posterior.Votes(data, ReadOnlySpan<double>.Empty);
        var prior = new double[k];

        // table[(w * K + given) * K + true] = P(given | true) for worker w: the E-step reads K
        // consecutive values per annotation.
        var table = new double[data.WorkerCount * k * k];

        // Confusion counts per chunk. The E-step adds each item's new posterior to them while the
        // item's labels are still in cache, saving the M-step a pass over all labels.
        var counts = oneCoin ? null : new double[chunks.Length - 1][];
        if (counts is not null)
        {
            Posterior.ForEachChunk(chunks, (p, first, end) =>
            {
                counts[p] = new double[table.Length];
                for (var i = first; i < end; i++)
                    AddCounts(data, i, post.AsSpan(i * k, k), counts[p]);
            });
        }

        var previous = double.NegativeInfinity;
        var iterations = 0;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            Posterior.EstimatePrior(post, prior, Smoothing);
            if (counts is null)
                OneCoinStep(data, post, table);
            else
                ConfusionStep(data, counts, table);

            var logLikelihood = ExpectationStep(data, chunks, prior, table, post, counts);
            if (Posterior.Converged(previous, logLikelihood, options.Tolerance))
                break;
            previous = logLikelihood;
        }

        var (labels, confidence) = Posterior.Decide(data, post, options.Seed);
        var confusion = new double[table.Length];
        var skill = new double[data.WorkerCount];
        for (var w = 0; w < data.WorkerCount; w++)
        {
            for (var t = 0; t < k; t++)
            {
                for (var g = 0; g < k; g++)
                    confusion[(w * k + t) * k + g] = table[(w * k + g) * k + t];
                skill[w] += prior[t] * table[(w * k + t) * k + t];
            }
        }

        return new CategoricalResult(labels, confidence, post, skill, confusion, iterations);
    }

    private static void ConfusionStep(CategoricalLabels data, double[][] counts, double[] table)
    {
        var k = data.ClassCount;
        // Chunks are added in a fixed order so the result does not depend on thread timing.
        Array.Fill(table, Smoothing);
        for (var w = 0; w < data.WorkerCount; w++)
        {
            for (var t = 0; t < k; t++)
                table[(w * k + t) * k + t] += DiagonalPrior;
        }

        foreach (var part in counts)
        {
            for (var j = 0; j < table.Length; j++)
                table[j] += part[j];
        }

        // Normalize over the given label for every worker and true class.
        for (var w = 0; w < data.WorkerCount; w++)
        {
            for (var t = 0; t < k; t++)
            {
                var sum = 0.0;
                for (var g = 0; g < k; g++)
                    sum += table[(w * k + g) * k + t];
                for (var g = 0; g < k; g++)
                    table[(w * k + g) * k + t] /= sum;
            }
        }
    }

    private static void OneCoinStep(CategoricalLabels data, double[] post, double[] table)
    {
        var k = data.ClassCount;
        var correct = new double[data.WorkerCount];
        var total = new double[data.WorkerCount];
        for (var a = 0; a < data.Count; a++)
        {
            correct[data.WorkerOf[a]] += post[data.ItemOf[a] * k + data.LabelOf[a]];
            total[data.WorkerOf[a]]++;
        }

        for (var w = 0; w < data.WorkerCount; w++)
        {
            // One pseudo-label right and one wrong (Beta(1, 1)) keeps the accuracy inside (0, 1).
            var accuracy = (correct[w] + 1) / (total[w] + 2);
            var error = k > 1 ? (1 - accuracy) / (k - 1) : 0;
            for (var g = 0; g < k; g++)
            {
                for (var t = 0; t < k; t++)
                    table[(w * k + g) * k + t] = g == t ? (k > 1 ? accuracy : 1) : error;
            }
        }
    }

    /// <summary>Posterior of every item's true class given the parameters; returns the log-likelihood.</summary>
    /// <remarks>When <paramref name="counts"/> is given, each chunk's confusion counts are rebuilt from the new posteriors.</remarks>
    internal static double ExpectationStep(CategoricalLabels data, int[] chunks, double[] prior, double[] table, double[] post, double[][]? counts)
    {
        var k = data.ClassCount;
        var logLikelihood = new double[chunks.Length - 1];
        Posterior.ForEachChunk(chunks, (p, first, end) =>
        {
            // Locals, not fields, in the hot loop: the JIT then keeps them in registers.
            var start = data.Start;
            var workers = data.WorkerOf;
            var labels = data.LabelOf;
            var likelihood = new LogSum();
            var chunkCounts = counts?[p];
            if (chunkCounts is not null)
                Array.Clear(chunkCounts);
            for (var i = first; i < end; i++)
            {
                var row = post.AsSpan(i * k, k);
                for (var t = 0; t < k; t++)
                    row[t] = prior[t];
                var logScale = 0.0;
                for (var a = start[i]; a < start[i + 1]; a++)
                {
                    var factors = table.AsSpan((workers[a] * k + labels[a]) * k, k);
                    for (var t = 0; t < k; t++)
                        row[t] *= factors[t];

                    // Products of many small probabilities underflow; rescale instead of using logs
                    // so the inner loop stays free of exp and log. Every factor is at least about
                    // 1e-7 (smoothing), so checking every eighth label is early enough.
                    if ((a & 7) == 7)
                        logScale += Rescale(row);
                }

                likelihood.Add(Posterior.Normalize(row), logScale);
                if (chunkCounts is not null)
                    AddCounts(data, i, row, chunkCounts);
            }

            logLikelihood[p] = likelihood.Value;
        });
        return logLikelihood.Sum();
    }

    /// <summary>Adds an item's posterior to the confusion counts of each worker who labelled it, under the label given.</summary>
    private static void AddCounts(CategoricalLabels data, int item, ReadOnlySpan<double> row, double[] counts)
    {
        var k = row.Length;
        var (start, workers, labels) = (data.Start, data.WorkerOf, data.LabelOf);
        for (var a = start[item]; a < start[item + 1]; a++)
        {
            var cell = counts.AsSpan((workers[a] * k + labels[a]) * k, k);
            for (var t = 0; t < k; t++)
                cell[t] += row[t];
        }
    }

    /// <summary>Multiplies a row by 1e150 when its largest entry falls below 1e-150; returns the log of the factor taken out.</summary>
    internal static double Rescale(Span<double> row)
    {
        var max = 0.0;
        foreach (var v in row)
            max = Math.Max(max, v);
        if (max >= 1e-150)
            return 0;
        foreach (ref var v in row)
            v *= 1e150;
        return -Math.Log(1e150);
    }

    /// <summary>Sums logarithms of many positive numbers with few calls to Math.Log, by multiplying them first.</summary>
    internal sealed class LogSum
    {
        private double _product = 1;
        private double _log;

        /// <summary>The sum so far.</summary>
        public double Value => _log + Math.Log(_product);

        /// <summary>Adds log(value) + logScale.</summary>
        public void Add(double value, double logScale)
        {
            _log += logScale;
            if (value is < 1e-100 or > 1e100)
            {
                _log += Math.Log(value);
                return;
            }

            _product *= value;
            if (_product is < 1e-200 or > 1e200)
            {
                _log += Math.Log(_product);
                _product = 1;
            }
        }
    }
}
