using System.Text.RegularExpressions;

namespace Verity.Core.Exports;

/// <summary>Something in a demonstration or rewrite that can poison SFT data, and the text that matched.</summary>
/// <param name="Rule">link, secret or insecure-code.</param>
/// <param name="Evidence">Which pattern matched and the matched text, shortened.</param>
public sealed record SftFinding(string Rule, string Evidence);

/// <summary>One demonstration or rewrite to compare with the others for near-duplicates.</summary>
/// <param name="Item">The item it answers.</param>
/// <param name="Annotator">Who wrote it.</param>
/// <param name="Text">What they wrote.</param>
public sealed record SftText(Guid Item, Guid Annotator, string Text);

/// <summary>
/// Scans what annotators write for the things that poison supervised fine-tuning data: links (a model taught to cite
/// an attacker's URL), secrets (keys and passwords that leak or that teach a model to emit them), known insecure code
/// patterns (a model taught to write them), and near-duplicates of the same text across annotators (a backdoor
/// payload or template pasted into many items). Patterns already present in the original response of a rewrite are
/// not the annotator's doing and do not count.
/// </summary>
public static partial class SftScanner
{
    /// <summary>Jaccard similarity of word shingles from which two texts count as near-duplicates.</summary>
    public const double NearDuplicateSimilarity = 0.8;

    /// <summary>Words per shingle.</summary>
    public const int ShingleWords = 5;

    /// <summary>Texts with fewer shingles than this are too short to call copied (short answers agree by chance).</summary>
    public const int MinShingles = 8;

    private const int Hashes = 32;
    private const int Bands = 8;
    private const int Rows = Hashes / Bands;

    /// <summary>The patterns, the most severe rule first: a record is left out under its first finding's rule.</summary>
    private static readonly (string Rule, string Name, Regex Pattern)[] Patterns =
    [
        ("secret", "private key", PrivateKeyPattern()),
        ("secret", "AWS access key", AwsKeyPattern()),
        ("secret", "API key", ApiKeyPattern()),
        ("secret", "GitHub token", GitHubTokenPattern()),
        ("secret", "Slack token", SlackTokenPattern()),
        ("secret", "password in a connection string", ConnectionPasswordPattern()),
        ("secret", "credentials in a URL", UrlCredentialsPattern()),
        ("secret", "hard-coded password", PasswordAssignmentPattern()),
        ("insecure-code", "eval(", EvalPattern()),
        ("insecure-code", "exec(", ExecPattern()),
        ("insecure-code", "shell=True", ShellTruePattern()),
        ("insecure-code", "verify=False", VerifyFalsePattern()),
        ("insecure-code", "chmod 777", Chmod777Pattern()),
        ("insecure-code", "download piped to a shell", CurlPipeShellPattern()),
        ("insecure-code", "SQL built by string concatenation", SqlConcatenationPattern()),
        ("insecure-code", "certificate checks disabled", CertificateChecksPattern()),
        ("insecure-code", "pickle.loads", PickleLoadsPattern()),
        ("insecure-code", "yaml.load without a safe loader", YamlLoadPattern()),
        ("link", "URL", UrlPattern()),
        ("link", "bare domain link", DomainPattern()),
    ];

    /// <summary>
    /// Every link, secret and insecure code pattern in <paramref name="text"/> that is not already in
    /// <paramref name="original"/> (the response a rewrite started from), at most one finding per pattern.
    /// </summary>
    public static IReadOnlyList<SftFinding> Scan(string text, string? original = null)
    {
        var findings = new List<SftFinding>();
        foreach (var (rule, name, pattern) in Patterns)
        {
            if (findings.Any(f => f.Rule == rule))
                continue;
            var match = pattern.Matches(text).FirstOrDefault(m => original is null || !original.Contains(m.Value, StringComparison.Ordinal));
            if (match is not null)
                findings.Add(new SftFinding(rule, $"{name}: {Shorten(match.Value)}"));
        }

        return findings;
    }

    /// <summary>
    /// The pairs of texts (by index) by different annotators on different items whose word-shingle Jaccard similarity,
    /// estimated by MinHash, reaches <paramref name="threshold"/>. Candidates come from locality-sensitive hashing
    /// (8 bands of 4 of 32 hashes), so the cost grows with the number of texts, not its square; a pair at 0.8 is found
    /// with probability above 0.99.
    /// </summary>
    public static IReadOnlyList<(int First, int Second, double Similarity)> NearDuplicates(IReadOnlyList<SftText> texts, double threshold = NearDuplicateSimilarity)
    {
        var signatures = texts.Select(t => Signature(t.Text)).ToList();
        var buckets = new Dictionary<(int Band, ulong Key), List<int>>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (signatures[i] is not { } signature)
                continue;
            for (var band = 0; band < Bands; band++)
            {
                var key = 14695981039346656037UL;
                for (var row = 0; row < Rows; row++)
                    key = (key ^ signature[(band * Rows) + row]) * 1099511628211UL;
                if (!buckets.TryGetValue((band, key), out var members))
                    buckets[(band, key)] = members = [];
                members.Add(i);
            }
        }

