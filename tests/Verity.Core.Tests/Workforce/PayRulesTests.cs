using Verity.Core.Workforce;

namespace Verity.Core.Tests.Workforce;

public sealed class PayRulesTests
{
    private static readonly decimal[] Multipliers = [1.0m, 1.15m, 1.3m];

    [Theory]
    [InlineData(3600, "20", "1.0", "20.00")]
    [InlineData(1800, "40", "1.15", "23.00")]
    [InlineData(90, "50", "1.3", "1.62")] // 1.625 exactly: half to even keeps the even 2
    [InlineData(90, "50", "1.0", "1.25")]
    [InlineData(1, "20", "1.0", "0.01")] // 0.00555… rounds up
    [InlineData(9, "2", "1.0", "0.00")] // 0.005 exactly: half to even gives 0.00
    [InlineData(27, "2", "1.0", "0.02")] // 0.015 exactly: half to even gives 0.02
    [InlineData(31, "20", "1.15", "0.20")] // 0.198055…
    [InlineData(0, "50", "1.3", "0.00")]
    public void an_entry_is_rounded_once_to_the_cent_half_to_even(int seconds, string rate, string multiplier, string expected)
    {
        PayRules.Amount(seconds, decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(multiplier, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void a_browser_measurement_counts_but_never_past_the_time_from_lease_to_submit()
    {
        PayRules.ActiveSeconds(TimeSpan.FromSeconds(300.9), measured: 120, expectedTaskMinutes: 1).ShouldBe(120, "the measured time, not capped by the expected time");
        PayRules.ActiveSeconds(TimeSpan.FromSeconds(300.9), measured: 5000, expectedTaskMinutes: 10).ShouldBe(300);
        PayRules.ActiveSeconds(TimeSpan.FromSeconds(300), measured: -4, expectedTaskMinutes: 10).ShouldBe(0);
    }

    [Fact]
    public void without_a_measurement_lease_to_submit_is_capped_by_the_expected_task_time()
    {
        PayRules.ActiveSeconds(TimeSpan.FromMinutes(3), measured: null, expectedTaskMinutes: 10).ShouldBe(180);
        PayRules.ActiveSeconds(TimeSpan.FromHours(2), measured: null, expectedTaskMinutes: 10).ShouldBe(600, "a lease left open is not paid");
    }

    [Fact]
    public void tier_n_takes_the_nth_multiplier_and_tiers_past_the_list_the_last()
    {
        PayRules.Multiplier(Multipliers, 1).ShouldBe(1.0m);
        PayRules.Multiplier(Multipliers, 3).ShouldBe(1.3m);
        PayRules.Multiplier(Multipliers, 5).ShouldBe(1.3m);
        Should.Throw<ArgumentOutOfRangeException>(() => PayRules.Multiplier(Multipliers, 0));
    }

    [Fact]
    public void of_the_tracks_a_project_names_the_one_that_pays_the_person_most_pays()
    {
        HeldTrack[] held = [new("general", 3, 20m, "USD", 1), new("coding", 1, 40m, "USD", 3), new("stem", 2, 40m, "USD", 4)];

        PayRules.RateFor(held, ["general", "coding"], null, Multipliers, "USD").ShouldBe(new PayRate("coding", 1, 40m, 1.0m, "USD"));
        PayRules.RateFor(held, ["coding", "stem"], null, Multipliers, "USD").ShouldBe(new PayRate("stem", 2, 40m, 1.15m, "USD"));
        PayRules.RateFor(held, [], null, Multipliers, "USD")!.TrackId.ShouldBe("stem", "a project open to everyone: every qualification is a candidate");
    }

    [Fact]
    public void a_project_rate_replaces_the_track_rate_but_keeps_the_tier_multiplier()
    {
        HeldTrack[] held = [new("coding", 2, 40m, "USD", 3)];

        PayRules.RateFor(held, ["coding"], 60m, Multipliers, "USD").ShouldBe(new PayRate("coding", 2, 60m, 1.15m, "USD"));
        PayRules.RateFor([], ["coding"], 60m, Multipliers, "USD").ShouldBe(new PayRate(null, 1, 60m, 1.0m, "USD"));
        PayRules.RateFor([], ["coding"], null, Multipliers, "USD").ShouldBeNull("no qualification and no project rate: nothing to pay at");
    }

    [Fact]
    public void whole_cents_are_written_with_two_decimals_and_anything_finer_is_refused()
    {
        PayRules.Cents(1.5m).ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("1.50");
        PayRules.Cents(-5m).ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("-5.00");
        Should.Throw<ArgumentException>(() => PayRules.Cents(0.125m));
    }

    [Fact]
    public void hours_are_shown_to_the_hundredth()
    {
        PayRules.Hours(5400).ShouldBe(1.5m);
        PayRules.Hours(100).ShouldBe(0.03m);
    }
}
