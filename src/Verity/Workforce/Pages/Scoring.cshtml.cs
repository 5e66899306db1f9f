using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Infrastructure;

namespace Verity.Workforce.Pages;

/// <summary>Reviewers score free-text assessment answers against their rubric.</summary>
[Authorize(Policy = Policies.Review)]
public sealed class ScoringModel(AssessmentService assessments) : PageModel
{
    [BindProperty]
    public Guid AnnotationId { get; set; }

    [BindProperty]
    public double? Score { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public IReadOnlyList<AnswerToScore> Answers { get; private set; } = [];

    public string? Error { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await assessments.ScoreAsync(AnnotationId, User.UserId(), User.Role(), new ScoreRequest(Score, Note), cancellationToken);
            return Redirect("/review/assessments");
        }
        catch (VerityException e)
        {
            Error = e.Message;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Answers = await assessments.ToScoreAsync([.. await assessments.ScorableProjectsAsync(User.UserId(), User.Role(), cancellationToken)], cancellationToken);
}
