namespace Verity.Core.Workforce;

/// <summary>
/// Pay arithmetic in decimal money. Rounding happens once, when a time entry is written: its amount is rounded to the
/// cent (half to even); days, projects and payouts are sums of those amounts and are never rounded again, so the
/// earnings page and the payout always agree.
/// </summary>
public static class PayRules
{
    /// <summary>The expected task time, in minutes, of a project that sets none; it caps the time paid for a task done through the API.</summary>
    public const int DefaultExpectedTaskMinutes = 10;

    /// <summary>Seconds in an hour, as money arithmetic uses it.</summary>
    private const decimal SecondsPerHour = 3600m;

    /// <summary>
    /// The active seconds paid for one task. A browser measures the time the tab was visible with input in the last
    /// two minutes and sends it (<paramref name="measured"/>); it is never trusted past the time from lease to submit.
    /// Without a measurement (a token, no browser) the time from lease to submit counts, capped by the project's
    /// expected task time, so a lease left open is not paid.
    /// </summary>
    /// <param name="leaseToSubmit">From the lease to the submission, as the server counts it.</param>
    /// <param name="measured">The browser's count of active seconds, or null through the API.</param>
    /// <param name="expectedTaskMinutes">The project's expected task time.</param>
    public static int ActiveSeconds(TimeSpan leaseToSubmit, int? measured, int expectedTaskMinutes)
    {
        var elapsed = (int)Math.Clamp(Math.Floor(leaseToSubmit.TotalSeconds), 0, int.MaxValue);
        return measured is { } seconds
            ? Math.Clamp(seconds, 0, elapsed)
            : Math.Min(elapsed, expectedTaskMinutes * 60);
    }

    /// <summary>The multiplier of <paramref name="tier"/> (1 is the first tier); tiers past the list take its last element.</summary>
    public static decimal Multiplier(IReadOnlyList<decimal> multipliers, int tier)
    {
        if (multipliers.Count == 0)
            throw new ArgumentException("At least one tier multiplier is needed.", nameof(multipliers));
        if (tier < 1)
            throw new ArgumentOutOfRangeException(nameof(tier), tier, "Tiers start at 1.");
        return multipliers[Math.Min(tier, multipliers.Count) - 1];
    }

    /// <summary>
    /// The amount of <paramref name="seconds"/> at <paramref name="hourlyRate"/> times <paramref name="multiplier"/>,
    /// rounded to the cent half to even: the one rounding pay makes. Half to even, not half up, so that over many
    /// entries the half cents do not all fall the annotator's way or all the operator's.
    /// </summary>
    public static decimal Amount(int seconds, decimal hourlyRate, decimal multiplier)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        // One division, last: every product before it is exact in decimal.
        return Math.Round(seconds * hourlyRate * multiplier / SecondsPerHour, 2, MidpointRounding.ToEven);
    }

    /// <summary>Seconds as hours for display and export, to the hundredth (half to even); never used to compute money.</summary>
    public static decimal Hours(long seconds) => Cents(Math.Round(seconds / SecondsPerHour, 2, MidpointRounding.ToEven));

    /// <summary>
    /// An amount already in whole cents, written with exactly two decimals (1.5 as 1.50): a decimal keeps the scale it
    /// was read with, which differs between databases, and what is shown and exported should not.
    /// </summary>
    public static decimal Cents(decimal amount) =>
        decimal.Round(amount, 2) == amount ? amount + 0.00m : throw new ArgumentException($"{amount} is not in whole cents.", nameof(amount));

    /// <summary>
    /// Which track pays a person for a project, and at what rate. The candidates are the person's qualifications in
    /// the tracks the project names (every qualification when it names none); of those, the one that pays the person
    /// most (track rate times their tier's multiplier) pays, ties going to the track listed first. A project's own
    /// hourly rate replaces the track's rate, still times the tier's multiplier. A person with no qualification among
    /// the candidates is paid only where the project sets a rate, at the first tier's multiplier; otherwise null.
    /// </summary>
    /// <param name="held">The person's qualifications, with each track's rate, currency and list position.</param>
    /// <param name="projectTracks">The tracks the project names; empty when any admitted annotator may work there.</param>
    /// <param name="projectRate">The project's hourly rate, when it overrides the track's.</param>
    /// <param name="multipliers">The tier multipliers (tier N takes element N-1).</param>
    /// <param name="currency">The currency of a project rate paid without a track.</param>
    public static PayRate? RateFor(
        IReadOnlyList<HeldTrack> held, IReadOnlyCollection<string> projectTracks, decimal? projectRate, IReadOnlyList<decimal> multipliers, string currency)
    {
        var best = held
            .Where(h => projectTracks.Count == 0 || projectTracks.Contains(h.TrackId, StringComparer.Ordinal))
            .OrderByDescending(h => h.HourlyRate * Multiplier(multipliers, h.Tier))
            .ThenBy(h => h.Position)
            .FirstOrDefault();
        if (best is not null)
            return new PayRate(best.TrackId, best.Tier, projectRate ?? best.HourlyRate, Multiplier(multipliers, best.Tier), best.Currency);
        return projectRate is { } rate ? new PayRate(null, 1, rate, Multiplier(multipliers, 1), currency) : null;
    }
}

/// <summary>A person's qualification in a track, with what the track pays.</summary>
/// <param name="TrackId">The track's slug.</param>
/// <param name="Tier">The person's tier in it (1 is the first).</param>
/// <param name="HourlyRate">The track's hourly rate.</param>
/// <param name="Currency">The track's currency (ISO 4217).</param>
/// <param name="Position">Where the track is listed; the tie-break between equal rates.</param>
public sealed record HeldTrack(string TrackId, int Tier, decimal HourlyRate, string Currency, int Position);

/// <summary>The rate a task is paid at.</summary>
/// <param name="TrackId">The track that pays, or null for a project rate paid to a person with no qualification there.</param>
/// <param name="Tier">The person's tier in that track.</param>
/// <param name="HourlyRate">The base hourly rate: the project's, or else the track's.</param>
/// <param name="Multiplier">The tier's multiplier.</param>
/// <param name="Currency">The currency of the rate.</param>
public sealed record PayRate(string? TrackId, int Tier, decimal HourlyRate, decimal Multiplier, string Currency);
