namespace Verity.Core.Quality;

/// <summary>
/// What is known about an annotator, each in [0,1] and null when unknown.
/// </summary>
/// <param name="GoldAccuracy">Posterior mean gold accuracy (<see cref="Quality.GoldAccuracy.Mean"/>).</param>
/// <param name="Agreement">Leave-one-out agreement with the consensus of the other annotators.</param>
/// <param name="SelfConsistency">Agreement with their own earlier answers on repeats.</param>
/// <param name="ReviewAcceptance">Share of their reviewed annotations that reviewers accepted.</param>
/// <param name="FiredDetectors">How many detectors fire on them.</param>
/// <param name="GoldSeen">How many gold items the gold accuracy stands on; more gold weighs it more.</param>
public sealed record TrustInputs(
    double? GoldAccuracy = null, double? Agreement = null, double? SelfConsistency = null, double? ReviewAcceptance = null, int FiredDetectors = 0, int GoldSeen = 0);

/// <summary>
/// An annotator's reliability weight in [0,1]:
/// <c>trust = (Σ wᵢ xᵢ / Σ wᵢ over the known inputs) × (1 − 0.25)^fired detectors</c>, with weights
/// gold 0.4 × max(1, gold seen / 10) (at most 2, from 50 gold items on), agreement 0.3, self-consistency 0.15,
/// review acceptance 0.15, and 0.5 when nothing is known.
/// Gold weighs most because it is the only input measured against the truth rather than against people, and it
/// weighs more as it accumulates: agreement with a crowd that is mostly careless rewards the careless, so once an
/// annotator has answered enough gold, how right they are decides their trust.
/// The weight never decreases when a known input rises, and never increases when a detector fires.
/// </summary>
public static class Trust
{
    /// <summary>Trust of an annotator about whom nothing is known yet.</summary>
    public const double Unknown = 0.5;

    /// <summary>Share of trust each firing detector takes away.</summary>
    public const double DetectorPenalty = 0.25;

    /// <summary>The weight for <paramref name="inputs"/>.</summary>
    public static double Weight(TrustInputs inputs)
    {
        if (inputs.FiredDetectors < 0)
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs.FiredDetectors, "fired detectors cannot be negative");
        var sum = 0.0;
        var weights = 0.0;
        foreach (var (value, weight, name) in new[]
        {
            (inputs.GoldAccuracy, GoldWeight(inputs.GoldSeen), nameof(inputs.GoldAccuracy)),
            (inputs.Agreement, 0.3, nameof(inputs.Agreement)),
            (inputs.SelfConsistency, 0.15, nameof(inputs.SelfConsistency)),
            (inputs.ReviewAcceptance, 0.15, nameof(inputs.ReviewAcceptance)),
        })
        {
            if (value is null)
                continue;
            if (!(value is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(nameof(inputs), value, $"{name} must be in [0,1]");
            sum += weight * value.Value;
            weights += weight;
        }

        var evidence = weights == 0 ? Unknown : sum / weights;
        return evidence * Math.Pow(1 - DetectorPenalty, inputs.FiredDetectors);
    }

    /// <summary>The weight of gold accuracy after <paramref name="goldSeen"/> gold items.</summary>
    public static double GoldWeight(int goldSeen) => 0.4 * Math.Clamp(goldSeen / 10.0, 1, 5);
}
