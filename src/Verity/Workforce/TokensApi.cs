using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Workforce;

/// <summary>A token request as the API takes it.</summary>
public sealed record TokenRequest(string? Name, IReadOnlyList<string>? Scopes, int? ExpiresInDays);

/// <summary>The caller's own API tokens: list, issue, revoke, rotate. Admins manage anyone's under /users.</summary>
internal static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Tokens").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", ListAsync)
            .WithName("ListTokens")
            .WithSummary("The caller's API tokens: name, scopes, expiry, last use, revocation; never the secret.");
        group.MapPost("/", IssueAsync)
            .WithName("IssueToken")
            .WithSummary("Issue an API token for the caller (name; scopes among annotate, review, projects, export, admin as the role allows, "
                + "default all of them; expiresInDays, default none). The secret is in the response once. A token may not issue one with more scopes than itself.");
        group.MapDelete("/{tokenId:guid}", RevokeAsync)
            .WithName("RevokeToken")
            .WithSummary("Revoke one of the caller's tokens; it stops working at once.");
        group.MapPost("/{tokenId:guid}/rotate", RotateAsync)
            .WithName("RotateToken")
            .WithSummary("Revoke one of the caller's tokens and issue its replacement with the same name, scopes and lifetime.");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<TokenView>>> ListAsync(ClaimsPrincipal user, TokenService tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tokens.ListAsync(user.UserId(), cancellationToken));

    private static async Task<Created<IssuedToken>> IssueAsync(
        TokenRequest request, ClaimsPrincipal user, TokenService tokens, AuditLog audit, CancellationToken cancellationToken)
    {
        var issued = await tokens.IssueAsync(user.UserId(), user.Role(), new NewToken(request.Name ?? "", request.Scopes, request.ExpiresInDays), CallerScopes(user), cancellationToken);
        await audit.RecordAsync(AuditKinds.TokenIssued, subject: issued.Token.Id.ToString(), detail: string.Join(' ', issued.Token.Scopes), cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/v1/tokens/{issued.Token.Id}", issued);
    }

    private static async Task<Ok<TokenView>> RevokeAsync(Guid tokenId, ClaimsPrincipal user, TokenService tokens, AuditLog audit, CancellationToken cancellationToken)
    {
        var revoked = await tokens.RevokeAsync(await tokens.FindAsync(user.UserId(), tokenId, cancellationToken), cancellationToken);
        await audit.RecordAsync(AuditKinds.TokenRevoked, subject: tokenId.ToString(), cancellationToken: cancellationToken);
        return TypedResults.Ok(revoked);
    }

    private static async Task<Created<IssuedToken>> RotateAsync(Guid tokenId, ClaimsPrincipal user, TokenService tokens, AuditLog audit, CancellationToken cancellationToken)
    {
        var token = await tokens.FindAsync(user.UserId(), tokenId, cancellationToken);
        if (CallerScopes(user) is { } allowed && token.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => !allowed.Contains(s)))
            throw new Core.ForbiddenException("A token may not rotate a token with scopes it does not have itself.");
        var issued = await tokens.RotateAsync(token, user.Role(), cancellationToken);
        await audit.RecordAsync(AuditKinds.TokenRotated, subject: tokenId.ToString(), detail: $"replaced by {issued.Token.Id}", cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/v1/tokens/{issued.Token.Id}", issued);
    }

    /// <summary>A token's own scopes bound what it may issue; a browser session is bound only by the role.</summary>
    private static HashSet<string>? CallerScopes(ClaimsPrincipal user) =>
        user.ByCookie() ? null : user.FindAll(Scopes.Claim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}
