using System.Globalization;
using System.Text;

namespace Verity.Core.Quality;

/// <summary>
/// Two annotators on the items they both answered: how many had a consensus of the other annotators to compare with,
/// on how many of those both disagreed with it and agreed with each other, and how many such items independent
/// annotators would be expected to have.
/// </summary>
public sealed record PairTally(int A, int B, int Shared, int JointDissent, double ExpectedJointDissent);

/// <summary>
/// Fires when two annotators agree with each other against everyone else more often than two independent annotators
/// with their disagreement rates would. Independent annotators dissent together when both err (rate(A) × rate(B)) or
/// when the others err and both are right (rate(others) × (1 − rate(A)) × (1 − rate(B))), the second being the common
/// case when "the others" is one person; the expectation sums this over the shared items. Exact one-sided binomial
/// test, Bonferroni-corrected over the pairs tested.
/// </summary>
/// <param name="Pair">The counts.</param>
/// <param name="Expected">The share of shared items on which independent annotators would dissent together.</param>
/// <param name="PValue">One-sided exact binomial p-value.</param>
/// <param name="Alpha">Family-wise error rate over the project.</param>
/// <param name="Tests">How many pairs were tested, the Bonferroni divisor.</param>
public sealed record Collusion(PairTally Pair, double Expected, double PValue, double Alpha, int Tests) : IDetection
{
    /// <summary>Fewest joint dissents that can fire, whatever the p-value.</summary>
    public const int MinJointDissent = 3;

    /// <inheritdoc />
    public bool Fires => Pair.JointDissent >= MinJointDissent && PValue < Alpha / Tests;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"on {Pair.JointDissent} of {Pair.Shared} shared items both chose the same answer against the consensus of the others, where independent annotators would on {Expected:P1}; "
        + $"exact one-sided binomial p = {PValue:G3}; fires below p = {Alpha} / {Tests} pairs (Bonferroni)");

    /// <summary>Tests every pair with at least <paramref name="minShared"/> shared items; returns the pairs that fire.</summary>
    /// <param name="pairs">The pairs' counts.</param>
    /// <param name="alpha">Family-wise error rate.</param>
    /// <param name="minShared">Fewest shared items for a pair to be tested.</param>
    public static IReadOnlyList<Collusion> Detect(IReadOnlyList<PairTally> pairs, double alpha = 0.01, int minShared = 10)
    {
        var tested = pairs.Where(p => p.Shared >= minShared).ToList();
        return [.. tested
            .Select(p =>
            {
                var expected = Math.Clamp(p.ExpectedJointDissent / p.Shared, 1e-6, 1);
                return new Collusion(p, expected, BinomialTest.Greater(p.JointDissent, p.Shared, expected), alpha, tested.Count);
            })
            .Where(c => c.Fires)];
    }
}

/// <summary>
/// Two annotators whose rationales are near-copies of each other's: <paramref name="Matched"/> of the
/// <paramref name="Written"/> rationales of <paramref name="A"/> have a near-duplicate among <paramref name="B"/>'s, and
/// <paramref name="PartnerMatched"/> of B's have one among A's. Both sides must copy: one annotator's own stock phrase,
/// written 200 times, would otherwise make a chance match by someone else look like 200 shared rationales.
/// </summary>
public sealed record SharedRationale(int A, int B, int Matched, int Written, int PartnerMatched) : IDetection
{
    /// <summary>Fewest matched rationales that can fire.</summary>
    public const int MinMatched = 5;

    /// <summary>Least share of the annotator's rationales that must be matched.</summary>
    public const double MinShare = 0.2;

    /// <inheritdoc />
    public bool Fires => Matched >= MinMatched && PartnerMatched >= MinMatched && Matched >= MinShare * Written;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"{Matched} of {Written} rationales ({(double)Matched / Written:P0}) are near-copies (MinHash bands of word 3-shingles) of the partner's, and {PartnerMatched} of the partner's of theirs; fires at {MinMatched} each way and {MinShare:P0}");
}

