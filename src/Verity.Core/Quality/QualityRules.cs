using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verity.Core.Quality;

/// <summary>Which side of the threshold makes a rule fire.</summary>
[JsonConverter(typeof(RuleComparisonConverter))]
public enum RuleComparison
{
    /// <summary>Fires when the metric is below the threshold.</summary>
    Below,

    /// <summary>Fires when the metric is above the threshold.</summary>
    Above,
}

/// <summary>
/// One rule on an annotator's statistics, e.g. <c>goldAccuracy Below 0.6 → "removed"</c>, judged only once
/// <paramref name="CountMetric"/> has reached <paramref name="MinCount"/> (for instance after 10 gold items).
/// </summary>
/// <param name="Metric">The statistic tested (a key of the stats).</param>
/// <param name="Comparison">Which side of the threshold fires.</param>
/// <param name="Threshold">The limit.</param>
/// <param name="Status">The status the annotator gets when the rule fires.</param>
/// <param name="CountMetric">The statistic that must reach <paramref name="MinCount"/> first, or null.</param>
/// <param name="MinCount">The evidence needed before the rule judges.</param>
public sealed record QualityRule(
    string Metric, RuleComparison Comparison, double Threshold, string Status, string? CountMetric = null, double MinCount = 0);

/// <summary>Reads and writes <see cref="RuleComparison"/> as "below" and "above".</summary>
public sealed class RuleComparisonConverter() : JsonStringEnumConverter<RuleComparison>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

/// <summary>An annotator's status and the reasons for it, one sentence per rule that fired.</summary>
public sealed record RuleOutcome(string Status, IReadOnlyList<string> Reasons);

/// <summary>Evaluates quality rules against an annotator's statistics.</summary>
public static class QualityRules
{
    /// <summary>The status when no rule fires.</summary>
    public const string Active = "active";

    /// <summary>The annotator gets no more work in the project and their labels weigh nothing.</summary>
    public const string Removed = "removed";

    /// <summary>The annotator may go on working, but their labels weigh nothing in aggregation and exports.</summary>
    public const string ZeroWeight = "zero-weight";

    /// <summary>
    /// The annotator's labels are held out of labels and exports pending the owner's decision (an owner quarantined
    /// them, or a detector did); a restoration lifts it.
    /// </summary>
    public const string Quarantined = "quarantined";

    /// <summary>The statistics a rule may test.</summary>
    public static readonly IReadOnlyList<string> Metrics = ["goldAccuracy", "agreement", "consistency", "reviewAcceptance", "trust"];

    /// <summary>The counts a rule may wait for.</summary>
    public static readonly IReadOnlyList<string> Counts = ["goldSeen", "labels", "repeats", "reviewed"];

    /// <summary>The statuses a rule may give.</summary>
    public static readonly IReadOnlyList<string> Statuses = [Removed, ZeroWeight];

    /// <summary>
    /// The rules of a project that sets none: after 10 gold items, gold accuracy below 0.6 removes; trust below 0.3
    /// weighs zero.
    /// </summary>
    public static readonly IReadOnlyList<QualityRule> Defaults =
    [
        new("goldAccuracy", RuleComparison.Below, 0.6, Removed, CountMetric: "goldSeen", MinCount: 10),
        new("trust", RuleComparison.Below, 0.3, ZeroWeight),
    ];

    /// <summary>Adds an error, naming the rule and field, for each rule that names an unknown statistic or status.</summary>
    public static void Validate(IReadOnlyList<QualityRule> rules, ErrorList errors)
    {
        if (rules.Count > 20)
            errors.Add("rules", "must be at most 20 rules.");
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (!Metrics.Contains(rule.Metric, StringComparer.Ordinal))
                errors.Add($"rules[{i}].metric", $"must be one of: {string.Join(", ", Metrics)}.");
            if (!Statuses.Contains(rule.Status, StringComparer.Ordinal))
                errors.Add($"rules[{i}].status", $"must be one of: {string.Join(", ", Statuses)}.");
            if (!double.IsFinite(rule.Threshold))
                errors.Add($"rules[{i}].threshold", "must be a number.");
            if (rule.CountMetric is not null && !Counts.Contains(rule.CountMetric, StringComparer.Ordinal))
                errors.Add($"rules[{i}].countMetric", $"must be one of: {string.Join(", ", Counts)}.");
            if (rule.MinCount is < 0 or > 1_000_000 || double.IsNaN(rule.MinCount))
                errors.Add($"rules[{i}].minCount", "must be between 0 and 1,000,000.");
        }
    }

    /// <summary>
    /// The status of the first rule that fires (list rules from the most to the least severe) and the
    /// reasons of every rule that fires. A rule whose metric or count is missing from the stats does not fire:
    /// nobody is sanctioned on evidence that does not exist.
    /// </summary>
    public static RuleOutcome Evaluate(IReadOnlyList<QualityRule> rules, IReadOnlyDictionary<string, double> stats)
    {
        string? status = null;
        var reasons = new List<string>();
        foreach (var rule in rules)
        {
            if (!stats.TryGetValue(rule.Metric, out var value) || double.IsNaN(value))
                continue;
            var count = 0.0;
            if (rule.CountMetric is not null && (!stats.TryGetValue(rule.CountMetric, out count) || count < rule.MinCount))
                continue;
            var fires = rule.Comparison == RuleComparison.Below ? value < rule.Threshold : value > rule.Threshold;
            if (!fires)
                continue;
            status ??= rule.Status;
            var side = rule.Comparison == RuleComparison.Below ? "below" : "above";
            var after = rule.CountMetric is null ? "" : string.Create(CultureInfo.InvariantCulture, $" after {count:0.##} {rule.CountMetric} (at least {rule.MinCount:0.##})");
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{rule.Metric} {value:0.###} is {side} {rule.Threshold:0.###}{after}: {rule.Status}"));
        }

        return new RuleOutcome(status ?? Active, reasons);
    }
}
