using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Quality;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;

namespace Verity.Quality;

/// <summary>An annotator's standing in a project, as they see it themselves.</summary>
public sealed record Standing(string Status, IReadOnlyList<string> Reasons, int GoldSeen, double? GoldAccuracy, bool Restored)
{
    /// <summary>
    /// The project's rules over the given statistics; an admin's restoration overrides a removal, but the reasons
    /// stay on record.
    /// </summary>
    public static Standing Decide(IReadOnlyDictionary<string, double> stats, bool restored)
    {
        var outcome = QualityRules.Evaluate(AnnotatorReports.DefaultRules, stats);
        var status = restored && outcome.Status == Removed ? QualityRules.Active : outcome.Status;
        return new Standing(status, outcome.Reasons, (int)stats.GetValueOrDefault("goldSeen"),
            stats.TryGetValue("goldAccuracy", out var accuracy) ? Math.Round(accuracy, 4) : null, restored);
    }

    public const string Removed = "removed";
}

/// <summary>
/// The cheap check made before every lease: the gold-accuracy rule needs only this annotator's gold scores.
/// Rules on measures that need everyone's answers (trust) weigh labels in aggregation instead of stopping work.
/// </summary>
public sealed class Standings(VerityDbContext db, TimeProvider clock)
{
    public async Task<Standing> ForAsync(Project project, Guid annotatorId, CancellationToken cancellationToken = default)
    {
        var scores = await db.Annotations
            .Where(a => a.ProjectId == project.Id && a.AnnotatorId == annotatorId && a.GoldScore != null)
            .Select(a => a.GoldScore!.Value)
            .ToListAsync(cancellationToken);
        var stats = new Dictionary<string, double>(StringComparer.Ordinal) { ["goldSeen"] = scores.Count };
        if (scores.Count > 0)
            stats["goldAccuracy"] = GoldAccuracy.Estimate(scores).Mean;
        var restored = await db.Restorations.AnyAsync(r => r.ProjectId == project.Id && r.AnnotatorId == annotatorId, cancellationToken);
        return Standing.Decide(stats, restored);
    }

    public async Task RestoreAsync(Guid projectId, string pseudonym, Guid adminId, CancellationToken cancellationToken = default)
    {
        var annotator = await db.Users.FirstOrDefaultAsync(u => u.Pseudonym == pseudonym, cancellationToken)
            ?? throw new NotFoundException($"No annotator {pseudonym}.");
        db.Restorations.Add(new Restoration
        {
            Id = Guid.CreateVersion7(),
            ProjectId = projectId,
            AnnotatorId = annotator.Id,
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
            .RequireAuthorization(policy => policy.RequireRole(Roles.Annotator));
        api.MapPost("/projects/{id:guid}/annotators/{pseudonym}/restore", RestoreAsync)
            .WithTags("Quality")
            .WithName("RestoreAnnotator")
            .WithSummary("Restore an annotator the project's rules removed; their record is kept (admin).")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        return api;
    }

    private static async Task<Ok<Standing>> MineAsync(Guid id, ClaimsPrincipal user, VerityDbContext db, Standings standings, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Project {id} does not exist.");
        return TypedResults.Ok(await standings.ForAsync(project, user.UserId(), cancellationToken));
    }

    private static async Task<NoContent> RestoreAsync(
        Guid id, string pseudonym, ClaimsPrincipal user, ProjectService projects, Standings standings, CancellationToken cancellationToken)
    {
        await projects.GetOwnedAsync(id, user.UserId(), user.Role(), cancellationToken);
        await standings.RestoreAsync(id, pseudonym, user.UserId(), cancellationToken);
        return TypedResults.NoContent();
    }
}
