using Verity.Core.Quality;
using Verity.Quality;

namespace Verity.Tests.Quality;

/// <summary>
/// MACE against majority vote on the crowd sets shipped in data/crowd (their gold answers). The accuracies are the
/// ones BENCHMARKS.md reports for these sets; no published MACE accuracies exist for them, so they pin this
/// implementation, not the paper.
/// </summary>
public class MaceOnCrowdSetsTests
{
    [Theory]
    [InlineData("act-CF", 0.8867, 0.8867)]
    [InlineData("act-CF_amt", 0.8467, 0.8567)]
    [InlineData("act-MS", 0.6971, 0.8000)]
    [InlineData("act-SP", 0.8860, 0.9178)]
    [InlineData("act-SP_amt", 0.9460, 0.9460)]
    [InlineData("gal-BarzanMozafari", 0.6960, 0.7220)]
    public void mace_is_at_least_as_accurate_as_majority_vote(string set, double majority, double mace)
    {
        var (vote, fitted) = Accuracies(set);

        vote.ShouldBe(majority, 5e-5);
        fitted.ShouldBe(mace, 5e-5);
        fitted.ShouldBeGreaterThanOrEqualTo(vote);
    }

    // MACE's spam draws do not depend on the true class and its class prior is uniform, while on ZenCrowd the truth
    // is 78% "0" and wrong labels are mostly false "1"s: the fit turns mixed items into "1" and loses to the vote.
    // The reference implementation's settings were kept (BENCHMARKS.md lists the variants tried); these values are
    // pinned so that a change which closes the gap, or widens it, shows here.
    [Theory]
    [InlineData("act-ZenCrowd_all", 0.8294, 0.7902)]
    [InlineData("act-ZenCrowd_in", 0.7387, 0.7260)]
    [InlineData("act-ZenCrowd_us", 0.8603, 0.8083)]
    public void on_zencrowd_mace_stays_below_majority_vote(string set, double majority, double mace)
    {
        var (vote, fitted) = Accuracies(set);

        vote.ShouldBe(majority, 5e-5);
        fitted.ShouldBe(mace, 5e-5);
    }

    [Fact]
    public void a_seed_gives_the_same_fit_every_time()
    {
        var labels = QualityCsv.ReadLabels(Path.Combine(RepositoryData.Crowd("act-CF"), "labels.csv"));

        var first = Mace.Run(labels, new AggregationOptions(Seed: 7));
        var second = Mace.Run(labels, new AggregationOptions(Seed: 7));

        second.Posteriors.ShouldBe(first.Posteriors);
        second.WorkerSkill.ShouldBe(first.WorkerSkill);
        second.Iterations.ShouldBe(first.Iterations);
    }

    private static (double Vote, double Mace) Accuracies(string set)
    {
        var folder = RepositoryData.Crowd(set);
        var labels = QualityCsv.ReadLabels(Path.Combine(folder, "labels.csv"));
        var gold = QualityCsv.ReadGold(Path.Combine(folder, "gold.csv"), labels);
        return (GoldEvaluation.Evaluate(MajorityVote.Run(labels), gold).Accuracy, GoldEvaluation.Evaluate(Mace.Run(labels), gold).Accuracy);
    }
}
