using System.Globalization;

namespace Verity.Core.Quality;

/// <summary>
/// One pairwise item whose two responses differ in length, where both the annotator and the
/// reference (the consensus, or the gold answer) chose a response: did each choose the longer one?
/// </summary>
public sealed record LengthChoice(bool AnnotatorChoseLonger, bool ConsensusChoseLonger);

/// <summary>
/// Fires when an annotator prefers the longer response more often than the consensus does on the same
/// items. Longer answers are often better, so the baseline is the consensus's own rate, not one half;
/// the evidence is an exact one-sided binomial test of the annotator's count against that rate.
/// </summary>
/// <param name="Items">Items compared.</param>
/// <param name="AnnotatorLonger">Items on which the annotator chose the longer response.</param>
/// <param name="ConsensusLonger">Items on which the consensus chose the longer response.</param>
/// <param name="PValue">One-sided exact binomial p-value of choosing the longer this often at the consensus rate.</param>
/// <param name="Alpha">The p-value below which the detector fires.</param>
/// <param name="MinItems">Fewest items the detector judges on.</param>
public sealed record LengthBias(int Items, int AnnotatorLonger, int ConsensusLonger, double PValue, double Alpha, int MinItems) : IDetection
{
    /// <summary>Share of items on which the annotator chose the longer response.</summary>
    public double AnnotatorRate => Items == 0 ? double.NaN : (double)AnnotatorLonger / Items;

    /// <summary>
    /// The consensus's rate with one pseudo-count each way (Laplace), so a consensus that never chose the
    /// longer response does not make a single such choice infinitely surprising.
    /// </summary>
    public double ConsensusRate => Smoothed(ConsensusLonger, Items);

    /// <inheritdoc />
    public bool Fires => Items >= MinItems && PValue < Alpha;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"chose the longer response on {AnnotatorLonger} of {Items} items ({AnnotatorRate:P0}) where the consensus did on {ConsensusLonger} ({ConsensusRate:P0} smoothed); exact one-sided binomial p = {PValue:G3}; fires below p = {Alpha} with at least {MinItems} items");

    /// <summary>Fewest items judged on by default.</summary>
    public const int DefaultMinItems = 20;

    /// <summary>Tests one annotator's choices.</summary>
    public static LengthBias Detect(IEnumerable<LengthChoice> choices, double alpha = 0.01, int minItems = DefaultMinItems)
    {
        var items = 0;
        var annotator = 0;
        var consensus = 0;
        foreach (var choice in choices)
        {
            items++;
            annotator += choice.AnnotatorChoseLonger ? 1 : 0;
            consensus += choice.ConsensusChoseLonger ? 1 : 0;
        }

        return new LengthBias(items, annotator, consensus, BinomialTest.Greater(annotator, items, Smoothed(consensus, items)), alpha, minItems);
    }

    private static double Smoothed(int successes, int trials) => (successes + 1.0) / (trials + 2.0);
}
