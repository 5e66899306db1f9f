using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core;
using Verity.Data;

namespace Verity.Workforce;

/// <summary>
/// A person's qualifications. Every change of one (qualifying, a tier up or down, losing the track) goes through
/// <see cref="ChangeTierAsync"/>, which writes the <see cref="TierChange"/> that explains it in the same save.
/// </summary>
public sealed class TierService(VerityDbContext db, TimeProvider clock, IOptions<WorkforceOptions> options)
{
    /// <summary>
    /// Sets the person's tier in the track (null: they lose the track) and records why; nothing happens, and null is
    /// returned, when the tier is already that. <paramref name="byUserId"/> is who decided, null for an automatic change.
    /// Saves the context: call it inside the caller's transaction when other writes must go with it.
    /// </summary>
    public async Task<TierChange?> ChangeTierAsync(Guid userId, string trackId, int? toTier, string reason, Guid? byUserId, CancellationToken cancellationToken = default)
    {
        var tiers = options.Value.Multipliers.Count;
        var errors = new ErrorList();
        if (toTier is { } t && (t < 1 || t > tiers))
            errors.Add("tier", $"must be between 1 and {tiers}.");
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
            errors.Add("reason", "is required, at most 500 characters.");
        else if (TextRules.Unsafe(reason) is { } unsafeReason)
            errors.Add("reason", unsafeReason);
        errors.ThrowIfAny();
        if (!await db.Tracks.AnyAsync(x => x.Id == trackId, cancellationToken))
            throw ValidationException.For("track", $"No track \"{trackId}\".");

        var now = clock.GetUtcNow().UtcDateTime;
        var qualification = await db.Qualifications.FirstOrDefaultAsync(q => q.UserId == userId && q.TrackId == trackId, cancellationToken);
        if (qualification?.Tier == toTier)
            return null;

        var change = new TierChange
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            TrackId = trackId,
            FromTier = qualification?.Tier,
            ToTier = toTier,
            Reason = reason,
            At = now,
            ByUserId = byUserId,
        };
        if (toTier is null)
            db.Qualifications.Remove(qualification!);
        else if (qualification is null)
            db.Qualifications.Add(new Qualification { UserId = userId, TrackId = trackId, Tier = toTier.Value, QualifiedAt = now });
        else
            qualification.Tier = toTier.Value;
        db.TierChanges.Add(change);
        await db.SaveChangesAsync(cancellationToken);
        return change;
    }
}
