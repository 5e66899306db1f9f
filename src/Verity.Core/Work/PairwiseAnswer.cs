using System.Text.Json.Serialization;

namespace Verity.Core.Work;

/// <summary>A stored pairwise answer: which response is better, and by how much.</summary>
/// <param name="Choice">A response id, or <see cref="Tie"/>.</param>
/// <param name="Strength">1 slightly, 2 clearly, 3 much better; null for a tie.</param>
/// <param name="Dimensions">A choice per rubric dimension, when the project has dimensions.</param>
public sealed record PairwiseAnswer(
    string Choice, int? Strength, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Dimensions = null)
{
    /// <summary>The choice that means neither response is better.</summary>
    public const string Tie = "tie";

    /// <summary>Strongest preference an annotator can state.</summary>
    public const int MaxStrength = 3;
}

/// <summary>A stored ranking: response id → rank, 1 for the best.</summary>
public sealed record RankingAnswer(IReadOnlyDictionary<string, int> Ranks);

/// <summary>A stored rating: dimension → score, null for N/A.</summary>
public sealed record RatingAnswer(IReadOnlyDictionary<string, int?> Scores);

/// <summary>A stored demonstration or rewrite; a rewrite keeps its word diff against the original.</summary>
public sealed record TextAnswer(
    string Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DiffPart>? Diff = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Changed = null);

/// <summary>A stored classification.</summary>
public sealed record ClassificationAnswer(
    IReadOnlyList<string> Labels, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Other = null);
