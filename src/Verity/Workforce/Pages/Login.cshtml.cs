using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Workforce.Pages;

[AllowAnonymous]
[EnableRateLimiting(VerityApp.LoginLimit)]
public sealed class LoginModel(SignIns signIns, Sessions sessions) : PageModel
{
    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await signIns.AttemptAsync(Name, Password, cancellationToken);
        if (outcome.User is not { } user)
        {
            if (outcome.RetryAfter is { } wait)
            {
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Error = $"Too many failed sign-ins for this account; try again in {Math.Ceiling(wait.TotalSeconds):0} seconds.";
            }
            else
            {
                Error = "Unknown name or wrong password.";
            }

            return Page();
        }

        var session = await sessions.StartAsync(user.Id, cancellationToken);
        await HttpContext.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            Auth.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme, session));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
