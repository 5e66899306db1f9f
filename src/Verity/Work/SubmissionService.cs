using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Labels;

namespace Verity.Work;

/// <summary>The stored result of a submission; a replay with the same idempotency key returns it unchanged.</summary>
public sealed record SubmissionResult(Guid AnnotationId, Guid AssignmentId, Guid ItemId, DateTime CreatedAt);

/// <summary>
/// Accepts answers for leased items: validated for the project's kind, scored against gold, stored once per
/// idempotency key, and counted into the item's live label, all while the item's row is locked.
/// </summary>
public sealed class SubmissionService(VerityDbContext db, TimeProvider clock, SqliteWriteGate gate, Chance chance)
{
    public async Task<SubmissionResult> SubmitAsync(
        Guid assignmentId, Guid annotatorId, Submission submission, CancellationToken cancellationToken = default)
    {
        var key = submission.IdempotencyKey?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 100)
            throw ValidationException.For("idempotencyKey", "is required (1–100 characters), so a retried submission is stored once.");

        using var turn = await gate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var assignment = await db.Assignments.FirstOrDefaultAsync(a => a.Id == assignmentId, cancellationToken)
            ?? throw new NotFoundException($"Assignment {assignmentId} does not exist.");
        if (assignment.AnnotatorId != annotatorId)
            throw new ForbiddenException("This assignment is leased to another annotator.");
        await db.LockItemAsync(assignment.ItemId, cancellationToken);
        await db.Entry(assignment).ReloadAsync(cancellationToken);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == assignment.ProjectId, cancellationToken);
        var item = await db.Items.SingleAsync(i => i.Id == assignment.ItemId, cancellationToken);

        var previous = await db.Annotations.AsNoTracking().FirstOrDefaultAsync(a => a.AssignmentId == assignmentId, cancellationToken);
        if (previous is not null)
        {
            return previous.IdempotencyKey == key
                ? Result(previous)
                : throw new ConflictException("This assignment was already submitted; an annotation cannot be changed.");
        }

        if (await db.Annotations.AnyAsync(a => a.AnnotatorId == annotatorId && a.IdempotencyKey == key, cancellationToken))
            throw new ConflictException("This idempotency key was already used for another assignment; send a new key per task.");

        var now = clock.GetUtcNow().UtcDateTime;
        if (now >= assignment.ExpiresAt)
            throw new ConflictException($"The lease expired at {assignment.ExpiresAt:u}; the item went back to the pool. Ask for the next task.");

        var validated = AnswerValidator.Validate(
            project.Kind,
            project.Rubric(),
            new RationaleRule(project.RationaleRequired, project.RationaleMinChars),
            item.Responses(),
            submission);

        var annotation = Annotations.New(assignment, project, validated, submission.Rationale, key, now);
        annotation.GoldScore = item.IsGold
            ? project.TaskKind().Score(validated.Answer, project.TaskKind().ParseAnswer(item.GoldJson!))
            : null;
        // Without a sample rate no number is drawn, so seeded replays of projects that do not sample stay as they were.
        annotation.ReviewSampled = project.ReviewSampleRate > 0 && chance.NextDouble() < project.ReviewSampleRate;
        db.Annotations.Add(annotation);
        assignment.SubmittedAt = now;
        if (!assignment.IsRepeat && !item.IsGold)
        {
            item.SubmittedCount++;
            await ItemLabels.UpdateAsync(db, project, item, annotation, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result(annotation);
    }

    // Nothing about gold in the answer to a submission: an immediate verdict would mark the item as gold and give its
    // key away. Gold feedback, where a project gives it, shows on the annotator's own page after a delay.
    private static SubmissionResult Result(Annotation annotation) =>
        new(annotation.Id, annotation.AssignmentId, annotation.ItemId, annotation.CreatedAt);
}
