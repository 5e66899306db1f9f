using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core;
using Verity.Data;
using Verity.Security;
using Verity.Workforce;

namespace Verity.Infrastructure;

/// <summary>Cookies for people in the browser, bearer tokens for automation; one principal shape for both.</summary>
internal static class Auth
{
    public const string Bearer = "Bearer";
    private const string Either = "CookieOrBearer";
    private const string SessionClaim = "sid";

    public static IServiceCollection AddVerityAuth(this IServiceCollection services)
    {
        services.AddAuthentication(Either)
            .AddPolicyScheme(Either, "Cookie or bearer token", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? Bearer
                        : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.Cookie.Name = "verity";
                options.Cookie.HttpOnly = true;
                // Strict keeps the cookie off cross-site requests; another port of the same host is the same site, so the
                // API also checks where a cookie request comes from (CrossSiteGuard).
                options.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over TLS (directly or, with a configured proxy, as the proxy says).
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = ValidateSessionAsync;
                options.Events.OnRedirectToLogin = StatusOrSignIn;
                // A refusal is a 403 everywhere: the browser gets the error page (ErrorPages), the API a problem document.
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(Bearer, null);
        return services;
    }

    /// <summary>A signed-in user: a browser session (with <paramref name="sessionId"/>) or a token (with its scopes).</summary>
    public static ClaimsPrincipal Principal(User user, string scheme, Guid? sessionId = null, IEnumerable<string>? scopes = null)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Role, user.Role),
        ];
        if (sessionId is { } id)
            claims.Add(new Claim(SessionClaim, id.ToString()));
        // A browser session may do everything its role allows; a token only what its scopes also allow.
        claims.AddRange((scopes ?? Scopes.DefaultFor(user.Role)).Intersect(Scopes.ForRole(user.Role), StringComparer.Ordinal).Select(s => new Claim(Scopes.Claim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The endpoint must require an authenticated user."));

    public static string Role(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.Role) ?? throw new InvalidOperationException("The endpoint must require an authenticated user.");

    /// <summary>The browser session of a cookie principal; null for a token.</summary>
    public static Guid? SessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionClaim), out var id) ? id : null;

    /// <summary>True when the request was authenticated by the browser cookie (not a bearer token).</summary>
    public static bool ByCookie(this ClaimsPrincipal principal) =>
        principal.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme };

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<Sessions>();
        if (context.Principal?.SessionId() is { } id && await sessions.IsLiveAsync(id, context.HttpContext.RequestAborted))
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    // Programs (API clients, the Prometheus scraper) get the status; people in a browser get the sign-in page.
    private static Task StatusOrSignIn(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal))
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Accepts a token that is known, not revoked, not expired, of a user not disabled; records its last use (to the
/// minute, so reads stay reads) and refusals in the audit log.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, VerityDbContext db, TimeProvider clock, AuditLog audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();

        var hash = ApiTokens.Hash(header["Bearer ".Length..].Trim());
        var found = await db.ApiTokens.Where(t => t.TokenHash == hash)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u })
            .FirstOrDefaultAsync(Context.RequestAborted);
        var now = clock.GetUtcNow().UtcDateTime;
        var refusal = found switch
        {
            null => "Unknown API token.",
            { Token.RevokedAt: not null } => "The API token was revoked.",
            { Token.ExpiresAt: { } expires } when expires <= now => "The API token has expired.",
            { User.DisabledAt: not null } => "The user is disabled.",
            _ => null,
        };
        if (refusal is not null)
        {
            if (found is not null)
                await audit.RecordAsync(AuditKinds.TokenRefused, found.User.Id, found.User.Name, null, found.Token.Id.ToString(), refusal, Context.RequestAborted);
            return AuthenticateResult.Fail(refusal);
        }

        if (found!.Token.LastUsedAt is not { } last || now - last >= TimeSpan.FromMinutes(1))
        {
            found.Token.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }

        db.ChangeTracker.Clear();
        var scopes = found.Token.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return AuthenticateResult.Success(new AuthenticationTicket(Auth.Principal(found.User, Scheme.Name, scopes: scopes), Scheme.Name));
    }
}

/// <summary>
/// Cross-site request forgery on the API: a page on another origin (another port of the same host is the same site,
/// so SameSite cookies do not stop it) can make the browser send the cookie with a simple POST or a no-cors fetch.
/// An API request authenticated by the cookie must therefore come from Verity's own origin when the browser says
/// where it comes from, and a write must carry the antiforgery token. Bearer tokens are not sent by browsers on
/// their own, so token requests are not checked.
/// </summary>
internal static class CrossSiteGuard
{
    public static async Task CheckAsync(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && context.User.ByCookie())
        {
            var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
            var write = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method));
            var refusal = site is not ("" or "same-origin" or "none")
                ? $"The request came from another origin ({site}); the API takes browser cookies only from Verity's own pages."
                : write && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)
                    ? "An API write authenticated by the browser cookie needs the antiforgery token (header RequestVerificationToken); automation uses a bearer token."
                    : null;
            if (refusal is not null)
            {
                await context.RequestServices.GetRequiredService<AuditLog>().RecordAsync(
                    AuditKinds.CrossSiteRefused, subject: $"{context.Request.Method} {context.Request.Path}", detail: refusal, cancellationToken: context.RequestAborted);
                throw new ForbiddenException(refusal);
            }
        }

        await next();
    }
}
