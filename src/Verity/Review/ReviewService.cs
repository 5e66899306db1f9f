using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Labels;

namespace Verity.Review;

/// <summary>The body of POST /api/v1/annotations/{id}/review.</summary>
/// <param name="Decision">accept, reject or correct.</param>
/// <param name="Feedback">Shown to the annotator; required to reject.</param>
/// <param name="Correction">For correct: the right answer, in the submission shape of the kind.</param>
public sealed record ReviewRequest(string Decision, string? Feedback = null, Submission? Correction = null);

public sealed record ReviewResult(Guid ReviewId, Guid AnnotationId, string Decision, Guid? CorrectionId);

/// <summary>An annotation waiting for review and why it waits (escalated, flagged, low-confidence, sampled).</summary>
/// <param name="Annotator">The annotator's pseudonym, only when the project lets reviewers see who answered; null otherwise.</param>
public sealed record QueueEntry(
    Guid AnnotationId, string ExternalId, IReadOnlyList<string> Reasons, string? Annotator, bool Escalated, bool Flagged, JsonElement Answer, string? Rationale, DateTime CreatedAt);

/// <summary>A queued annotation with its item, for the review page, which shows more of the item than the API does.</summary>
public sealed record QueuedAnnotation(Annotation Annotation, Item Item, IReadOnlyList<string> Reasons, string? Annotator);

/// <summary>What an annotator sees of the reviews of their work.</summary>
public sealed record FeedbackEntry(Guid AnnotationId, Guid ProjectId, string ExternalId, string Decision, string? Feedback, DateTime ReviewedAt);

/// <summary>
/// Accept, reject or correct annotations. Annotations stay immutable: a rejection marks the lease so it stops
/// counting toward the item's overlap (the item returns to the pool for someone else), and a correction is a new
/// annotation by the reviewer, linked from the review.
/// </summary>
public sealed class ReviewService(VerityDbContext db, TimeProvider clock, SqliteWriteGate gate, IAuthorizationService authorization, Security.Pseudonyms pseudonyms)
{
    public static readonly IReadOnlyList<string> Decisions = ["accept", "reject", "correct"];

    public async Task<IReadOnlyList<QueueEntry>> QueueAsync(Project project, int limit, CancellationToken cancellationToken = default) =>
        (await QueuedAsync(project, limit, cancellationToken)).Select(q => new QueueEntry(
            q.Annotation.Id,
            q.Item.ExternalId,
            q.Reasons,
            q.Annotator,
            q.Annotation.Escalated,
            q.Annotation.FlagsJson != "[]",
            JsonDocument.Parse(q.Annotation.AnswerJson).RootElement,
            q.Annotation.Rationale,
            q.Annotation.CreatedAt)).ToList();

