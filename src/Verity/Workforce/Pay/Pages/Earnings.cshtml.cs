using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Infrastructure;

namespace Verity.Workforce.Pay.Pages;

/// <summary>The person's own earnings: per day, project and track, the operators' adjustments and bonuses with their reasons, and totals.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class EarningsModel(Earnings earnings) : PageModel
{
    public EarningsView View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        View = await earnings.ForAsync(User.UserId(), from: null, to: null, cancellationToken);
}
