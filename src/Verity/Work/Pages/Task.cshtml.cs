using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Work.Pages;

/// <summary>The workbench: one leased item at a time; a submit stores the answer and shows the next item.</summary>
[Authorize(Roles = Roles.Annotator)]
public sealed class TaskModel(WorkService work, VerityDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid ProjectId { get; set; }

    [BindProperty]
    public Guid AssignmentId { get; set; }

    [BindProperty]
    public string? Choice { get; set; }

    [BindProperty]
    public int? Strength { get; set; } = 2;

    [BindProperty]
    public string? Rationale { get; set; }

    /// <summary>Made when the page is shown, so a resent form is stored once.</summary>
    [BindProperty]
    public string IdempotencyKey { get; set; } = Guid.NewGuid().ToString("N");

    public TaskView? Task { get; private set; }
    public string Guidelines { get; private set; } = "";
    public bool RationaleRequired { get; private set; }
    public int RationaleMinChars { get; private set; }
    public string? Notice { get; private set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Notice = TempData["notice"] as string;
        await ShowAsync(await work.NextAsync(ProjectId, User.UserId(), cancellationToken), cancellationToken);
    }

    [EnableRateLimiting(WorkApi.SubmissionLimit)]
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await work.SubmitAsync(AssignmentId, User.UserId(), new PairwiseSubmission(Choice, Strength, Rationale, IdempotencyKey), cancellationToken);
            TempData["notice"] = "Saved. Here is the next one.";
            return Redirect($"/work/{ProjectId}");
        }
        catch (ValidationException e)
        {
            Errors = e.Errors;
            await ShowAsync(await work.OpenTaskAsync(AssignmentId, User.UserId(), cancellationToken), cancellationToken);
            return Page();
        }
        catch (ConflictException e)
        {
            TempData["notice"] = e.Message;
            return Redirect($"/work/{ProjectId}");
        }
    }

    private async Task ShowAsync(TaskView? task, CancellationToken cancellationToken)
    {
        Task = task;
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == ProjectId, cancellationToken)
            ?? throw new NotFoundException($"Project {ProjectId} does not exist.");
        RationaleRequired = project.RationaleRequired;
        RationaleMinChars = project.RationaleMinChars;
        if (task is not null)
            Guidelines = await work.GuidelinesAsync(ProjectId, task.GuidelineVersion, cancellationToken);
    }
}
