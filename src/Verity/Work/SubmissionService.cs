using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Core.Work;
using Verity.Core.Workforce;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Labels;
using Verity.Workforce;
using Verity.Workforce.Pay;

namespace Verity.Work;

/// <summary>The stored result of a submission; a replay with the same idempotency key returns it unchanged.</summary>
public sealed record SubmissionResult(Guid AnnotationId, Guid AssignmentId, Guid ItemId, DateTime CreatedAt);

/// <summary>
/// Accepts answers for leased items: validated for the project's kind, scored against gold, stored once per
/// idempotency key, and counted into the item's live label, all while the item's row is locked.
/// </summary>
public sealed class SubmissionService(
    VerityDbContext db, TimeProvider clock, SqliteWriteGate gate, Chance chance, IOptions<WorkOptions> options, VerityMetrics metrics, AssessmentService assessments, Ledger ledger)
{
    /// <summary>Stores the answer and, in the same transaction, the time entry that pays it.</summary>
    /// <param name="measuredActiveSeconds">The workbench page's count of active time; null through the API (docs/pay.md).</param>
    public async Task<SubmissionResult> SubmitAsync(
        Guid assignmentId, Guid annotatorId, Submission submission, int? measuredActiveSeconds = null, CancellationToken cancellationToken = default)
    {
        var key = submission.IdempotencyKey?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 100)
            throw ValidationException.For("idempotencyKey", "is required (1–100 characters), so a retried submission is stored once.");

        using var turn = await gate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The item is locked first and the assignment read after, so both are as the last writer left them.
        var item = await LockedItemAsync(assignmentId, cancellationToken)
            ?? throw new NotFoundException($"Assignment {assignmentId} does not exist.");
        var assignment = await db.Assignments.SingleAsync(a => a.Id == assignmentId, cancellationToken);
        if (assignment.AnnotatorId != annotatorId)
            throw new ForbiddenException("This assignment is leased to another annotator.");
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == assignment.ProjectId, cancellationToken);

        // What stops a submission, in one query: an earlier answer (a replay when its key is this one), a skip, the key spent elsewhere.
        var earlier = await db.Assignments.AsNoTracking().Where(a => a.Id == assignmentId).Select(a => new
        {
            PreviousKey = db.Annotations.Where(n => n.AssignmentId == assignmentId && n.SupersedesId == null).Select(n => n.IdempotencyKey).FirstOrDefault(),
            Skipped = db.Skips.Any(s => s.AssignmentId == assignmentId),
            KeyUsed = db.Annotations.Any(n => n.AnnotatorId == annotatorId && n.IdempotencyKey == key),
        }).SingleAsync(cancellationToken);
        if (earlier.PreviousKey is not null)
        {
            return earlier.PreviousKey == key
                ? Result(await db.Annotations.AsNoTracking().SingleAsync(n => n.AssignmentId == assignmentId && n.SupersedesId == null, cancellationToken))
                : throw new ConflictException("This task was already submitted; change it with POST /api/v1/annotations/{id}/revise within the undo window.");
        }

        if (earlier.Skipped)
            throw new ConflictException("You skipped this task; it went back to the pool. Ask for the next task.");

        if (earlier.KeyUsed)
            throw new ConflictException("This idempotency key was already used for another assignment; send a new key per task.");

        var now = clock.StoredNow();
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
        annotation.ActiveSeconds = PayRules.ActiveSeconds(now - assignment.LeasedAt, measuredActiveSeconds, project.ExpectedTaskMinutes);
        db.Annotations.Add(annotation);
        await ledger.AddTimeAsync(project, annotation, cancellationToken);
        assignment.SubmittedAt = now;
        if (!assignment.IsRepeat && !item.IsGold)
        {
            // The lease had not expired, so it was counted; the earliest expiry stays a lower bound of those left.
            item.LeasedCount--;
            if (item.LeasedCount == 0)
                item.LeaseExpiresAt = null;
            item.SubmittedCount++;
            await ItemLabels.UpdateAsync(db, project, item, annotation, cancellationToken);
        }
        await db.Drafts.Where(d => d.AssignmentId == assignmentId).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.Submitted();
        // The last auto-scored answer of an assessment decides it at once; free-text answers wait for reviewers.
        if (project.Purpose == Purposes.Assessment)
            await assessments.SettleAsync(project.Id, annotatorId, cancellationToken);
        return Result(annotation);
    }

    /// <summary>
    /// Undo: the annotator changes an answer they submitted less than <see cref="WorkOptions.UndoMinutes"/> ago. The
    /// change is a new annotation of the same lease that supersedes the latest one (history is kept; only the newest
    /// counts), validated like a submission; the live label is recomputed. Replaying the idempotency key returns it.
    /// </summary>
    public async Task<SubmissionResult> ReviseAsync(Guid annotationId, Guid annotatorId, Submission submission, CancellationToken cancellationToken = default)
    {
        var key = submission.IdempotencyKey?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 100)
            throw ValidationException.For("idempotencyKey", "is required (1–100 characters), so a retried change is stored once.");

        using var turn = await gate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var old = await db.Annotations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == annotationId, cancellationToken);
        if (old is null || old.AnnotatorId != annotatorId)
            throw new NotFoundException($"Annotation {annotationId} does not exist.");
        await db.LockItemAsync(old.ItemId, cancellationToken);

        var replay = await db.Annotations.AsNoTracking().FirstOrDefaultAsync(a => a.AnnotatorId == annotatorId && a.IdempotencyKey == key, cancellationToken);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == old.ProjectId, cancellationToken);
        var item = await db.Items.SingleAsync(i => i.Id == old.ItemId, cancellationToken);
        if (replay is not null)
        {
            return replay.SupersedesId == annotationId
                ? Result(replay)
                : throw new ConflictException("This idempotency key was already used for another answer; send a new key per change.");
        }

        if (await db.Annotations.AnyAsync(a => a.SupersedesId == annotationId, cancellationToken))
            throw new ConflictException("This answer was already changed; change the newest version instead.");
        var assignment = await db.Assignments.AsNoTracking().SingleAsync(a => a.Id == old.AssignmentId, cancellationToken);
        var now = clock.StoredNow();
        var window = TimeSpan.FromMinutes(options.Value.UndoMinutes);
        if (now - assignment.SubmittedAt > window)
            throw new ConflictException($"Answers can be changed for {options.Value.UndoMinutes} minutes after they are submitted; this one was submitted at {assignment.SubmittedAt:u}.");
        if (assignment.Rejected || await db.Reviews.AnyAsync(r => r.AnnotationId == annotationId, cancellationToken))
            throw new ConflictException("A reviewer already decided on this answer; it can no longer be changed.");

        var validated = AnswerValidator.Validate(
            project.Kind, project.Rubric(), new RationaleRule(project.RationaleRequired, project.RationaleMinChars), item.Responses(), submission);
        var annotation = Annotations.New(assignment, project, validated, submission.Rationale, key, now);
        annotation.SupersedesId = annotationId;
        // The time spent is the first answer's: the lease's clock stopped at submission, and that answer was paid.
        annotation.SecondsSpent = old.SecondsSpent;
        annotation.ActiveSeconds = old.ActiveSeconds;
        annotation.GoldScore = item.IsGold ? project.TaskKind().Score(validated.Answer, project.TaskKind().ParseAnswer(item.GoldJson!)) : null;
        annotation.ReviewSampled = old.ReviewSampled;
        db.Annotations.Add(annotation);
        await db.SaveChangesAsync(cancellationToken);
        if (!assignment.IsRepeat && !item.IsGold)
        {
            await ItemLabels.UpdateAsync(db, project, item, added: null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return Result(annotation);
    }

    /// <summary>The annotator's latest answer in a project, if it can still be changed; the workbench's "previous task".</summary>
    public async Task<Annotation?> UndoableAsync(Guid projectId, Guid annotatorId, CancellationToken cancellationToken = default)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddMinutes(-options.Value.UndoMinutes);
        return await db.LatestAnnotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.AnnotatorId == annotatorId
                && db.Assignments.Any(s => s.Id == a.AssignmentId && s.SubmittedAt >= since && !s.Rejected)
                && !db.Reviews.Any(r => r.AnnotationId == a.Id))
            .OrderByDescending(a => a.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The assignment's item, locked until the transaction ends on PostgreSQL (SQLite's one writer holds everything); null without the assignment.</summary>
    private async Task<Item?> LockedItemAsync(Guid assignmentId, CancellationToken cancellationToken)
    {
        // Hand-written SQL: EF has no FOR UPDATE. One statement finds, locks and reads the item.
        var query = db.Provider == DatabaseProvider.Postgres
            ? db.Items.FromSql($"SELECT * FROM items WHERE id = (SELECT item_id FROM assignments WHERE id = {assignmentId}) FOR UPDATE")
            : db.Items.FromSql($"SELECT * FROM items WHERE id = (SELECT item_id FROM assignments WHERE id = {assignmentId})");
        var found = await query.ToListAsync(cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    // Nothing about gold in the answer to a submission: an immediate verdict would mark the item as gold and give its
    // key away. Gold feedback, where a project gives it, shows on the annotator's own page after a delay.
    private static SubmissionResult Result(Annotation annotation) =>
        new(annotation.Id, annotation.AssignmentId, annotation.ItemId, annotation.CreatedAt);
}
