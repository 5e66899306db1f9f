namespace Verity.Core.Quality;

/// <summary>Measurement level for Krippendorff's α: it chooses the distance between two values.</summary>
public enum MeasurementLevel
{
    /// <summary>Values are categories: any two different values disagree fully.</summary>
    Nominal,

    /// <summary>Values are ranks: the distance counts the values lying between them.</summary>
    Ordinal,

    /// <summary>Values are numbers: squared difference.</summary>
    Interval,

    /// <summary>Values are numbers with a true zero: squared difference relative to the sum.</summary>
    Ratio,
}

/// <summary>Weights for Cohen's κ over ordered categories.</summary>
public enum KappaWeights
{
    /// <summary>Only exact agreement counts (Cohen 1960).</summary>
    None,

    /// <summary>Partial credit 1 − |i − j| / (k − 1) (Cohen 1968).</summary>
    Linear,

    /// <summary>Partial credit 1 − (i − j)² / (k − 1)².</summary>
    Quadratic,
}

/// <summary>
/// Inter-rater agreement. Items with fewer than two ratings carry no information about agreement
/// and are skipped. A coefficient is NaN when it is undefined (for example when every rating has
/// the same value, so chance agreement is already perfect).
/// </summary>
public static class Agreement
{
    /// <summary>Share of agreeing pairs of ratings, averaged over items (for two raters: the share of items they agree on).</summary>
    public static double PercentAgreement(Ratings ratings) => Pairwise(ratings).Observed;

    /// <summary>
    /// Fleiss' κ (Fleiss 1971, "Measuring nominal scale agreement among many raters"). Items may
    /// have different numbers of ratings; each item's agreement is over its own pairs.
    /// </summary>
    public static double FleissKappa(Ratings ratings)
    {
        var (observed, expected) = Pairwise(ratings);
        return (observed - expected) / (1 - expected);
    }

    /// <summary>
    /// Cohen's κ for exactly two raters over the items both rated, optionally weighted over the
    /// ordered values (weighted κ needs numeric values so that their order is meaningful).
    /// </summary>
    public static double CohenKappa(Ratings ratings, KappaWeights weights = KappaWeights.None)
    {
        if (ratings.RaterCount != 2)
            throw new ArgumentException($"Cohen's kappa needs exactly two raters, found {ratings.RaterCount}", nameof(ratings));
        if (weights != KappaWeights.None && ratings.NumericValues is null)
            throw new ArgumentException("weighted kappa needs numeric values", nameof(weights));

        var v = ratings.ValueNames.Length;
        var table = new double[v, v];
        var pairs = 0;
        for (var i = 0; i < ratings.ItemCount; i++)
        {
            int first = -1, second = -1;
            for (var r = ratings.Start[i]; r < ratings.Start[i + 1]; r++)
            {
                if (ratings.RaterOf[r] == 0 && first < 0)
                    first = ratings.ValueOf[r];
                else if (ratings.RaterOf[r] == 1 && second < 0)
                    second = ratings.ValueOf[r];
            }

            if (first >= 0 && second >= 0)
            {
                table[first, second]++;
                pairs++;
            }
        }

        var rows = new double[v];
        var columns = new double[v];
        for (var a = 0; a < v; a++)
        {
            for (var b = 0; b < v; b++)
            {
                rows[a] += table[a, b] / pairs;
                columns[b] += table[a, b] / pairs;
            }
        }

        double observed = 0, expected = 0;
        for (var a = 0; a < v; a++)
        {
            for (var b = 0; b < v; b++)
            {
                var credit = Credit(a, b, v, weights);
                observed += credit * table[a, b] / pairs;
                expected += credit * rows[a] * columns[b];
            }
        }

        return (observed - expected) / (1 - expected);
    }

