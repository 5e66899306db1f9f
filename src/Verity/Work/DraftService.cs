using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Work;

/// <summary>A lease's unsaved answer as last typed.</summary>
public sealed record DraftView(Guid AssignmentId, Submission Answer, DateTime UpdatedAt);

/// <summary>
/// Keeps what annotators type, per lease, on the server: a reload, another device or a new sign-in shows it again, and
/// so does the same item leased again after the lease ran out. A draft is kept until the lease is submitted or skipped.
/// </summary>
public sealed class DraftService(VerityDbContext db, TimeProvider clock, SqliteWriteGate gate)
{
    /// <summary>Longest draft stored, in characters of its JSON: room for the longest text and rationale a kind accepts.</summary>
    public const int MaxChars = 100_000;

    public async Task<DraftView> SaveAsync(Guid assignmentId, Guid annotatorId, Submission answer, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(answer with { IdempotencyKey = null }, Json.Options);
        if (json.Length > MaxChars)
            throw ValidationException.For("draft", $"is too long to keep ({json.Length:N0} characters; at most {MaxChars:N0}).");

        using var turn = await gate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await OpenAssignmentAsync(assignmentId, annotatorId, cancellationToken);
        var now = clock.StoredNow();
        var draft = await db.Drafts.FirstOrDefaultAsync(d => d.AssignmentId == assignmentId, cancellationToken);
        if (draft is null)
            db.Drafts.Add(draft = new Draft { AssignmentId = assignmentId, AnswerJson = json, UpdatedAt = now });
        else
        {
            draft.AnswerJson = json;
            draft.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DraftView(assignmentId, answer with { IdempotencyKey = null }, now);
    }

    /// <summary>The draft of one of the annotator's leases, or null when nothing was typed.</summary>
    public async Task<DraftView?> FindAsync(Guid assignmentId, Guid annotatorId, CancellationToken cancellationToken = default)
    {
        var owner = await db.Assignments.Where(a => a.Id == assignmentId).Select(a => (Guid?)a.AnnotatorId).FirstOrDefaultAsync(cancellationToken);
        if (owner != annotatorId)
            throw new NotFoundException($"Assignment {assignmentId} does not exist.");
        var draft = await db.Drafts.AsNoTracking().FirstOrDefaultAsync(d => d.AssignmentId == assignmentId, cancellationToken);
        return draft is null ? null : new DraftView(assignmentId, JsonSerializer.Deserialize<Submission>(draft.AnswerJson, Json.Options)!, draft.UpdatedAt);
    }

    /// <summary>
    /// The annotator's lease, neither submitted nor skipped. An expired one still takes drafts: the work is kept for
    /// when the item is leased to them again.
    /// </summary>
    private async Task OpenAssignmentAsync(Guid assignmentId, Guid annotatorId, CancellationToken cancellationToken)
    {
        var assignment = await db.Assignments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assignmentId, cancellationToken);
        if (assignment is null || assignment.AnnotatorId != annotatorId)
            throw new NotFoundException($"Assignment {assignmentId} does not exist.");
        if (assignment.SubmittedAt is not null)
            throw new ConflictException("This task was already submitted; its draft is no longer kept.");
        if (await db.Skips.AnyAsync(s => s.AssignmentId == assignmentId, cancellationToken))
            throw new ConflictException("This task was skipped; its draft is no longer kept.");
    }
}
