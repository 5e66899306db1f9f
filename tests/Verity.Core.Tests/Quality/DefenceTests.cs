using Verity.Core.Projects;
using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

public class DefenceTests
{
    [Fact]
    public void an_items_topic_is_its_slice_and_items_without_one_are_clustered_by_prompt()
    {
        var topics = new List<string?>();
        var texts = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            topics.Add(null);
            texts.Add(i % 2 == 0 ? $"How do I bake sourdough bread with flour and yeast, attempt {i}?" : $"Which dosage of ibuprofen medication is safe for a headache, case {i}?");
        }

        topics.Add("finance");
        texts.Add("Anything at all");
        var slices = Slices.Assign(topics, texts, clusters: 2, seed: 3);

        slices[^1].ShouldBe("finance");
        var bread = slices.Take(60).Where((_, i) => i % 2 == 0).Distinct().ToList();
        var medicine = slices.Take(60).Where((_, i) => i % 2 == 1).Distinct().ToList();
        bread.Count.ShouldBe(1);
        medicine.Count.ShouldBe(1);
        bread[0].ShouldNotBe(medicine[0]);
        Slices.Assign(topics, texts, clusters: 2, seed: 3).ShouldBe(slices, "the same seed gives the same slices");
    }

    [Fact]
    public void too_few_items_without_a_topic_form_one_slice() =>
        Slices.Assign([null, null, "x"], ["a b c", "d e f", "g"]).ShouldBe([Slices.Unsliced, Slices.Unsliced, "x"]);

    [Fact]
    public void disagreement_concentrated_in_one_slice_fires_and_names_the_slice()
    {
        var honest = Enumerable.Range(0, 19).Select(_ => (IReadOnlyList<SliceTally>)[new("medication", 2, 12), new("cooking", 6, 60), new("travel", 5, 50)]).ToList();
        IReadOnlyList<SliceTally> flipper = [new("medication", 11, 12), new("cooking", 5, 60), new("travel", 4, 50)];
        var results = SliceDisagreement.Detect([.. honest, flipper], rate: 0.05, minCompared: 5);

        results[^1]!.Fires.ShouldBeTrue();
        results[^1]!.Slice.ShouldBe("medication");
        results[^1]!.Evidence.ShouldContain("11 of 12");
        results.Take(19).ShouldAllBe(r => !r!.Fires);
    }

    [Fact]
    public void an_adversary_who_answers_gold_right_is_judged_on_the_real_items_alone()
    {
        // Right gold answers in the slice would dilute the flips: 8 of 9 real items flipped, 4 of 4 gold right.
        var honest = Enumerable.Range(0, 19).Select(_ => (IReadOnlyList<SliceTally>)[new("medication", 2, 10, 1, 4), new("cooking", 6, 60, 1, 5), new("travel", 5, 50, 1, 5)]).ToList();
        IReadOnlyList<SliceTally> perfectGold = [new("medication", 8, 9, 0, 4), new("cooking", 5, 60, 0, 5), new("travel", 4, 50, 0, 5)];
        var result = SliceDisagreement.Detect([.. honest, perfectGold], rate: 0.05, minCompared: 5)[^1]!;

        result.Fires.ShouldBeTrue();
        result.GoldIncluded.ShouldBeFalse();
        result.Evidence.ShouldContain("8 of 9 real items");
    }

    [Fact]
    public void two_adversaries_with_modest_evidence_each_are_both_found_at_the_false_discovery_rate()
    {
        // Each flipped 7 of 10 in the slice: p ≈ 1.2e-3 at the crowd's 21 %, above a Bonferroni bound over 60 pairs
        // (0.05 / 60 ≈ 8.3e-4), below the second Benjamini–Hochberg step (2 × 0.05 / 60): found together.
        var honest = Enumerable.Range(0, 18).Select(i => (IReadOnlyList<SliceTally>)[new("medication", i < 4 ? 3 : 2, 12), new("cooking", 6, 40), new("travel", 5, 40)]).ToList();
        IReadOnlyList<SliceTally> flipper = [new("medication", 7, 10), new("cooking", 4, 40), new("travel", 4, 40)];
        var results = SliceDisagreement.Detect([.. honest, flipper, flipper], rate: 0.05, minCompared: 5);

        results.TakeLast(2).ShouldAllBe(r => r!.Fires && r.PValue > 0.05 / r.Tests);
        results.Take(18).ShouldAllBe(r => !r!.Fires);
    }

    [Fact]
    public void a_slice_hard_for_everyone_is_held_against_nobody()
    {
        // Everyone disagrees more on the hard slice; the crowd's median there is the baseline, not one's own rate elsewhere.
        var crowd = Enumerable.Range(0, 20).Select(i => (IReadOnlyList<SliceTally>)[new("hard", 6 + (i % 4), 15), new("easy", 3, 60)]).ToList();
        SliceDisagreement.Detect(crowd, rate: 0.05, minCompared: 5).ShouldAllBe(r => !r!.Fires);
    }

    [Fact]
    public void an_honest_crowd_of_noisy_annotators_is_not_flagged_across_many_seeds()
    {
        // 24 annotators of skill 0.7–0.95 over six slices, compared with a consensus: without adversaries the false
        // discovery rate bounds the chance of flagging anyone in a crowd (5 %), so over 50 crowds at most a couple of
        // annotators may be flagged in all.
        var flagged = 0;
        for (var seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            var crowd = Enumerable.Range(0, 24).Select(_ =>
            {
                var error = 0.05 + (random.NextDouble() * 0.25);
                return (IReadOnlyList<SliceTally>)[.. new[] { "a", "b", "c", "d", "e", "f" }.Select(s =>
                {
                    var n = 5 + random.Next(20);
                    return new SliceTally(s, Enumerable.Range(0, n).Count(_ => random.NextDouble() < error), n);
                })];
            }).ToList();
            flagged += SliceDisagreement.Detect(crowd, rate: 0.05, minCompared: 5).Count(r => r?.Fires == true);
        }

        flagged.ShouldBeLessThanOrEqualTo(2);
    }

    [Fact]
    public void two_annotators_agreeing_against_the_rest_beyond_chance_are_colluding()
    {
        PairTally[] pairs = [new(0, 1, 40, 12, 1.6), new(2, 3, 40, 3, 2.5)];
        var found = Collusion.Detect(pairs, alpha: 0.01);
        found.Count.ShouldBe(1);
        found[0].Pair.A.ShouldBe(0);
        found[0].Evidence.ShouldContain("12 of 40");
    }

    [Fact]
    public void the_scan_finds_colluders_who_dissent_together_when_others_are_honest()
    {
        // Eight annotators; items answered by six: 0 and 1 always choose "x" together when the rest choose "y" on the
        // "target" slice, and answer like everyone else elsewhere.
        var answers = new List<ScanAnswer>();
        var slices = new List<string>();
        for (var item = 0; item < 120; item++)
        {
            var target = item % 3 == 0;
            slices.Add(target ? "target" : "other");
            int[] who = [0, 1, .. Enumerable.Range(0, 4).Select(k => 2 + ((item + k) % 6))];
            foreach (var a in who)
                answers.Add(new ScanAnswer(item, a, target && a < 2 ? "x" : "y"));
        }

        var result = AdversaryScan.Run(slices, answers, [], [.. Enumerable.Repeat(0.8, 8)], [], [], alpha: 0.01, falseDiscoveryRate: 0.05, minSliceAnswers: 5);
        result.Slices[0]!.Fires.ShouldBeTrue();
        result.Slices.Skip(2).ShouldAllBe(s => !s!.Fires);
        result.Collusions.ShouldHaveSingleItem().Pair.ShouldBe(new PairTally(0, 1, 120, 40, result.Collusions[0].Pair.ExpectedJointDissent));
        result.Groups[1].ShouldBe(0, "colluders form one group");
        result.Groups[2].ShouldBe(2);
        result.Quality[0].Single(q => q.Slice == "target").Agreement.ShouldBe(0);
    }

    [Fact]
    public void accounts_that_submit_at_the_same_moments_are_coordinated_but_independent_workers_are_not()
    {
        // Ten people submit every 20 to 60 seconds for a working day; accounts 0 and 1 share one schedule, one second apart.
        var random = new Random(4);
        var times = Enumerable.Range(0, 10).Select(_ => new List<double>()).ToList();
        for (var a = 1; a < 10; a++)
        {
            var t = random.NextDouble() * 60;
            while (t < 8 * 3600)
            {
                times[a].Add(t);
                t += 20 + (40 * random.NextDouble());
            }
        }

        times[0].AddRange(times[1].Select(t => t + 1));
        var found = CoordinatedTiming.Detect([.. times], alpha: 0.01);

        var pair = found.ShouldHaveSingleItem();
        (pair.A, pair.B).ShouldBe((0, 1));
        pair.Coincident.ShouldBeGreaterThanOrEqualTo(pair.Submissions - 1, "all but the first, whose partner falls before the span both worked");
        pair.Evidence.ShouldContain("within 2 s");
    }

    [Fact]
    public void rationales_copied_between_two_annotators_are_shared_but_a_stock_phrase_of_the_crowd_is_not()
    {
        var rationales = new List<(int, string)>();
        for (var i = 0; i < 10; i++)
        {
            rationales.Add((0, $"The chosen response is clearly safer and more helpful for the user in case {i}"));
            rationales.Add((1, $"The chosen response is clearly safer and more helpful for the user in case {i + 1}"));
            // Five honest annotators share a stock phrase from the guidelines: boilerplate, not collusion.
            for (var a = 2; a < 7; a++)
                rationales.Add((a, "I followed the guidelines and picked the more accurate and complete response overall"));
            rationales.Add((7, $"Response one cites item {i} sources while response two invents a number about {i * 7} people"));
        }

        var found = SharedRationales.Find(rationales, annotators: 8);
        found.Select(f => (f.A, f.B)).ShouldBe([(0, 1), (1, 0)]);
        found[0].Evidence.ShouldContain("10 of 10");
    }

    [Fact]
    public void one_annotators_own_stock_phrase_does_not_make_a_chance_match_look_shared()
    {
        var rationales = Enumerable.Range(0, 30).Select(_ => (0, "This answer is better because it is more accurate and complete overall")).ToList();
        rationales.Add((1, "This answer is better because it is more accurate and complete overall"));
        SharedRationales.Find(rationales, annotators: 10).ShouldBeEmpty();
    }

    [Fact]
    public void a_group_whose_removal_changes_the_winner_decided_the_item()
    {
        InfluenceCap.Pivotal([(0, "x", 1), (1, "x", 1), (2, "y", 1)]).ShouldBe([0, 1]);
        InfluenceCap.Pivotal([(0, "x", 1), (1, "x", 1), (2, "x", 1)]).ShouldBeEmpty();
        InfluenceCap.Pivotal([(0, "x", 1), (0, "x", 1), (2, "y", 1)]).ShouldBe([0], "a group counts as one");
    }

    [Fact]
    public void an_annotator_who_decides_too_much_of_a_slice_is_capped_only_where_enough_people_work()
    {
        // Annotator 0 answers every item and breaks every 1–1 tie among the eleven others.
        var answers = new List<ScanAnswer>();
        for (var item = 0; item < 40; item++)
        {
            answers.Add(new ScanAnswer(item, 0, "x"));
            answers.Add(new ScanAnswer(item, 1 + (item % 11), "x"));
            answers.Add(new ScanAnswer(item, 1 + ((item + 1) % 11), "y"));
        }

        var slices = Enumerable.Repeat("s", 40).ToList();
        var caps = AdversaryScan.Caps(slices, answers, [.. Enumerable.Repeat(1.0, 12)], [.. Enumerable.Range(0, 12)], cap: 0.2);
        caps[0].ShouldNotBeNull().Fires.ShouldBeTrue();
        caps[0]!.Evidence.ShouldContain("40 of 40");
        caps.Skip(1).ShouldAllBe(c => c == null);

        var few = answers.Where(a => a.Annotator < 4).ToList();
        AdversaryScan.Caps(slices, few, [.. Enumerable.Repeat(1.0, 12)], [.. Enumerable.Range(0, 12)], cap: 0.2).ShouldAllBe(c => c == null);
    }

    [Fact]
    public void gold_outweighs_agreement_once_enough_is_seen()
    {
        // 30 of 30 gold right but agreeing with careless partners half the time, against a random clicker.
        var careful = Trust.Weight(new TrustInputs(GoldAccuracy: GoldAccuracy.Estimate(Enumerable.Repeat(1.0, 30)).Mean, Agreement: 0.5, GoldSeen: 30));
        var random = Trust.Weight(new TrustInputs(GoldAccuracy: GoldAccuracy.Estimate(Enumerable.Range(0, 30).Select(i => i % 2 * 1.0)).Mean, Agreement: 0.55, GoldSeen: 30));
        careful.ShouldBeGreaterThan(random + 0.2);
        Trust.GoldWeight(0).ShouldBe(0.4);
        Trust.GoldWeight(30).ShouldBe(1.2, 1e-12);
        Trust.GoldWeight(500).ShouldBe(2.0, 1e-12);
    }

    [Fact]
    public void defence_settings_out_of_range_are_refused_by_field()
    {
        var errors = new ErrorList();
        new DefenceSettings(Alpha: 0, InfluenceCap: 0.01, SliceClusters: 0, MinSliceAnswers: 1, FalseDiscoveryRate: double.NaN, RecheckOverlap: 11).Validate(errors);
        var error = Should.Throw<ValidationException>(errors.ThrowIfAny);
        error.Errors.Keys.ShouldBe(
            ["defences.alpha", "defences.influenceCap", "defences.sliceClusters", "defences.minSliceAnswers", "defences.falseDiscoveryRate", "defences.recheckOverlap"], ignoreOrder: true);
    }
}
