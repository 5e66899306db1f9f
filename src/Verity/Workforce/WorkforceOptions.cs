namespace Verity.Workforce;

/// <summary>Section "Workforce".</summary>
public sealed class WorkforceOptions
{
    /// <summary>The rate multiplier of each tier: tier N uses element N-1; the count is the number of tiers.</summary>
    public IList<decimal> TierMultipliers { get; } = [];

    /// <summary>The multipliers in effect: the configured ones, or 1.0, 1.15, 1.3 when none are configured.</summary>
    public IReadOnlyList<decimal> Multipliers => TierMultipliers.Count > 0 ? [.. TierMultipliers] : [1.0m, 1.15m, 1.3m];

    /// <summary>The rate multiplier of a tier (1 is the first).</summary>
    public decimal MultiplierOf(int tier) => Multipliers[Math.Clamp(tier, 1, Multipliers.Count) - 1];
}
