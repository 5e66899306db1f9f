using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;

namespace Verity.Workforce;

/// <summary>A request for a token: a name, the scopes (null: every scope of the role) and a lifetime (null: no expiry).</summary>
public sealed record NewToken(string Name, IReadOnlyList<string>? Scopes, int? ExpiresInDays);

/// <summary>A token as listed: never the token itself, which is shown once when issued.</summary>
public sealed record TokenView(Guid Id, string Name, IReadOnlyList<string> Scopes, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>A token just issued: its listing and, once, its secret.</summary>
public sealed record IssuedToken(TokenView Token, string Secret);

/// <summary>Issuing, listing, revoking and rotating API tokens.</summary>
public sealed class TokenService(VerityDbContext db, TimeProvider clock)
{
    public const int MaxDays = 3650;

    /// <summary>Issues a token of <paramref name="userId"/>; scopes outside the role, or outside <paramref name="allowed"/>, are refused.</summary>
    /// <param name="allowed">When a token issues another, the new one may not exceed the caller's scopes.</param>
    public async Task<IssuedToken> IssueAsync(
        Guid userId, string role, NewToken request, IReadOnlyCollection<string>? allowed = null, CancellationToken cancellationToken = default)
    {
        var permitted = Scopes.ForRole(role).Where(s => allowed is null || allowed.Contains(s, StringComparer.Ordinal)).ToList();
        var errors = new ErrorList();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
            errors.Add("name", "is required, at most 100 characters.");
        else if (TextRules.Unsafe(request.Name) is { } problem)
            errors.Add("name", problem);
        var scopes = request.Scopes ?? [.. Scopes.DefaultFor(role).Where(permitted.Contains)];
        if (scopes.Count == 0)
            errors.Add("scopes", "must name at least one scope.");
        foreach (var scope in scopes.Where(s => !permitted.Contains(s, StringComparer.Ordinal)))
            errors.Add("scopes", $"\"{scope}\" is not allowed here; allowed: {string.Join(", ", permitted)}.");
        if (request.ExpiresInDays is < 1 or > MaxDays)
            errors.Add("expiresInDays", $"must be between 1 and {MaxDays}.");
        errors.ThrowIfAny();

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = ApiTokens.New();
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            TokenHash = ApiTokens.Hash(secret),
            CreatedAt = now,
            Name = request.Name,
            Scopes = string.Join(' ', scopes.Distinct(StringComparer.Ordinal)),
            ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedToken(View(token), secret);
    }

    public async Task<IReadOnlyList<TokenView>> ListAsync(Guid userId, CancellationToken cancellationToken = default) =>
        (await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderBy(t => t.Id).ToListAsync(cancellationToken)).Select(View).ToList();

    /// <summary>The user's token; another user's token is not found, so ids do not leak.</summary>
    public async Task<ApiToken> FindAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken = default) =>
        await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, cancellationToken)
            ?? throw new NotFoundException($"Token {tokenId} does not exist or is not yours.");

    /// <summary>Revokes the token at once; revoking twice keeps the first time.</summary>
    public async Task<TokenView> RevokeAsync(ApiToken token, CancellationToken cancellationToken = default)
    {
        token.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return View(token);
    }

    /// <summary>Revokes the token and issues a new one with the same name, scopes and lifetime.</summary>
    public async Task<IssuedToken> RotateAsync(ApiToken token, string role, CancellationToken cancellationToken = default)
    {
        if (token.RevokedAt is not null)
            throw new ConflictException($"Token {token.Id} is revoked; issue a new one.");
        int? days = token.ExpiresAt is { } expires ? Math.Max(1, (int)Math.Round((expires - token.CreatedAt).TotalDays)) : null;
        await RevokeAsync(token, cancellationToken);
        return await IssueAsync(token.UserId, role, new NewToken(token.Name, token.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), days), cancellationToken: cancellationToken);
    }

    private static TokenView View(ApiToken t) =>
        new(t.Id, t.Name, t.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}
