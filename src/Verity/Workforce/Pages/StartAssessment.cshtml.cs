using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Infrastructure;

namespace Verity.Workforce.Pages;

/// <summary>The Start button of an assessment: starts the one attempt and opens its first question, or says why not.</summary>
[Authorize(Policy = Policies.Annotate)]
public sealed class StartAssessmentModel(AssessmentService assessments) : PageModel
{
    public const string RefusalKey = "assessment-refusal";

    public IActionResult OnGet(Guid projectId) => Redirect("/work");

    public async Task<IActionResult> OnPostAsync(Guid projectId, CancellationToken cancellationToken)
    {
        try
        {
            await assessments.StartAsync(projectId, User.UserId(), cancellationToken);
            return Redirect($"/work/{projectId}");
        }
        catch (Exception e) when (e is ConflictException or ForbiddenException)
        {
            TempData[RefusalKey] = e.Message;
            return Redirect("/work");
        }
    }
}
