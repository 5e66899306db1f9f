using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Infrastructure;
using Verity.Workforce;
using Verity.Workforce.Pages;

namespace Verity.Work.Pages;

/// <summary>The annotator's home: their standing and assessments, and the projects open to them.</summary>
[Authorize(Policy = Policies.Annotate)]
public sealed class IndexModel(LeaseService leases, MeService me, AssessmentService assessments) : PageModel
{
    public IReadOnlyList<WorkListing> Listings { get; private set; } = [];

    public StandingPanel Standing { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var userId = User.UserId();
        Listings = await leases.ListingsAsync(userId, cancellationToken);
        Standing = new StandingPanel(
            await me.ForAsync(userId, cancellationToken),
            await assessments.ListForAsync(userId, cancellationToken),
            TempData[StartAssessmentModel.RefusalKey] as string);
    }
}
