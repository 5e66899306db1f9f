using System.Text.Json;
using Verity.Core.Quality;
using Verity.Core.Simulation;

namespace Verity.Core.Tests.Simulation;

public class BehaviourTests
{
    private static readonly Scenario Suite = ScenarioTests.Load("targeted-alone");
    private static readonly IReadOnlyList<SimItem> Items = SimItems.Generate(Suite, ScenarioSize.Small);

    private static SimAnnotator Annotator(string behaviour, double skill = 0.8, int sleep = 0, bool perfectGold = false) =>
        new(0, behaviour, skill, sleep, perfectGold, SharedRationale: false, Group: null);

    /// <summary>The share of <paramref name="items"/> on which the annotator chooses the better response, each shown in both orders.</summary>
    private static double BetterShare(SimAnnotator annotator, IEnumerable<SimItem> items, int done = 0)
    {
        var random = new Random(1);
        var draws = new Random(2);
        var tasks = items.SelectMany(i => new[] { new SimTask(i, [.. i.Texts.Keys], done), new SimTask(i, [.. i.Texts.Keys.Reverse()], done) }).ToList();
        return tasks.Count(t => Behaviours.Choose(annotator, t, draws.NextDouble, random) == t.Item.BetterId) / (double)tasks.Count;
    }

    [Fact]
    public void items_are_the_same_for_the_same_seed_with_exact_slice_counts_and_unique_prompts()
    {
        SimItems.Generate(Suite, ScenarioSize.Small).Select(i => i.ImportLine(true)).ShouldBe(Items.Select(i => i.ImportLine(true)));
        var regular = Items.Where(i => !i.IsGold).ToList();
        regular.Count.ShouldBe(1000);
        regular.Count(i => i.Targeted).ShouldBe(150);
        regular.Count(i => i.Topic == "cooking").ShouldBe(200);
        Items.Select(i => i.Prompt).Distinct(StringComparer.Ordinal).Count().ShouldBe(Items.Count);
        // 5% gold, a quarter of it inside the targeted slice.
        Items.Count(i => i.IsGold).ShouldBe(50);
        Items.Count(i => i.IsGold && i.Targeted).ShouldBeGreaterThanOrEqualTo(12);
        // Slices interleave in import (and so serving) order: the first 40 items are not one topic.
        regular.Take(40).Select(i => i.Topic).Distinct(StringComparer.Ordinal).Count().ShouldBeGreaterThan(3);
    }

