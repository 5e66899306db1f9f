namespace Verity.Core.Quality;

/// <summary>
/// How often an annotator gives the same answer when served the same item again: the mean score (as the task kind
/// scores gold) of the second answer against the first. Pairwise answers store the chosen
/// response's id, not the side it was shown on, so a repeat shown in swapped order still agrees.
/// </summary>
/// <param name="Pairs">Repeat pairs scored (demonstrations and rewrites are left out).</param>
/// <param name="Agreement">Mean agreement in [0,1]; NaN when no pair was scored.</param>
public sealed record SelfConsistency(int Pairs, double Agreement)
{
    /// <summary>Scores an annotator's repeat pairs (first answer, later answer, both of the same kind).</summary>
    /// <param name="repeats">The pairs.</param>
    /// <param name="score">The kind's score of an answer against a reference; null when the kind is not scored.</param>
    public static SelfConsistency Measure(IEnumerable<(object First, object Second)> repeats, Func<object, object, double?> score)
    {
        var pairs = 0;
        var sum = 0.0;
        foreach (var (first, second) in repeats)
        {
            if (score(second, first) is { } s)
            {
                pairs++;
                sum += s;
            }
        }

        return new SelfConsistency(pairs, pairs == 0 ? double.NaN : sum / pairs);
    }
}
