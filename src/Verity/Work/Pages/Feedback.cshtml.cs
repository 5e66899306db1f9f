using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Infrastructure;
using Verity.Review;

namespace Verity.Work.Pages;

/// <summary>What reviewers said about the annotator's own work.</summary>
[Authorize(Policy = Policies.Annotate)]
public sealed class FeedbackModel(ReviewService reviews) : PageModel
{
    public IReadOnlyList<FeedbackEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Entries = await reviews.FeedbackAsync(User.UserId(), cancellationToken);
}
