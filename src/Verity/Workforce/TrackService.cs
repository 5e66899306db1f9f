using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;
using Verity.Security;

namespace Verity.Workforce;

/// <summary>A track as the API shows it.</summary>
public sealed record TrackView(string Id, string Name, decimal HourlyRate, string Currency, int Position);

/// <summary>A new track, or new values for one; omitted fields of a change stay as they are.</summary>
public sealed record TrackRequest(string? Id = null, string? Name = null, decimal? HourlyRate = null, string? Currency = null, int? Position = null);

/// <summary>The operator's list of tracks and their starting hourly rates; every change is audited.</summary>
public sealed class TrackService(VerityDbContext db, AuditLog audit)
{
    public async Task<IReadOnlyList<TrackView>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.Tracks.AsNoTracking().OrderBy(t => t.Position).ThenBy(t => t.Id)
            .Select(t => new TrackView(t.Id, t.Name, t.HourlyRate, t.Currency, t.Position)).ToListAsync(cancellationToken);

    public async Task<TrackView> AddAsync(TrackRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ErrorList();
        if (request.Id is null || !IsSlug(request.Id))
            errors.Add("id", "is required: 1–40 lowercase letters, digits and dashes, such as \"legal-writing\".");
        if (request.Name is null)
            errors.Add("name", "is required.");
        if (request.HourlyRate is null)
            errors.Add("hourlyRate", "is required.");
        Check(request, errors);
        if (!errors.IsEmpty || await db.Tracks.AnyAsync(t => t.Id == request.Id, cancellationToken))
        {
            errors.ThrowIfAny();
            throw new ConflictException($"A track \"{request.Id}\" already exists.");
        }

        var track = new Track
        {
            Id = request.Id!,
            Name = request.Name!.Trim(),
            HourlyRate = request.HourlyRate!.Value,
            Currency = request.Currency ?? "USD",
            Position = request.Position ?? (await db.Tracks.MaxAsync(t => (int?)t.Position, cancellationToken) ?? 0) + 1,
        };
        db.Tracks.Add(track);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditKinds.TrackChanged, subject: track.Id, detail: string.Create(CultureInfo.InvariantCulture, $"added at {track.HourlyRate} {track.Currency}"), cancellationToken: cancellationToken);
        return View(track);
    }

    /// <summary>Renames, re-rates or moves a track. A new rate applies from now on; what was earned stays as it was.</summary>
    public async Task<TrackView> ChangeAsync(string id, TrackRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ErrorList();
        Check(request, errors);
        errors.ThrowIfAny();
        var track = await db.Tracks.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new NotFoundException($"No track \"{id}\".");
        track.Name = request.Name?.Trim() ?? track.Name;
        track.HourlyRate = request.HourlyRate ?? track.HourlyRate;
        track.Currency = request.Currency ?? track.Currency;
        track.Position = request.Position ?? track.Position;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditKinds.TrackChanged, subject: track.Id, detail: Describe(View(track)), cancellationToken: cancellationToken);
        return View(track);
    }

    /// <summary>Removes a track nobody is qualified in and nothing refers to; otherwise a conflict saying why.</summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        var track = await db.Tracks.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new NotFoundException($"No track \"{id}\".");
        if (id == TrackIds.General)
            throw new ConflictException("The General track cannot be removed: the Starter Assessment admits people to it.");
        var accessTracks = await db.Projects.Select(p => p.AccessTracks).ToListAsync(cancellationToken);
        if (await db.Qualifications.AnyAsync(q => q.TrackId == id, cancellationToken)
            || await db.TierChanges.AnyAsync(c => c.TrackId == id, cancellationToken)
            || await db.Projects.AnyAsync(p => p.AssessmentTrackId == id, cancellationToken)
            || accessTracks.Any(a => Core.Workforce.AccessSettings.Parse(a).Contains(id, StringComparer.Ordinal)))
            throw new ConflictException($"The track \"{id}\" is in use (qualifications, history or projects); change its rate or name instead.");
        db.Tracks.Remove(track);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditKinds.TrackChanged, subject: id, detail: "removed", cancellationToken: cancellationToken);
    }

    /// <summary>A track's name and rate, as the audit log and the CLI write them.</summary>
    public static string Describe(TrackView track) => string.Create(CultureInfo.InvariantCulture, $"{track.Name} at {track.HourlyRate} {track.Currency}");

    private static void Check(TrackRequest request, ErrorList errors)
    {
        if (request.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 100))
            errors.Add("name", "must be 1–100 characters.");
        else if (request.Name is not null && TextRules.Unsafe(request.Name) is { } unsafeName)
            errors.Add("name", unsafeName);
        if (request.HourlyRate is { } rate && (rate <= 0 || rate > 10_000 || decimal.Round(rate, 2) != rate))
            errors.Add("hourlyRate", "must be above 0 and at most 10,000, in cents at most (e.g. 42.50).");
        if (request.Currency is { } currency && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
            errors.Add("currency", "must be a three-letter ISO 4217 code such as USD.");
        if (request.Position is < 0 or > 10_000)
            errors.Add("position", "must be between 0 and 10,000.");
    }

    private static bool IsSlug(string id) =>
        id.Length is >= 1 and <= 40 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static TrackView View(Track t) => new(t.Id, t.Name, t.HourlyRate, t.Currency, t.Position);
}
