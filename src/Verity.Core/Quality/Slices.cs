using System.Globalization;
using System.Text;

namespace Verity.Core.Quality;

/// <summary>
/// Which slice of a project each item belongs to, so quality can be measured per slice: an item's
/// <c>metadata.topic</c> when it has one, otherwise a cluster of the prompt texts of the items without a topic
/// (TF-IDF over words, spherical k-means seeded with k-means++ from a fixed seed). Deterministic: the same texts give
/// the same slices, whatever the machine.
/// </summary>
public static class Slices
{
    /// <summary>The metadata key whose value names an item's slice.</summary>
    public const string TopicKey = "topic";

    /// <summary>The slice of items without a topic when there are too few of them to cluster.</summary>
    public const string Unsliced = "(no topic)";

    /// <summary>Fewest items per cluster: a slice must hold enough items for its statistics to mean something.</summary>
    public const int MinItemsPerCluster = 20;

    private const int MaxTerms = 2000;
    private const int Iterations = 30;

    private static readonly HashSet<string> StopWords = new(
        """
        the and for are but not you your with this that have from they what when where which who will would there their
        about into than then them these those been were was has had how its can could should may might our out any all
        also just more most some such only own same very does did doing being over under again once here why each few
        other both between through during before after above below off further while because until against make give
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    /// <summary>The slice of each item, in the order given.</summary>
    /// <param name="topics">Each item's topic, or null when it has none.</param>
    /// <param name="texts">Each item's text (its prompt), clustered when it has no topic.</param>
    /// <param name="clusters">How many clusters to find among the items without a topic, at most one per
    /// <see cref="MinItemsPerCluster"/> items; below two, they form one slice.</param>
    /// <param name="seed">Seeds the choice of initial centres.</param>
    public static IReadOnlyList<string> Assign(IReadOnlyList<string?> topics, IReadOnlyList<string> texts, int clusters = 8, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(texts.Count, topics.Count, nameof(texts));
        var slices = topics.Select(t => string.IsNullOrWhiteSpace(t) ? Unsliced : t.Trim()).ToArray();
        var loose = Enumerable.Range(0, topics.Count).Where(i => string.IsNullOrWhiteSpace(topics[i])).ToList();
        var k = Math.Min(clusters, loose.Count / MinItemsPerCluster);
        if (k < 2)
            return slices;
        var names = Cluster([.. loose.Select(i => texts[i])], k, seed);
        for (var j = 0; j < loose.Count; j++)
            slices[loose[j]] = names[j];
        return slices;
    }

    /// <summary>The words of a text that carry its subject: lower-case letters and digits, three characters or more, no stop words.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text.Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (word.Length >= 3 && !StopWords.Contains(word.ToString()))
                yield return word.ToString();
            word.Clear();
        }
    }

    /// <summary>Each text's cluster name: "cluster N: three heaviest terms of its centre".</summary>
    private static string[] Cluster(IReadOnlyList<string> texts, int k, int seed)
    {
        var n = texts.Count;
        var counts = texts.Select(t => Words(t).GroupBy(w => w, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)).ToList();
        // Terms in at least two texts and at most half of them: rarer terms cannot group texts, commoner ones cannot split them.
        var vocabulary = counts.SelectMany(c => c.Keys)
            .GroupBy(w => w, StringComparer.Ordinal)
            .Select(g => (Term: g.Key, Df: g.Count()))
            .Where(t => t.Df >= 2 && t.Df <= n / 2)
            .OrderByDescending(t => t.Df).ThenBy(t => t.Term, StringComparer.Ordinal)
            .Take(MaxTerms)
            .ToList();
        var index = vocabulary.Select((t, i) => (t.Term, i)).ToDictionary(t => t.Term, t => t.i, StringComparer.Ordinal);
        var idf = vocabulary.Select(t => Math.Log((double)n / t.Df)).ToArray();
        var vectors = counts.Select(c =>
        {
            var terms = c.Where(p => index.ContainsKey(p.Key)).Select(p => (Term: index[p.Key], Weight: (1 + Math.Log(p.Value)) * idf[index[p.Key]])).OrderBy(p => p.Term).ToArray();
            var norm = Math.Sqrt(terms.Sum(t => t.Weight * t.Weight));
            return norm == 0 ? terms : terms.Select(t => (t.Term, t.Weight / norm)).ToArray();
        }).ToArray();

        var dimensions = vocabulary.Count;
        var centres = new double[k][];
        var random = new Random(seed);
        // k-means++: each next centre is drawn with probability proportional to its distance from the nearest centre so far.
        centres[0] = Dense(vectors[random.Next(n)], dimensions);
        var nearest = Enumerable.Repeat(double.MaxValue, n).ToArray();
        for (var c = 1; c < k; c++)
        {
            for (var i = 0; i < n; i++)
                nearest[i] = Math.Min(nearest[i], 1 - Dot(vectors[i], centres[c - 1]));
            var total = nearest.Sum();
            var pick = random.NextDouble() * total;
            var chosen = n - 1;
            for (var i = 0; i < n && total > 0; i++)
            {
                pick -= nearest[i];
                if (pick <= 0)
                {
                    chosen = i;
                    break;
                }
            }

            centres[c] = Dense(vectors[chosen], dimensions);
        }

        var assigned = new int[n];
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var moved = false;
            for (var i = 0; i < n; i++)
            {
                var best = 0;
                var bestScore = double.MinValue;
                for (var c = 0; c < k; c++)
                {
                    var score = Dot(vectors[i], centres[c]);
                    if (score > bestScore + 1e-12)
                        (best, bestScore) = (c, score);
                }

                moved |= iteration == 0 || assigned[i] != best;
                assigned[i] = best;
            }

            if (!moved)
                break;
            for (var c = 0; c < k; c++)
            {
                var sum = new double[dimensions];
                for (var i = 0; i < n; i++)
                {
                    if (assigned[i] != c)
                        continue;
                    foreach (var (term, weight) in vectors[i])
                        sum[term] += weight;
                }

                var norm = Math.Sqrt(sum.Sum(x => x * x));
                // An emptied cluster keeps its centre; it may win texts back on the next round.
                if (norm > 0)
                    centres[c] = [.. sum.Select(x => x / norm)];
            }
        }

        // Clusters are numbered by their first text, so the names do not depend on the order centres were drawn in.
        var order = assigned.Distinct().ToList();
        var names = new string[k];
        foreach (var c in order)
        {
            var top = Enumerable.Range(0, dimensions).Where(d => centres[c][d] > 0).OrderByDescending(d => centres[c][d]).ThenBy(d => d).Take(3).Select(d => vocabulary[d].Term);
            names[c] = string.Create(CultureInfo.InvariantCulture, $"cluster {order.IndexOf(c) + 1}: {string.Join(", ", top)}");
        }

        return [.. assigned.Select(c => names[c])];
    }

    private static double[] Dense((int Term, double Weight)[] vector, int dimensions)
    {
        var dense = new double[dimensions];
        foreach (var (term, weight) in vector)
            dense[term] = weight;
        return dense;
    }

    private static double Dot((int Term, double Weight)[] vector, double[] centre)
    {
        var sum = 0.0;
        foreach (var (term, weight) in vector)
            sum += weight * centre[term];
        return sum;
    }
}
