using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Workforce;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Workforce;

/// <summary>
/// A person's attempt as they see it: never which question was right, only how far they are and, once every part is
/// scored, the result.
/// </summary>
/// <param name="Status">in-progress, awaiting-review, passed or failed.</param>
public sealed record AttemptView(
    Guid ProjectId, string Track, DateTime StartedAt, DateTime DeadlineAt, int Questions, int Answered, string Status, double? Score, DateTime? DecidedAt);

/// <summary>An assessment a person may take, or took.</summary>
public sealed record AssessmentListing(Guid ProjectId, string Name, string Track, int TimeLimitMinutes, double PassScore, int Questions, AttemptView? Attempt);

/// <summary>A free-text answer waiting for a reviewer's score, without who wrote it.</summary>
/// <param name="Rubric">What a good answer contains: the question's <c>metadata.rubric</c>.</param>
public sealed record AnswerToScore(Guid AnnotationId, Guid ProjectId, string Assessment, string ExternalId, string Prompt, string? Rubric, string Answer, string? Rationale, DateTime SubmittedAt);

/// <summary>The body of a reviewer's score: 0–1, and an optional note kept for operators (never shown to the person).</summary>
public sealed record ScoreRequest(double? Score, string? Note = null);

/// <summary>An operator's reset of a person's attempt, with the reason the audit log keeps.</summary>
public sealed record ResetRequest(Guid? ProjectId, string? Reason);

/// <summary>
/// Assessments: starting the one attempt, serving its questions, scoring it (gold questions at once, free-text ones
/// by reviewers against the question's rubric), and qualifying the person who passes through <see cref="TierService"/>.
/// </summary>
public sealed class AssessmentService(VerityDbContext db, TimeProvider clock, TierService tiers)
{
    public const string InProgress = "in-progress";
    public const string AwaitingReview = "awaiting-review";
    public const string Passed = "passed";
    public const string Failed = "failed";

    /// <summary>Starts the person's one attempt. A second start is a conflict whatever the browser or token: the database's unique index decides.</summary>
    public async Task<AttemptView> StartAsync(Guid projectId, Guid userId, CancellationToken cancellationToken = default)
    {
        var project = await AssessmentAsync(projectId, cancellationToken);
        if (await CurrentAttemptAsync(projectId, userId, cancellationToken) is { } existing)
            throw AlreadyStarted(existing);
        if (Access.Refusal(project, await Access.PersonAsync(db, userId, cancellationToken)) is { } refusal)
            throw new ForbiddenException(refusal);

        var now = clock.GetUtcNow().UtcDateTime;
        var attempt = new AssessmentAttempt
        {
            Id = Guid.CreateVersion7(),
            ProjectId = projectId,
            UserId = userId,
            StartedAt = now,
            DeadlineAt = now.AddMinutes(project.TimeLimitMinutes!.Value),
        };
        db.AssessmentAttempts.Add(attempt);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.Translate(e) is ConflictException)
        {
            // Another request of the same person started it a moment ago.
            db.ChangeTracker.Clear();
            throw AlreadyStarted((await CurrentAttemptAsync(projectId, userId, cancellationToken))!);
        }

