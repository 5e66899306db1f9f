using FsCheck.Xunit;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Work;

namespace Verity.Core.Tests.Quality;

public class TrustTests
{
    [Fact]
    public void self_consistency_compares_chosen_responses_not_shown_sides()
    {
        // The repeat showed the responses in swapped order; the stored choice is the response id either way.
        var result = SelfConsistency.Measure(
        [
            (new PairwiseAnswer("resp-a", 2), new PairwiseAnswer("resp-a", 1)),
            (new PairwiseAnswer("resp-b", 2), new PairwiseAnswer("resp-c", 2)),
            (new PairwiseAnswer(PairwiseAnswer.Tie, null), new PairwiseAnswer(PairwiseAnswer.Tie, null)),
            (new TextAnswer("first draft"), new TextAnswer("second draft")),
        ], (answer, reference) => TaskKind.All.First(k => k.AnswerType == reference.GetType()).Score(answer, reference));

        result.Pairs.ShouldBe(3);
        result.Agreement.ShouldBe(2.0 / 3, 1e-12);
    }

    [Fact]
    public void self_consistency_without_repeats_is_unknown() =>
        double.IsNaN(SelfConsistency.Measure([], (_, _) => 1).Agreement).ShouldBeTrue();

    [Fact]
    public void trust_is_the_weighted_mean_of_the_known_inputs_times_the_detector_penalty()
    {
        Trust.Weight(new TrustInputs()).ShouldBe(Trust.Unknown);
        Trust.Weight(new TrustInputs(GoldAccuracy: 0.9)).ShouldBe(0.9, 1e-12);
        Trust.Weight(new TrustInputs(GoldAccuracy: 0.9, Agreement: 0.6)).ShouldBe(((0.4 * 0.9) + (0.3 * 0.6)) / 0.7, 1e-12);
        Trust.Weight(new TrustInputs(0.8, 0.8, 0.8, 0.8, FiredDetectors: 2)).ShouldBe(0.8 * 0.75 * 0.75, 1e-12);
    }

    [Fact]
    public void an_input_outside_zero_to_one_is_refused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Trust.Weight(new TrustInputs(Agreement: 1.2)));

    [Property(MaxTest = 200)]
    public void trust_never_falls_when_an_input_rises_and_never_rises_when_a_detector_fires(int seed)
    {
        var random = new Random(seed);
        double? Maybe() => random.NextDouble() < 0.25 ? null : random.NextDouble();
        var inputs = new TrustInputs(Maybe(), Maybe(), Maybe(), Maybe(), random.Next(0, 3));
        var before = Trust.Weight(inputs);
        double Raise(double? x) => x is null ? 0 : x.Value + ((1 - x.Value) * random.NextDouble());

        before.ShouldBeInRange(0, 1);
        if (inputs.GoldAccuracy is not null)
            Trust.Weight(inputs with { GoldAccuracy = Raise(inputs.GoldAccuracy) }).ShouldBeGreaterThanOrEqualTo(before);
        if (inputs.Agreement is not null)
            Trust.Weight(inputs with { Agreement = Raise(inputs.Agreement) }).ShouldBeGreaterThanOrEqualTo(before);
        if (inputs.SelfConsistency is not null)
            Trust.Weight(inputs with { SelfConsistency = Raise(inputs.SelfConsistency) }).ShouldBeGreaterThanOrEqualTo(before);
        if (inputs.ReviewAcceptance is not null)
            Trust.Weight(inputs with { ReviewAcceptance = Raise(inputs.ReviewAcceptance) }).ShouldBeGreaterThanOrEqualTo(before);
        Trust.Weight(inputs with { FiredDetectors = inputs.FiredDetectors + 1 }).ShouldBeLessThanOrEqualTo(before);
    }
}
