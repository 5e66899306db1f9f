using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Data;

namespace Verity.Security;

/// <summary>Section "Sessions".</summary>
public sealed class SessionLifetimeOptions
{
    /// <summary>A browser session unused this long ends.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10080)]
    public int IdleMinutes { get; set; } = 720;
}

/// <summary>
/// Server-side browser sessions. Every cookie request checks its session row, so sign-out, a password change and
/// disabling the user end access on the very next request, on every node sharing the database.
/// </summary>
public sealed class Sessions(VerityDbContext db, TimeProvider clock, IOptions<SessionLifetimeOptions> options)
{
    // Writing the last use on every request would make each page view a write; a minute's precision is enough.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public async Task<Guid> StartAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var session = new Session { Id = Guid.CreateVersion7(), UserId = userId, CreatedAt = now, LastSeenAt = now };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>Whether the session still gives access: not ended, not idle too long, its user not disabled.</summary>
    public async Task<bool> IsLiveAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var idleSince = now.AddMinutes(-options.Value.IdleMinutes);
        var session = await db.Sessions
            .Where(s => s.Id == sessionId && s.EndedAt == null && s.LastSeenAt > idleSince)
            .Where(s => db.Users.Any(u => u.Id == s.UserId && u.DisabledAt == null))
            .FirstOrDefaultAsync(cancellationToken);
        if (session is null)
            return false;
        if (now - session.LastSeenAt >= TouchEvery)
        {
            session.LastSeenAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    public Task EndAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
    }
}
