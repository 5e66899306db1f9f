using Verity.Core.Projects;
using Verity.Core.Quality;

namespace Verity.Core.Tests.Projects;

public sealed class ProjectSettingsTests
{
    private static ProjectSettings Settings(string kind = TaskKind.Pairwise, string? aggregation = null, IReadOnlyList<QualityRule>? rules = null, string? rubric = null) =>
        new("p", kind, 3, "", false, 0, rubric, Aggregation: aggregation, Rules: rules);

    private static ValidationException Refused(ProjectSettings settings) => Should.Throw<ValidationException>(settings.Validate);

    [Fact]
    public void each_kind_takes_only_its_own_aggregation_methods()
    {
        Settings(aggregation: "mace").Validate();
        Settings(TaskKind.Rating, "trust-weighted", rubric: """{"dimensions":[{"name":"x"}]}""").Validate();
        Refused(Settings(aggregation: "glad")).Errors["aggregation"].Single().ShouldContain("dawid-skene, mace, trust-weighted, majority");
        Refused(Settings(TaskKind.Rating, "dawid-skene", rubric: """{"dimensions":[{"name":"x"}]}""")).Errors["aggregation"].Single().ShouldContain("trust-weighted, majority");
        Refused(Settings(TaskKind.Demonstration, "majority")).Errors["aggregation"].Single().ShouldContain("not aggregated");
        Refused(Settings(TaskKind.Classification, "dawid-skene", rubric: """{"labels":["x","y"],"multiLabel":true}""")).Errors["aggregation"].Single().ShouldContain("one label per answer");
    }

    [Fact]
    public void the_default_method_is_fitted_for_single_labels_and_trust_weighted_for_scores_and_label_sets()
    {
        AggregationMethods.Default(TaskKind.Pairwise, multiLabel: false).ShouldBe("dawid-skene");
        AggregationMethods.Default(TaskKind.Classification, multiLabel: true).ShouldBe("trust-weighted");
        AggregationMethods.Default(TaskKind.Rating, multiLabel: false).ShouldBe("trust-weighted");
        AggregationMethods.Default(TaskKind.Rewrite, multiLabel: false).ShouldBeNull();
    }

    [Fact]
    public void a_bad_rule_is_refused_naming_the_rule_and_field()
    {
        var error = Refused(Settings(rules:
        [
            new("goldAccuracy", RuleComparison.Below, 0.6, "removed", "goldSeen", 10),
            new("speed", RuleComparison.Above, double.NaN, "banned", "days", -1),
        ]));
        error.Errors.Keys.Order(StringComparer.Ordinal).ShouldBe(["rules[1].countMetric", "rules[1].metric", "rules[1].minCount", "rules[1].status", "rules[1].threshold"]);
        error.Errors["rules[1].status"].Single().ShouldContain("removed, zero-weight");
    }
}
