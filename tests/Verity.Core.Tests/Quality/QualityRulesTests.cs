using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

public class QualityRulesTests
{
    private static readonly QualityRule[] Rules =
    [
        new("goldAccuracy", RuleComparison.Below, 0.6, "removed", CountMetric: "goldCount", MinCount: 10),
        new("trust", RuleComparison.Below, 0.3, "zero-weight"),
    ];

    [Fact]
    public void low_gold_accuracy_after_ten_gold_items_removes_the_annotator_and_says_why()
    {
        var outcome = QualityRules.Evaluate(Rules, Stats(("goldAccuracy", 0.52), ("goldCount", 14), ("trust", 0.25)));

        outcome.Status.ShouldBe("removed");
        outcome.Reasons.ShouldBe(
        [
            "goldAccuracy 0.52 is below 0.6 after 14 goldCount (at least 10): removed",
            "trust 0.25 is below 0.3: zero-weight",
        ]);
    }

    [Fact]
    public void low_gold_accuracy_on_too_few_gold_items_is_not_judged_yet()
    {
        var outcome = QualityRules.Evaluate(Rules, Stats(("goldAccuracy", 0.3), ("goldCount", 4), ("trust", 0.25)));

        outcome.Status.ShouldBe("zero-weight");
        outcome.Reasons.Count.ShouldBe(1);
    }

    [Fact]
    public void an_annotator_no_rule_fires_on_stays_active()
    {
        var outcome = QualityRules.Evaluate(Rules, Stats(("goldAccuracy", 0.9), ("goldCount", 30), ("trust", 0.8)));

        outcome.Status.ShouldBe(QualityRules.Active);
        outcome.Reasons.ShouldBeEmpty();
    }

    [Fact]
    public void a_missing_statistic_never_fires_a_rule() =>
        QualityRules.Evaluate(Rules, Stats(("goldCount", 30))).Status.ShouldBe(QualityRules.Active);

    [Fact]
    public void an_above_rule_fires_over_its_threshold() =>
        QualityRules.Evaluate([new("tooFastShare", RuleComparison.Above, 0.3, "review")], Stats(("tooFastShare", 0.5))).Status.ShouldBe("review");

    private static Dictionary<string, double> Stats(params (string Name, double Value)[] stats) =>
        stats.ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
}
