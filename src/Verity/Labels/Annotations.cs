using System.Text.Json;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Labels;

/// <summary>Answers as stored annotations: the labels every later stage counts.</summary>
public static class Annotations
{
    /// <summary>The one way an answer becomes a stored annotation, for a submission and for a reviewer's correction alike.</summary>
    public static Annotation New(Assignment assignment, Project project, ValidatedAnswer validated, string? rationale, string idempotencyKey, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(),
        AssignmentId = assignment.Id,
        ProjectId = project.Id,
        ItemId = assignment.ItemId,
        AnnotatorId = assignment.AnnotatorId,
        GuidelineVersion = project.GuidelineVersion,
        ShownOrderJson = assignment.ShownOrderJson,
        AnswerJson = JsonSerializer.Serialize(validated.Answer, validated.Answer.GetType(), Json.Options),
        Rationale = string.IsNullOrWhiteSpace(rationale) ? null : rationale.Trim(),
        FlagsJson = JsonSerializer.Serialize(validated.Flags, Json.Options),
        Escalated = validated.Escalated,
        SecondsSpent = Math.Round((now - assignment.LeasedAt).TotalSeconds, 3),
        IdempotencyKey = idempotencyKey,
        CreatedAt = now,
    };
}
