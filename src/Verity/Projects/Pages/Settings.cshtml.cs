using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Projects.Pages;

/// <summary>The settings a running project may change, for its owner: the order its items are served in, and what it pays.</summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class SettingsModel(ProjectService projects, GuidelineService guidelines, Security.AuditLog audit) : PageModel
{
    [FromRoute]
    public Guid ProjectId { get; set; }

    public Project Project { get; private set; } = null!;

    public string? Error { get; private set; }

    /// <summary>The current guidelines, to edit; a change publishes a new version that annotators confirm.</summary>
    public string Guidelines { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        Guidelines = (await guidelines.CurrentAsync(ProjectId, cancellationToken)).Markdown;
    }

    /// <summary>Publishes the edited guidelines as a new version, as <c>PUT /projects/{id}/guidelines</c> does; unchanged text publishes nothing.</summary>
    public async Task<IActionResult> OnPostGuidelinesAsync(string? markdown, CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        Guidelines = (await guidelines.CurrentAsync(ProjectId, cancellationToken)).Markdown;
        if (string.Equals((markdown ?? "").ReplaceLineEndings("\n"), Guidelines.ReplaceLineEndings("\n"), StringComparison.Ordinal))
            return Redirect($"/projects/{ProjectId}/settings");
        try
        {
            var version = await guidelines.ReviseAsync(ProjectId, markdown ?? "", cancellationToken);
            await audit.RecordAsync(Security.AuditKinds.GuidelinesRevised, ProjectId, $"version {version}", cancellationToken: cancellationToken);
        }
        catch (ValidationException e)
        {
            Guidelines = markdown ?? "";
            Error = string.Join(" ", e.Errors.SelectMany(x => x.Value.Select(m => $"{x.Key} {m}")));
            return Page();
        }

        return Redirect($"/projects/{ProjectId}/settings");
    }

    /// <summary>The pay fields as posted: a blank rate is the track's; both are left alone when the form has no pay fields.</summary>
    public async Task<IActionResult> OnPostAsync(string? servingPolicy, string? hourlyRate, int? expectedTaskMinutes, CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        Guidelines = (await guidelines.CurrentAsync(ProjectId, cancellationToken)).Markdown;
        try
        {
            decimal? rate = null;
            if (!string.IsNullOrWhiteSpace(hourlyRate))
            {
                rate = decimal.TryParse(hourlyRate, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw ValidationException.For("pay.hourlyRate", "must be a number such as 35.50, or blank for the track's rate.");
            }

            var pay = expectedTaskMinutes is { } minutes ? new PaySettings(rate, minutes) : null;
            await audit.RecordChangesAsync(ProjectId, await projects.ChangeAsync(ProjectId, new ProjectChanges(servingPolicy ?? "", Pay: pay), cancellationToken), cancellationToken);
        }
        catch (ValidationException e)
        {
            Error = string.Join(" ", e.Errors.SelectMany(x => x.Value.Select(m => $"{x.Key} {m}")));
            return Page();
        }

        return Redirect($"/projects/{ProjectId}/settings");
    }
}
