using Microsoft.EntityFrameworkCore;
using Verity.Core.Workforce;
using Verity.Data;

namespace Verity.Workforce;

/// <summary>One person's attempt at one assessment, as operators see it (the score included).</summary>
public sealed record AttemptSummary(Guid ProjectId, string Assessment, string Track, DateTime StartedAt, double? Score, bool? Passed, DateTime? ResetAt, string? ResetReason);

/// <summary>A person as the operator's people page and API list them.</summary>
/// <param name="GoldAccuracy">Mean gold score of their answers on work projects; null before any.</param>
public sealed record PersonView(
    Guid Id, string Name, string Role, string Pseudonym, string Status, DateTime CreatedAt, DateTime? DisabledAt,
    IReadOnlyList<string> AppliedTracks, IReadOnlyList<TrackTier> Qualifications, int Annotations, double? GoldAccuracy);

/// <summary>Everything an operator sees about one person: their listing, what they wrote when applying, attempts and history.</summary>
public sealed record PersonDetail(PersonView Person, string? Background, IReadOnlyList<AttemptSummary> Attempts, IReadOnlyList<TierChangeView> History);

/// <summary>The operator's view of people: search, qualifications, tiers and quality.</summary>
public sealed class PeopleService(VerityDbContext db)
{
    /// <summary>People whose name or pseudonym contains <paramref name="search"/> (all when empty), by name; at most 500.</summary>
    public async Task<IReadOnlyList<PersonView>> ListAsync(string? search, CancellationToken cancellationToken = default)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
#pragma warning disable CA1862 // EF translates ToLower().Contains to SQL on both databases; the StringComparison overload does not translate.
            query = query.Where(u => u.Name.ToLower().Contains(term) || u.Pseudonym.ToLower().Contains(term));
#pragma warning restore CA1862
        }

        return await ViewsAsync(await query.OrderBy(u => u.Name).Take(500).ToListAsync(cancellationToken), cancellationToken);
    }

    private async Task<IReadOnlyList<PersonView>> ViewsAsync(List<User> users, CancellationToken cancellationToken)
    {
        var ids = users.Select(u => u.Id).ToList();
        var qualifications = (await db.Qualifications.AsNoTracking().Where(q => ids.Contains(q.UserId)).ToListAsync(cancellationToken)).ToLookup(q => q.UserId);
        var work = db.Projects.Where(p => p.Purpose == Purposes.Work).Select(p => p.Id);
        var quality = (await db.LatestAnnotations.AsNoTracking()
            .Where(a => ids.Contains(a.AnnotatorId) && work.Contains(a.ProjectId))
            .GroupBy(a => a.AnnotatorId)
            .Select(g => new { g.Key, Count = g.Count(), Gold = g.Average(a => a.GoldScore) })
            .ToListAsync(cancellationToken)).ToDictionary(x => x.Key);
        return users.Select(u =>
        {
            var tiers = qualifications[u.Id].Select(q => new TrackTier(q.TrackId, q.Tier)).OrderBy(q => q.TrackId, StringComparer.Ordinal).ToList();
            var measured = quality.GetValueOrDefault(u.Id);
            return new PersonView(
                u.Id, u.Name, u.Role, u.Pseudonym,
                u.Role != Roles.Annotator ? MeService.Staff : tiers.Count == 0 ? MeService.Applicant : MeService.Admitted,
                u.CreatedAt, u.DisabledAt, AccessSettings.Parse(u.AppliedTracks), tiers, measured?.Count ?? 0, measured?.Gold);
        }).ToList();
    }

    public async Task<PersonDetail> DetailAsync(User user, CancellationToken cancellationToken = default)
    {
        var person = (await ViewsAsync([user], cancellationToken))[0];
        var attempts = await db.AssessmentAttempts.AsNoTracking().Where(a => a.UserId == user.Id)
            .Join(db.Projects, a => a.ProjectId, p => p.Id, (a, p) => new AttemptSummary(p.Id, p.Name, p.AssessmentTrackId!, a.StartedAt, a.Score, a.Passed, a.ResetAt, a.ResetReason))
            .ToListAsync(cancellationToken);
        var history = await db.TierChanges.AsNoTracking().Where(c => c.UserId == user.Id).OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Select(c => new TierChangeView(c.TrackId, c.FromTier, c.ToTier, c.Reason, c.At, c.ByUserId != null))
            .ToListAsync(cancellationToken);
        return new PersonDetail(person, user.Background, [.. attempts.OrderBy(a => a.StartedAt)], history);
    }
}