/// <summary>
/// Finds rationales copied across annotators without comparing every rationale with every other: each rationale's
/// word 3-shingles get a MinHash signature of 30 values, cut in 6 bands of 5; two rationales that share a band are
/// near-copies (Jaccard 0.8 shares a band with probability 0.91, Jaccard 0.5 with 0.17, 0.3 with 0.01). Text that many
/// annotators write (a stock phrase the guidelines suggest) is boilerplate, not a shared secret, and is ignored.
/// </summary>
public static class SharedRationales
{
    /// <summary>Shortest rationale, in words, that is compared: short phrases coincide by chance.</summary>
    public const int MinWords = 6;

    private const int Bands = 6;
    private const int Rows = 5;

    /// <summary>The pairs (both directions) whose rationales are near-copies, those that fire.</summary>
    /// <param name="rationales">(annotator index, rationale text), in a fixed order.</param>
    /// <param name="annotators">How many annotators the project has.</param>
    public static IReadOnlyList<SharedRationale> Find(IReadOnlyList<(int Annotator, string Text)> rationales, int annotators)
    {
        // A text written by more than this many annotators is the crowd's common phrasing.
        var boilerplate = Math.Max(2, annotators / 5);
        var written = new int[annotators];
        var buckets = new Dictionary<(int Band, ulong Key), List<int>>();
        for (var r = 0; r < rationales.Count; r++)
        {
            var words = Normalise(rationales[r].Text);
            if (words.Count < MinWords)
                continue;
            written[rationales[r].Annotator]++;
            var signature = Signature(words);
            for (var band = 0; band < Bands; band++)
            {
                var key = 14695981039346656037UL;
                for (var row = 0; row < Rows; row++)
                    key = (key ^ signature[(band * Rows) + row]) * 1099511628211UL;
                if (!buckets.TryGetValue((band, key), out var list))
                    buckets[(band, key)] = list = [];
                list.Add(r);
            }
        }

        var matched = new Dictionary<(int A, int B), HashSet<int>>();
        foreach (var bucket in buckets.OrderBy(b => b.Key.Band).ThenBy(b => b.Key.Key))
        {
            var who = bucket.Value.Select(r => rationales[r].Annotator).Distinct().ToList();
            if (who.Count < 2 || who.Count > boilerplate)
                continue;
            foreach (var r in bucket.Value)
            {
                foreach (var other in who.Where(o => o != rationales[r].Annotator))
                {
                    var key = (rationales[r].Annotator, other);
                    if (!matched.TryGetValue(key, out var set))
                        matched[key] = set = [];
                    set.Add(r);
                }
            }
        }

        return [.. matched.OrderBy(m => m.Key.Item1).ThenBy(m => m.Key.Item2)
            .Select(m => new SharedRationale(m.Key.Item1, m.Key.Item2, m.Value.Count, written[m.Key.Item1], matched.GetValueOrDefault((m.Key.Item2, m.Key.Item1))?.Count ?? 0))
            .Where(s => s.Fires)];
    }

    private static List<string> Normalise(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Append(' '))
        {
            if (char.IsLetter(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (word.Length > 0)
                words.Add(word.ToString());
            word.Clear();
        }

        return words;
    }

    private static ulong[] Signature(List<string> words)
    {
        var signature = Enumerable.Repeat(ulong.MaxValue, Bands * Rows).ToArray();
        for (var i = 0; i + 2 < words.Count; i++)
        {
            var shingle = 14695981039346656037UL;
            foreach (var c in $"{words[i]} {words[i + 1]} {words[i + 2]}")
                shingle = (shingle ^ c) * 1099511628211UL;
            for (var h = 0; h < signature.Length; h++)
                signature[h] = Math.Min(signature[h], Mix(shingle + ((ulong)h * 0x9E3779B97F4A7C15UL)));
        }

        return signature;
    }

    // SplitMix64's finaliser: one well-mixed hash per signature row from the shingle's FNV-1a hash.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
