using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

public class DynamicOverlapTests
{
    private static readonly WorkerModel Binary = WorkerModel.Shared(classCount: 2, accuracy: 0.75);

    private static DynamicOverlap Policy(int min = 2, int max = 5, double target = 0.9, OverlapModel model = OverlapModel.SharedAccuracy) =>
        new(new DynamicOverlapOptions(min, max, target, model));

    private static OverlapDecision Decide(DynamicOverlap policy, params int[] labels) =>
        policy.Decide(Enumerable.Range(0, labels.Length).ToArray(), labels, Binary);

    [Fact]
    public void unanimous_labels_stop_the_item_at_the_minimum()
    {
        var policy = Policy(min: 2, target: 0.9);

        Decide(policy, 1).ShouldBe(OverlapDecision.Continue);
        Decide(policy, 1, 1).ShouldBe(OverlapDecision.Stop);
        Decide(Policy(min: 3, target: 0.9), 1, 1).ShouldBe(OverlapDecision.Continue);
    }

    [Fact]
    public void disagreement_asks_for_more_labels()
    {
        var policy = Policy(min: 2, target: 0.9);

        Decide(policy, 0, 1).ShouldBe(OverlapDecision.Continue);
        Decide(policy, 0, 1, 0).ShouldBe(OverlapDecision.Continue);
        Decide(policy, 0, 1, 0, 0).ShouldBe(OverlapDecision.Stop);
    }

    [Fact]
    public void a_lead_of_two_votes_at_accuracy_three_quarters_gives_confidence_nine_tenths()
    {
        // r = 0.75 / 0.25 = 3 and r² / (r² + 1) = 0.9, as the class documentation states.
        DynamicOverlap.Confidence([0, 1, 2, 3], [1, 1, 0, 1], Binary).ShouldBe(0.9, 1e-12);
        DynamicOverlap.Confidence([0, 1], [0, 1], Binary).ShouldBe(0.5, 1e-12);
    }

    [Fact]
    public void the_policy_never_asks_beyond_the_maximum()
    {
        var random = new Random(11);
        var policy = Policy(min: 1, max: 4, target: 0.999);
        for (var run = 0; run < 500; run++)
        {
            var labels = Enumerable.Range(0, 4 + random.Next(4)).Select(_ => random.Next(2)).ToArray();

            Decide(policy, labels).ShouldNotBe(OverlapDecision.Continue);
        }

        Decide(policy, 0, 1, 0, 1).ShouldBe(OverlapDecision.Exhausted);
    }

    [Fact]
    public void decisions_and_replays_are_deterministic()
    {
        var data = CategoricalLabels.FromTriples(Synthetic.Crowd(seed: 5).Rows);
        var policy = Policy(target: 0.95, model: OverlapModel.WorkerConfusion);

        var first = OverlapReplay.Run(data, policy);
        var second = OverlapReplay.Run(data, policy);

        second.Revealed.Items.ToArray().ShouldBe(first.Revealed.Items.ToArray());
        second.Revealed.Workers.ToArray().ShouldBe(first.Revealed.Workers.ToArray());
        (second.Stopped, second.Exhausted, second.RanOut, second.Rounds).ShouldBe((first.Stopped, first.Exhausted, first.RanOut, first.Rounds));
        Decide(policy, 0, 1, 1).ShouldBe(Decide(policy, 0, 1, 1));
    }

    [Theory]
    [InlineData(OverlapModel.SharedAccuracy)]
    [InlineData(OverlapModel.WorkerConfusion)]
    public void a_replay_never_uses_more_labels_than_were_recorded(OverlapModel model)
    {
        // Uneven overlap: items have between 1 and 7 labels, and the policy would like up to 9.
        var random = new Random(3);
        var rows = Synthetic.Crowd(seed: 9, perItem: 7).Rows.Where(_ => random.NextDouble() < 0.7).ToList();
        var data = CategoricalLabels.FromTriples(rows);

        var result = OverlapReplay.Run(data, Policy(min: 3, max: 9, target: 0.99, model: model));

        result.Revealed.Count.ShouldBeLessThanOrEqualTo(data.Count);
        for (var i = 0; i < data.ItemCount; i++)
        {
            var used = result.Revealed.ItemStart[i + 1] - result.Revealed.ItemStart[i];
            used.ShouldBeInRange(1, data.ItemStart[i + 1] - data.ItemStart[i]);
        }

        (result.Stopped + result.Exhausted + result.RanOut).ShouldBe(data.ItemCount);
    }

