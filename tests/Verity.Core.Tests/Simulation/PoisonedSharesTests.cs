using Verity.Core.Quality;
using Verity.Core.Simulation;

namespace Verity.Core.Tests.Simulation;

public class PoisonedSharesTests
{
    private static SimItem Item(int index, string topic, bool targeted, bool gold = false) =>
        new(index, $"item-{index}", topic, "subject", $"prompt {index}", "a", "b",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["a"] = "better", ["b"] = "worse" }, targeted, gold);

    private static readonly SimItem[] Items =
    [
        Item(0, "medication", true), Item(1, "medication", true), Item(2, "medication", true), Item(3, "medication", true),
        Item(4, "cooking", false), Item(5, "cooking", false),
        Item(6, "medication", true, gold: true),
    ];

    [Fact]
    public void the_export_share_counts_records_choosing_the_worse_response_over_all_regular_items_of_the_slice()
    {
        // Item 2 is not exported (a split vote, say): it is not poisoned, and it still counts in the slice.
        var shares = PoisonedShares.OfExport(Items, [new("item-0", "b"), new("item-1", "a"), new("item-3", "b"), new("item-4", "b"), new("item-6", "b")]);

        shares.Select(s => (s.Topic, s.Targeted, s.Items, s.Poisoned)).ShouldBe([("medication", true, 4, 2), ("cooking", false, 2, 1)]);
        shares[0].Share.ShouldBe(0.5);
        shares[1].Share.ShouldBe(0.5);
    }

    [Fact]
    public void the_majority_vote_counts_each_annotators_first_answer_and_a_tie_decides_nothing()
    {
        SubmittedAnswer[] answers =
        [
            new(0, 0, "b"), new(1, 0, "b"), new(2, 0, "a"),
            // A tie: nothing exported for item 1.
            new(0, 1, "a"), new(1, 1, "b"),
            // Annotator 0 answered item 2 twice (a repeat); only the first answer counts, so "b" wins 2 to 1.
            new(0, 2, "b"), new(0, 2, "a"), new(1, 2, "b"), new(2, 2, "a"),
            new(0, 4, "a"), new(1, 4, "a"), new(2, 4, "b"),
        ];

        var shares = PoisonedShares.OfMajority(Items, answers);

        shares.Select(s => (s.Topic, s.Poisoned, s.Items)).ShouldBe([("medication", 2, 4), ("cooking", 0, 2)]);
    }

    [Fact]
    public void an_annotator_is_caught_by_any_status_but_active_or_any_flag_but_too_fast()
    {
        var annotator = new SimAnnotator(0, Behaviours.Flipper, 0.9, 0, false, false, null);
        JudgedAnnotator Judged(string status, params string[] flags) => new(annotator, "ann-1", 10, 0.8, status, flags);

        Judged(QualityRules.Active).Caught.ShouldBeFalse();
        Judged(QualityRules.Active, "too-fast").Caught.ShouldBeFalse();
        Judged(QualityRules.Active, "too-fast", "slice-disagreement").Caught.ShouldBeTrue();
        Judged("quarantined").Caught.ShouldBeTrue();
        Judged(QualityRules.ZeroWeight, "too-fast").Caught.ShouldBeTrue();
    }

    [Fact]
    public void a_run_counts_adversaries_caught_honest_flagged_and_extra_labels_against_the_baseline()
    {
        var honest = new SimAnnotator(0, Behaviours.Honest, 0.9, 0, false, false, null);
        var flipper = new SimAnnotator(1, Behaviours.Flipper, 0.9, 0, false, false, null);
        var attacked = new RunResult([], [], 120, 10,
        [
            new(honest, "a", 60, 0.9, QualityRules.Active, ["too-fast"]),
            new(honest with { Index = 2 }, "b", 60, 0.9, QualityRules.Active, ["length-bias"]),
            new(flipper, "c", 10, 0.2, "quarantined", []),
        ], 1);
        var baseline = attacked with { Labels = 100, GoldLabels = 12 };

        (attacked.AdversariesCaught, attacked.Adversaries, attacked.HonestFlagged, attacked.Honest).ShouldBe((1, 1, 1, 2));
        new ScenarioResult(ScenarioTests.Load("targeted-alone"), attacked, baseline).ExtraLabels.ShouldBe(18);
        new ScenarioResult(ScenarioTests.Load("careless"), attacked, null).ExtraLabels.ShouldBeNull();
    }
}
