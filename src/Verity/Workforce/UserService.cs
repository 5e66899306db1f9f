using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;

namespace Verity.Workforce;

/// <summary>A user as the admin API lists them; never the password hash.</summary>
public sealed record UserView(Guid Id, string Name, string Role, string Pseudonym, DateTime CreatedAt, DateTime? DisabledAt);

/// <summary>Creating people, checking their passwords, disabling them, issuing their API tokens.</summary>
public sealed class UserService(VerityDbContext db, TimeProvider clock, TierService tiers)
{
    private static readonly PasswordHasher<User> Hasher = new();

    // Verified against when the name is unknown, so a failure costs the same time whether or not the name exists.
    private static readonly string UnknownUserHash = Hasher.HashPassword(new User { Name = "", Role = "", Pseudonym = "" }, "no such user");

    /// <summary>
    /// An operator adds a person. An annotator added this way is qualified for General at the first tier, as every
    /// annotator was before tracks; people who sign up themselves start as applicants instead.
    /// </summary>
    public async Task<User> AddAsync(string name, string role, string? password, CancellationToken cancellationToken = default)
    {
        var user = await CreateAsync(name, role, password, cancellationToken);
        if (role == Roles.Annotator)
            await tiers.ChangeTierAsync(user.Id, TrackIds.General, 1, "Added by an operator.", null, cancellationToken);
        return user;
    }

    /// <summary>
    /// A person signs up: an applicant, that is an annotator qualified in no track, who applied for <paramref name="tracks"/>.
    /// They may take the Starter Assessment, and after it the assessments of the tracks they applied for.
    /// </summary>
    public async Task<User> SignUpAsync(string? name, string? password, IReadOnlyList<string>? tracks, string? background, CancellationToken cancellationToken = default)
    {
        var errors = new ErrorList();
        if (password is null)
            errors.Add("password", "is required, at least 8 characters.");
        if (tracks is not { Count: > 0 })
            errors.Add("tracks", "is required: the ids of the tracks you want to work in (GET /api/v1/tracks), at least one.");
        else if (tracks.Count > 20)
            errors.Add("tracks", "must name at most 20 tracks.");
        if (background is { Length: > 2000 })
            errors.Add("background", "must be at most 2,000 characters.");
        else if (background is not null && TextRules.Unsafe(background) is { } unsafeBackground)
            errors.Add("background", unsafeBackground);
        if (tracks is { Count: > 0 } wanted)
        {
            var known = await db.Tracks.Where(t => wanted.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
            if (wanted.Except(known, StringComparer.Ordinal).ToList() is [_, ..] unknown)
                errors.Add("tracks", $"no track {string.Join(", ", unknown.Select(t => $"\"{t}\""))}; GET /api/v1/tracks lists them.");
        }

        errors.ThrowIfAny();
        var user = await CreateAsync(name ?? "", Roles.Annotator, password, cancellationToken, user =>
        {
            user.AppliedTracks = Core.Workforce.AccessSettings.Store(tracks!);
            user.Background = string.IsNullOrWhiteSpace(background) ? null : background.Trim();
        });
        return user;
    }

    private async Task<User> CreateAsync(string name, string role, string? password, CancellationToken cancellationToken, Action<User>? fill = null)
    {
        var errors = new ErrorList();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            errors.Add("name", "is required, at most 100 characters.");
        else if (TextRules.Unsafe(name) is { } unsafeName)
            errors.Add("name", unsafeName);
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
        fill?.Invoke(user);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>Returns the new token, with every scope of the user's role and no expiry; it is shown once and only its hash is kept.</summary>
    public async Task<string> IssueTokenAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var role = await db.Users.Where(u => u.Id == userId).Select(u => u.Role).SingleAsync(cancellationToken);
        var issued = await new TokenService(db, clock).IssueAsync(userId, role, new NewToken("default", null, null), cancellationToken: cancellationToken);
        return issued.Secret;
    }

    public static UserView View(User u) => new(u.Id, u.Name, u.Role, u.Pseudonym, u.CreatedAt, u.DisabledAt);

    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Users.AsNoTracking().OrderBy(u => u.Name)
            .Select(u => new UserView(u.Id, u.Name, u.Role, u.Pseudonym, u.CreatedAt, u.DisabledAt))
            .ToListAsync(cancellationToken);

    public async Task<User> FindAsync(string nameOrId, CancellationToken cancellationToken = default) =>
        await (Guid.TryParse(nameOrId, out var id)
            ? db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken)
            : db.Users.FirstOrDefaultAsync(u => u.Name == nameOrId, cancellationToken))
        ?? throw new NotFoundException($"No user \"{nameOrId}\".");

    /// <summary>Disables the user and ends every session at once; their tokens stop working while disabled.</summary>
    public async Task DisableAsync(User user, CancellationToken cancellationToken = default)
    {
        user.DisabledAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await EndSessionsAsync(user.Id, cancellationToken);
    }

    public async Task EnableAsync(User user, CancellationToken cancellationToken = default)
    {
        user.DisabledAt = null;
        user.FailedSignIns = 0;
        user.SignInBlockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sets a new password and ends every session, so a stolen cookie dies with the old password.</summary>
    public async Task SetPasswordAsync(User user, string password, CancellationToken cancellationToken = default)
    {
        if (password.Length < 8)
            throw ValidationException.For("password", "must be at least 8 characters.");
        user.PasswordHash = Hasher.HashPassword(user, password);
        await db.SaveChangesAsync(cancellationToken);
        await EndSessionsAsync(user.Id, cancellationToken);
    }

    /// <summary>The named account (tracked, null if unknown) and whether the password matches; unknown names cost the same hash verification.</summary>
    public async Task<(User? Account, bool Matches)> CheckPasswordAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Name == name, cancellationToken);
        var result = Hasher.VerifyHashedPassword(user ?? new User { Name = "", Role = "", Pseudonym = "" }, user?.PasswordHash ?? UnknownUserHash, password);
        return (user, user?.PasswordHash is not null && result != PasswordVerificationResult.Failed);
    }

    private Task<int> EndSessionsAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Sessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
    }
}