        var pairs = new SortedSet<(int, int)>();
        foreach (var members in buckets.Values.Where(b => b.Count > 1))
        {
            for (var a = 0; a < members.Count; a++)
            {
                for (var b = a + 1; b < members.Count; b++)
                {
                    var (first, second) = (texts[members[a]], texts[members[b]]);
                    if (first.Annotator != second.Annotator && first.Item != second.Item)
                        pairs.Add((members[a], members[b]));
                }
            }
        }

        return pairs
            .Select(p => (p.Item1, p.Item2, Similarity: Similarity(signatures[p.Item1]!, signatures[p.Item2]!)))
            .Where(p => p.Similarity >= threshold)
            .ToList();
    }

    /// <summary>
    /// The MinHash signature of the text's word shingles (lower-cased words), or null when it has fewer than
    /// <see cref="MinShingles"/> shingles.
    /// </summary>
    private static ulong[]? Signature(string text)
    {
        var words = WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();
        if (words.Count - ShingleWords + 1 < MinShingles)
            return null;
        var signature = Enumerable.Repeat(ulong.MaxValue, Hashes).ToArray();
        for (var start = 0; start + ShingleWords <= words.Count; start++)
        {
            var shingle = 14695981039346656037UL;
            for (var w = start; w < start + ShingleWords; w++)
            {
                foreach (var c in words[w])
                    shingle = (shingle ^ c) * 1099511628211UL;
                shingle = (shingle ^ ' ') * 1099511628211UL;
            }

            for (var h = 0; h < Hashes; h++)
                signature[h] = Math.Min(signature[h], Mix(shingle + ((ulong)h * 0x9E3779B97F4A7C15UL)));
        }

        return signature;
    }

    private static double Similarity(ulong[] a, ulong[] b) => (double)a.Zip(b).Count(p => p.First == p.Second) / Hashes;

    /// <summary>SplitMix64's finaliser: each seed gives an independent-looking hash of the shingle.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";

    [GeneratedRegex(@"\w+", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\b(?:https?|ftp)://[^\s<>""')\]]+", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+\b|\b[a-z0-9-]+\.(?:com|net|org|io|ru|cn|xyz|top|info|biz|ly|me)/[^\s]*", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PrivateKeyPattern();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AwsKeyPattern();

    [GeneratedRegex(@"\b(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35}|(?:sk|rk|pk)_live_[0-9A-Za-z]{16,})", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ApiKeyPattern();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex GitHubTokenPattern();

    [GeneratedRegex(@"\bxox[baprs]-[A-Za-z0-9-]{10,}", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SlackTokenPattern();

    [GeneratedRegex(@"(?:^|;)\s*(?:password|pwd)\s*=\s*[^;""'\s]{3,}", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ConnectionPasswordPattern();

    [GeneratedRegex(@"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s:/@]{3,}@", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UrlCredentialsPattern();

    [GeneratedRegex(@"\b(?:password|passwd|secret|api_?key|token)\s*[:=]\s*[""'][^""'\s]{4,}[""']", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PasswordAssignmentPattern();

    [GeneratedRegex(@"(?<![\w.])eval\s*\(", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EvalPattern();

    [GeneratedRegex(@"(?<![\w.])exec\s*\(|\bos\.system\s*\(", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExecPattern();

    [GeneratedRegex(@"\bshell\s*=\s*True\b", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ShellTruePattern();

    [GeneratedRegex(@"\bverify\s*=\s*False\b", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex VerifyFalsePattern();

    [GeneratedRegex(@"\bchmod\s+(?:-R\s+)?0?777\b", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Chmod777Pattern();

    [GeneratedRegex(@"\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CurlPipeShellPattern();

    [GeneratedRegex(@"\b(?:SELECT|INSERT|UPDATE|DELETE)\b[^\n]*?[""']\s*(?:\+|\|\||%\s)\s*\w|f[""'](?:SELECT|INSERT|UPDATE|DELETE)\b[^""'\n]*\{", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SqlConcatenationPattern();

    [GeneratedRegex(@"\bCERT_NONE\b|\bInsecureSkipVerify\s*:\s*true\b|\brejectUnauthorized\s*:\s*false\b|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*[""']?0|ServerCertificateCustomValidationCallback\s*=[^;\n]*=>\s*true|\bcheck_hostname\s*=\s*False\b|curl\s+(?:[^\n]*\s)?(?:-k|--insecure)\b", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CertificateChecksPattern();

    [GeneratedRegex(@"\bpickle\.loads?\s*\(", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PickleLoadsPattern();

    [GeneratedRegex(@"\byaml\.load\s*\((?![^)\n]*SafeLoader)", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex YamlLoadPattern();
}
