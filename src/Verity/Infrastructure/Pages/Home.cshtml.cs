using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Data;

namespace Verity.Infrastructure.Pages;

/// <summary>Sends each person to where their work is.</summary>
[Authorize]
public sealed class HomeModel : PageModel
{
    public IActionResult OnGet() =>
        User.IsInRole(Roles.Requester) || User.IsInRole(Roles.Admin) ? Redirect("/projects") : Redirect("/work");
}
