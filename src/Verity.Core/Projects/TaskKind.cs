namespace Verity.Core.Projects;

/// <summary>The kinds of work a project can ask for, stored by name, with the responses each item carries.</summary>
public static class TaskKind
{
    /// <summary>Compare two responses to one prompt and choose the better (or a tie).</summary>
    public const string Pairwise = "pairwise";

    /// <summary>Order 3–9 responses from best to worst.</summary>
    public const string Ranking = "ranking";

    /// <summary>Score one response on each rubric dimension.</summary>
    public const string Rating = "rating";

    /// <summary>Write the ideal response to a prompt.</summary>
    public const string Demonstration = "demonstration";

    /// <summary>Correct a given response.</summary>
    public const string Rewrite = "rewrite";

    /// <summary>Choose one or more labels from the project's label set.</summary>
    public const string Classification = "classification";

    /// <summary>Every kind, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> Supported = [Pairwise, Ranking, Rating, Demonstration, Rewrite, Classification];

    /// <summary>How many responses an item of this kind must carry (inclusive bounds).</summary>
    public static (int Min, int Max) ResponseCount(string kind) => kind switch
    {
        Pairwise => (2, 2),
        Ranking => (3, 9),
        Rating or Rewrite => (1, 1),
        Demonstration => (0, 0),
        Classification => (0, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown task kind"),
    };
}
