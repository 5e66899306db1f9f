using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Workforce;

/// <summary>A new password, set by an admin.</summary>
public sealed record PasswordRequest(string? Password);

/// <summary>People and their tokens, for admins: list, disable and enable, reset a password, list and revoke tokens.</summary>
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
        group.MapDelete("/{userId:guid}/tokens/{tokenId:guid}", RevokeAsync)
            .WithName("RevokeUserToken")
            .WithSummary("Revoke one of a user's tokens; it stops working at once (admin).");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<UserView>>> ListAsync(UserService users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ListAsync(cancellationToken));

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
