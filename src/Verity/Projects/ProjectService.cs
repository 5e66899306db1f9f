using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Data;

namespace Verity.Projects;

/// <summary>A project as its owner and its annotators see it, with live counts.</summary>
public sealed record ProjectView(
    Guid Id,
    string Name,
    string Kind,
    int Overlap,
    int GuidelineVersion,
    RationaleView Rationale,
    int Items,
    int CompletedItems,
    int Annotations,
    DateTime CreatedAt);

public sealed record RationaleView(bool Required, int MinChars);

public sealed class ProjectService(VerityDbContext db, TimeProvider clock)
{
    public async Task<Project> CreateAsync(Guid ownerId, ProjectSettings settings, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        var now = clock.GetUtcNow().UtcDateTime;
        var project = new Project
        {
            Id = Guid.CreateVersion7(),
            OwnerId = ownerId,
            Name = settings.Name.Trim(),
            Kind = settings.Kind,
            Overlap = settings.Overlap,
            RationaleRequired = settings.RationaleRequired,
            RationaleMinChars = settings.RationaleMinChars,
            GuidelineVersion = 1,
            CreatedAt = now,
        };
        db.Projects.Add(project);
        db.GuidelineVersions.Add(new GuidelineVersion
        {
            Id = Guid.CreateVersion7(),
            ProjectId = project.Id,
            Version = 1,
            Markdown = settings.Guidelines,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return project;
    }

    /// <summary>Requesters see their own projects, admins all, annotators and reviewers every project they can work on.</summary>
    public async Task<IReadOnlyList<ProjectView>> ListAsync(Guid userId, string role, CancellationToken cancellationToken = default)
    {
        var query = db.Projects.AsNoTracking();
        if (role == Roles.Requester)
            query = query.Where(p => p.OwnerId == userId);
        return await Views(query).ToListAsync(cancellationToken);
    }

    /// <summary>The project, if <paramref name="userId"/> owns it (or is an admin); otherwise not found, so ids do not leak.</summary>
    public async Task<Project> GetOwnedAsync(Guid projectId, Guid userId, string role, CancellationToken cancellationToken = default)
    {
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null || (role != Roles.Admin && project.OwnerId != userId))
            throw new NotFoundException($"Project {projectId} does not exist or is not yours.");
        return project;
    }

    public async Task<ProjectView> ViewAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        await Views(db.Projects.AsNoTracking().Where(p => p.Id == projectId)).SingleAsync(cancellationToken);

    private IQueryable<ProjectView> Views(IQueryable<Project> projects) =>
        projects.OrderBy(p => p.Id).Select(p => new ProjectView(
            p.Id,
            p.Name,
            p.Kind,
            p.Overlap,
            p.GuidelineVersion,
            new RationaleView(p.RationaleRequired, p.RationaleMinChars),
            db.Items.Count(i => i.ProjectId == p.Id),
            db.Items.Count(i => i.ProjectId == p.Id && i.SubmittedCount >= p.Overlap),
            db.Annotations.Count(a => a.ProjectId == p.Id),
            p.CreatedAt));
}
