using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Projects;

/// <summary>A reviewer assigned to a project, as its owner sees them.</summary>
public sealed record ProjectReviewerView(string Name, DateTime AssignedAt);

/// <summary>
/// Who reviews a project. The reviewer role alone opens no project: a reviewer sees and decides only the queues of the
/// projects their owners (or an admin) assigned them to. Owners name reviewers by account name.
/// </summary>
public sealed class ProjectReviewers(VerityDbContext db, TimeProvider clock, SqliteWriteGate gate)
{
    public async Task<IReadOnlyList<ProjectReviewerView>> ListAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        await db.ProjectReviewers.AsNoTracking().Where(r => r.ProjectId == projectId)
            .Join(db.Users, r => r.ReviewerId, u => u.Id, (r, u) => new { u.Name, r.AssignedAt })
            .OrderBy(r => r.Name)
            .Select(r => new ProjectReviewerView(r.Name, r.AssignedAt))
            .ToListAsync(cancellationToken);

    /// <summary>Assigns the reviewer named <paramref name="name"/>; true when newly assigned, false when already.</summary>
    public async Task<bool> AssignAsync(Guid projectId, string? name, CancellationToken cancellationToken = default)
    {
        var reviewerId = await ReviewerAsync(name, cancellationToken);
        using var turn = await gate.EnterAsync(db, cancellationToken);
        if (await db.ProjectReviewers.AnyAsync(r => r.ProjectId == projectId && r.ReviewerId == reviewerId, cancellationToken))
            return false;
        db.ProjectReviewers.Add(new ProjectReviewer { Id = Guid.CreateVersion7(), ProjectId = projectId, ReviewerId = reviewerId, AssignedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Ends the reviewer's assignment; from the next request they no longer see the project.</summary>
    public async Task RemoveAsync(Guid projectId, string? name, CancellationToken cancellationToken = default)
    {
        var reviewerId = await ReviewerAsync(name, cancellationToken);
        using var turn = await gate.EnterAsync(db, cancellationToken);
        if (await db.ProjectReviewers.Where(r => r.ProjectId == projectId && r.ReviewerId == reviewerId).ExecuteDeleteAsync(cancellationToken) == 0)
            throw new NotFoundException($"{name} does not review this project.");
    }

    private async Task<Guid> ReviewerAsync(string? name, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Name == name && u.Role == Roles.Reviewer && u.DisabledAt == null).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw ValidationException.For("name", $"no active reviewer is named \"{name}\".");
}

internal static class ProjectReviewersApi
{
    public static RouteGroupBuilder MapProjectReviewersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects/{id:guid}/reviewers").WithTags("Review").RequireAuthorization(Policies.OwnProject);
        group.MapGet("", ListAsync)
            .WithName("ListProjectReviewers")
            .WithSummary("The reviewers assigned to the project, by name (owner).");
        group.MapPut("/{name}", AssignAsync)
            .WithName("AssignProjectReviewer")
            .WithSummary("Assign a reviewer, by account name, to review this project's queue (owner); audited.");
        group.MapDelete("/{name}", RemoveAsync)
            .WithName("RemoveProjectReviewer")
            .WithSummary("End a reviewer's assignment to this project, at once (owner); audited.");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ProjectReviewerView>>> ListAsync(Guid id, ProjectReviewers reviewers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reviewers.ListAsync(id, cancellationToken));

    private static async Task<NoContent> AssignAsync(Guid id, string name, ProjectReviewers reviewers, Security.AuditLog audit, CancellationToken cancellationToken)
    {
        if (await reviewers.AssignAsync(id, name, cancellationToken))
            await audit.RecordAsync(Security.AuditKinds.ReviewerAssigned, id, name, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> RemoveAsync(Guid id, string name, ProjectReviewers reviewers, Security.AuditLog audit, CancellationToken cancellationToken)
    {
        await reviewers.RemoveAsync(id, name, cancellationToken);
        await audit.RecordAsync(Security.AuditKinds.ReviewerRemoved, id, name, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }
}
