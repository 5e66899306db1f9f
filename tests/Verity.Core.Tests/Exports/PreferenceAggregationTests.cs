using Verity.Core.Exports;
using Verity.Core.Work;

namespace Verity.Core.Tests.Exports;

public sealed class PreferenceAggregationTests
{
    private static readonly string[] Ids = ["a", "b"];

    private static PreferenceOutcome Decide(int required, params (string Choice, int? Strength)[] votes) =>
        PreferenceAggregation.Decide(votes.Select(v => new PairwiseAnswer(v.Choice, v.Strength)).ToList(), Ids, required);

    [Fact]
    public void the_majority_choice_wins_with_mean_signed_strength_as_margin()
    {
        var outcome = Decide(3, ("b", 3), ("b", 1), ("a", 2));
        outcome.ChosenId.ShouldBe("b");
        outcome.RejectedId.ShouldBe("a");
        outcome.Margin.ShouldBe((3 + 1 - 2) / 3.0, 1e-12);
        outcome.Agreement.ShouldBe(2 / 3.0, 1e-12);
        outcome.Annotators.ShouldBe(3);
        outcome.Skipped.ShouldBeNull();
    }

    [Fact]
    public void a_tie_vote_counts_toward_agreement_but_adds_no_margin()
    {
        var outcome = Decide(3, ("a", 2), ("a", 2), ("tie", null));
        outcome.ChosenId.ShouldBe("a");
        outcome.Margin.ShouldBe(4 / 3.0, 1e-12);
    }

    [Fact]
    public void items_without_a_clear_winner_are_left_out_with_the_reason()
    {
        Decide(3, ("a", 1), ("b", 1)).Skipped.ShouldBe(SkipReason.NotEnoughAnnotations);
        Decide(2, ("a", 1), ("b", 1)).Skipped.ShouldBe(SkipReason.SplitVote);
        Decide(3, ("tie", null), ("tie", null), ("a", 1)).Skipped.ShouldBe(SkipReason.Tie);
        Decide(1).Skipped.ShouldBe(SkipReason.NotEnoughAnnotations);
    }

    [Fact]
    public void more_annotations_than_required_still_count()
    {
        Decide(1, ("a", 1), ("a", 1), ("b", 3)).Annotators.ShouldBe(3);
    }
}
