using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Verity.Workforce.Pages;

[AllowAnonymous]
public sealed class DeniedModel : PageModel
{
    public void OnGet()
    {
    }
}
