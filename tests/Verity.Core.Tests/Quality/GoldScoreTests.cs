using FsCheck.Xunit;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Work;

namespace Verity.Core.Tests.Quality;

public class GoldScoreTests
{
    /// <summary>The score the task kind whose answers have the reference's type gives.</summary>
    private static double? Score(object answer, object reference) => TaskKind.All.First(k => k.AnswerType == reference.GetType()).Score(answer, reference);

    [Theory]
    [InlineData("a", "a", 1)]
    [InlineData("a", "b", 0)]
    [InlineData(PairwiseAnswer.Tie, PairwiseAnswer.Tie, 1)]
    [InlineData(PairwiseAnswer.Tie, "a", 0)]
    public void a_pairwise_answer_scores_one_only_for_the_same_choice(string given, string gold, double expected) =>
        Score(new PairwiseAnswer(given, 2), new PairwiseAnswer(gold, 1)).ShouldBe(expected);

    [Theory]
    [InlineData(new[] { "helpful" }, new[] { "helpful" }, 1.0)]
    [InlineData(new[] { "helpful" }, new[] { "harmful" }, 0.0)]
    [InlineData(new[] { "a", "b" }, new[] { "b", "c" }, 1.0 / 3)]
    [InlineData(new[] { "a", "b", "c" }, new[] { "c", "b" }, 2.0 / 3)]
    [InlineData(new string[0], new string[0], 1.0)]
    public void a_classification_scores_the_jaccard_index_of_the_label_sets(string[] given, string[] gold, double expected) =>
        Score(new ClassificationAnswer(given), new ClassificationAnswer(gold))!.Value.ShouldBe(expected, 1e-12);

    [Fact]
    public void a_rating_scores_the_share_of_dimensions_within_the_tolerance()
    {
        var gold = new RatingAnswer(new Dictionary<string, int?> { ["accuracy"] = 4, ["tone"] = 2, ["safety"] = null, ["completeness"] = 5 });
        var given = new RatingAnswer(new Dictionary<string, int?> { ["accuracy"] = 5, ["tone"] = 4, ["safety"] = null, ["completeness"] = null });

        // accuracy within 1, tone 2 away, N/A matches N/A, a missing score misses: 2 of 4.
        Score(given, gold).ShouldBe(0.5);
        GoldScore.Rating(given, gold, tolerance: 2).ShouldBe(0.75);
        GoldScore.Rating(given, gold, tolerance: 0).ShouldBe(0.25);
    }

    [Fact]
    public void a_ranking_scores_kendall_tau_b_mapped_to_zero_one()
    {
        var gold = Ranking(("a", 1), ("b", 2), ("c", 3), ("d", 4));

        Score(Ranking(("a", 1), ("b", 2), ("c", 3), ("d", 4)), gold).ShouldBe(1);
        Score(Ranking(("a", 4), ("b", 3), ("c", 2), ("d", 1)), gold).ShouldBe(0);
        // One adjacent swap: 5 concordant and 1 discordant of 6 pairs, τ = 4/6.
        Score(Ranking(("a", 2), ("b", 1), ("c", 3), ("d", 4)), gold)!.Value.ShouldBe((1 + (4.0 / 6)) / 2, 1e-12);
    }

    [Fact]
    public void a_ranking_with_ties_uses_the_tau_b_correction()
    {
        var gold = Ranking(("a", 1), ("b", 2), ("c", 3));
        var given = Ranking(("a", 1), ("b", 1), ("c", 2));

        // Pairs: (a,b) tied in the answer, (a,c) and (b,c) concordant. τ-b = (2 − 0) / √((3 − 1)(3 − 0)).
        Score(given, gold)!.Value.ShouldBe((1 + (2 / Math.Sqrt(6))) / 2, 1e-12);
    }

    [Property(MaxTest = 100)]
    public void a_ranking_score_is_in_zero_one_and_symmetric(int seed)
    {
        var random = new Random(seed);
        var ids = new[] { "a", "b", "c", "d", "e" }.Take(random.Next(2, 6)).ToArray();
        RankingAnswer Draw() => new(ids.ToDictionary(id => id, _ => random.Next(1, ids.Length + 1), StringComparer.Ordinal));
        var (first, second) = (Draw(), Draw());
        var distinct = (RankingAnswer r) => r.Ranks.Values.Distinct().Count() > 1;

        var score = Score(first, second)!.Value;

        score.ShouldBeInRange(0, 1);
        if (distinct(first) && distinct(second))
            score.ShouldBe(Score(second, first)!.Value, 1e-12);
    }

    [Fact]
    public void a_ranking_that_leaves_out_a_gold_response_is_refused() =>
        Should.Throw<ArgumentException>(() => Score(Ranking(("a", 1), ("b", 2)), Ranking(("a", 1), ("b", 2), ("c", 3))));

    [Fact]
    public void demonstrations_are_not_scored() =>
        Score(new TextAnswer("my answer"), new TextAnswer("the reference")).ShouldBeNull();

    [Fact]
    public void answers_of_different_kinds_cannot_be_compared() =>
        Should.Throw<ArgumentException>(() => Score(new PairwiseAnswer("a", 1), new ClassificationAnswer(["a"])));

    private static RankingAnswer Ranking(params (string Id, int Rank)[] ranks) =>
        new(ranks.ToDictionary(r => r.Id, r => r.Rank, StringComparer.Ordinal));
}
