using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Projects.Pages;

/// <summary>The settings a running project may change, for its owner: today the order its items are served in.</summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class SettingsModel(ProjectService projects) : PageModel
{
    [FromRoute]
    public Guid ProjectId { get; set; }

    public Project Project { get; private set; } = null!;

    public string? Error { get; private set; }

    public void OnGet() => Project = HttpContext.AuthorizedProject();

    public async Task<IActionResult> OnPostAsync(string? servingPolicy, CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        try
        {
            await projects.ChangeAsync(ProjectId, new ProjectChanges(servingPolicy ?? ""), cancellationToken);
        }
        catch (ValidationException e)
        {
            Error = string.Join(" ", e.Errors.SelectMany(x => x.Value.Select(m => $"{x.Key} {m}")));
            return Page();
        }

        return Redirect($"/projects/{ProjectId}/settings");
    }
}
