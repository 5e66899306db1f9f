using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core;
using Verity.Core.Items;
using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Core.Workforce;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;
using Verity.Quality;
using Verity.Workforce;

namespace Verity.Work;

/// <summary>A leased task as the annotator sees it: responses in the order shown to this annotator.</summary>
/// <param name="LeasedAt">When the lease began: the time spent on the task counts from here.</param>
public sealed record TaskView(Guid AssignmentId, Guid ProjectId, string Kind, TaskItem Item, DateTime ExpiresAt, int GuidelineVersion, DateTime LeasedAt);

public sealed record TaskItem(string Prompt, IReadOnlyList<Response> Responses, string? Reference);

/// <summary>A project on an annotator's home page: what is left for them, and what they have done.</summary>
public sealed record WorkListing(Guid ProjectId, string Name, string Kind, int Remaining, int Done);

/// <summary>
/// Leases items and serves gold and repeats among them, keeping the assignment rules: one lease per item and
/// annotator ever, at most <c>overlap</c> live or submitted leases per item, expired leases back in the pool, one
/// open lease per annotator and project. Every change to an item's leases happens while that item's row is locked
/// (PostgreSQL) or inside SQLite's single writer, so the counts read under the lock are exact.
/// </summary>
public sealed class LeaseService(
    VerityDbContext db, TimeProvider clock, IOptions<WorkOptions> options, SqliteWriteGate gate, Standings standings, GuidelineService guidelines, Chance chance,
    VerityMetrics metrics, AssessmentService assessments, Security.Pseudonyms pseudonyms)
{
    private const int MaxCandidates = 20;

    /// <summary>The caller's open lease, or a new one on the next item the rules allow; null when nothing is left.</summary>
    public Task<TaskView?> NextAsync(Project project, Guid annotatorId, CancellationToken cancellationToken = default) =>
        NextOrChosenAsync(project, annotatorId, externalId: null, cancellationToken);

    /// <summary>
    /// The owner's (or an admin's) choice of one item for one annotator, for replays and targeted relabelling: the
    /// annotator's open lease still comes first, and the rules still apply (null when they do not allow it).
    /// </summary>
    /// <param name="pseudonym">The annotator who gets the item, as the owner knows them.</param>
    public async Task<TaskView?> ChooseAsync(Project project, string externalId, string? pseudonym, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(pseudonym))
            throw ValidationException.For("annotator", "is required to choose an item: the pseudonym of the annotator who gets it.");
        var annotatorId = await pseudonyms.FindAnnotatorAsync(db, project.Id, pseudonym, cancellationToken)
            ?? throw ValidationException.For("annotator", $"no annotator in this project has the pseudonym \"{pseudonym}\".");
        return await NextOrChosenAsync(project, annotatorId, externalId, cancellationToken);
    }

    private async Task<TaskView?> NextOrChosenAsync(Project project, Guid annotatorId, string? externalId, CancellationToken cancellationToken)
    {
        var projectId = project.Id;
        // An assessment is served within the person's started attempt (starting checked who may take it); work to
        // those the project's tracks and tier admit.
        var attempt = project.Purpose == Purposes.Assessment ? await assessments.OpenAttemptAsync(project, annotatorId, cancellationToken) : null;
        if (attempt is null && Access.Refusal(project, await Access.PersonAsync(db, annotatorId, cancellationToken)) is { } refusal)
            throw new ForbiddenException(refusal);

        if (await guidelines.ToOpenAsync(project, annotatorId, cancellationToken) is { } version)
        {
            throw new ConflictException(
                $"The guidelines changed to version {version}: open them (GET /api/v1/projects/{projectId}/guidelines) and acknowledge "
                + $"(POST /api/v1/projects/{projectId}/guidelines/ack) before the next task.");
        }

        // The quality rules judge work; in an assessment their gold-based reasons would tell the person which answers were wrong.
        if (attempt is null && await standings.ForAsync(project, annotatorId, cancellationToken) is { Status: QualityRules.Removed } standing)
            throw new ForbiddenException($"You were removed from this project: {string.Join(" ", standing.Reasons)} An admin can restore you; your answers are kept.");

        using var turn = await gate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockAnnotatorAsync(annotatorId, cancellationToken);
        var now = clock.StoredNow();

        var open = await db.Assignments.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.AnnotatorId == annotatorId && a.SubmittedAt == null && a.ExpiresAt > now)
            .FirstOrDefaultAsync(cancellationToken);
        if (open is not null)
            return await ViewAsync(open, project, cancellationToken);
        if (await RenewLapsedAsync(project, annotatorId, now, transaction, cancellationToken) is { } renewed)
            return renewed;

        if (attempt is not null)
        {
            if (await QuestionAsync(project, annotatorId, attempt.StartedAt, cancellationToken) is not { } question)
                return null;
            // Everyone takes the same questions: the lock keeps the item's lease count exact.
            await db.LockItemAsync(question.ItemId, cancellationToken);
            return await LeaseAsync(project, question.ItemId, annotatorId, now, question.IsRepeat, transaction, cancellationToken);
        }

        if (externalId is not null)
        {
            var wanted = await db.Items.Where(i => i.ProjectId == projectId && i.ExternalId == externalId && !i.IsGold).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException($"Project {projectId} has no item \"{externalId}\".");
            // Wait for the one item asked for: the shared query skips rows another request holds, which for a single
            // wanted item would answer "no work" while it is only busy for a moment.
            await db.LockItemAsync(wanted, cancellationToken);
            return await AvailableItemAsync(project, annotatorId, now, cancellationToken, wanted) is { } item
                ? await LeaseAsync(project, item, annotatorId, now, isRepeat: false, transaction, cancellationToken)
                : null;
        }

        var next = await AvailableItemAsync(project, annotatorId, now, cancellationToken);
        if (next is null)
            return null;
        if (await ServeGoldAsync(project, annotatorId, cancellationToken) && await GoldCandidateAsync(project, annotatorId, cancellationToken) is { } gold)
            return await LeaseAsync(project, gold, annotatorId, now, isRepeat: false, transaction, cancellationToken);
        if (chance.NextDouble() < project.RepeatRate && await RepeatCandidateAsync(project, annotatorId, now, cancellationToken) is { } repeat)
            return await LeaseAsync(project, repeat, annotatorId, now, isRepeat: true, transaction, cancellationToken);
        return await LeaseAsync(project, next.Value, annotatorId, now, isRepeat: false, transaction, cancellationToken);
    }

    /// <summary>
    /// An assessment serves every question (gold or free-text) to every person once per attempt, in import order, with no
    /// overlap, gold draw or repeats. A reset attempt serves them again as the person's one repeat lease of each item,
    /// since the database allows one lease and one repeat per item and person.
    /// </summary>
    private async Task<(Guid ItemId, bool IsRepeat)?> QuestionAsync(Project project, Guid annotatorId, DateTime startedAt, CancellationToken cancellationToken)
    {
        var question = await db.Items
            .Where(i => i.ProjectId == project.Id
                && !db.Assignments.Any(a => a.ItemId == i.Id && a.AnnotatorId == annotatorId && (a.LeasedAt >= startedAt || a.IsRepeat)))
            .OrderBy(i => i.Position).ThenBy(i => i.Id)
            .Select(i => new { i.Id, Earlier = db.Assignments.Any(a => a.ItemId == i.Id && a.AnnotatorId == annotatorId) })
            .FirstOrDefaultAsync(cancellationToken);
        return question is null ? null : (question.Id, question.Earlier);
    }

    /// <summary>A real (not gold) item this annotator may take now, locked on PostgreSQL; null when none is left.</summary>
    private async Task<Guid?> AvailableItemAsync(Project project, Guid annotatorId, DateTime now, CancellationToken cancellationToken, Guid? only = null)
    {
        for (var attempt = 0; attempt < MaxCandidates; attempt++)
        {
            var candidate = await LockCandidateAsync(project, annotatorId, now, only, cancellationToken);
            if (candidate is null)
                return null;
            // No counted lease has run out: the row's counts are exact. On PostgreSQL the row was re-read when locked, and
            // every lease change writes it, so a lease committed after the query began is counted too.
            if (candidate.LeaseExpiresAt is null || candidate.LeaseExpiresAt > now)
                return candidate.Id;

            // Some counted lease lapsed: count the item again from its assignments (a fresh statement, under the lock).
            await RecountLeasesAsync(candidate.Id, now, cancellationToken);
            var taken = await db.Assignments.CountAsync(
                a => a.ItemId == candidate.Id && !a.IsRepeat && ((a.SubmittedAt != null && !a.Rejected) || (a.SubmittedAt == null && a.ExpiresAt > now)), cancellationToken);
            if (taken < await db.Items.Where(i => i.Id == candidate.Id).Select(i => i.TargetOverlap).SingleAsync(cancellationToken))
                return candidate.Id;
        }

        // Every candidate we locked was full of live leases: the pool is busy, not empty. Nothing to offer right now.
        return null;
    }

    /// <summary>
    /// Work typed into a lease that ran out comes back: the annotator's latest lapsed lease with a draft is leased
    /// again (the same item, the same order) while the item still has room; otherwise the draft stays unused.
    /// </summary>
    private async Task<TaskView?> RenewLapsedAsync(
        Project project, Guid annotatorId, DateTime now, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var lapsed = await db.Assignments
            .Where(a => a.ProjectId == project.Id && a.AnnotatorId == annotatorId && a.SubmittedAt == null && a.ExpiresAt <= now
                && db.Drafts.Any(d => d.AssignmentId == a.Id) && !db.Skips.Any(s => s.AssignmentId == a.Id))
            .OrderByDescending(a => a.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (lapsed is null)
            return null;
        await db.LockItemAsync(lapsed.ItemId, cancellationToken);
        var item = await db.Items.AsNoTracking().SingleAsync(i => i.Id == lapsed.ItemId, cancellationToken);
        var taken = await db.Assignments.CountAsync(
            a => a.ItemId == item.Id && !a.IsRepeat && ((a.SubmittedAt != null && !a.Rejected) || (a.SubmittedAt == null && a.ExpiresAt > now)), cancellationToken);
        if (!lapsed.IsRepeat && !item.IsGold && taken >= item.TargetOverlap)
            return null;
        lapsed.ExpiresAt = now.AddMinutes(options.Value.LeaseMinutes);
        await db.SaveChangesAsync(cancellationToken);
        // The renewed lease may have been dropped from the item's count when it lapsed; a rare path, so count it all again.
        if (!item.IsGold)
            await RecountLeasesAsync(item.Id, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return View(lapsed, item, project);
    }

    private async Task<TaskView> LeaseAsync(
        Project project, Guid itemId, Guid annotatorId, DateTime now, bool isRepeat, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var item = await db.Items.SingleAsync(i => i.Id == itemId, cancellationToken);
        var assignment = new Assignment
        {
            Id = Guid.CreateVersion7(),
            ProjectId = project.Id,
            ItemId = item.Id,
            AnnotatorId = annotatorId,
            ShownOrderJson = JsonSerializer.Serialize(chance.Shuffle(item.Responses().Select(r => r.Id).ToList())),
            LeasedAt = now,
            ExpiresAt = now.AddMinutes(options.Value.LeaseMinutes),
            IsRepeat = isRepeat,
            ServedScoresJson = item.ScoresJson,
        };
        db.Assignments.Add(assignment);
        // Real items count their open leases (sent in the same batch as the insert); the row is locked, by the candidate
        // query on PostgreSQL and by SQLite's one writer.
        if (!isRepeat && !item.IsGold)
        {
            item.LeasedCount++;
            if (item.LeaseExpiresAt is null || item.LeaseExpiresAt > assignment.ExpiresAt)
                item.LeaseExpiresAt = assignment.ExpiresAt;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.Leased(isRepeat ? "repeat" : item.IsGold ? "gold" : "real");
        return View(assignment, item, project);
    }

    /// <summary>
    /// Gold comes first until the annotator has answered the project's calibration set, then at the gold rate, and
    /// only while real work remains, so nobody is kept busy with gold alone.
    /// </summary>
    private async Task<bool> ServeGoldAsync(Project project, Guid annotatorId, CancellationToken cancellationToken)
    {
        if (project.GoldRate <= 0 && project.CalibrationItems <= 0)
            return false;
        // A project without gold draws nothing here, so its other random choices do not depend on its gold rate.
        if (!await db.Items.AnyAsync(GoldOf(project.Id), cancellationToken))
            return false;
        var goldSeen = await db.Assignments.CountAsync(
            a => a.ProjectId == project.Id && a.AnnotatorId == annotatorId && db.Items.Any(i => i.Id == a.ItemId && i.IsGold), cancellationToken);
        return goldSeen < project.CalibrationItems || chance.NextDouble() < project.GoldRate;
    }

    /// <summary>
    /// An item this annotator answered at least the project's delay ago and has not repeated; the new lease gets a
    /// fresh shuffle, so a remembered position does not pass for consistency.
    /// </summary>
    private async Task<Guid?> RepeatCandidateAsync(Project project, Guid annotatorId, DateTime now, CancellationToken cancellationToken)
    {
        var answeredBefore = now.AddMinutes(-project.RepeatDelayMinutes);
        return await db.Assignments
            .Where(a => a.ProjectId == project.Id && a.AnnotatorId == annotatorId && !a.IsRepeat && !a.Rejected
                && a.SubmittedAt != null && a.SubmittedAt <= answeredBefore
                && !db.Items.Any(i => i.Id == a.ItemId && i.IsGold)
                && !db.Assignments.Any(r => r.ItemId == a.ItemId && r.AnnotatorId == annotatorId && r.IsRepeat))
            .OrderBy(a => a.Id)
            .Select(a => (Guid?)a.ItemId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// A random unseen item of the annotator's own share of the gold pool (see <see cref="GoldDraw"/>), so annotators
    /// cannot trade answers by position and no account meets the whole key.
    /// </summary>
    private async Task<Guid?> GoldCandidateAsync(Project project, Guid annotatorId, CancellationToken cancellationToken)
    {
        var pool = (await db.Items.Where(GoldOf(project.Id)).Select(i => new { i.Id, i.ExternalId }).ToListAsync(cancellationToken))
            .Select(i => (i.Id, i.ExternalId)).ToList();
        var name = await db.Users.Where(u => u.Id == annotatorId).Select(u => u.Name).SingleAsync(cancellationToken);
        var seen = (await db.Assignments.Where(a => a.ProjectId == project.Id && a.AnnotatorId == annotatorId).Select(a => a.ItemId).ToListAsync(cancellationToken)).ToHashSet();
        var unseen = GoldDraw.Share(pool, name, options.Value.GoldPoolShare, project.CalibrationItems).Where(id => !seen.Contains(id)).ToList();
        return unseen.Count == 0 ? null : unseen[chance.Next(unseen.Count)];
    }

    /// <summary>
    /// The project's gold items, compared as a parameter (<c>is_gold = @gold</c>) so that SQLite looks them up in the
    /// (project_id, is_gold) index: EF writes a constant as a bare <c>AND is_gold</c>, for which SQLite read every item
    /// of the project (15 ms a request at 200,000 items, hundreds at 2,000,000).
    /// </summary>
    private static System.Linq.Expressions.Expression<Func<Item, bool>> GoldOf(Guid projectId)
    {
        var gold = true;
        return i => i.ProjectId == projectId && i.IsGold == gold;
    }

    /// <summary>Work projects open to this annotator with items they could still be given (assessments are listed apart).</summary>
    public async Task<IReadOnlyList<WorkListing>> ListingsAsync(Guid annotatorId, CancellationToken cancellationToken = default)
    {
        var person = await Access.PersonAsync(db, annotatorId, cancellationToken);
        var allowed = (await db.Projects.AsNoTracking().Where(p => p.Purpose == Purposes.Work).ToListAsync(cancellationToken))
            .Where(p => Access.Refusal(p, person) is null).Select(p => p.Id).ToList();
        var listings = await db.Projects.AsNoTracking()
            .Where(p => allowed.Contains(p.Id))
            .OrderBy(p => p.Id)
            .Select(p => new WorkListing(
                p.Id,
                p.Name,
                p.Kind,
                db.Items.Count(i => i.ProjectId == p.Id && !i.IsGold && i.SubmittedCount < i.TargetOverlap
                    && !db.Assignments.Any(a => a.ItemId == i.Id && a.AnnotatorId == annotatorId && a.SubmittedAt != null)),
                db.LatestAnnotations.Count(a => a.ProjectId == p.Id && a.AnnotatorId == annotatorId)))
            .ToListAsync(cancellationToken);
        return listings.Where(l => l.Remaining > 0).ToList();
    }

    /// <summary>The assignment if it belongs to the annotator and is still open; used by the workbench page.</summary>
    public async Task<TaskView?> OpenTaskAsync(Guid assignmentId, Guid annotatorId, CancellationToken cancellationToken = default)
    {
        var now = clock.StoredNow();
        var assignment = await db.Assignments.AsNoTracking().FirstOrDefaultAsync(
            a => a.Id == assignmentId && a.AnnotatorId == annotatorId && a.SubmittedAt == null && a.ExpiresAt > now, cancellationToken);
        if (assignment is null)
            return null;
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == assignment.ProjectId, cancellationToken);
        return await ViewAsync(assignment, project, cancellationToken);
    }

    /// <summary>A submitted task as it was shown, for the annotator changing their answer (undo).</summary>
    public async Task<TaskView?> SubmittedTaskAsync(Guid assignmentId, CancellationToken cancellationToken = default)
    {
        var assignment = await db.Assignments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assignmentId && a.SubmittedAt != null, cancellationToken);
        if (assignment is null)
            return null;
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == assignment.ProjectId, cancellationToken);
        return await ViewAsync(assignment, project, cancellationToken);
    }

    private async Task<TaskView> ViewAsync(Assignment assignment, Project project, CancellationToken cancellationToken)
    {
        var item = await db.Items.AsNoTracking().SingleAsync(i => i.Id == assignment.ItemId, cancellationToken);
        return View(assignment, item, project);
    }

    private static TaskView View(Assignment assignment, Item item, Project project)
    {
        var responses = item.Responses().ToDictionary(r => r.Id, StringComparer.Ordinal);
        var order = JsonSerializer.Deserialize<string[]>(assignment.ShownOrderJson)!;
        return new TaskView(
            assignment.Id,
            assignment.ProjectId,
            project.Kind,
            new TaskItem(item.Prompt, order.Select(id => responses[id]).ToList(), item.Reference),
            assignment.ExpiresAt,
            project.GuidelineVersion,
            assignment.LeasedAt);
    }

    // Hand-written SQL: EF has no FOR UPDATE / SKIP LOCKED. On SQLite the transaction already holds the one write
    // lock (BEGIN IMMEDIATE), so the same queries run without row locks.
    private Task<int> LockAnnotatorAsync(Guid annotatorId, CancellationToken cancellationToken) =>
        db.Provider == DatabaseProvider.Postgres
            ? db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {annotatorId} FOR UPDATE", cancellationToken)
            : Task.FromResult(0);

    private async Task<Candidate?> LockCandidateAsync(Project project, Guid annotatorId, DateTime now, Guid? only, CancellationToken cancellationToken)
    {
        if (only is not null)
            return await CandidateAsync(project.Id, annotatorId, now, "AND i.id = {3}", "i.id", only.Value, cancellationToken);
        switch (project.ServingPolicy)
        {
            case ServingPolicies.Random:
                // Walk the items' random keys from this annotator's start point, wrapping around to the lowest key.
                var served = await db.Assignments.CountAsync(a => a.ProjectId == project.Id && a.AnnotatorId == annotatorId, cancellationToken);
                var start = ServingPolicies.StartPoint(annotatorId, project.Id, served);
                return await CandidateAsync(project.Id, annotatorId, now, "AND i.serve_key >= {3}", "i.serve_key", start, cancellationToken)
                    ?? await CandidateAsync(project.Id, annotatorId, now, "", "i.serve_key", null, cancellationToken);
            case ServingPolicies.UncertaintyFirst:
                return await CandidateAsync(project.Id, annotatorId, now, "", "i.certainty, i.serve_key", null, cancellationToken);
            default:
                return await CandidateAsync(project.Id, annotatorId, now, "", "i.position, i.id", null, cancellationToken);
        }
    }

    /// <summary>
    /// The first open item in <paramref name="orderBy"/> that this annotator may take, locked on PostgreSQL. The filter
    /// repeats the open-item indexes' own (<c>NOT is_gold AND submitted_count &lt; target_overlap</c>), so the database
    /// walks one of them in order and stops at the first match instead of reading the project: the only rows it passes
    /// over are open items this annotator already has and items whose counted leases fill them, each judged from its
    /// own row. An item with a lapsed counted lease passes and is counted again by the caller.
    /// </summary>
    // Hand-written SQL: EF has no FOR UPDATE / SKIP LOCKED, and the order is the project's policy.
    private async Task<Candidate?> CandidateAsync(
        Guid projectId, Guid annotatorId, DateTime now, string narrow, string orderBy, object? bound, CancellationToken cancellationToken)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        var sql = $$"""
            SELECT i.id AS "Id", i.lease_expires_at AS "LeaseExpiresAt" FROM items i
            WHERE i.project_id = {0} AND NOT i.is_gold AND i.submitted_count < i.target_overlap {{narrow}}
              AND (i.submitted_count + i.leased_count < i.target_overlap OR i.lease_expires_at <= {2})
              AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.annotator_id = {1})
            ORDER BY {{orderBy}}
            LIMIT 1
            {{(postgres ? "FOR UPDATE OF i SKIP LOCKED" : "")}}
            """;
        object[] parameters = bound is null ? [projectId, annotatorId, now] : [projectId, annotatorId, now, bound];
        var found = await db.Database.SqlQueryRaw<Candidate>(sql, parameters).ToListAsync(cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Sets the item's counted leases to its open real leases that have not expired, dropping the lapsed ones.</summary>
    private Task<int> RecountLeasesAsync(Guid itemId, DateTime now, CancellationToken cancellationToken) =>
        db.Items.Where(i => i.Id == itemId).ExecuteUpdateAsync(
            s => s.SetProperty(
                    i => i.LeasedCount,
                    i => db.Assignments.Count(a => a.ItemId == i.Id && !a.IsRepeat && a.SubmittedAt == null && a.ExpiresAt > now))
                .SetProperty(
                    i => i.LeaseExpiresAt,
                    i => db.Assignments.Where(a => a.ItemId == i.Id && !a.IsRepeat && a.SubmittedAt == null && a.ExpiresAt > now).Min(a => (DateTime?)a.ExpiresAt)),
            cancellationToken);

    private sealed record Candidate(Guid Id, DateTime? LeaseExpiresAt);
}
