using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Work;

/// <summary>
/// Keeps an item's live label, confidence and target overlap current. Called inside the transaction that changes
/// the item's answers (a submission, a rejection, a correction), while the item row is locked.
/// </summary>
public static class ItemLabels
{
    /// <summary>How many answers an item of this kind can have as one label, or 0 when its answers are not one label.</summary>
    public static int ClassCount(string kind, Rubric rubric) => kind switch
    {
        TaskKind.Pairwise => 3,
        TaskKind.Classification when !rubric.MultiLabel => rubric.Labels.Count + (rubric.AllowOther ? 1 : 0),
        _ => 0,
    };

    /// <summary>A single-label answer as its class name: the chosen response or "tie", the label, or "other:TEXT".</summary>
    public static string AnswerClass(string kind, string answerJson) => kind == TaskKind.Pairwise
        ? JsonSerializer.Deserialize<PairwiseAnswer>(answerJson, Json.Options)!.Choice
        : JsonSerializer.Deserialize<ClassificationAnswer>(answerJson, Json.Options)! is var a && a.Other is null ? a.Labels[0] : $"other:{a.Other}";

    public static async Task UpdateAsync(VerityDbContext db, Project project, Item item, Annotation? added, CancellationToken cancellationToken)
    {
        var stored = await db.Annotations.AsNoTracking()
            .Where(a => a.ItemId == item.Id && !db.Assignments.Any(s => s.Id == a.AssignmentId && (s.Rejected || s.IsRepeat)))
            .OrderBy(a => a.Id)
            .Select(a => a.AnswerJson)
            .ToListAsync(cancellationToken);
        if (added is not null)
            stored.Add(added.AnswerJson);

        var rubric = Rubric.Parse(project.RubricJson, project.Kind);
        var classes = ClassCount(project.Kind, rubric);
        var answers = classes == 0 ? null : stored.Select(j => AnswerClass(project.Kind, j)).ToList();

        var dynamic = project.DynamicMax > 0;
        var policy = new DynamicOverlap(new DynamicOverlapOptions(
            MinAnnotations: project.Overlap,
            MaxAnnotations: dynamic ? project.DynamicMax : project.Overlap,
            TargetConfidence: project.TargetConfidence));
        var live = answers is null ? null : LiveLabels.Decide(answers, classes, policy);
        item.Label = live?.Label;
        item.Confidence = live is null ? null : Math.Round(live.Confidence, 6);
        if (dynamic && live is not null)
            item.TargetOverlap = live.Decision == OverlapDecision.Continue ? Math.Min(project.DynamicMax, stored.Count + 1) : stored.Count;
    }
}
