using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Verity.Infrastructure.Pages;

/// <summary>Sends each person to where their work is.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class HomeModel(IAuthorizationService authorization) : PageModel
{
    public async Task<IActionResult> OnGetAsync() =>
        (await authorization.AuthorizeAsync(User, Policies.ManageProjects)).Succeeded ? Redirect("/projects") : Redirect("/work");
}
