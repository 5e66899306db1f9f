using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Workforce;

/// <summary>The body of POST /api/v1/signup.</summary>
public sealed record SignupRequest(string? Name, string? Password, IReadOnlyList<string>? Tracks, string? Background = null);

/// <summary>The applicant just created; they sign in with their name and password.</summary>
public sealed record ApplicantView(Guid Id, string Name, string Status, IReadOnlyList<string> Tracks);

/// <summary>
/// Public sign-up. Rate-limited per address like sign-in. It takes JSON only, which a cross-site form cannot send
/// without the browser asking first; the sign-up page is a form protected by the antiforgery token.
/// </summary>
internal static class SignupApi
{
    public static RouteGroupBuilder MapSignupApi(this RouteGroupBuilder api)
    {
        api.MapPost("/signup", SignUpAsync)
            .WithTags("Workforce")
            .WithName("SignUp")
            .WithSummary("Apply: name, password (at least 8 characters), tracks (ids), optional background. 201 with the applicant, "
                + "who signs in and takes the Starter Assessment.")
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(VerityApp.LoginLimit);
        return api;
    }

    private static async Task<Created<ApplicantView>> SignUpAsync(SignupRequest request, UserService users, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.SignUpAsync(request.Name, request.Password, request.Tracks, request.Background, cancellationToken);
        await audit.RecordAsync(AuditKinds.SignedUp, user.Id, user.Name, null, user.Name, user.AppliedTracks, cancellationToken);
        return TypedResults.Created($"/api/v1/me", new ApplicantView(user.Id, user.Name, MeService.Applicant, Core.Workforce.AccessSettings.Parse(user.AppliedTracks)));
    }
}
