namespace Verity.Core.Projects;

/// <summary>The ways a project can turn its annotators' answers into one label per item, by task kind.</summary>
public static class AggregationMethods
{
    /// <summary>Per-annotator confusion matrices fitted over the whole project (single-label answers).</summary>
    public const string DawidSkene = "dawid-skene";

    /// <summary>Per-annotator competence and spam pattern fitted over the whole project (single-label answers).</summary>
    public const string Mace = "mace";

    /// <summary>Each annotator's answer counts by their trust in the project.</summary>
    public const string TrustWeighted = "trust-weighted";

    /// <summary>Every answer counts the same (the vote for labels, the mean for scores).</summary>
    public const string Majority = "majority";

    /// <summary>What single-label kinds take, the default first.</summary>
    public static readonly IReadOnlyList<string> ForSingleLabels = [DawidSkene, Mace, TrustWeighted, Majority];

    /// <summary>What kinds whose label is a summary (means, mean ranks) take, the default first.</summary>
    public static readonly IReadOnlyList<string> ForSummaries = [TrustWeighted, Majority];

    /// <summary>The method a project of <paramref name="kind"/> uses when it names none, or null when there is none.</summary>
    public static string? Default(string kind, bool multiLabel) =>
        multiLabel ? TrustWeighted : TaskKind.Named(kind).AggregationMethods is [var first, ..] ? first : null;
}
