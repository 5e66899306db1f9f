using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core.Items;
using Verity.Core.Labels;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;

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
    /// <summary>
    /// The class of a single-label answer: the position of the chosen response ("1" or "2") or "tie", the label, or
    /// "other:TEXT". Positions rather than response ids, so one annotator model fits items whose ids differ.
    /// </summary>
    public static string AnswerClass(string kind, IReadOnlyList<string> responseIds, string answerJson)
    {
        if (kind != TaskKind.Pairwise)
            return JsonSerializer.Deserialize<ClassificationAnswer>(answerJson, Json.Options)! is var a && a.Other is null ? a.Labels[0] : $"other:{a.Other}";
        var choice = JsonSerializer.Deserialize<PairwiseAnswer>(answerJson, Json.Options)!.Choice;
        return choice == PairwiseAnswer.Tie ? choice : (responseIds.ToList().IndexOf(choice) + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the project's answers are single labels, which get a posterior and dynamic overlap.</summary>
    public static bool SingleLabel(string kind, Rubric rubric) => kind == TaskKind.Pairwise || (kind == TaskKind.Classification && !rubric.MultiLabel);

    public static IReadOnlyList<string> ResponseIds(Item item) =>
        [.. JsonSerializer.Deserialize<List<Response>>(item.ResponsesJson, Json.Options)!.Select(r => r.Id)];

    public static async Task UpdateAsync(VerityDbContext db, Project project, Item item, Annotation? added, CancellationToken cancellationToken)
    {
        var answers = await db.Annotations.AsNoTracking()
            .Where(a => a.ItemId == item.Id && !db.Assignments.Any(s => s.Id == a.AssignmentId && (s.Rejected || s.IsRepeat)))
            .OrderBy(a => a.Id)
            .Select(a => new ItemAnswer(a.AnnotatorId, a.AnswerJson))
            .ToListAsync(cancellationToken);
        if (added is not null)
            answers.Add(new ItemAnswer(added.AnnotatorId, added.AnswerJson));
        var model = await LabelModel.LoadAsync(db, project, [.. answers.Select(a => a.Annotator)], cancellationToken);
        Apply(project, Rubric.Parse(project.RubricJson, project.Kind), item, answers, model);
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
        if (SingleLabel(project.Kind, rubric))
        {
            var ids = ResponseIds(item);
            var dynamic = project.DynamicMax > 0;
            var policy = new DynamicOverlap(new DynamicOverlapOptions(
                MinAnnotations: project.Overlap,
                MaxAnnotations: dynamic ? project.DynamicMax : project.Overlap,
                TargetConfidence: project.TargetConfidence));
            var classCount = project.Kind == TaskKind.Pairwise ? 3 : rubric.Labels.Count + (rubric.AllowOther ? 1 : 0);
            var live = model.Decide([.. counted.Select(a => (a.Annotator, AnswerClass(project.Kind, ids, a.AnswerJson)))], classCount, policy);
            var (@class, posterior) = fitted is not null ? (fitted.Class, fitted.Confidence) : live is null ? (null, 0) : (live.Label, live.Confidence);
            label = @class is null ? null : project.Kind == TaskKind.Pairwise && @class != PairwiseAnswer.Tie ? ids[int.Parse(@class, CultureInfo.InvariantCulture) - 1] : @class;
            confidence = @class is null ? null : Math.Round(posterior, 6);
            // An answer that does not count, or whose annotator decides too much of a slice, asks for another annotator.
            var another = answers.Count(a => model.NeedsAnother(a.Annotator));
            var trusted = answers.Count - another;
            targetOverlap = another + (!dynamic ? project.Overlap
                : live is null || live.Decision == OverlapDecision.Continue ? Math.Max(project.Overlap, Math.Min(project.DynamicMax, trusted + 1)) : trusted);
        }
        else if (counted.Count > 0)
        {
            label = project.Kind switch
            {
                TaskKind.Rating => JsonSerializer.Serialize(rubric.Dimensions
                    .Select(d => (d.Name, Summary: RatingAggregation.Summarise([.. counted.Select(a => Parse<RatingAnswer>(a).Scores.GetValueOrDefault(d.Name))], weights)))
                    .Where(d => d.Summary is not null)
                    .ToDictionary(d => d.Name, d => Math.Round(d.Summary!.Mean, 4), StringComparer.Ordinal)),
                TaskKind.Ranking => JsonSerializer.Serialize(RankingAggregation.Order([.. counted.Select(Parse<RankingAnswer>)], ResponseIds(item), weights).Select(r => r.Id)),
                TaskKind.Classification => JsonSerializer.Serialize(ClassificationAggregation.Decide([.. counted.Select(Parse<ClassificationAnswer>)], multiLabel: true, required: 0, weights).Labels),
                _ => null,
            };
        }

        var changed = item.Label != label || item.Confidence != confidence || item.TargetOverlap != targetOverlap;
        (item.Label, item.Confidence, item.TargetOverlap) = (label, confidence, targetOverlap);
        return changed;
    }

    private static T Parse<T>(ItemAnswer answer) => JsonSerializer.Deserialize<T>(answer.AnswerJson, Json.Options)!;
}
