using System.Globalization;

namespace Verity.Core.Quality;

/// <summary>Which side of the threshold makes a rule fire.</summary>
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

/// <summary>An annotator's status and the reasons for it, one sentence per rule that fired.</summary>
public sealed record RuleOutcome(string Status, IReadOnlyList<string> Reasons);

/// <summary>Evaluates quality rules against an annotator's statistics.</summary>
public static class QualityRules
{
    /// <summary>The status when no rule fires.</summary>
    public const string Active = "active";

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
