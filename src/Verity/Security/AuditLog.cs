using System.Security.Claims;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Security;

/// <summary>The names of audited events, so the log and its readers agree on them.</summary>
public static class AuditKinds
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in.failed";
    public const string SignInThrottled = "sign-in.throttled";
    public const string SignOut = "sign-out";
    public const string TokenIssued = "token.issued";
    public const string TokenRevoked = "token.revoked";
    public const string TokenRotated = "token.rotated";
    public const string TokenRefused = "token.refused";
    public const string UserCreated = "user.created";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string PasswordChanged = "user.password-changed";
    public const string RoleChanged = "user.role-changed";
    public const string ProjectCreated = "project.created";
    public const string GuidelinesRevised = "project.guidelines-revised";
    public const string Imported = "project.imported";
    public const string ProjectChanged = "project.changed";
    public const string Exported = "project.exported";
    public const string Quarantined = "annotator.quarantined";
    public const string Restored = "annotator.restored";
    public const string CrossSiteRefused = "request.cross-site-refused";
    public const string SignedUp = "user.signed-up";
    public const string TrackChanged = "track.changed";
    public const string AssessmentReset = "assessment.reset";
    public const string TierChanged = "user.tier-changed";
    public const string LedgerEntry = "ledger.entry";
    public const string PayoutRecorded = "payout.recorded";
    public const string ReviewerAssigned = "project.reviewer-assigned";
    public const string ReviewerRemoved = "project.reviewer-removed";
}

/// <summary>
/// Writes audit events. Each event is saved on its own, after the change it records, so a failed change leaves no
/// event and an event is never lost with a later failure. The table refuses updates and deletes.
/// </summary>
public sealed class AuditLog(VerityDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    /// <summary>Records an event by the current request's user (or the command line when there is no request).</summary>
    public Task RecordAsync(string kind, Guid? projectId = null, string? subject = null, string? detail = null, CancellationToken cancellationToken = default)
    {
        var user = http.HttpContext?.User;
        var signedIn = user?.Identity?.IsAuthenticated == true;
        return RecordAsync(kind, signedIn ? user!.UserId() : null, signedIn ? user!.FindFirstValue(ClaimTypes.Name) : null, projectId, subject, detail, cancellationToken);
    }

    /// <summary>Records a project's settings changes (one event, a line per setting), or nothing when none changed.</summary>
    public Task RecordChangesAsync(Guid projectId, IReadOnlyList<string> changes, CancellationToken cancellationToken = default) =>
        changes.Count == 0 ? Task.CompletedTask : RecordAsync(AuditKinds.ProjectChanged, projectId, detail: string.Join("\n", changes), cancellationToken: cancellationToken);

    /// <summary>Records an event by a named actor (a sign-in attempt, where no user is signed in yet).</summary>
    public async Task RecordAsync(string kind, Guid? actorId, string? actorName, Guid? projectId, string? subject, string? detail, CancellationToken cancellationToken = default)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            Id = Guid.CreateVersion7(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Kind = kind,
            ActorId = actorId,
            ActorName = Clip(actorName, 100),
            ProjectId = projectId,
            Subject = Clip(subject, 200),
            Detail = detail,
            Address = http.HttpContext is { } context ? Clip(context.Connection.RemoteIpAddress?.ToString(), 64) : "command line",
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
