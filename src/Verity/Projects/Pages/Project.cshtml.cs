using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Projects.Pages;

/// <summary>A project's console for its owner: progress, where to upload, preview, change and export, and what changed.</summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class ProjectModel(ProjectService projects, VerityDbContext db) : PageModel
{
    private const int HistoryShown = 20;

    [FromRoute]
    public Guid ProjectId { get; set; }

    public ProjectView View { get; private set; } = null!;

    /// <summary>The project's latest audit events (created, imports, settings changes, exports), newest first.</summary>
    public IReadOnlyList<AuditEvent> History { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        View = await projects.ViewAsync(ProjectId, cancellationToken);
        History = await db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == ProjectId)
            .OrderByDescending(e => e.Id).Take(HistoryShown).ToListAsync(cancellationToken);
    }
}
