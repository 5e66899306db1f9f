using Verity.Core.Exports;
using Verity.Core.Labels;
using Verity.Core.Work;

namespace Verity.Core.Tests.Exports;

public sealed class PreferenceAggregationTests
{
    private static readonly string[] Ids = ["a", "b"];

    private static PreferenceOutcome Decide(string? label, params (string Choice, int? Strength)[] votes) =>
        PreferenceAggregation.Decide(votes.Select(v => new PairwiseAnswer(v.Choice, v.Strength)).ToList(), Ids, label, confidence: 0.9);

    [Fact]
    public void the_label_is_chosen_with_mean_signed_strength_as_margin()
    {
        var outcome = Decide("b", ("b", 3), ("b", 1), ("a", 2));
        outcome.ChosenId.ShouldBe("b");
        outcome.RejectedId.ShouldBe("a");
        outcome.Margin.ShouldBe((3 + 1 - 2) / 3.0, 1e-12);
        outcome.Agreement.ShouldBe(2 / 3.0, 1e-12);
        outcome.Annotators.ShouldBe(3);
        outcome.Skipped.ShouldBeNull();
    }

    [Fact]
    public void a_label_against_the_vote_keeps_its_low_agreement_and_negative_margin()
    {
        // A reliability-weighted method may side with one careful annotator against two careless ones.
        var outcome = Decide("a", ("b", 1), ("b", 1), ("a", 3));
        outcome.ChosenId.ShouldBe("a");
        outcome.Agreement.ShouldBe(1 / 3.0, 1e-12);
        outcome.Margin.ShouldBe((3 - 1 - 1) / 3.0, 1e-12);
    }

    [Fact]
    public void a_tie_vote_counts_toward_agreement_but_adds_no_margin()
    {
        var outcome = Decide("a", ("a", 2), ("a", 2), ("tie", null));
        outcome.ChosenId.ShouldBe("a");
        outcome.Margin.ShouldBe(4 / 3.0, 1e-12);
    }

    [Fact]
    public void items_without_a_chosen_response_are_left_out_with_the_reason()
    {
        Decide(null, ("a", 1), ("b", 1)).Skipped.ShouldBe(SkipReason.NotEnoughAnnotations);
        Decide("tie", ("tie", null), ("tie", null), ("a", 1)).Skipped.ShouldBe(SkipReason.Tie);
        Decide("a").Skipped.ShouldBe(SkipReason.NotEnoughAnnotations);
        Should.Throw<ArgumentException>(() => Decide("c", ("a", 1)));
        var split = PreferenceAggregation.Decide([new("a", 1), new("b", 1), new(PairwiseAnswer.Tie, null)], Ids, "a", confidence: 1 / 3.0);
        split.Skipped.ShouldBe(SkipReason.SplitVote);
        split.Agreement.ShouldBe(1 / 3.0, 1e-12);
    }
}
