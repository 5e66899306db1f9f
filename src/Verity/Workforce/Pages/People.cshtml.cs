using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Infrastructure;

namespace Verity.Workforce.Pages;

/// <summary>The operator's list of people: search, status, qualifications, tiers and quality.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class PeopleModel(PeopleService people) : PageModel
{
    public string? Query { get; private set; }

    public IReadOnlyList<PersonView> People { get; private set; } = [];

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Query = q;
        People = await people.ListAsync(q, cancellationToken);
    }
}
