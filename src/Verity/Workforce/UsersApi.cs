using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Workforce;

/// <summary>A new password, set by an admin.</summary>
public sealed record PasswordRequest(string? Password);

/// <summary>An operator's change of a person's tier in a track (null tier: the person loses the track), with the reason shown to them.</summary>
public sealed record TierRequest(int? Tier, string? Reason);

/// <summary>
/// People and their tokens, for admins: list and search, see qualifications and quality, disable and enable, reset a
/// password or an assessment attempt, change a tier, issue, list and revoke tokens.
/// </summary>
internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        group.MapGet("/", ListAsync)
            .WithName("ListUsers")
            .WithSummary("Every user: name, role, pseudonym, when created and disabled (admin).");
        group.MapPost("/{userId:guid}/disable", DisableAsync)
            .WithName("DisableUser")
            .WithSummary("Disable a user: their sessions end and their tokens stop working at once; nothing they did is removed (admin).");
        group.MapPost("/{userId:guid}/enable", EnableAsync)
            .WithName("EnableUser")
            .WithSummary("Enable a disabled user again; their unrevoked tokens work again, they sign in anew (admin).");
        group.MapPost("/{userId:guid}/password", PasswordAsync)
            .WithName("SetUserPassword")
            .WithSummary("Set a user's password (at least 8 characters); every session of theirs ends (admin).");
        group.MapGet("/{userId:guid}/tokens", TokensAsync)
            .WithName("ListUserTokens")
            .WithSummary("A user's API tokens, never their secrets (admin).");
        group.MapGet("/people", PeopleAsync)
            .WithName("ListPeople")
            .WithSummary("People with their status (applicant, admitted, staff), applied tracks, qualifications and tiers, and quality "
                + "(answers and mean gold score on work projects); q searches names and pseudonyms (admin).");
        group.MapGet("/{userId:guid}/profile", ProfileAsync)
            .WithName("PersonProfile")
            .WithSummary("One person: their listing, background, assessment attempts with scores, and tier history with reasons (admin).");
        group.MapPost("/{userId:guid}/assessment-reset", ResetAsync)
            .WithName("ResetAssessment")
            .WithSummary("Set a person's attempt at an assessment aside (projectId, reason), so they may start again; recorded in the audit log (admin).");
        group.MapPut("/{userId:guid}/tiers/{trackId}", TierAsync)
            .WithName("ChangeTier")
            .WithSummary("Set a person's tier in a track (tier null removes the track) with the reason they will see (admin).");
        group.MapPost("/{userId:guid}/tokens", IssueAsync)
            .WithName("IssueUserToken")
            .WithSummary("Issue an API token for a person, with every scope of their role; the secret is in the response once (admin).");
        group.MapDelete("/{userId:guid}/tokens/{tokenId:guid}", RevokeAsync)
            .WithName("RevokeUserToken")
            .WithSummary("Revoke one of a user's tokens; it stops working at once (admin).");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<UserView>>> ListAsync(UserService users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ListAsync(cancellationToken));

    private static async Task<Ok<IReadOnlyList<PersonView>>> PeopleAsync(string? q, PeopleService people, CancellationToken cancellationToken) =>
        TypedResults.Ok(await people.ListAsync(q, cancellationToken));

    private static async Task<Ok<PersonDetail>> ProfileAsync(Guid userId, UserService users, PeopleService people, CancellationToken cancellationToken) =>
        TypedResults.Ok(await people.DetailAsync(await users.FindAsync(userId.ToString(), cancellationToken), cancellationToken));

    private static async Task<NoContent> ResetAsync(
        Guid userId, ResetRequest request, ClaimsPrincipal caller, UserService users, AssessmentService assessments, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(userId.ToString(), cancellationToken);
        if (request.ProjectId is not { } projectId)
            throw Core.ValidationException.For("projectId", "is required: the assessment to reset.");
        var attempt = await assessments.ResetAsync(projectId, user.Id, request.Reason, caller.UserId(), cancellationToken);
        await audit.RecordAsync(AuditKinds.AssessmentReset, projectId, user.Name, attempt.ResetReason, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<PersonDetail>> TierAsync(
        Guid userId, string trackId, TierRequest request, ClaimsPrincipal caller, UserService users, TierService tiers, PeopleService people, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(userId.ToString(), cancellationToken);
        if (await tiers.ChangeTierAsync(user.Id, trackId, request.Tier, request.Reason ?? "", caller.UserId(), cancellationToken) is { } change)
            await audit.RecordAsync(AuditKinds.TierChanged, subject: user.Name, detail: $"{trackId}: {change.FromTier?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} -> {change.ToTier?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {change.Reason}", cancellationToken: cancellationToken);
        return TypedResults.Ok(await people.DetailAsync(user, cancellationToken));
    }

    private static async Task<Created<IssuedToken>> IssueAsync(Guid userId, TokenRequest request, UserService users, TokenService tokens, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(userId.ToString(), cancellationToken);
        var issued = await tokens.IssueAsync(user.Id, user.Role, new NewToken(request.Name ?? "issued by an operator", request.Scopes, request.ExpiresInDays), cancellationToken: cancellationToken);
        await audit.RecordAsync(AuditKinds.TokenIssued, subject: issued.Token.Id.ToString(), detail: $"for {user.Name}", cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/v1/users/{user.Id}/tokens/{issued.Token.Id}", issued);
    }

    private static async Task<Ok<UserView>> DisableAsync(Guid userId, UserService users, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(userId.ToString(), cancellationToken);
        await users.DisableAsync(user, cancellationToken);
        await audit.RecordAsync(AuditKinds.UserDisabled, subject: user.Name, cancellationToken: cancellationToken);
        return TypedResults.Ok(UserService.View(user));
    }

    private static async Task<Ok<UserView>> EnableAsync(Guid userId, UserService users, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(userId.ToString(), cancellationToken);
        await users.EnableAsync(user, cancellationToken);
        await audit.RecordAsync(AuditKinds.UserEnabled, subject: user.Name, cancellationToken: cancellationToken);
        return TypedResults.Ok(UserService.View(user));
    }

    private static async Task<NoContent> PasswordAsync(Guid userId, PasswordRequest request, UserService users, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(userId.ToString(), cancellationToken);
        await users.SetPasswordAsync(user, request.Password ?? "", cancellationToken);
        await audit.RecordAsync(AuditKinds.PasswordChanged, subject: user.Name, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<TokenView>>> TokensAsync(Guid userId, UserService users, TokenService tokens, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(userId.ToString(), cancellationToken);
        return TypedResults.Ok(await tokens.ListAsync(user.Id, cancellationToken));
    }

    private static async Task<Ok<TokenView>> RevokeAsync(Guid userId, Guid tokenId, TokenService tokens, AuditLog audit, CancellationToken cancellationToken)
    {
        var revoked = await tokens.RevokeAsync(await tokens.FindAsync(userId, tokenId, cancellationToken), cancellationToken);
        await audit.RecordAsync(AuditKinds.TokenRevoked, subject: tokenId.ToString(), cancellationToken: cancellationToken);
        return TypedResults.Ok(revoked);
    }
}
