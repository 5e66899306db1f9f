using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Infrastructure;

namespace Verity.Projects.Pages;

[Authorize(Policy = Policies.ManageProjects)]
public sealed class IndexModel(ProjectService projects) : PageModel
{
    public IReadOnlyList<ProjectView> Projects { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Projects = await projects.ListAsync(User.UserId(), User.Role(), cancellationToken);
}
