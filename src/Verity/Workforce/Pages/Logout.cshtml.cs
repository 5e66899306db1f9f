using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Workforce.Pages;

[Authorize(Policy = Policies.SignedIn)]
public sealed class LogoutModel(Sessions sessions, AuditLog audit) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Ending the session on the server, not only the cookie, so a copy of the cookie stops working too.
        if (User.SessionId() is { } session)
            await sessions.EndAsync(session, cancellationToken);
        await audit.RecordAsync(AuditKinds.SignOut, cancellationToken: cancellationToken);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login");
    }
}
