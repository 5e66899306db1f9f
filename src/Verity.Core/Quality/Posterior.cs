namespace Verity.Core.Quality;

/// <summary>Helpers shared by the categorical methods: chunking, voting, and deciding with ties.</summary>
internal static class Posterior
{
    /// <summary>Posterior probabilities closer than this to the best count as a tie.</summary>
    private const double TieEpsilon = 1e-12;

    /// <summary>
    /// Item ranges processed in parallel. The count depends on the data size only, never on the
    /// machine, so sums are added in the same order everywhere and results are reproducible.
    /// </summary>
    public static int[] Chunks(CategoricalLabels data)
    {
        var parts = Math.Clamp(data.Count / 250_000, 1, 8);
        var bounds = new int[parts + 1];
        for (var p = 0; p <= parts; p++)
            bounds[p] = (int)((long)data.ItemCount * p / parts);
        return bounds;
    }

    /// <summary>Runs <paramref name="body"/>(chunk, firstItem, endItem) for every chunk, in parallel when there are several.</summary>
    public static void ForEachChunk(int[] bounds, Action<int, int, int> body)
    {
        var parts = bounds.Length - 1;
        if (parts == 1)
            body(0, bounds[0], bounds[1]);
        else
            Parallel.For(0, parts, p => body(p, bounds[p], bounds[p + 1]));
    }

    /// <summary>Share of (weighted) votes per class for every item; uniform for an item without weight.</summary>
    public static double[] Votes(CategoricalLabels data, ReadOnlySpan<double> workerWeights)
    {
        var k = data.ClassCount;
        var post = new double[data.ItemCount * k];
        var start = data.Start;
        for (var i = 0; i < data.ItemCount; i++)
        {
            var row = post.AsSpan(i * k, k);
            for (var a = start[i]; a < start[i + 1]; a++)
                row[data.LabelOf[a]] += workerWeights.IsEmpty ? 1 : workerWeights[data.WorkerOf[a]];
            Normalize(row);
        }

        return post;
    }

    /// <summary>Scales a row to sum to one; a row without mass becomes uniform. Returns the original sum.</summary>
    public static double Normalize(Span<double> row)
    {
        var sum = 0.0;
        foreach (var v in row)
            sum += v;
        if (sum > 0)
        {
            var inverse = 1 / sum;
            foreach (ref var v in row)
                v *= inverse;
        }
        else
        {
            row.Fill(1.0 / row.Length);
        }

        return sum;
    }

    /// <summary>
    /// Picks the most probable class per item. Exact ties are broken by a hash of the seed and
    /// the item's name, so the choice is reproducible and does not depend on item order, and no
    /// class is favoured systematically.
    /// </summary>
    public static (int[] Labels, double[] Confidence) Decide(CategoricalLabels data, double[] post, int seed)
    {
        var k = data.ClassCount;
        var labels = new int[data.ItemCount];
        var confidence = new double[data.ItemCount];
        for (var i = 0; i < data.ItemCount; i++)
        {
            var row = post.AsSpan(i * k, k);
            var best = 0;
            for (var c = 1; c < k; c++)
            {
                if (row[c] > row[best])
                    best = c;
            }

            var ties = 0;
            for (var c = 0; c < k; c++)
            {
                if (row[c] >= row[best] - TieEpsilon)
                    ties++;
            }

            if (ties > 1)
            {
                var pick = (int)(StableHash(data.ItemNames[i], seed) % (uint)ties);
                for (var c = 0; c < k; c++)
                {
                    if (row[c] >= row[best] - TieEpsilon && pick-- == 0)
                    {
                        best = c;
                        break;
                    }
                }
            }

            labels[i] = best;
            confidence[i] = row[best];
        }

        return (labels, confidence);
    }

    /// <summary>Share of each worker's labels that equal the chosen item label (0 for a worker without labels).</summary>
    public static double[] AgreementWithLabels(CategoricalLabels data, int[] labels)
    {
        var agree = new double[data.WorkerCount];
        var total = new double[data.WorkerCount];
        for (var a = 0; a < data.Count; a++)
        {
            var w = data.WorkerOf[a];
            total[w]++;
            if (data.LabelOf[a] == labels[data.ItemOf[a]])
                agree[w]++;
        }

        for (var w = 0; w < agree.Length; w++)
            agree[w] = total[w] > 0 ? agree[w] / total[w] : 0;
        return agree;
    }

    /// <summary>Class prior from the posteriors, with a pseudo-count per class.</summary>
    public static void EstimatePrior(double[] post, double[] prior, double pseudoCount)
    {
        var k = prior.Length;
        Array.Fill(prior, pseudoCount);
        for (var j = 0; j < post.Length; j += k)
        {
            for (var t = 0; t < k; t++)
                prior[t] += post[j + t];
        }

        Normalize(prior);
    }

    /// <summary>Whether EM has converged, judged by the relative change of the log-likelihood.</summary>
    public static bool Converged(double previous, double current, double tolerance) =>
        Math.Abs(current - previous) <= tolerance * Math.Max(1, Math.Abs(current));

    /// <summary>FNV-1a over the name, mixed with the seed: stable across runs and platforms.</summary>
    private static uint StableHash(string name, int seed)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var ch in name)
            hash = (hash ^ ch) * 16777619u;
        hash ^= hash >> 15;
        hash *= 2246822519u;
        hash ^= hash >> 13;
        return hash;
    }
}
