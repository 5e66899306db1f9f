using Verity.Core.Workforce;

namespace Verity.Core.Tests.Workforce;

public sealed class TierRulesTests
{
    private static readonly TierBars Bars = new([0.7, 0.8, 0.9], [0.5, 0.65, 0.8], [0.6, 0.75, 0.85], MinGold: 10, WindowDays: 30);

    [Fact]
    public void measures_reaching_the_next_bar_move_the_person_up_one_tier_with_the_measures_named()
    {
        var decision = TierRules.Decide("Coding", 1, new TrackWork(12, 0.95, 0.9, null), Bars)!;

        decision.ToTier.ShouldBe(2, "one tier at a time, though the measures reach tier 3's bar");
        decision.Reason.ShouldBe("Moved up to tier 2 in Coding: gold accuracy 95% reaches 80%; trust 90% reaches 65%, over your last 30 days (12 gold answers).");
    }

    [Fact]
    public void falling_below_the_own_tier_bar_moves_down_to_the_highest_tier_still_reached()
    {
        var decision = TierRules.Decide("Coding", 3, new TrackWork(20, 0.75, 0.9, 0.9), Bars)!;

        decision.ToTier.ShouldBe(1);
        decision.Reason.ShouldBe("Moved down to tier 1 in Coding: gold accuracy 75% is under 90%, below tier 3's bar, over your last 30 days (20 gold answers).");
    }

    [Fact]
    public void falling_below_the_first_tier_bar_loses_the_track()
    {
        var decision = TierRules.Decide("STEM", 2, new TrackWork(10, 0.85, 0.4, 0.5), Bars)!;

        decision.ToTier.ShouldBeNull();
        decision.Reason.ShouldBe("Lost the STEM track: consistency 50% is under 60%; trust 40% is under 50%, below the first tier's bar, over your last 30 days (10 gold answers).");
    }

    [Fact]
    public void too_little_gold_decides_nothing_and_meeting_the_own_bar_only_stays()
    {
        TierRules.Decide("Coding", 1, new TrackWork(9, 0.1, 0.1, 0.1), Bars).ShouldBeNull();
        TierRules.Decide("Coding", 2, new TrackWork(10, 0.85, 0.7, null), Bars).ShouldBeNull();
        TierRules.Decide("Coding", 3, new TrackWork(10, 0.99, 0.99, 0.99), Bars).ShouldBeNull("there is no tier above the last");
    }

    [Fact]
    public void a_bar_is_reached_at_its_value_and_a_value_under_it_shows_its_decimal()
    {
        TierRules.Decide("Coding", 1, new TrackWork(10, 0.8, 0.65, 0.75), Bars)!.ToTier.ShouldBe(2);
        TierRules.Decide("Coding", 2, new TrackWork(10, 0.795, 0.65, 0.75), Bars)!.Reason.ShouldContain("gold accuracy 79.5% is under 80%");
    }
}
