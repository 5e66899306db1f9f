using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Infrastructure;

namespace Verity.Work.Pages;

[Authorize(Policy = Policies.Annotate)]
public sealed class IndexModel(LeaseService leases) : PageModel
{
    public IReadOnlyList<WorkListing> Listings { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Listings = await leases.ListingsAsync(User.UserId(), cancellationToken);
}
