using System.Globalization;

namespace Verity.Core.Workforce;

/// <summary>
/// The bar of each tier of a track, per measure: to hold tier N a person's measures must all reach element N-1 of
/// each list (a measure not yet known is not held against them). Lists are as long as there are tiers.
/// </summary>
/// <param name="GoldAccuracy">Gold accuracy (0–1) each tier needs.</param>
/// <param name="Trust">Trust (0–1, Verity.Core.Quality.Trust) each tier needs.</param>
/// <param name="Consistency">Self-consistency on repeats (0–1) each tier needs.</param>
/// <param name="MinGold">Gold answers in the window below which nothing is decided: too little evidence either way.</param>
/// <param name="WindowDays">How many days of recent work the measures cover.</param>
public sealed record TierBars(
    IReadOnlyList<double> GoldAccuracy, IReadOnlyList<double> Trust, IReadOnlyList<double> Consistency, int MinGold, int WindowDays)
{
    /// <summary>How many tiers there are.</summary>
    public int Tiers => GoldAccuracy.Count;
}

/// <summary>A person's measured work in one track over the window.</summary>
/// <param name="GoldSeen">Gold answers in the window.</param>
/// <param name="GoldAccuracy">Mean gold score over those answers, or null without any.</param>
/// <param name="Trust">Their trust in the track's projects, weighted by labels, or null when not yet measured.</param>
/// <param name="Consistency">Their self-consistency there, or null without repeats.</param>
public sealed record TrackWork(int GoldSeen, double? GoldAccuracy, double? Trust, double? Consistency);

/// <summary>A change of tier: the new tier (null when the track is lost) and the reason, worded for the person.</summary>
/// <param name="ToTier">The new tier, or null when the person loses the track.</param>
/// <param name="Reason">Why, with the measures and the bars they were held to.</param>
public sealed record TierDecision(int? ToTier, string Reason);

/// <summary>
/// Promotion and demotion. A person is promoted one tier at a time, when their measures reach the next tier's bar;
/// demoted straight to the highest tier whose bar they still reach, when they fall below their own; and lose the
/// track when they fall below the first tier's bar. Nothing is decided on fewer than <see cref="TierBars.MinGold"/>
/// gold answers.
/// </summary>
public static class TierRules
{
    /// <summary>The change the measures call for, or null to stay.</summary>
    /// <param name="trackName">The track's name, for the reason.</param>
    /// <param name="tier">The person's tier now.</param>
    /// <param name="work">Their measures over the window.</param>
    /// <param name="bars">The track's bars.</param>
    public static TierDecision? Decide(string trackName, int tier, TrackWork work, TierBars bars)
    {
        if (work.GoldSeen < bars.MinGold || work.GoldAccuracy is null)
            return null;
        var level = 0;
        while (level < bars.Tiers && Shortfalls(work, bars, level + 1).Count == 0)
            level++;
        var evidence = $"over your last {bars.WindowDays} days ({work.GoldSeen} gold answers)";
        if (level == 0)
        {
            return new TierDecision(null,
                $"Lost the {trackName} track: {string.Join("; ", Shortfalls(work, bars, 1))}, below the first tier's bar, {evidence}.");
        }

        if (level < tier)
        {
            return new TierDecision(level,
                $"Moved down to tier {level} in {trackName}: {string.Join("; ", Shortfalls(work, bars, tier))}, below tier {tier}'s bar, {evidence}.");
        }

        if (level > tier)
        {
            var next = tier + 1;
            return new TierDecision(next,
                $"Moved up to tier {next} in {trackName}: {string.Join("; ", Met(work, bars, next))}, {evidence}.");
        }

        return null;
    }

    /// <summary>The measures below tier <paramref name="tier"/>'s bar, each with its value and the bar.</summary>
    private static List<string> Shortfalls(TrackWork work, TierBars bars, int tier) =>
        [.. Measures(work, bars, tier).Where(m => m.Value < m.Bar).Select(m => $"{m.Name} {Percent(m.Value)} is under {Percent(m.Bar)}")];

    private static List<string> Met(TrackWork work, TierBars bars, int tier) =>
        [.. Measures(work, bars, tier).Select(m => $"{m.Name} {Percent(m.Value)} reaches {Percent(m.Bar)}")];

    private static IEnumerable<(string Name, double Value, double Bar)> Measures(TrackWork work, TierBars bars, int tier)
    {
        if (work.GoldAccuracy is { } gold)
            yield return ("gold accuracy", gold, bars.GoldAccuracy[tier - 1]);
        if (work.Consistency is { } consistency)
            yield return ("consistency", consistency, bars.Consistency[tier - 1]);
        if (work.Trust is { } trust)
            yield return ("trust", trust, bars.Trust[tier - 1]);
    }

    private static string Percent(double value) => value.ToString("0.#%", CultureInfo.InvariantCulture);
}
