using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Verity.Core;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Workforce.Pages;

/// <summary>The public sign-up form: creates an applicant and signs them in. Antiforgery-protected like every form, and rate-limited like sign-in.</summary>
[AllowAnonymous]
[EnableRateLimiting(VerityApp.LoginLimit)]
public sealed class SignupModel(UserService users, TrackService tracks, Sessions sessions, AuditLog audit) : PageModel
{
    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty]
    public List<string> Chosen { get; set; } = [];

    [BindProperty]
    public string? Background { get; set; }

    public IReadOnlyList<TrackView> Tracks { get; private set; } = [];

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Tracks = await tracks.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Tracks = await tracks.ListAsync(cancellationToken);
        try
        {
            var user = await users.SignUpAsync(Name, Password, Chosen, string.IsNullOrWhiteSpace(Background) ? null : Background, cancellationToken);
            await audit.RecordAsync(AuditKinds.SignedUp, user.Id, user.Name, null, user.Name, user.AppliedTracks, cancellationToken);
            var session = await sessions.StartAsync(user.Id, cancellationToken);
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Auth.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme, session));
            return Redirect("/work");
        }
        catch (ValidationException e)
        {
            Errors = e.Errors;
        }
        catch (ConflictException e)
        {
            Errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = [e.Message] };
        }

        return Page();
    }
}