    /// <summary>
    /// Krippendorff's α with missing values, from the coincidence matrix as in Krippendorff (2011),
    /// "Computing Krippendorff's Alpha-Reliability". Ordinal, interval and ratio levels need numeric values.
    /// Memory grows with the square of the number of distinct values.
    /// </summary>
    public static double KrippendorffAlpha(Ratings ratings, MeasurementLevel level)
    {
        if (level != MeasurementLevel.Nominal && ratings.NumericValues is null)
            throw new ArgumentException($"the {level.ToString().ToLowerInvariant()} level needs numeric values", nameof(level));

        var v = ratings.ValueNames.Length;
        var coincidence = new double[v, v];
        var counts = new int[v];
        var present = new List<int>();
        for (var i = 0; i < ratings.ItemCount; i++)
        {
            var m = ratings.Start[i + 1] - ratings.Start[i];
            if (m < 2)
                continue;
            present.Clear();
            for (var r = ratings.Start[i]; r < ratings.Start[i + 1]; r++)
            {
                if (counts[ratings.ValueOf[r]]++ == 0)
                    present.Add(ratings.ValueOf[r]);
            }

            foreach (var c in present)
            {
                foreach (var k in present)
                    coincidence[c, k] += (double)counts[c] * (counts[k] - (c == k ? 1 : 0)) / (m - 1);
            }

            foreach (var c in present)
                counts[c] = 0;
        }

        var marginals = new double[v];
        var total = 0.0;
        for (var c = 0; c < v; c++)
        {
            for (var k = 0; k < v; k++)
                marginals[c] += coincidence[c, k];
            total += marginals[c];
        }

        double observed = 0, expected = 0;
        for (var c = 0; c < v; c++)
        {
            for (var k = 0; k < v; k++)
            {
                if (c == k)
                    continue;
                var distance = Distance(c, k, level, ratings.NumericValues, marginals);
                observed += coincidence[c, k] * distance;
                expected += marginals[c] * marginals[k] * distance;
            }
        }

        return 1 - (total - 1) * observed / expected;
    }

    /// <summary>
    /// Percentile bootstrap 95% interval: resamples items with replacement <paramref name="samples"/>
    /// times with a seeded generator and takes the 2.5th and 97.5th percentiles of the metric
    /// (samples where the metric is undefined are left out).
    /// </summary>
    public static (double Low, double High) Bootstrap(Ratings ratings, Func<Ratings, double> metric, int samples, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var random = new Random(seed);
        var values = new List<double>(samples);
        var picked = new int[ratings.ItemCount];
        for (var s = 0; s < samples; s++)
        {
            for (var j = 0; j < picked.Length; j++)
                picked[j] = random.Next(ratings.ItemCount);
            var value = metric(ratings.Resample(picked));
            if (!double.IsNaN(value))
                values.Add(value);
        }

        if (values.Count == 0)
            return (double.NaN, double.NaN);
        values.Sort();
        return (Percentile(values, 0.025), Percentile(values, 0.975));
    }

    /// <summary>Mean per-item share of agreeing pairs, and the chance of a random pair agreeing.</summary>
    private static (double Observed, double Expected) Pairwise(Ratings ratings)
    {
        var v = ratings.ValueNames.Length;
        var counts = new int[v];
        var totals = new double[v];
        double agreement = 0, ratingsUsed = 0;
        var items = 0;
        for (var i = 0; i < ratings.ItemCount; i++)
        {
            var m = ratings.Start[i + 1] - ratings.Start[i];
            if (m < 2)
                continue;
            Array.Clear(counts);
            for (var r = ratings.Start[i]; r < ratings.Start[i + 1]; r++)
                counts[ratings.ValueOf[r]]++;
            var agreeing = 0.0;
            for (var c = 0; c < v; c++)
            {
                agreeing += (double)counts[c] * (counts[c] - 1);
                totals[c] += counts[c];
            }

            agreement += agreeing / ((double)m * (m - 1));
            ratingsUsed += m;
            items++;
        }

        var expected = 0.0;
        foreach (var t in totals)
            expected += t / ratingsUsed * (t / ratingsUsed);
        return (agreement / items, expected);
    }

    private static double Credit(int a, int b, int v, KappaWeights weights) => weights switch
    {
        KappaWeights.Linear => 1 - (double)Math.Abs(a - b) / (v - 1),
        KappaWeights.Quadratic => 1 - (double)(a - b) * (a - b) / ((double)(v - 1) * (v - 1)),
        _ => a == b ? 1 : 0,
    };

    private static double Distance(int c, int k, MeasurementLevel level, double[]? numbers, double[] marginals)
    {
        switch (level)
        {
            case MeasurementLevel.Ordinal:
                var (low, high) = c < k ? (c, k) : (k, c);
                var between = 0.0;
                for (var g = low; g <= high; g++)
                    between += marginals[g];
                between -= (marginals[c] + marginals[k]) / 2;
                return between * between;
            case MeasurementLevel.Interval:
                return (numbers![c] - numbers[k]) * (numbers[c] - numbers[k]);
            case MeasurementLevel.Ratio:
                var sum = numbers![c] + numbers[k];
                return sum == 0 ? 0 : (numbers[c] - numbers[k]) * (numbers[c] - numbers[k]) / (sum * sum);
            default:
                return 1;
        }
    }

    private static double Percentile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
