namespace Verity.Core.Labels;

/// <summary>Answer weights: given, or one per answer.</summary>
internal static class Weights
{
    public static double[] Of(int count, IReadOnlyList<double>? weights)
    {
        if (weights is null)
            return Enumerable.Repeat(1.0, count).ToArray();
        if (weights.Count != count)
            throw new ArgumentException($"{weights.Count} weights for {count} answers", nameof(weights));
        return weights.Any(w => !(w >= 0) || double.IsInfinity(w))
            ? throw new ArgumentOutOfRangeException(nameof(weights), "weights must be finite and not negative")
            : [.. weights];
    }
}
