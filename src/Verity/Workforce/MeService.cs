using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core.Workforce;
using Verity.Data;

namespace Verity.Workforce;

/// <summary>A person's standing in one track: tier and the rate it pays (the track's rate times the tier's multiplier).</summary>
public sealed record TrackStanding(string Track, string Name, int Tier, decimal HourlyRate, decimal Multiplier, decimal Rate, string Currency, DateTime QualifiedAt);

/// <summary>One change of a person's standing, with its reason.</summary>
/// <param name="ByOperator">Whether an operator decided it (otherwise it was automatic: an assessment or the quality rules).</param>
public sealed record TierChangeView(string Track, int? FromTier, int? ToTier, string Reason, DateTime At, bool ByOperator);

/// <summary>GET /api/v1/me: who the caller is and where they stand.</summary>
/// <param name="Status">applicant (qualified in no track), admitted, or staff (not an annotator).</param>
public sealed record MeView(
    Guid Id, string Name, string Role, string Status, IReadOnlyList<string> AppliedTracks, IReadOnlyList<TrackStanding> Tracks, IReadOnlyList<TierChangeView> History);

/// <summary>A person's standing: their tracks, tiers, rates, and the history of changes with reasons.</summary>
public sealed class MeService(VerityDbContext db, IOptions<WorkforceOptions> options)
{
    public const string Applicant = "applicant";
    public const string Admitted = "admitted";
    public const string Staff = "staff";

    public async Task<MeView> ForAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var tracks = await db.Qualifications.AsNoTracking().Where(q => q.UserId == userId)
            .Join(db.Tracks, q => q.TrackId, t => t.Id, (q, t) => new { q, t })
            .ToListAsync(cancellationToken);
        var standings = tracks.OrderBy(x => x.t.Position).Select(x =>
        {
            var multiplier = options.Value.MultiplierOf(x.q.Tier);
            return new TrackStanding(x.t.Id, x.t.Name, x.q.Tier, x.t.HourlyRate, multiplier, decimal.Round(x.t.HourlyRate * multiplier, 2, MidpointRounding.AwayFromZero), x.t.Currency, x.q.QualifiedAt);
        }).ToList();
        var history = await db.TierChanges.AsNoTracking().Where(c => c.UserId == userId).OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Select(c => new TierChangeView(c.TrackId, c.FromTier, c.ToTier, c.Reason, c.At, c.ByUserId != null))
            .ToListAsync(cancellationToken);
        var status = user.Role != Roles.Annotator ? Staff : standings.Count == 0 ? Applicant : Admitted;
        return new MeView(user.Id, user.Name, user.Role, status, AccessSettings.Parse(user.AppliedTracks), standings, history);
    }
}
