namespace Verity.Core.Work;

/// <summary>
/// What an annotator sends for any task kind; each kind reads its own fields and refuses the others, so a client
/// that sends a rating to a ranking task hears about it instead of losing the answer.
/// </summary>
/// <param name="Choice">Pairwise: a response id or "tie".</param>
/// <param name="Strength">Pairwise: 1 slightly, 2 clearly, 3 much better.</param>
/// <param name="Dimensions">Pairwise: a choice per rubric dimension, when the rubric has dimensions.</param>
/// <param name="Ranks">Ranking: response id → rank, 1 for the best; equal ranks are ties.</param>
/// <param name="Scores">Rating: dimension → score, or null for N/A where the dimension allows it.</param>
/// <param name="Text">Demonstration and rewrite: the written response; prompt writing: the prompt.</param>
/// <param name="Labels">Classification: the chosen labels.</param>
/// <param name="Other">Classification: free text when no label fits and the rubric allows it.</param>
/// <param name="Flags">Any kind: flags raised from the rubric's list, each with an optional note.</param>
/// <param name="Rationale">Any kind: why, in the annotator's words.</param>
/// <param name="IdempotencyKey">Any kind: a retried submission with the same key is stored once.</param>
/// <param name="IdealAnswer">Prompt writing: the answer the written prompt should get, optional.</param>
public sealed record Submission(
    string? Choice = null,
    int? Strength = null,
    IReadOnlyDictionary<string, string>? Dimensions = null,
    IReadOnlyDictionary<string, int>? Ranks = null,
    IReadOnlyDictionary<string, int?>? Scores = null,
    string? Text = null,
    IReadOnlyList<string>? Labels = null,
    string? Other = null,
    IReadOnlyList<FlagInput>? Flags = null,
    string? Rationale = null,
    string? IdempotencyKey = null,
    string? IdealAnswer = null);

/// <summary>A flag raised on an item, with an optional note.</summary>
public sealed record FlagInput(string Name, string? Note = null);

/// <summary>A project's demand for written rationales.</summary>
public sealed record RationaleRule(bool Required, int MinChars)
{
    /// <summary>Longest rationale stored.</summary>
    public const int MaxChars = 10_000;

    /// <summary>Adds an error for a missing, short or oversized rationale.</summary>
    public void Check(string? rationale, ErrorList errors)
    {
        var length = rationale?.Trim().Length ?? 0;
        if (length == 0)
        {
            if (Required)
                errors.Add("rationale", $"is required: explain your answer in at least {MinChars} characters.");
        }
        else if (length < MinChars)
        {
            errors.Add("rationale", $"must be at least {MinChars} characters (has {length}).");
        }
        else if (length > MaxChars)
        {
            errors.Add("rationale", $"must be at most {MaxChars:N0} characters.");
        }
    }
}
