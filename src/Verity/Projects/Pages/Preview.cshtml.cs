using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Work;
using Verity.Work.Pages;

namespace Verity.Projects.Pages;

/// <summary>
/// An item as an annotator would see it, drawn by the workbench's own partials, for the owner: no lease is taken and
/// nothing can be submitted.
/// </summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class PreviewModel(VerityDbContext db, GuidelineService guidelines, TimeProvider clock) : PageModel
{
    private const int ItemsListed = 200;

    [FromRoute]
    public Guid ProjectId { get; set; }

    /// <summary>The item to show; the first imported when not given.</summary>
    [FromQuery(Name = "item")]
    public string? ExternalId { get; set; }

    public Project Project { get; private set; } = null!;

    /// <summary>The workbench's page model holding the item, for its partials; null when the project has no items.</summary>
    public TaskModel? Workbench { get; private set; }

    public string Guidelines { get; private set; } = "";

    public IReadOnlyList<string> ExternalIds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        ExternalIds = await db.Items.AsNoTracking().Where(i => i.ProjectId == ProjectId).OrderBy(i => i.Position).Select(i => i.ExternalId)
            .Take(ItemsListed).ToListAsync(cancellationToken);
        var item = await db.Items.AsNoTracking().Where(i => i.ProjectId == ProjectId && (ExternalId == null || i.ExternalId == ExternalId))
            .OrderBy(i => i.Position).FirstOrDefaultAsync(cancellationToken);
        if (item is null)
        {
            if (ExternalId is not null)
                throw new NotFoundException($"No item \"{ExternalId}\" in this project.");
            return;
        }

        ExternalId = item.ExternalId;
        Guidelines = await guidelines.VersionAsync(ProjectId, Project.GuidelineVersion, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        Workbench = ActivatorUtilities.CreateInstance<TaskModel>(HttpContext.RequestServices);
        Workbench.ShowPreview(Project, new TaskView(Guid.Empty, ProjectId, Project.Kind, new TaskItem(item.Prompt, item.Responses(), item.Reference), now, Project.GuidelineVersion, now));
    }
}
