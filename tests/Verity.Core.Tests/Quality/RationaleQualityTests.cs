using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

public class RationaleQualityTests
{
    private const string Content =
        "Plastic bottles should be banned because they fill landfills and oceans with waste. "
        + "Banning bottled water would hurt the economy and cost jobs in the beverage industry.";

    [Fact]
    public void a_specific_rationale_scores_high_and_a_stock_phrase_scores_low()
    {
        var scores = RationaleQuality.ScoreAnnotator(
        [
            new("A1 explains how bottles fill landfills and oceans, A2 only asserts the economy suffers", Content),
            new("A1 is more convincing", Content),
        ]);

        scores[0].Score.ShouldBeGreaterThan(0.8);
        scores[0].SharedWords.ShouldBeGreaterThanOrEqualTo(3);
        scores[1].Score.ShouldBeLessThan(0.3);
        scores[1].BoilerplateShare.ShouldBe(3.0 / 4);
    }

    [Fact]
    public void the_score_follows_the_documented_formula()
    {
        // 4 words (half length credit), three content words found in the content ("landfills", "fill", "waste"), no boilerplate.
        var score = RationaleQuality.ScoreAnnotator([new("landfills fill with waste", Content)])[0];

        score.Words.ShouldBe(4);
        score.SharedWords.ShouldBe(3);
        score.Score.ShouldBe(0.5 * ((0.5 * 1) + (0.5 * 1)), 1e-12);
    }

    [Fact]
    public void a_rationale_without_reference_to_the_content_loses_half_its_credit()
    {
        var score = RationaleQuality.ScoreAnnotator([new("my cousin told me something similar last summer at the lake", Content)])[0];

        score.SharedWords.ShouldBe(0);
        score.Score.ShouldBe(0.5, 1e-12);
    }

    [Fact]
    public void a_near_copy_of_an_earlier_rationale_scores_zero()
    {
        var first = "A1 explains how bottles fill landfills and oceans with waste that never breaks down";
        var scores = RationaleQuality.ScoreAnnotator(
        [
            new(first, Content),
            new("The economy argument is weak and unsupported by any numbers at all", Content),
            new(first + " again", Content),
        ]);

        scores[0].CopyOf.ShouldBeNull();
        scores[1].CopyOf.ShouldBeNull();
        scores[2].CopyOf.ShouldBe(0);
        scores[2].Score.ShouldBe(0);
    }

    [Fact]
    public void an_empty_rationale_scores_zero() =>
        RationaleQuality.ScoreAnnotator([new("  ", Content)])[0].Score.ShouldBe(0);

    [Fact]
    public void vague_rationales_fire_on_a_low_mean_with_enough_rationales()
    {
        var vague = RationaleQuality.ScoreAnnotator(Enumerable.Range(1, 6).Select(i => new RationaleInput($"A{i % 2 + 1} is better", Content)).ToList());

        var result = VagueRationales.Detect(vague);

        result.Fires.ShouldBeTrue();
        result.Copies.ShouldBe(4);
        result.Evidence.ShouldContain("6 rationales");
        VagueRationales.Detect(vague.Take(4).ToList()).Fires.ShouldBeFalse("four rationales are fewer than the minimum of five");
    }
}
