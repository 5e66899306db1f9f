using Verity.Core.Labels;
using Verity.Core.Work;

namespace Verity.Core.Tests.Labels;

public sealed class KindAggregationTests
{
    private static RankingAnswer Ranking(params string[] bestToWorst) =>
        new(bestToWorst.Select((id, i) => (id, i + 1)).ToDictionary(x => x.id, x => x.Item2, StringComparer.Ordinal));

    private static readonly string[] Ids = ["a", "b", "c"];

    [Fact]
    public void rankings_imply_every_pair_a_majority_agrees_on()
    {
        var answers = new[] { Ranking("a", "b", "c"), Ranking("a", "c", "b"), Ranking("b", "a", "c") };
        var pairs = RankingAggregation.ImpliedPairs(answers, Ids);
        pairs.Select(p => $"{p.ChosenId}>{p.RejectedId}").Order(StringComparer.Ordinal).ShouldBe(["a>b", "a>c", "b>c"]);
        var ac = pairs.Single(p => p.ChosenId == "a" && p.RejectedId == "c");
        ac.Agreement.ShouldBe(1.0);
        ac.Margin.ShouldBe((2 + 1 + 1) / 3.0, 1e-12);
        pairs.Single(p => p.ChosenId == "b" && p.RejectedId == "c").Agreement.ShouldBe(2 / 3.0, 1e-12);
    }

    [Fact]
    public void a_pair_the_annotators_split_on_is_left_out()
    {
        var answers = new[] { Ranking("a", "b", "c"), Ranking("b", "a", "c") };
        RankingAggregation.ImpliedPairs(answers, Ids).Select(p => $"{p.ChosenId}>{p.RejectedId}").Order(StringComparer.Ordinal).ShouldBe(["a>c", "b>c"]);
    }

    [Fact]
    public void best_worst_pairs_the_best_mean_rank_with_the_worst()
    {
        var pair = RankingAggregation.BestWorst([Ranking("a", "b", "c"), Ranking("a", "c", "b"), Ranking("b", "a", "c")], Ids);
        pair.ShouldNotBeNull();
        (pair.ChosenId, pair.RejectedId).ShouldBe(("a", "c"));
        RankingAggregation.BestWorst([Ranking("a", "b", "c"), Ranking("b", "a", "c")], Ids).ShouldBeNull("a and b share the best mean rank");
    }

    [Fact]
    public void rating_summaries_ignore_not_applicable()
    {
        var summary = RatingAggregation.Summarise([5, 3, null, 4]);
        summary.ShouldNotBeNull();
        summary.Mean.ShouldBe(4.0);
        summary.Median.ShouldBe(4.0);
        summary.Spread.ShouldBe(Math.Sqrt(2 / 3.0), 1e-12);
        summary.Count.ShouldBe(3);
        summary.NotApplicable.ShouldBe(1);
        RatingAggregation.Summarise([null, null]).ShouldBeNull();
        RatingAggregation.Summarise([2, 5])!.Median.ShouldBe(3.5);
    }

    [Fact]
    public void single_label_classification_needs_a_strict_plurality()
    {
        var outcome = ClassificationAggregation.Decide([new(["x"]), new(["x"]), new(["y"])], multiLabel: false, required: 3);
        outcome.Labels.ShouldBe(["x"]);
        outcome.Confidence.ShouldBe(2 / 3.0, 1e-12);
        ClassificationAggregation.Decide([new(["x"]), new(["y"])], multiLabel: false, required: 2).Skipped.ShouldBe(SkipReason.SplitVote);
        ClassificationAggregation.Decide([new(["x"])], multiLabel: false, required: 2).Skipped.ShouldBe(SkipReason.NotEnoughAnnotations);
    }

    [Fact]
    public void multi_label_classification_keeps_labels_most_annotators_chose()
    {
        var outcome = ClassificationAggregation.Decide(
            [new(["helpful", "personal"]), new(["helpful"]), new(["helpful", "personal"]), new([], "satire")], multiLabel: true, required: 3);
        outcome.Labels.ShouldBe(["helpful"], "personal has 2 of 4 votes, not a majority");
        outcome.Votes["other:satire"].ShouldBe(1);
        outcome.Confidence.ShouldBe(0.5, 1e-12);
    }

    [Fact]
    public void a_line_diff_marks_added_and_removed_lines()
    {
        var diff = TextDiff.Lines("keep\nold rule\nend", "keep\nnew rule\nend\n");
        diff.ShouldBe([new DiffPart("equal", "keep\n"), new DiffPart("delete", "old rule\n"), new DiffPart("insert", "new rule\n"), new DiffPart("equal", "end\n")]);
        string.Concat(TextDiff.Words("a b  c", "a x  c").Where(d => d.Op != "delete").Select(d => d.Text)).ShouldBe("a x  c");
    }
}
