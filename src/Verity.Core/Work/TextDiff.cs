using System.Text.RegularExpressions;
using DiffPlex;
using DiffPlex.Chunkers;

namespace Verity.Core.Work;

/// <summary>One run of a diff: text kept ("equal"), added ("insert") or removed ("delete").</summary>
public sealed record DiffPart(string Op, string Text);

/// <summary>
/// Diffs of words (for rewrites) and of lines (for guideline versions), by DiffPlex's Myers diff: time grows with
/// the texts' length times the number of differences, and memory with their length only.
/// </summary>
public static partial class TextDiff
{
    // Whitespace is kept with the word before it, so the parts concatenate back to the texts.
    private static readonly CustomFunctionChunker WordChunker = new(text => Tokens().Matches(text).Select(m => m.Value).ToArray());

    private static readonly CustomFunctionChunker LineChunker = new(SplitLines);

    /// <summary>Word-level diff; whitespace is kept with the words so the parts concatenate back to the texts.</summary>
    public static IReadOnlyList<DiffPart> Words(string before, string after) => Diff(before, after, WordChunker);

    /// <summary>Line-level diff; each part's text ends with a newline.</summary>
    public static IReadOnlyList<DiffPart> Lines(string before, string after) => Diff(before, after, LineChunker);

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select(l => l + "\n").ToArray();

    private static List<DiffPart> Diff(string before, string after, IChunker chunker)
    {
        var result = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, chunker);
        var (a, b) = (result.PiecesOld, result.PiecesNew);
        var parts = new List<DiffPart>();
        var x = 0;
        foreach (var block in result.DiffBlocks)
        {
            // Pieces before a block are the same in both texts.
            for (; x < block.DeleteStartA; x++)
                Add(parts, "equal", a[x]);
            for (; x < block.DeleteStartA + block.DeleteCountA; x++)
                Add(parts, "delete", a[x]);
            for (var y = block.InsertStartB; y < block.InsertStartB + block.InsertCountB; y++)
                Add(parts, "insert", b[y]);
        }

        for (; x < a.Count; x++)
            Add(parts, "equal", a[x]);
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