    [Theory]
    [InlineData(OverlapModel.SharedAccuracy)]
    [InlineData(OverlapModel.WorkerConfusion)]
    public void a_replay_reveals_no_item_beyond_the_maximum(OverlapModel model)
    {
        var data = CategoricalLabels.FromTriples(Synthetic.Crowd(seed: 4, perItem: 7).Rows);

        var result = OverlapReplay.Run(data, Policy(min: 1, max: 3, target: 0.999, model: model));

        for (var i = 0; i < data.ItemCount; i++)
            (result.Revealed.ItemStart[i + 1] - result.Revealed.ItemStart[i]).ShouldBeInRange(1, 3);
        result.Exhausted.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData(OverlapModel.SharedAccuracy)]
    [InlineData(OverlapModel.WorkerConfusion)]
    public void target_confidence_one_without_a_maximum_uses_every_label(OverlapModel model)
    {
        var data = CategoricalLabels.FromTriples(Synthetic.Crowd(seed: 2).Rows);

        var result = OverlapReplay.Run(data, Policy(min: 1, max: int.MaxValue, target: 1.0, model: model));

        result.Revealed.Count.ShouldBe(data.Count);
        result.Revealed.Workers.ToArray().ShouldBe(data.Workers.ToArray());
        result.Revealed.Labels.ToArray().ShouldBe(data.Labels.ToArray());
        result.RanOut.ShouldBe(data.ItemCount);
    }

    [Fact]
    public void fixed_overlap_takes_the_first_labels_in_recorded_order()
    {
        var data = CategoricalLabels.FromTriples([("a", "w1", "x"), ("b", "w1", "y"), ("a", "w2", "y"), ("a", "w3", "x")]);

        var two = OverlapReplay.FirstK(data, 2);

        two.Count.ShouldBe(3);
        two.Workers.ToArray().Select(w => two.WorkerNames[w]).ShouldBe(["w1", "w2", "w1"]);
    }

    [Fact]
    public void a_worker_with_a_good_record_is_trusted_more_than_a_newcomer()
    {
        // w0 agrees with the crowd on every item; w9 has never been seen. Under worker confusion
        // matrices one label from w0 is worth more than one from a stranger.
        var rows = new List<(string, string, string)>();
        for (var i = 0; i < 40; i++)
        {
            foreach (var w in new[] { "w0", "w1", "w2" })
                rows.Add(($"i{i}", w, i % 2 == 0 ? "x" : "y"));
        }

        var data = CategoricalLabels.FromTriples(rows);
        var model = Policy(model: OverlapModel.WorkerConfusion).EstimateModel(data);

        var known = DynamicOverlap.Confidence([0], [0], model);
        var stranger = DynamicOverlap.Confidence([data.WorkerCount], [0], model);

        known.ShouldBeGreaterThan(0.9);
        stranger.ShouldBe(0.75, 0.05);
    }

    [Fact]
    public void lone_labels_leave_every_worker_at_the_assumed_accuracy()
    {
        // One label per item says nothing about who is reliable, so the model must not learn from it.
        var data = CategoricalLabels.FromTriples([("a", "w1", "x"), ("b", "w1", "x"), ("c", "w2", "y"), ("d", "w2", "x")]);

        var model = Policy(model: OverlapModel.WorkerConfusion).EstimateModel(data);

        DynamicOverlap.Confidence([0], [0], model).ShouldBe(0.75, 1e-12);
        DynamicOverlap.Confidence([1], [1], model).ShouldBe(0.75, 1e-12);
    }
}
