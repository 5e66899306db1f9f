using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Infrastructure;
using Verity.Projects;

namespace Verity.Work.Pages;

/// <summary>Shown instead of the next task when the guidelines changed under the annotator.</summary>
[Authorize(Policy = Policies.Annotate)]
public sealed class GuidelinesModel(GuidelineService guidelines) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid ProjectId { get; set; }

    public GuidelinesView Guidelines { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Guidelines = await guidelines.CurrentAsync(ProjectId, cancellationToken);

    public async Task<IActionResult> OnPostAsync(int version, CancellationToken cancellationToken)
    {
        await guidelines.AcknowledgeAsync(ProjectId, User.UserId(), version, cancellationToken);
        return Redirect($"/work/{ProjectId}");
    }
}
