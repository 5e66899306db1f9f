using System.Text.RegularExpressions;

namespace Verity.Core.Work;

/// <summary>One run of a diff: text kept ("equal"), added ("insert") or removed ("delete").</summary>
public sealed record DiffPart(string Op, string Text);

/// <summary>
/// Longest-common-subsequence diffs of words (for rewrites) and of lines (for guideline versions). Quadratic in
/// the number of tokens, which is fine at the lengths people write; beyond the cap it reports a full replacement
/// rather than spend seconds on it.
/// </summary>
public static partial class TextDiff
{
    private const long MaxCells = 4_000_000;

    /// <summary>Word-level diff; whitespace is kept with the words so the parts concatenate back to the texts.</summary>
    public static IReadOnlyList<DiffPart> Words(string before, string after) =>
        Diff(Tokens().Matches(before).Select(m => m.Value).ToArray(), Tokens().Matches(after).Select(m => m.Value).ToArray());

    /// <summary>Line-level diff; each part's text ends with a newline.</summary>
    public static IReadOnlyList<DiffPart> Lines(string before, string after) =>
        Diff(SplitLines(before), SplitLines(after));

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select(l => l + "\n").ToArray();

    private static List<DiffPart> Diff(string[] a, string[] b)
    {
        var parts = new List<DiffPart>();
        if ((long)a.Length * b.Length > MaxCells)
        {
            Add(parts, "delete", string.Concat(a));
            Add(parts, "insert", string.Concat(b));
            return parts;
        }

        // lcs[i, j] = length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = string.Equals(a[i], b[j], StringComparison.Ordinal) ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        }

        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (string.Equals(a[x], b[y], StringComparison.Ordinal))
            {
                Add(parts, "equal", a[x++]);
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                Add(parts, "delete", a[x++]);
            }
            else
            {
                Add(parts, "insert", b[y++]);
            }
        }

        while (x < a.Length)
            Add(parts, "delete", a[x++]);
        while (y < b.Length)
            Add(parts, "insert", b[y++]);
        return parts;
    }

    private static void Add(List<DiffPart> parts, string op, string text)
    {
        if (text.Length == 0)
            return;
        if (parts.Count > 0 && parts[^1].Op == op)
            parts[^1] = parts[^1] with { Text = parts[^1].Text + text };
        else
            parts.Add(new DiffPart(op, text));
    }

    [GeneratedRegex(@"\S+\s*|\s+", RegexOptions.None, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Tokens();
}
