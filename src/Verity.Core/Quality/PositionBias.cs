using System.Globalization;

namespace Verity.Core.Quality;

/// <summary>
/// Fires when an annotator picks the response shown first more often than chance allows. Shown order
/// is shuffled per assignment, so an unbiased annotator picks the first one in half of their decisive
/// (non-tie) answers; the evidence is an exact two-sided binomial test against one half.
/// </summary>
/// <param name="FirstChosen">Decisive answers that chose the response shown first.</param>
/// <param name="Decisive">Answers that chose a response (ties left out).</param>
/// <param name="PValue">Two-sided exact binomial p-value against 0.5.</param>
/// <param name="Alpha">The p-value below which the detector fires.</param>
/// <param name="MinDecisive">Fewest decisive answers the detector judges on.</param>
public sealed record PositionBias(int FirstChosen, int Decisive, double PValue, double Alpha, int MinDecisive) : IDetection
{
    /// <summary>Share of decisive answers that chose the first-shown response.</summary>
    public double FirstShare => Decisive == 0 ? double.NaN : (double)FirstChosen / Decisive;

    /// <inheritdoc />
    public bool Fires => Decisive >= MinDecisive && PValue < Alpha;

    /// <inheritdoc />
    public string Evidence => string.Create(CultureInfo.InvariantCulture,
        $"chose the first-shown response in {FirstChosen} of {Decisive} decisive answers ({FirstShare:P0}); exact binomial p = {PValue:G3} against 50%; fires below p = {Alpha} with at least {MinDecisive} answers");

    /// <summary>Tests one annotator's counts.</summary>
    public static PositionBias Detect(int firstChosen, int decisive, double alpha = 0.01, int minDecisive = 20) =>
        new(firstChosen, decisive, BinomialTest.TwoSided(firstChosen, decisive, 0.5), alpha, minDecisive);
}
