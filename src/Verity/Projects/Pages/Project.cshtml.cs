using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Projects.Pages;

/// <summary>A project's console for its owner: progress, where to upload, preview, change and export, who reviews, and what changed.</summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class ProjectModel(ProjectService projects, ProjectReviewers reviewers, Security.AuditLog audit, VerityDbContext db) : PageModel
{
    private const int HistoryShown = 20;

    [FromRoute]
    public Guid ProjectId { get; set; }

    public ProjectView View { get; private set; } = null!;

    /// <summary>The project's latest audit events (created, imports, settings changes, exports), newest first.</summary>
    public IReadOnlyList<AuditEvent> History { get; private set; } = [];

    public IReadOnlyList<ProjectReviewerView> Reviewers { get; private set; } = [];

    /// <summary>Why the last reviewer change was refused, if it was.</summary>
    public string? ReviewerError { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        View = await projects.ViewAsync(ProjectId, cancellationToken);
        Reviewers = await reviewers.ListAsync(ProjectId, cancellationToken);
        History = await db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == ProjectId)
            .OrderByDescending(e => e.Id).Take(HistoryShown).ToListAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAssignReviewerAsync(string? name, CancellationToken cancellationToken)
    {
        try
        {
            if (await reviewers.AssignAsync(ProjectId, name?.Trim(), cancellationToken))
                await audit.RecordAsync(Security.AuditKinds.ReviewerAssigned, ProjectId, name?.Trim(), cancellationToken: cancellationToken);
        }
        catch (ValidationException e)
        {
            await OnGetAsync(cancellationToken);
            ReviewerError = string.Join(" ", e.Errors.SelectMany(x => x.Value.Select(m => $"{x.Key} {m}")));
            return Page();
        }
        return Redirect($"/projects/{ProjectId}#reviewers-heading");
    }

    public async Task<IActionResult> OnPostRemoveReviewerAsync(string? name, CancellationToken cancellationToken)
    {
        await reviewers.RemoveAsync(ProjectId, name, cancellationToken);
        await audit.RecordAsync(Security.AuditKinds.ReviewerRemoved, ProjectId, name, cancellationToken: cancellationToken);
        return Redirect($"/projects/{ProjectId}#reviewers-heading");
    }
}
