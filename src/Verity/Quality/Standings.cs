using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core;
using Verity.Core.Quality;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;
using Verity.Work;

namespace Verity.Quality;

/// <summary>An annotator's standing in a project, as they see it themselves.</summary>
public sealed record Standing(string Status, IReadOnlyList<string> Reasons, int GoldSeen, double? GoldAccuracy, bool Restored)
{
    /// <summary>
    /// The project's rules over the given statistics; an admin's restoration overrides what the rules decided, but
    /// the reasons stay on record.
    /// </summary>
    public static Standing Decide(IReadOnlyList<QualityRule> rules, IReadOnlyDictionary<string, double> stats, bool restored)
    {
        var outcome = QualityRules.Evaluate(rules, stats);
        var status = restored ? QualityRules.Active : outcome.Status;
        return new Standing(status, outcome.Reasons, (int)stats.GetValueOrDefault("goldSeen"),
            stats.TryGetValue("goldAccuracy", out var accuracy) ? Math.Round(accuracy, 4) : null, restored);
    }
}

/// <summary>
/// The check made before every lease. Gold scores are read fresh, so a gold rule removes at once; measures that need
/// everyone's answers (agreement, trust) come from the last background computation.
/// </summary>
public sealed class Standings(VerityDbContext db, TimeProvider clock, IOptions<WorkOptions> work, Security.Pseudonyms pseudonyms)
{
    public Task<Standing> ForAsync(Project project, Guid annotatorId, CancellationToken cancellationToken = default) =>
        ComputeAsync(project, annotatorId, goldBefore: null, cancellationToken);

    /// <summary>
    /// The standing as the annotator is shown it. Gold answers count only once they are older than the reveal delay,
    /// so the standing never moves with one answer and cannot tell which item was gold; without gold feedback, gold
    /// numbers and gold reasons are left out altogether. A removed annotator is told why at once: they are stopped anyway.
    /// </summary>
    public async Task<Standing> AsSeenByAnnotatorAsync(Project project, Guid annotatorId, CancellationToken cancellationToken = default)
    {
        var now = await ForAsync(project, annotatorId, cancellationToken);
        if (now.Status == QualityRules.Removed)
            return now;
        var delayed = await ComputeAsync(project, annotatorId, GoldRevealedBefore(), cancellationToken);
        return project.GoldFeedback
            ? delayed
            : delayed with { GoldSeen = 0, GoldAccuracy = null, Reasons = [.. delayed.Reasons.Where(r => !r.StartsWith("gold", StringComparison.Ordinal))] };
    }

    /// <summary>Gold answered before this time may be shown to its annotator.</summary>
    public DateTime GoldRevealedBefore() => clock.GetUtcNow().UtcDateTime.AddHours(-work.Value.GoldRevealHours);

    private async Task<Standing> ComputeAsync(Project project, Guid annotatorId, DateTime? goldBefore, CancellationToken cancellationToken)
    {
        var reportJson = await db.AnnotatorQuality.AsNoTracking()
            .Where(q => q.ProjectId == project.Id && q.AnnotatorId == annotatorId)
            .Select(q => q.ReportJson)
            .FirstOrDefaultAsync(cancellationToken);
        var stats = reportJson is null ? new Dictionary<string, double>(StringComparer.Ordinal) : JsonSerializer.Deserialize<AnnotatorReport>(reportJson, Json.Options)!.Stats();
        var scores = await db.LatestAnnotations
            .Where(a => a.ProjectId == project.Id && a.AnnotatorId == annotatorId && a.GoldScore != null && (goldBefore == null || a.CreatedAt <= goldBefore))
            .Select(a => a.GoldScore!.Value)
            .ToListAsync(cancellationToken);
        stats["goldSeen"] = scores.Count;
        stats.Remove("goldAccuracy");
        if (scores.Count > 0)
            stats["goldAccuracy"] = GoldAccuracy.Estimate(scores).Mean;
        var restored = await db.Restorations.AnyAsync(r => r.ProjectId == project.Id && r.AnnotatorId == annotatorId, cancellationToken);
        return Standing.Decide(project.Rules(), stats, restored);
    }

    public async Task RestoreAsync(Guid projectId, string pseudonym, Guid adminId, CancellationToken cancellationToken = default)
    {
        var annotatorId = await pseudonyms.FindAnnotatorAsync(db, projectId, pseudonym, cancellationToken)
            ?? throw new NotFoundException($"No annotator {pseudonym} in this project.");
        db.Restorations.Add(new Restoration
        {
            Id = Guid.CreateVersion7(),
            ProjectId = projectId,
            AnnotatorId = annotatorId,
            AdminId = adminId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

internal static class StandingsApi
{
    public static RouteGroupBuilder MapStandingsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/projects/{id:guid}/standing", MineAsync)
            .WithTags("Quality")
            .WithName("MyStanding")
            .WithSummary("The caller's own standing in a project: status, the reasons, gold accuracy (annotator).")
            .RequireAuthorization(Policies.Annotate);
        api.MapPost("/projects/{id:guid}/annotators/{pseudonym}/restore", RestoreAsync)
            .WithTags("Quality")
            .WithName("RestoreAnnotator")
            .WithSummary("Restore an annotator the project's rules removed or an owner quarantined; their record is kept, live labels are recomputed (owner or admin).")
            .RequireAuthorization(Policies.OwnProject);
        return api;
    }

    private static async Task<Ok<Standing>> MineAsync(Guid id, ClaimsPrincipal user, VerityDbContext db, Standings standings, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Project {id} does not exist.");
        return TypedResults.Ok(await standings.AsSeenByAnnotatorAsync(project, user.UserId(), cancellationToken));
    }

    private static async Task<NoContent> RestoreAsync(
        Guid id, string pseudonym, HttpContext context, Standings standings, QualityRefresh quality, Security.AuditLog audit, CancellationToken cancellationToken)
    {
        await standings.RestoreAsync(id, pseudonym, context.User.UserId(), cancellationToken);
        await audit.RecordAsync(Security.AuditKinds.Restored, id, pseudonym, cancellationToken: cancellationToken);
        await quality.RefreshIfStaleAsync(context.AuthorizedProject(), cancellationToken);
        return TypedResults.NoContent();
    }
}
