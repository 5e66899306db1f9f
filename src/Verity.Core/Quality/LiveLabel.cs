namespace Verity.Core.Quality;

/// <summary>An item's current label, how sure it is, and whether the item needs more annotators.</summary>
public sealed record LiveLabel(string Label, double Confidence, OverlapDecision Decision);

/// <summary>
/// The label an item has right now, recomputed from its own answers on every submission: the leading answer and
/// its posterior under the shared-accuracy model of <see cref="DynamicOverlap"/>, so the same number decides
/// whether the item needs another annotator. Cheap (one item's votes), hence safe on the submission path.
/// </summary>
public static class LiveLabels
{
    /// <summary>The live label of one item, or null when it has no answers.</summary>
    /// <param name="answers">Each annotator's answer as a class name ("a", "b", "tie", a label), in order of arrival.</param>
    /// <param name="classCount">How many answers are possible (at least those seen).</param>
    /// <param name="policy">The overlap policy whose confidence and decision to use.</param>
    public static LiveLabel? Decide(IReadOnlyList<string> answers, int classCount, DynamicOverlap policy)
    {
        if (answers.Count == 0)
            return null;
        var classes = answers.Distinct(StringComparer.Ordinal).ToList();
        var labels = answers.Select(a => classes.IndexOf(a)).ToArray();
        var workers = Enumerable.Range(0, answers.Count).ToArray();
        var model = WorkerModel.Shared(Math.Max(Math.Max(classCount, classes.Count), 2), policy.Options.AssumedAccuracy);
        // With one shared accuracy the leading class is the most voted; equal votes go to the first answered.
        var leading = classes.OrderByDescending(c => answers.Count(a => a == c)).ThenBy(classes.IndexOf).First();
        return new LiveLabel(leading, DynamicOverlap.Confidence(workers, labels, model), policy.Decide(workers, labels, model));
    }
}