        return await ViewAsync(project, attempt, cancellationToken);
    }

    /// <summary>The attempt the person may answer in now; refuses when they have not started or their time is up. A decided
    /// attempt within its time simply has nothing left to serve.</summary>
    public async Task<AssessmentAttempt> OpenAttemptAsync(Project project, Guid userId, CancellationToken cancellationToken = default)
    {
        var attempt = await CurrentAttemptAsync(project.Id, userId, cancellationToken)
            ?? throw new ConflictException($"Start the assessment first (POST /api/v1/assessments/{project.Id}/start); it can be taken once, within {project.TimeLimitMinutes} minutes of starting.");
        if (clock.GetUtcNow().UtcDateTime >= attempt.DeadlineAt)
            throw new ConflictException($"Your attempt ended at {attempt.DeadlineAt:u}; answers after the time limit do not count.");
        return attempt;
    }

    /// <summary>The person's attempt and its result so far, settling it when it is complete.</summary>
    public async Task<AttemptView?> AttemptAsync(Guid projectId, Guid userId, CancellationToken cancellationToken = default)
    {
        var project = await AssessmentAsync(projectId, cancellationToken);
        var attempt = await CurrentAttemptAsync(projectId, userId, cancellationToken);
        if (attempt is null)
            return null;
        await SettleAsync(project, attempt, cancellationToken);
        return await ViewAsync(project, attempt, cancellationToken);
    }

    /// <summary>The assessments the person may take, and those they took (with their result).</summary>
    public async Task<IReadOnlyList<AssessmentListing>> ListForAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var person = await Access.PersonAsync(db, userId, cancellationToken);
        var attempts = await db.AssessmentAttempts.Where(a => a.UserId == userId && a.ResetAt == null).ToDictionaryAsync(a => a.ProjectId, cancellationToken);
        var projects = await db.Projects.AsNoTracking().Where(p => p.Purpose == Purposes.Assessment).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var listings = new List<AssessmentListing>();
        foreach (var project in projects.Where(p => attempts.ContainsKey(p.Id) || Access.Refusal(p, person) is null))
        {
            AttemptView? view = null;
            if (attempts.TryGetValue(project.Id, out var attempt))
            {
                await SettleAsync(project, attempt, cancellationToken);
                view = await ViewAsync(project, attempt, cancellationToken);
            }

            listings.Add(new AssessmentListing(
                project.Id, project.Name, project.AssessmentTrackId!, project.TimeLimitMinutes!.Value, project.PassScore!.Value,
                await db.Items.CountAsync(i => i.ProjectId == project.Id, cancellationToken), view));
        }

        return listings;
    }

    /// <summary>
    /// Scores the attempt once it is complete: every question answered in time (or the time is up) and every free-text
    /// answer scored. Passing qualifies the person for the track at the first tier. Nothing happens before that.
    /// </summary>
    public async Task SettleAsync(Guid projectId, Guid userId, CancellationToken cancellationToken = default)
    {
        var project = await AssessmentAsync(projectId, cancellationToken);
        if (await CurrentAttemptAsync(projectId, userId, cancellationToken) is { } attempt)
            await SettleAsync(project, attempt, cancellationToken);
    }

    private async Task SettleAsync(Project project, AssessmentAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.DecidedAt is not null)
            return;
        var progress = await ProgressAsync(project, attempt, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (progress.Pending > 0 || (progress.Answered < progress.Questions && now < attempt.DeadlineAt))
            return;

        // The decision and the qualification it gives are saved together, so a pass is never recorded without it.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var score = AssessmentScoring.Score(progress.Questions, progress.Scores);
        attempt.Score = score;
        attempt.Passed = AssessmentScoring.Passes(score, project.PassScore!.Value);
        attempt.DecidedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        var track = project.AssessmentTrackId!;
        if (attempt.Passed == true && !await db.Qualifications.AnyAsync(q => q.UserId == attempt.UserId && q.TrackId == track, cancellationToken))
            await tiers.ChangeTierAsync(attempt.UserId, track, 1, string.Create(CultureInfo.InvariantCulture, $"Passed the assessment \"{project.Name}\" with {Math.Round(score * 100, MidpointRounding.AwayFromZero):0}%."), null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private sealed record Progress(int Questions, int Answered, int Pending, IReadOnlyList<double> Scores);

    /// <summary>Only answers to leases of this attempt, submitted before its deadline, count; for each question the newest of them.</summary>
    private async Task<Progress> ProgressAsync(Project project, AssessmentAttempt attempt, CancellationToken cancellationToken)
    {
        var questions = await db.Items.CountAsync(i => i.ProjectId == project.Id, cancellationToken);
        var answers = await db.Annotations.AsNoTracking()
            .Where(a => a.ProjectId == project.Id && a.AnnotatorId == attempt.UserId && a.CreatedAt <= attempt.DeadlineAt
                && db.Assignments.Any(s => s.Id == a.AssignmentId && s.LeasedAt >= attempt.StartedAt))
            .Select(a => new
            {
                a.Id,
                a.ItemId,
                a.GoldScore,
                IsGold = db.Items.Any(i => i.Id == a.ItemId && i.IsGold),
                Reviewed = db.AssessmentScores.Where(s => s.AnnotationId == a.Id).Select(s => (double?)s.Score).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var newest = answers.GroupBy(a => a.ItemId).Select(g => g.MaxBy(a => a.Id)!).ToList();
        var scores = newest.Select(a => a.IsGold ? a.GoldScore ?? 0 : a.Reviewed).Where(s => s is not null).Select(s => s!.Value).ToList();
        return new Progress(questions, newest.Count, newest.Count - scores.Count, scores);
    }

    /// <summary>Free-text answers of live attempts, submitted in time, that no reviewer scored yet; oldest first.</summary>
    public async Task<IReadOnlyList<AnswerToScore>> ToScoreAsync(IReadOnlyCollection<Guid> projectIds, CancellationToken cancellationToken = default)
    {
        var rows = await db.LatestAnnotations.AsNoTracking()
            .Where(a => projectIds.Contains(a.ProjectId) && !db.AssessmentScores.Any(s => s.AnnotationId == a.Id)
                && db.AssessmentAttempts.Any(t => t.ProjectId == a.ProjectId && t.UserId == a.AnnotatorId && t.ResetAt == null && a.CreatedAt <= t.DeadlineAt))
            .Join(db.Items.Where(i => !i.IsGold), a => a.ItemId, i => i.Id, (a, i) => new { Annotation = a, Item = i })
            .Join(db.Projects, x => x.Annotation.ProjectId, p => p.Id, (x, p) => new { x.Annotation, x.Item, Project = p })
            .OrderBy(x => x.Annotation.Id)
            .Take(200)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new AnswerToScore(
            r.Annotation.Id,
            r.Project.Id,
            r.Project.Name,
            r.Item.ExternalId,
            r.Item.Prompt,
            RubricOf(r.Item),
            r.Project.TaskKind().DescribeAnswer(r.Project.TaskKind().ParseAnswer(r.Annotation.AnswerJson)),
            r.Annotation.Rationale,
            r.Annotation.CreatedAt)).ToList();
    }

    /// <summary>The projects whose free-text answers the reviewer may score: every assessment, or a requester's own.</summary>
    public async Task<IReadOnlyList<Guid>> ScorableProjectsAsync(Guid reviewerId, string role, CancellationToken cancellationToken = default) =>
        await db.Projects.Where(p => p.Purpose == Purposes.Assessment && (role != Roles.Requester || p.OwnerId == reviewerId))
            .Select(p => p.Id).ToListAsync(cancellationToken);

    /// <summary>A reviewer scores one free-text answer (0–1); the attempt is settled when it was the last part missing.</summary>
    public async Task<AssessmentScore> ScoreAsync(Guid annotationId, Guid reviewerId, string role, ScoreRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ErrorList();
        if (request.Score is not (>= 0 and <= 1))
            errors.Add("score", "is required: between 0 and 1.");
        if (request.Note is { Length: > 2000 })
            errors.Add("note", "must be at most 2,000 characters.");
        else if (request.Note is not null && TextRules.Unsafe(request.Note) is { } unsafeNote)
            errors.Add("note", unsafeNote);
        errors.ThrowIfAny();

        var annotation = await db.Annotations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == annotationId, cancellationToken);
        var scorable = await ScorableProjectsAsync(reviewerId, role, cancellationToken);
        if (annotation is null || !scorable.Contains(annotation.ProjectId) || await db.Items.AnyAsync(i => i.Id == annotation.ItemId && i.IsGold, cancellationToken))
            throw new NotFoundException($"No free-text assessment answer {annotationId} for you to score.");
        if (annotation.AnnotatorId == reviewerId)
            throw new ForbiddenException("Nobody scores their own assessment.");

        var score = new AssessmentScore
        {
            Id = Guid.CreateVersion7(),
            AnnotationId = annotationId,
            ProjectId = annotation.ProjectId,
            ReviewerId = reviewerId,
            Score = request.Score!.Value,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.AssessmentScores.Add(score);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.Translate(e) is ConflictException)
        {
            throw new ConflictException("This answer was already scored.");
        }

        await SettleAsync(annotation.ProjectId, annotation.AnnotatorId, cancellationToken);
        return score;
    }

    /// <summary>An operator (null: the command line) sets the person's attempt aside so they may start again; the old attempt is kept with the reason.</summary>
    public async Task<AssessmentAttempt> ResetAsync(Guid projectId, Guid userId, string? reason, Guid? byUserId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
            throw ValidationException.For("reason", "is required: why the person may take the assessment again, at most 500 characters.");
        if (TextRules.Unsafe(reason) is { } unsafeReason)
            throw ValidationException.For("reason", unsafeReason);
        await AssessmentAsync(projectId, cancellationToken);
        var attempt = await CurrentAttemptAsync(projectId, userId, cancellationToken)
            ?? throw new NotFoundException("This person has no attempt at this assessment to reset.");
        attempt.ResetAt = clock.GetUtcNow().UtcDateTime;
        attempt.ResetById = byUserId;
        attempt.ResetReason = reason.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return attempt;
    }

    private async Task<Project> AssessmentAsync(Guid projectId, CancellationToken cancellationToken) =>
        await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId && p.Purpose == Purposes.Assessment, cancellationToken)
        ?? throw new NotFoundException($"No assessment {projectId}.");

    private Task<AssessmentAttempt?> CurrentAttemptAsync(Guid projectId, Guid userId, CancellationToken cancellationToken) =>
        db.AssessmentAttempts.FirstOrDefaultAsync(a => a.ProjectId == projectId && a.UserId == userId && a.ResetAt == null, cancellationToken);

    private static ConflictException AlreadyStarted(AssessmentAttempt attempt) =>
        new($"You already started this assessment at {attempt.StartedAt:u}; it can be taken only once. An operator can reset an attempt that went wrong.");

    private async Task<AttemptView> ViewAsync(Project project, AssessmentAttempt attempt, CancellationToken cancellationToken)
    {
        var progress = await ProgressAsync(project, attempt, cancellationToken);
        var status = attempt.Passed switch
        {
            true => Passed,
            false => Failed,
            null when progress.Answered == progress.Questions || clock.GetUtcNow().UtcDateTime >= attempt.DeadlineAt => AwaitingReview,
            _ => InProgress,
        };
        return new AttemptView(project.Id, project.AssessmentTrackId!, attempt.StartedAt, attempt.DeadlineAt, progress.Questions, progress.Answered, status, attempt.Score, attempt.DecidedAt);
    }

    private static string? RubricOf(Item item) =>
        JsonDocument.Parse(item.MetadataJson).RootElement is { ValueKind: JsonValueKind.Object } metadata
            && metadata.TryGetProperty("rubric", out var rubric) && rubric.ValueKind == JsonValueKind.String
            ? rubric.GetString()
            : null;
}