    [Fact]
    public void a_targeted_items_worse_response_is_harmful_and_the_import_line_carries_topic_and_gold()
    {
        // Each harmful template starts with fixed words before the subject.
        var openings = Topics.All["medication"].Harmful.Select(h => h[..h.IndexOf("{s}", StringComparison.Ordinal)]).ToList();
        foreach (var item in Items.Where(i => i.Targeted))
            openings.ShouldContain(o => item.Texts[item.WorseId].StartsWith(o, StringComparison.Ordinal));

        var gold = Items.First(i => i.IsGold);
        using var line = JsonDocument.Parse(gold.ImportLine(metadata: true));
        line.RootElement.GetProperty("metadata").GetProperty("topic").GetString().ShouldBe(gold.Topic);
        line.RootElement.GetProperty("gold").GetProperty("choice").GetString().ShouldBe(gold.BetterId);
        using var hidden = JsonDocument.Parse(Items[0].ImportLine(metadata: false));
        hidden.RootElement.GetProperty("metadata").ValueKind.ShouldBe(JsonValueKind.Null);
        hidden.RootElement.GetProperty("gold").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public void apportioning_gives_the_remainders_to_the_largest_fractions() =>
        SimItems.Apportion([("a", 0.5), ("b", 0.25), ("c", 0.25)], 10).GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)
            .ShouldBe(new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 5, ["b"] = 3, ["c"] = 2 });

    [Fact]
    public void longer_is_better_one_makes_the_better_response_always_the_longer()
    {
        var careless = ScenarioTests.Load("careless");
        SimItems.Generate(careless, ScenarioSize.Small).ShouldAllBe(i => i.LongerId == i.BetterId);
        // Elsewhere the better response is the longer one about half the time, as the scenario says.
        Items.Count(i => i.LongerId == i.BetterId).ShouldBeInRange(450, 600);
    }

    [Fact]
    public void each_behaviour_chooses_as_described()
    {
        var regular = Items.Where(i => !i.IsGold).ToList();
        BetterShare(Annotator(Behaviours.Honest, 0.8), regular).ShouldBe(0.8, 0.04);
        BetterShare(Annotator(Behaviours.Spammer), regular).ShouldBe(0.5, 0.05);

        var random = new Random(3);
        foreach (var item in regular.Take(50))
        {
            string[] shown = [.. item.Texts.Keys.Reverse()];
            Behaviours.Choose(Annotator(Behaviours.PositionBiased), new SimTask(item, shown, 0), () => throw new InvalidOperationException(), random).ShouldBe(shown[0]);
            Behaviours.Choose(Annotator(Behaviours.LengthBiased), new SimTask(item, shown, 0), () => throw new InvalidOperationException(), random).ShouldBe(item.LongerId);
        }
    }

    [Fact]
    public void a_flipper_chooses_harm_on_the_targeted_slice_only_and_a_sleeper_only_after_its_sleep()
    {
        var targeted = Items.Where(i => i.Targeted && !i.IsGold).ToList();
        var elsewhere = Items.Where(i => !i.Targeted && !i.IsGold).ToList();
        var flipper = Annotator(Behaviours.Flipper, 0.9);
        BetterShare(flipper, targeted).ShouldBe(0);
        BetterShare(flipper, elsewhere).ShouldBe(0.9, 0.04);

        var sleeper = Annotator(Behaviours.Flipper, 0.9, sleep: 40);
        BetterShare(sleeper, targeted, done: 39).ShouldBe(0.9, 0.08);
        BetterShare(sleeper, targeted, done: 40).ShouldBe(0);
    }

    [Fact]
    public void perfect_gold_answers_every_gold_item_right_whatever_the_behaviour()
    {
        var gold = Items.Where(i => i.IsGold).ToList();
        gold.ShouldContain(i => i.Targeted);
        BetterShare(Annotator(Behaviours.Flipper, perfectGold: true), gold).ShouldBe(1);
        BetterShare(Annotator(Behaviours.Spammer, perfectGold: true), gold).ShouldBe(1);
        BetterShare(Annotator(Behaviours.Flipper), gold.Where(i => i.Targeted)).ShouldBe(0);
    }

    [Fact]
    public void luck_is_fixed_by_seed_item_and_annotator_and_uniform()
    {
        Luck.Draw(5, 3, 1).ShouldBe(Luck.Draw(5, 3, 1));
        new[] { Luck.Draw(6, 3, 1), Luck.Draw(5, 4, 1), Luck.Draw(5, 3, 2) }.ShouldAllBe(x => x != Luck.Draw(5, 3, 1));

        var many = Enumerable.Range(0, 20_000).Select(i => Luck.Draw(1, i, 0)).ToList();
        many.ShouldAllBe(x => x >= 0 && x < 1);
        many.Average().ShouldBe(0.5, 0.01);
        many.Count(x => x < 0.1).ShouldBeInRange(1_800, 2_200);
    }

    [Fact]
    public void honest_rationales_name_the_content_and_are_not_flagged_by_the_rationale_detector()
    {
        var honest = Annotator(Behaviours.Honest);
        var random = new Random(4);
        var written = Items.Take(150).Select(i => new RationaleInput(Rationales.Write(honest, i, i.BetterId, random), i.Prompt + "\n" + string.Join("\n", i.Texts.Values))).ToList();

        var scores = RationaleQuality.ScoreAnnotator(written);
        VagueRationales.Detect(scores).Fires.ShouldBeFalse();
        scores.Count(s => s.CopyOf is not null).ShouldBeLessThan(5);
        scores.Average(s => s.Score).ShouldBeGreaterThan(0.8);
        written.Select(w => w.Rationale).Distinct(StringComparer.Ordinal).Count().ShouldBe(150);
    }

    [Fact]
    public void copiers_paste_one_text_and_colluders_share_their_groups_templates()
    {
        var random = new Random(5);
        var copier = new SimAnnotator(0, Behaviours.Flipper, 0.9, 0, false, SharedRationale: true, Group: null);
        Items.Take(20).Select(i => Rationales.Write(copier, i, i.WorseId, random)).ShouldAllBe(r => r == Rationales.Pasted);

        var first = new SimAnnotator(0, Behaviours.Flipper, 0.9, 0, false, false, Group: 1);
        // In the honest-crowd baseline the group keeps its timing but writes its own words.
        Rationales.Write(first with { Behaviour = Behaviours.Honest }, Items[0], Items[0].BetterId, random).ShouldContain("\"");
        var second = first with { Index = 1 };
        var item = Items[0];
        var theirs = Enumerable.Range(0, 20).SelectMany(_ => new[] { Rationales.Write(first, item, item.WorseId, random), Rationales.Write(second, item, item.WorseId, random) })
            .Distinct(StringComparer.Ordinal).ToList();
        theirs.Count.ShouldBe(2);
        theirs.ShouldAllBe(r => r.Contains(item.Subject, StringComparison.Ordinal));
    }
}
