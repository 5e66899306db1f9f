using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;

namespace Verity.Workforce;

/// <summary>Creating people, checking their passwords, issuing their API tokens.</summary>
public sealed class UserService(VerityDbContext db, TimeProvider clock)
{
    private static readonly PasswordHasher<User> Hasher = new();

    public async Task<User> AddAsync(string name, string role, string? password, CancellationToken cancellationToken = default)
    {
        var errors = new ErrorList();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            errors.Add("name", "is required, at most 100 characters.");
        if (!Roles.All.Contains(role, StringComparer.Ordinal))
            errors.Add("role", $"must be one of: {string.Join(", ", Roles.All)}.");
        if (password is { Length: < 8 })
            errors.Add("password", "must be at least 8 characters.");
        errors.ThrowIfAny();
        if (await db.Users.AnyAsync(u => u.Name == name, cancellationToken))
            throw new ConflictException($"A user named \"{name}\" already exists.");

        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Role = role,
            Pseudonym = $"{role[..3]}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}",
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        if (password is not null)
            user.PasswordHash = Hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>Returns the new token; it is shown once and only its hash is kept.</summary>
    public async Task<string> IssueTokenAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var token = ApiTokens.New();
        db.ApiTokens.Add(new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            TokenHash = ApiTokens.Hash(token),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    public async Task<User?> SignInAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == name, cancellationToken);
        if (user?.PasswordHash is null)
            return null;
        return Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? null : user;
    }
}
