using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Work;

/// <summary>The body of POST /api/v1/assignments/{id}/skip.</summary>
/// <param name="Reason">One of the project's skip reasons, or a flag that needs no answer ("cannot-assess").</param>
public sealed record SkipRequest(string? Reason, string? Note = null);

public sealed record SkipResult(Guid SkipId, Guid AssignmentId, string Reason, DateTime CreatedAt);

/// <summary>
/// Gives a leased item back without an answer. The skip is recorded with its reason and counts towards nothing: the
/// lease ends at once, so the item is free for others, and the skipper never gets it again (one lease per item and
/// annotator). Skipping the same lease again returns the first skip.
/// </summary>
public sealed class SkipService(VerityDbContext db, TimeProvider clock, SqliteWriteGate gate)
{
    public const int MaxNoteChars = 2_000;

    /// <summary>The reasons a project offers, as names: its skip reasons, then the flags that need no answer.</summary>
    public static IReadOnlyList<string> Reasons(Rubric rubric) =>
        [.. rubric.SkipReasons.Select(r => r.Name), .. rubric.Flags.Where(f => f.NoAnswer).Select(f => f.Name)];

    public async Task<SkipResult> SkipAsync(Guid assignmentId, Guid annotatorId, SkipRequest request, CancellationToken cancellationToken = default)
    {
        using var turn = await gate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var assignment = await db.Assignments.FirstOrDefaultAsync(a => a.Id == assignmentId, cancellationToken);
        if (assignment is null || assignment.AnnotatorId != annotatorId)
            throw new NotFoundException($"Assignment {assignmentId} does not exist.");
        await db.LockItemAsync(assignment.ItemId, cancellationToken);
        await db.Entry(assignment).ReloadAsync(cancellationToken);

        if (await db.Skips.AsNoTracking().FirstOrDefaultAsync(s => s.AssignmentId == assignmentId, cancellationToken) is { } earlier)
            return new SkipResult(earlier.Id, assignmentId, earlier.Reason, earlier.CreatedAt);
        if (assignment.SubmittedAt is not null)
            throw new ConflictException("This task was already submitted; it cannot be skipped.");

        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == assignment.ProjectId, cancellationToken);
        var reasons = Reasons(project.Rubric());
        var errors = new ErrorList();
        if (string.IsNullOrWhiteSpace(request.Reason) || !reasons.Contains(request.Reason, StringComparer.Ordinal))
            errors.Add("reason", $"must be one of: {string.Join(", ", reasons)}.");
        if (request.Note is { Length: > MaxNoteChars })
            errors.Add("note", $"must be at most {MaxNoteChars:N0} characters.");
        errors.ThrowIfAny();

        var now = clock.StoredNow();
        var skip = new Skip
        {
            Id = Guid.CreateVersion7(),
            AssignmentId = assignmentId,
            ProjectId = assignment.ProjectId,
            ItemId = assignment.ItemId,
            AnnotatorId = annotatorId,
            Reason = request.Reason!,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            CreatedAt = now,
        };
        db.Skips.Add(skip);
        // Ending the lease now frees the item for the next annotator instead of holding it until the lease runs out.
        if (assignment.ExpiresAt > now)
        {
            assignment.ExpiresAt = now;
            // A lease that had not expired was counted on its (real) item.
            if (!assignment.IsRepeat)
            {
                await db.Items.Where(i => i.Id == assignment.ItemId && !i.IsGold).ExecuteUpdateAsync(
                    u => u.SetProperty(i => i.LeasedCount, i => i.LeasedCount - 1).SetProperty(i => i.LeaseExpiresAt, i => i.LeasedCount == 1 ? null : i.LeaseExpiresAt),
                    cancellationToken);
            }
        }

        await db.Drafts.Where(d => d.AssignmentId == assignmentId).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SkipResult(skip.Id, assignmentId, skip.Reason, now);
    }
}
