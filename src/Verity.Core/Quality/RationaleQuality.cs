using System.Globalization;

namespace Verity.Core.Quality;

/// <summary>A rationale and the content it should be about (the prompt and the responses shown).</summary>
public sealed record RationaleInput(string Rationale, string Content);

/// <summary>
/// The quality of one rationale in [0,1], with its parts. The score is
/// <c>length × (½ · reference + ½ · (1 − boilerplate))</c>, and 0 for a near-copy of an earlier rationale.
/// </summary>
/// <param name="Score">The combined score.</param>
/// <param name="Words">Words in the rationale.</param>
/// <param name="SharedWords">Distinct content words (three letters or more, not stop words) that also occur in the content.</param>
/// <param name="BoilerplateShare">Share of the rationale's words that belong to boilerplate phrases.</param>
/// <param name="CopyOf">Index of an earlier rationale of the same annotator this one nearly repeats, or null.</param>
public sealed record RationaleScore(double Score, int Words, int SharedWords, double BoilerplateShare, int? CopyOf);

/// <summary>
/// Scores rationales for vagueness and copying: a useful rationale is long enough to say something,
/// names what is in the responses, is not made of stock phrases, and is not pasted from the
/// annotator's earlier rationales.
/// </summary>
public static class RationaleQuality
{
    /// <summary>Rationales of at least this many words get full length credit; shorter ones a proportional share.</summary>
    public const int FullLengthWords = 8;

    /// <summary>Shared content words that give full reference credit.</summary>
    public const int FullReferenceWords = 3;

    /// <summary>Token-set Jaccard similarity at which a rationale counts as a copy of an earlier one.</summary>
    public const double CopySimilarity = 0.8;

    /// <summary>Stock phrases that say a response is better without saying why.</summary>
    private static readonly string[][] Boilerplate =
    [
        .. new[]
        {
            "it is better", "is better", "better argument", "more convincing", "is more convincing", "more persuasive",
            "i agree", "i agree with", "i disagree", "makes sense", "good point", "good argument", "i think", "i feel",
            "i like", "is right", "is correct", "more reasonable", "stronger argument", "is stronger", "no reason",
            "the same", "both are equal", "they are equal", "equally", "none", "nothing", "n a", "not sure", "i don t know",
        }.Select(p => Tokenize(p).ToArray()).OrderByDescending(p => p.Length),
    ];

    private static readonly HashSet<string> StopWords = new(
        [
            "the", "and", "for", "that", "this", "with", "are", "was", "not", "but", "you", "they", "their", "them",
            "his", "her", "its", "has", "have", "had", "from", "what", "which", "who", "will", "would", "can", "could",
            "should", "than", "then", "there", "these", "those", "because", "more", "most", "less", "very", "also",
            "just", "about", "into", "does", "did", "doing", "all", "any", "some", "one", "two", "other", "only",
            "being", "been", "were", "why", "how", "when", "where", "while", "argument", "arguments", "point", "points",
            "better", "convincing", "persuasive", "agree", "think", "feel", "like", "good", "makes", "make", "sense",
            "reason", "reasons", "first", "second", "response", "answer", "option",
        ],
        StringComparer.Ordinal);

    /// <summary>
    /// Scores one annotator's rationales, given in the order they were written: each is compared
    /// with the ones before it for copying.
    /// </summary>
    public static RationaleScore[] ScoreAnnotator(IReadOnlyList<RationaleInput> rationales)
    {
        var scores = new RationaleScore[rationales.Count];
        var earlier = new List<HashSet<string>>(rationales.Count);
        for (var r = 0; r < rationales.Count; r++)
        {
            var words = Tokenize(rationales[r].Rationale).ToArray();
            var set = words.ToHashSet(StringComparer.Ordinal);
            int? copyOf = null;
            for (var e = 0; e < earlier.Count && copyOf is null; e++)
            {
                // Jaccard is at most the ratio of the smaller set to the larger: skip pairs that cannot reach it
                // (an annotator may have thousands of rationales, and this check is quadratic).
                if (Math.Min(set.Count, earlier[e].Count) >= CopySimilarity * Math.Max(set.Count, earlier[e].Count)
                    && Jaccard(set, earlier[e]) >= CopySimilarity)
                {
                    copyOf = e;
                }
            }

            earlier.Add(set);
            var content = Tokenize(rationales[r].Content).ToHashSet(StringComparer.Ordinal);
            var shared = set.Count(w => IsContentWord(w) && content.Contains(w));
            var boilerplate = words.Length == 0 ? 1 : (double)BoilerplateWords(words) / words.Length;
            var length = Math.Min(1, (double)words.Length / FullLengthWords);
            var reference = Math.Min(1, (double)shared / FullReferenceWords);
            var score = copyOf is null ? length * ((0.5 * reference) + (0.5 * (1 - boilerplate))) : 0;
            scores[r] = new RationaleScore(score, words.Length, shared, boilerplate, copyOf);
        }

        return scores;
    }

    /// <summary>Lower-case runs of letters and digits.</summary>
    private static IEnumerable<string> Tokenize(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
                start = i;
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    private static bool IsContentWord(string word) => word.Length >= 3 && !StopWords.Contains(word);

    /// <summary>Words covered by boilerplate phrases, longest phrase first, each word counted once.</summary>
    private static int BoilerplateWords(string[] words)
    {
        var covered = new bool[words.Length];
        foreach (var phrase in Boilerplate)
        {
            for (var i = 0; i + phrase.Length <= words.Length; i++)
            {
                if (words.AsSpan(i, phrase.Length).SequenceEqual(phrase))
                    covered.AsSpan(i, phrase.Length).Fill(true);
            }
        }

        return covered.Count(c => c);
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
            return 1;
        var shared = a.Count(b.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }
}

/// <summary>Fires when an annotator's rationales score low on average (vague, off-content, stock or copied).</summary>
/// <param name="Rationales">Rationales scored.</param>
/// <param name="MeanScore">Mean <see cref="RationaleScore.Score"/>.</param>
/// <param name="Copies">Rationales that nearly repeat an earlier one.</param>
/// <param name="Threshold">Mean score below which the detector fires.</param>
/// <param name="MinRationales">Fewest rationales the detector judges on.</param>
public sealed record VagueRationales(int Rationales, double MeanScore, int Copies, double Threshold, int MinRationales) : IDetection
{
    /// <summary>Default firing threshold on the mean score.</summary>
    public const double DefaultThreshold = 0.3;

    /// <inheritdoc />
    public bool Fires => Rationales >= MinRationales && MeanScore < Threshold;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"mean rationale score {MeanScore:0.00} over {Rationales} rationales, {Copies} near-copies of earlier ones; fires below {Threshold:0.00} with at least {MinRationales} rationales");

    /// <summary>Summarises one annotator's scores.</summary>
    public static VagueRationales Detect(IReadOnlyCollection<RationaleScore> scores, double threshold = DefaultThreshold, int minRationales = 5) =>
        new(scores.Count, scores.Count == 0 ? double.NaN : scores.Average(s => s.Score), scores.Count(s => s.CopyOf is not null), threshold, minRationales);
}
