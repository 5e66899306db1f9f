using Verity.Core.Quality;

namespace Verity.Core.Labels;

/// <summary>An item's current label, how sure it is, and whether the item needs more annotators.</summary>
public sealed record LiveLabel(string Label, double Confidence, OverlapDecision Decision);

/// <summary>
/// The label an item has right now, recomputed from its own answers on every submission under the project's
/// annotator model (fitted over the whole project in the background), so the same number decides whether the item
/// needs another annotator. Cheap (one item's votes), hence safe on the submission path.
/// </summary>
public static class LiveLabels
{
    /// <summary>The live label of one item, or null when it has no answers.</summary>
    /// <param name="workers">The annotator index (in <paramref name="model"/>) of each answer, in order of arrival.</param>
    /// <param name="labels">The class index (in <paramref name="classes"/>) of each answer.</param>
    /// <param name="classes">The class names of the model.</param>
    /// <param name="model">The annotator model.</param>
    /// <param name="policy">The overlap policy that decides whether the item needs another annotator.</param>
    public static LiveLabel? Decide(IReadOnlyList<int> workers, IReadOnlyList<int> labels, IReadOnlyList<string> classes, WorkerModel model, DynamicOverlap policy)
    {
        if (labels.Count == 0)
            return null;
        var w = workers.ToArray();
        var l = labels.ToArray();
        var log = new double[model.ClassCount];
        for (var t = 0; t < log.Length; t++)
        {
            log[t] = model.LogPrior(t);
            for (var a = 0; a < l.Length; a++)
                log[t] += model.LogLikelihood(w[a], t, l[a]);
        }

        // Classes equally likely go to the one answered first, so an even split keeps its first answer until the
        // next annotator settles it, rather than flipping with the class numbering.
        var leading = Enumerable.Range(0, log.Length)
            .OrderByDescending(t => Math.Round(log[t], 9))
            .ThenBy(t => Array.IndexOf(l, t) is var first && first < 0 ? int.MaxValue : first)
            .First();
        return new LiveLabel(classes[leading], DynamicOverlap.Confidence(w, l, model), policy.Decide(w, l, model));
    }
}
