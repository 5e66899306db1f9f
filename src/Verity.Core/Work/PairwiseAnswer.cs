namespace Verity.Core.Work;

/// <summary>An annotator's answer to a pairwise item: which response is better, and by how much.</summary>
/// <param name="Choice">A response id, or <see cref="Tie"/>.</param>
/// <param name="Strength">1 slightly, 2 clearly, 3 much better; null for a tie.</param>
public sealed record PairwiseAnswer(string Choice, int? Strength)
{
    /// <summary>The choice that means neither response is better.</summary>
    public const string Tie = "tie";

    /// <summary>Strongest preference an annotator can state.</summary>
    public const int MaxStrength = 3;

    /// <summary>
    /// Checks a submission against the item's responses and the project's rationale rule, and returns the
    /// answer to store. A tie carries no strength, whatever was sent, because "how much better" has no meaning there.
    /// </summary>
    public static PairwiseAnswer Validate(
        string? choice, int? strength, string? rationale, IReadOnlyCollection<string> responseIds, RationaleRule rule)
    {
        var errors = new ErrorList();
        if (string.IsNullOrEmpty(choice))
            errors.Add("choice", $"is required: one of {string.Join(", ", responseIds)} or {Tie}.");
        else if (choice != Tie && !responseIds.Contains(choice, StringComparer.Ordinal))
            errors.Add("choice", $"\"{choice}\" is not a response of this item; use one of {string.Join(", ", responseIds)} or {Tie}.");

        if (choice != Tie && strength is not (>= 1 and <= MaxStrength))
            errors.Add("strength", $"is required and must be between 1 and {MaxStrength}.");

        rule.Check(rationale, errors);
        errors.ThrowIfAny();
        return new PairwiseAnswer(choice!, choice == Tie ? null : strength);
    }
}

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
                errors.Add("rationale", $"is required: explain your choice in at least {MinChars} characters.");
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
