using System.Globalization;
using System.Text;

namespace Verity.Bench;

/// <summary>Seeded synthetic crowds written as CSV, the shape `verity aggregate` reads.</summary>
internal static class Synthetic
{
    /// <summary>
    /// Categorical labels: items with a skewed class prior, each labelled by distinct random workers
    /// whose confusion matrices vary: a per-worker skill on the diagonal (0.3 to 0.95, so some
    /// workers are near chance) and random, uneven confusions off it. Gold holds every item's truth.
    /// </summary>
    public static void Categorical(string labelsPath, string goldPath, int items, int classes, int perItem, int workers, int seed)
    {
        var random = new Random(seed);
        var confusion = new double[workers, classes, classes];
        for (var w = 0; w < workers; w++)
        {
            var skill = 0.3 + 0.65 * random.NextDouble();
            for (var t = 0; t < classes; t++)
            {
                var diagonal = Math.Clamp(skill + 0.1 * (random.NextDouble() - 0.5), 0.05, 0.99);
                var off = new double[classes];
                var sum = 0.0;
                for (var g = 0; g < classes; g++)
                {
                    off[g] = g == t ? 0 : random.NextDouble();
                    sum += off[g];
                }

                for (var g = 0; g < classes; g++)
                    confusion[w, t, g] = g == t ? diagonal : (1 - diagonal) * off[g] / sum;
            }
        }

        var prior = Enumerable.Range(1, classes).Select(c => (double)(classes + 1 - c)).ToArray();
        var total = prior.Sum();
        using var labels = Writer(labelsPath);
        using var gold = Writer(goldPath);
        labels.Write("item,worker,label\n");
        gold.Write("item,label\n");
        var chosen = new HashSet<int>();
        for (var i = 0; i < items; i++)
        {
            var truth = Draw(random, prior, total);
            gold.Write(string.Create(CultureInfo.InvariantCulture, $"i{i},c{truth}\n"));
            chosen.Clear();
            while (chosen.Count < perItem)
                chosen.Add(random.Next(workers));
            foreach (var w in chosen)
            {
                var u = random.NextDouble();
                var g = 0;
                for (; g < classes - 1; g++)
                {
                    u -= confusion[w, truth, g];
                    if (u < 0)
                        break;
                }

                labels.Write(string.Create(CultureInfo.InvariantCulture, $"i{i},w{w},c{g}\n"));
            }
        }
    }

    /// <summary>
    /// Pairwise judgements: items with normal true scores; each worker follows Bradley–Terry with
    /// probability r_w (0.3 to 1) and flips a coin otherwise; 5% of judgements are ties.
    /// </summary>
    public static void Pairwise(string path, int items, int comparisons, int workers, int seed)
    {
        var random = new Random(seed);
        var score = Enumerable.Range(0, items).Select(_ => Normal(random)).ToArray();
        var reliability = Enumerable.Range(0, workers).Select(_ => 0.3 + 0.7 * random.NextDouble()).ToArray();
        using var writer = Writer(path);
        writer.Write("worker,left,right,winner\n");
        for (var c = 0; c < comparisons; c++)
        {
            var w = random.Next(workers);
            var l = random.Next(items);
            var r = (l + 1 + random.Next(items - 1)) % items;
            string winner;
            if (random.NextDouble() < 0.05)
                winner = "tie";
            else
            {
                var pLeft = random.NextDouble() < reliability[w] ? 1 / (1 + Math.Exp(score[r] - score[l])) : 0.5;
                winner = random.NextDouble() < pLeft ? $"p{l}" : $"p{r}";
            }

            writer.Write(string.Create(CultureInfo.InvariantCulture, $"w{w},p{l},p{r},{winner}\n"));
        }
    }

    private static StreamWriter Writer(string path) => new(path, append: false, new UTF8Encoding(false), 1 << 16);

    private static int Draw(Random random, double[] weights, double total)
    {
        var u = random.NextDouble() * total;
        for (var c = 0; c < weights.Length - 1; c++)
        {
            u -= weights[c];
            if (u < 0)
                return c;
        }

        return weights.Length - 1;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
