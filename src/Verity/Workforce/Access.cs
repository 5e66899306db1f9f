using Microsoft.EntityFrameworkCore;
using Verity.Core.Workforce;
using Verity.Data;

namespace Verity.Workforce;

/// <summary>A person as the access rules read them.</summary>
public sealed record Person(Guid Id, string Role, IReadOnlyList<TrackTier> Qualifications, IReadOnlyList<string> AppliedTracks);

/// <summary>
/// Who may see and work on a project. Only annotators are gated: staff (admins, requesters, reviewers) keep seeing
/// what their role lets them see. A work project needs one of its tracks at its minimum tier (any qualification when
/// it names none); an assessment is for people who may still qualify for its track (see <see cref="ProjectAccess"/>).
/// </summary>
public static class Access
{
    public static async Task<Person> PersonAsync(VerityDbContext db, Guid userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Role, u.AppliedTracks }).SingleAsync(cancellationToken);
        var qualifications = await db.Qualifications.AsNoTracking().Where(q => q.UserId == userId)
            .Select(q => new TrackTier(q.TrackId, q.Tier)).ToListAsync(cancellationToken);
        return new Person(userId, user.Role, qualifications, AccessSettings.Parse(user.AppliedTracks));
    }

    /// <summary>Why the person may not work on the project; null when they may.</summary>
    public static string? Refusal(Project project, Person person) =>
        person.Role != Roles.Annotator ? null
        : project.Purpose == Purposes.Assessment
            ? ProjectAccess.AssessmentRefusal(project.AssessmentTrackId!, TrackIds.General, person.Qualifications, person.AppliedTracks)
            : ProjectAccess.Refusal(AccessSettings.Parse(project.AccessTracks), project.MinTier, person.Qualifications);
}
