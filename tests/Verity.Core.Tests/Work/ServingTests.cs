using Verity.Core.Items;
using Verity.Core.Work;

namespace Verity.Core.Tests.Work;

public sealed class ServingTests
{
    [Fact]
    public void item_keys_and_start_points_are_fixed_and_spread_over_the_unit_interval()
    {
        var ids = Enumerable.Range(0, 2_000).Select(_ => Guid.NewGuid()).ToList();
        var keys = ids.Select(ServingPolicies.ItemKey).ToList();

        keys.ShouldAllBe(k => k >= 0 && k < 1);
        ids.Select(ServingPolicies.ItemKey).ShouldBe(keys, "derived from the id alone");
        keys.Count(k => k < 0.5).ShouldBeInRange(900, 1100);
        var (annotator, project) = (Guid.NewGuid(), Guid.NewGuid());
        ServingPolicies.StartPoint(annotator, project, 3).ShouldBe(ServingPolicies.StartPoint(annotator, project, 3));
        ServingPolicies.StartPoint(annotator, project, 3).ShouldNotBe(ServingPolicies.StartPoint(annotator, project, 4));
        ServingPolicies.StartPoint(annotator, project, 3).ShouldNotBe(ServingPolicies.StartPoint(Guid.NewGuid(), project, 3));
    }

    [Fact]
    public void reward_scores_become_bradley_terry_preference_probabilities_and_class_scores_are_normalised()
    {
        var pair = ModelScores.Distribution("""{"a":1.0,"b":0.0}""", ["a", "b"])!;
        pair["a"].ShouldBe(1 / (1 + Math.Exp(-1)), 1e-12);
        pair["b"].ShouldBe(1 - pair["a"], 1e-12);

        var classes = ModelScores.Distribution("""{"spam":3,"ham":1}""", ["r"])!;
        classes["spam"].ShouldBe(0.75, 1e-12);
        ModelScores.Distribution(null, ["a", "b"]).ShouldBeNull();
    }

    [Fact]
    public void certainty_combines_the_posterior_with_the_model_and_is_zero_when_nothing_is_known()
    {
        var model = new Dictionary<string, double> { ["a"] = 0.8, ["b"] = 0.2 };

        Certainty.Of(null, null, null, 0).ShouldBe(0);
        Certainty.Of(null, null, model, 0).ShouldBe(0.8);
        Certainty.Of("a", 0.75, null, 0.33).ShouldBe(0.75);
        // Independent evidence: 0.75·0.8 against 0.25·0.2.
        Certainty.Of("a", 0.75, model, 0.33).ShouldBe(0.6 / 0.65, 1e-12);
        // Against: 0.8·0.25 for a, 0.2·0.75 for b; the model now leads, by less.
        Certainty.Of("b", 0.75, model, 0.33).ShouldBe(0.2 / 0.35, 1e-12, "a model that disagrees lowers the certainty");
        Certainty.Of("""{"x":1}""", null, model, 0.5).ShouldBe(0.5, "labels without a posterior count the share of annotations done");
    }
}