    /// <summary>
    /// Unreviewed annotations that are escalated, flagged, on an item whose live label is below the project's target
    /// confidence, or drawn into the review sample, in that order of urgency (least confident first), then newest.
    /// Rejected answers and corrections are not reviewed again. An assessment has no queue: its free text is scored instead.
    /// </summary>
    public async Task<IReadOnlyList<QueuedAnnotation>> QueuedAsync(Project project, int limit, CancellationToken cancellationToken = default)
    {
        var target = project.TargetConfidence;
        var showAnnotators = project.ReviewersSeeAnnotators;
        if (project.Purpose == Core.Workforce.Purposes.Assessment)
            return [];
        var rows = await db.LatestAnnotations.AsNoTracking()
            .Where(a => a.ProjectId == project.Id
                && !db.Reviews.Any(r => r.AnnotationId == a.Id || r.CorrectionId == a.Id)
                && !db.Assignments.Any(x => x.Id == a.AssignmentId && x.Rejected))
            .Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => new
            {
                Annotation = a,
                Item = i,
                Flagged = a.FlagsJson != "[]",
                LowConfidence = i.Confidence != null && i.Confidence < target,
            })
            .Where(x => x.Annotation.Escalated || x.Flagged || x.LowConfidence || x.Annotation.ReviewSampled)
            .OrderByDescending(x => x.Annotation.Escalated).ThenByDescending(x => x.Flagged)
            .ThenBy(x => x.LowConfidence ? x.Item.Confidence : target)
            .ThenByDescending(x => x.Annotation.ReviewSampled).ThenByDescending(x => x.Annotation.Id)
            .Take(Math.Clamp(limit, 1, 500))
            .Select(x => new
            {
                x.Annotation,
                x.Item,
                x.Flagged,
                x.LowConfidence,
            })
            .ToListAsync(cancellationToken);
        var pseudonym = await pseudonyms.ForProjectAsync(project.Id, cancellationToken);
        return rows.Select(r => new QueuedAnnotation(r.Annotation, r.Item, Reasons(r.Annotation.Escalated, r.Flagged, r.LowConfidence, r.Annotation.ReviewSampled),
            showAnnotators ? pseudonym(r.Annotation.AnnotatorId) : null)).ToList();
    }

    public async Task<ReviewResult> DecideAsync(Guid annotationId, ClaimsPrincipal reviewer, ReviewRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ErrorList();
        if (!Decisions.Contains(request.Decision, StringComparer.Ordinal))
            errors.Add("decision", $"must be one of: {string.Join(", ", Decisions)}.");
        if (request.Decision == "reject" && string.IsNullOrWhiteSpace(request.Feedback))
            errors.Add("feedback", "is required to reject: tell the annotator what to do differently.");
        if (request.Feedback is { Length: > 5_000 })
            errors.Add("feedback", "must be at most 5,000 characters.");
        if ((request.Decision == "correct") != (request.Correction is not null))
            errors.Add("correction", "is required to correct, and only then.");
        errors.ThrowIfAny();

        using var turn = await gate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var annotation = await db.Annotations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == annotationId, cancellationToken)
            ?? throw new NotFoundException($"Annotation {annotationId} does not exist.");
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == annotation.ProjectId, cancellationToken);
        await authorization.RequireAsync(reviewer, project, Policies.ReviewProject, $"Annotation {annotationId} does not exist.");
        // Review feedback reaches the annotator; on an assessment it could tell them the answer. Reviewers score instead.
        if (project.Purpose == Core.Workforce.Purposes.Assessment)
            throw new ConflictException("Assessment answers are not reviewed here: score free-text answers at POST /api/v1/assessments/answers/{id}/score.");
        var reviewerId = reviewer.UserId();
        if (annotation.AnnotatorId == reviewerId)
            throw new ForbiddenException("Nobody reviews their own annotation.");
        await db.LockItemAsync(annotation.ItemId, cancellationToken);
        if (await db.Reviews.AnyAsync(r => r.AnnotationId == annotationId || r.CorrectionId == annotationId, cancellationToken))
            throw new ConflictException("This annotation was already reviewed.");
        if (await db.Annotations.AnyAsync(n => n.SupersedesId == annotationId, cancellationToken))
            throw new ConflictException("The annotator changed this answer; review the newest version.");

        var now = clock.GetUtcNow().UtcDateTime;
        var item = await db.Items.SingleAsync(i => i.Id == annotation.ItemId, cancellationToken);
        Guid? correctionId = null;
        if (request.Decision is "reject" or "correct")
        {
            var assignment = await db.Assignments.SingleAsync(a => a.Id == annotation.AssignmentId, cancellationToken);
            assignment.Rejected = true;
            if (!assignment.IsRepeat)
                item.SubmittedCount--;
        }

        if (request.Decision == "correct")
            correctionId = await AddCorrectionAsync(project, item, reviewerId, request.Correction!, now, cancellationToken);
        if (request.Decision != "accept")
        {
            // The live label reads the stored answers, so store the change first.
            await db.SaveChangesAsync(cancellationToken);
            await ItemLabels.UpdateAsync(db, project, item, added: null, cancellationToken);
        }

        var review = new Data.Review
        {
            Id = Guid.CreateVersion7(),
            AnnotationId = annotationId,
            ProjectId = project.Id,
            ReviewerId = reviewerId,
            Decision = request.Decision,
            Feedback = string.IsNullOrWhiteSpace(request.Feedback) ? null : request.Feedback.Trim(),
            CorrectionId = correctionId,
            CreatedAt = now,
        };
        db.Reviews.Add(review);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ReviewResult(review.Id, annotationId, review.Decision, correctionId);
    }

    public async Task<IReadOnlyList<FeedbackEntry>> FeedbackAsync(Guid annotatorId, CancellationToken cancellationToken = default) =>
        await db.Reviews.AsNoTracking()
            .Join(db.Annotations, r => r.AnnotationId, a => a.Id, (r, a) => new { Review = r, Annotation = a })
            .Where(x => x.Annotation.AnnotatorId == annotatorId)
            .OrderByDescending(x => x.Review.Id)
            .Take(200)
            .Join(db.Items, x => x.Annotation.ItemId, i => i.Id, (x, i) => new FeedbackEntry(
                x.Annotation.Id, x.Annotation.ProjectId, i.ExternalId, x.Review.Decision, x.Review.Feedback, x.Review.CreatedAt))
            .ToListAsync(cancellationToken);

    private static List<string> Reasons(bool escalated, bool flagged, bool lowConfidence, bool sampled)
    {
        var reasons = new List<string>();
        if (escalated)
            reasons.Add("escalated");
        if (flagged)
            reasons.Add("flagged");
        if (lowConfidence)
            reasons.Add("low-confidence");
        if (sampled)
            reasons.Add("sampled");
        return reasons;
    }

    private async Task<Guid> AddCorrectionAsync(Project project, Item item, Guid reviewerId, Submission correction, DateTime now, CancellationToken cancellationToken)
    {
        var responses = item.Responses();
        var validated = AnswerValidator.Validate(
            project.Kind, project.Rubric(), new RationaleRule(Required: false, MinChars: 0), responses, correction);
        if (await db.Assignments.AnyAsync(a => a.ItemId == item.Id && a.AnnotatorId == reviewerId, cancellationToken))
            throw new ConflictException("You already answered this item; a correction must come from someone who has not.");

        var order = JsonSerializer.Serialize(responses.Select(r => r.Id));
        var assignment = new Assignment
        {
            Id = Guid.CreateVersion7(),
            ProjectId = project.Id,
            ItemId = item.Id,
            AnnotatorId = reviewerId,
            ShownOrderJson = order,
            LeasedAt = now,
            ExpiresAt = now,
            SubmittedAt = now,
        };
        var annotation = Annotations.New(assignment, project, validated, correction.Rationale, $"review-correction-{assignment.Id:N}", now);
        db.Assignments.Add(assignment);
        db.Annotations.Add(annotation);
        item.SubmittedCount++;
        return annotation.Id;
    }
}
