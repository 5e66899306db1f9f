using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Work;
using Verity.Data;

namespace Verity.Projects;

/// <summary>A guideline version with what changed since the previous one.</summary>
public sealed record GuidelinesView(int Version, string Markdown, IReadOnlyList<DiffPart> Changes);

/// <summary>
/// A project's guidelines: the owner publishes versions; an annotator who worked under an older version must open
/// the current one (and acknowledge it) before more work.
/// </summary>
public sealed class GuidelineService(VerityDbContext db, TimeProvider clock)
{
    /// <summary>A new guideline version; annotators who worked under an older one must open it before their next task.</summary>
    public async Task<int> ReviseAsync(Guid projectId, string markdown, CancellationToken cancellationToken = default)
    {
        if (markdown.Length > 200_000)
            throw ValidationException.For("markdown", "must be at most 200,000 characters.");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var project = await db.Projects.SingleAsync(p => p.Id == projectId, cancellationToken);
        project.GuidelineVersion++;
        db.GuidelineVersions.Add(new GuidelineVersion
        {
            Id = Guid.CreateVersion7(),
            ProjectId = projectId,
            Version = project.GuidelineVersion,
            Markdown = markdown,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return project.GuidelineVersion;
    }

    /// <summary>The current version, with the lines changed since the previous one.</summary>
    public async Task<GuidelinesView> CurrentAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        var versions = await db.GuidelineVersions.AsNoTracking()
            .Where(g => g.ProjectId == projectId)
            .OrderByDescending(g => g.Version)
            .Take(2)
            .ToListAsync(cancellationToken);
        if (versions.Count == 0)
            throw new NotFoundException($"Project {projectId} does not exist.");
        var previous = versions.Count > 1 ? versions[1].Markdown : "";
        return new GuidelinesView(versions[0].Version, versions[0].Markdown, TextDiff.Lines(previous, versions[0].Markdown));
    }

    /// <summary>The text of one version, as the task panel shows the version a task was leased under.</summary>
    public async Task<string> VersionAsync(Guid projectId, int version, CancellationToken cancellationToken = default) =>
        await db.GuidelineVersions.Where(g => g.ProjectId == projectId && g.Version == version)
            .Select(g => g.Markdown).SingleAsync(cancellationToken);

    /// <summary>The guideline version this annotator must open before more work, or null when they are up to date.</summary>
    public async Task<int?> ToOpenAsync(Project project, Guid annotatorId, CancellationToken cancellationToken = default)
    {
        // Someone new to the project reads the current version in the task panel; only a change under them needs a stop,
        // and guidelines that never changed need no query.
        if (project.GuidelineVersion <= 1)
            return null;
        var workedUnderOlder = await db.Annotations.AnyAsync(
            a => a.ProjectId == project.Id && a.AnnotatorId == annotatorId && a.GuidelineVersion < project.GuidelineVersion, cancellationToken);
        if (!workedUnderOlder)
            return null;
        var opened = await db.GuidelineAcks.AnyAsync(
            a => a.ProjectId == project.Id && a.AnnotatorId == annotatorId && a.Version == project.GuidelineVersion, cancellationToken);
        return opened ? null : project.GuidelineVersion;
    }

    /// <summary>Records that the annotator opened a guideline version (idempotent).</summary>
    public async Task AcknowledgeAsync(Guid projectId, Guid annotatorId, int version, CancellationToken cancellationToken = default)
    {
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken)
            ?? throw new NotFoundException($"Project {projectId} does not exist.");
        if (version != project.GuidelineVersion)
            throw ValidationException.For("version", $"the current guideline version is {project.GuidelineVersion}.");
        if (await db.GuidelineAcks.AnyAsync(a => a.ProjectId == projectId && a.AnnotatorId == annotatorId && a.Version == version, cancellationToken))
            return;
        db.GuidelineAcks.Add(new GuidelineAck
        {
            Id = Guid.CreateVersion7(),
            ProjectId = projectId,
            AnnotatorId = annotatorId,
            Version = version,
            AcknowledgedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
