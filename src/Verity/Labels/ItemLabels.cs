using Microsoft.EntityFrameworkCore;
using Verity.Core.Items;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;

namespace Verity.Labels;

/// <summary>An item's class and posterior from a fit over the whole project.</summary>
public sealed record FittedLabel(string Class, double Confidence);

/// <summary>One counted answer to an item: who gave it and what it was.</summary>
public sealed record ItemAnswer(Guid Annotator, string AnswerJson);

/// <summary>
/// Keeps an item's live label, confidence and target overlap current under the project's aggregation method.
/// Called inside the transaction that changes the item's answers (a submission, a rejection, a correction), while
/// the item row is locked, and by the background recomputation after it refits the project's annotator model.
/// </summary>
public static class ItemLabels
{
    /// <summary>The class an annotator model fits for a stored single-label answer (see <see cref="TaskKind.ModelClass"/>).</summary>
    public static string ModelClass(TaskKind kind, IReadOnlyList<string> responseIds, string answerJson) => kind.ModelClass(kind.ParseAnswer(answerJson), responseIds);

    public static IReadOnlyList<string> ResponseIds(Item item) => [.. item.Responses().Select(r => r.Id)];

    public static async Task UpdateAsync(VerityDbContext db, Project project, Item item, Annotation? added, CancellationToken cancellationToken)
    {
        var answers = await db.LatestAnnotations.AsNoTracking()
            .Where(a => a.ItemId == item.Id && !db.Assignments.Any(s => s.Id == a.AssignmentId && (s.Rejected || s.IsRepeat)))
            .OrderBy(a => a.Id)
            .Select(a => new ItemAnswer(a.AnnotatorId, a.AnswerJson))
            .ToListAsync(cancellationToken);
        if (added is not null)
            answers.Add(new ItemAnswer(added.AnnotatorId, added.AnswerJson));
        var model = await LabelModel.LoadAsync(db, project, [.. answers.Select(a => a.Annotator)], cancellationToken);
        Apply(project, project.Rubric(), item, answers, model);
    }

    /// <summary>
    /// Sets the item's label, confidence and (with dynamic overlap) target overlap from its answers; answers of
    /// annotators whose weight is zero do not count. Returns whether anything changed.
    /// </summary>
    /// <param name="fitted">For a single-label item, the class and posterior a fit over the whole project gave it, which
    /// then replace the item's own computation (whether it needs more annotators is still decided from its answers).</param>
    /// <remarks>
    /// Single labels get the leading class and its posterior. Ratings get the weighted mean of each dimension, rankings
    /// the responses from best to worst by weighted mean rank, multi-label answers the labels a weighted majority
    /// chose; these are JSON and have no posterior.
    /// </remarks>
    public static bool Apply(Project project, Rubric rubric, Item item, IReadOnlyList<ItemAnswer> answers, LabelModel model, FittedLabel? fitted = null)
    {
        var counted = answers.Where(a => model.VoteWeight(a.Annotator) > 0).ToList();
        var weights = counted.Select(a => model.VoteWeight(a.Annotator)).ToList();
        string? label = null;
        double? confidence = null;
        var targetOverlap = item.TargetOverlap;
        var kind = project.TaskKind();
        if (kind.SingleLabel(rubric))
        {
            var ids = ResponseIds(item);
            // An item of an attacked slice keeps asking while its answers disagree, up to the defences' extra annotators.
            var recheck = item.Recheck ? project.Defences().RecheckOverlap : 0;
            var max = Math.Max(project.DynamicMax, recheck > 0 ? project.Overlap + recheck : 0);
            var dynamic = max > 0;
            var policy = new DynamicOverlap(new DynamicOverlapOptions(
                MinAnnotations: project.Overlap,
                MaxAnnotations: dynamic ? max : project.Overlap,
                TargetConfidence: project.TargetConfidence));
            var live = model.Decide([.. counted.Select(a => (a.Annotator, ModelClass(kind, ids, a.AnswerJson)))], kind.ClassCount(rubric), policy);
            var (@class, posterior) = fitted is not null ? (fitted.Class, fitted.Confidence) : live is null ? (null, 0) : (live.Label, live.Confidence);
            label = @class is null ? null : kind.LabelOfClass(@class, ids);
            confidence = @class is null ? null : Math.Round(posterior, 6);
            // An answer that does not count, or whose annotator decides too much of a slice, asks for another annotator.
            var another = answers.Count(a => model.NeedsAnother(a.Annotator));
            var trusted = answers.Count - another;
            targetOverlap = another + (!dynamic ? project.Overlap
                : live is null || live.Decision == OverlapDecision.Continue ? Math.Max(project.Overlap, Math.Min(max, trusted + 1)) : trusted);
        }
        else if (counted.Count > 0)
        {
            label = kind.AggregateLabel(rubric, [.. counted.Select(a => kind.ParseAnswer(a.AnswerJson))], weights, ResponseIds(item));
        }

        var before = (item.Label, item.Confidence, item.TargetOverlap, item.Certainty);
        (item.Label, item.Confidence, item.TargetOverlap) = (label, confidence, targetOverlap);
        Recertify(item);
        return before != (item.Label, item.Confidence, item.TargetOverlap, item.Certainty);
    }

    /// <summary>Sets how certain the item's label is from its live label and the model's scores, which orders the uncertainty-first policy.</summary>
    public static void Recertify(Item item)
    {
        var progress = item.TargetOverlap > 0 ? (double)item.SubmittedCount / item.TargetOverlap : 1;
        item.Certainty = Math.Round(Certainty.Of(item.Label, item.Confidence, ModelScores.Distribution(item.ScoresJson, ResponseIds(item)), progress), 6);
    }
}
