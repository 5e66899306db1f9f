namespace Verity.Core.Quality;

/// <summary>How well aggregated labels match known answers, and how honest their confidences are.</summary>
/// <param name="Items">Gold items that were aggregated.</param>
/// <param name="Accuracy">Share of those items whose label equals the gold label.</param>
/// <param name="ExpectedCalibrationError">
/// Expected calibration error over ten equal-width confidence bins: the item-weighted mean of
/// |accuracy − mean confidence| per bin (Guo et al. 2017). 0 for perfectly calibrated confidences.
/// </param>
public sealed record GoldEvaluation(int Items, double Accuracy, double ExpectedCalibrationError)
{
    private const int Bins = 10;

    /// <summary>
    /// Scores a result against gold: <paramref name="goldClass"/> holds the gold class per item,
    /// −1 for items without gold, and −2 for gold labels that are not among the classes (always wrong).
    /// </summary>
    public static GoldEvaluation Evaluate(CategoricalResult result, ReadOnlySpan<int> goldClass)
    {
        var correct = new double[Bins];
        var confidence = new double[Bins];
        var count = new int[Bins];
        var items = 0;
        var hits = 0;
        for (var i = 0; i < goldClass.Length; i++)
        {
            if (goldClass[i] == -1)
                continue;
            var hit = result.Labels[i] == goldClass[i];
            var bin = Math.Min((int)(result.Confidence[i] * Bins), Bins - 1);
            count[bin]++;
            confidence[bin] += result.Confidence[i];
            correct[bin] += hit ? 1 : 0;
            hits += hit ? 1 : 0;
            items++;
        }

        if (items == 0)
            return new GoldEvaluation(0, double.NaN, double.NaN);
        var error = 0.0;
        for (var b = 0; b < Bins; b++)
        {
            if (count[b] > 0)
                error += Math.Abs(correct[b] - confidence[b]) / items;
        }

        return new GoldEvaluation(items, (double)hits / items, error);
    }
}
