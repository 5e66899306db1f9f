using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core.Quality;
using Verity.Core.Workforce;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Quality;

namespace Verity.Workforce;

/// <summary>
/// Section "Workforce:Tiers": the bars of promotion and demotion (Verity.Core.Workforce.TierRules). Each list has one
/// bar per tier, as many as Workforce:TierMultipliers has elements; unset lists take the defaults below.
/// </summary>
public sealed class TierOptions
{
    /// <summary>Gold accuracy each tier needs; default 0.70, 0.80, 0.90.</summary>
    public IList<double> GoldAccuracy { get; } = [];

    /// <summary>Trust each tier needs; default 0.50, 0.65, 0.80.</summary>
    public IList<double> Trust { get; } = [];

    /// <summary>Self-consistency on repeats each tier needs; default 0.60, 0.75, 0.85.</summary>
    public IList<double> Consistency { get; } = [];

    /// <summary>Gold answers in the window below which no tier changes; default 10.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int MinGold { get; set; } = 10;

    /// <summary>Days of recent work the gold accuracy covers; default 30. Work before the person's last tier change never counts.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 365)]
    public int WindowDays { get; set; } = 30;

    /// <summary>The bars in effect.</summary>
    public TierBars Bars => new(
        GoldAccuracy.Count > 0 ? [.. GoldAccuracy] : [0.70, 0.80, 0.90],
        Trust.Count > 0 ? [.. Trust] : [0.50, 0.65, 0.80],
        Consistency.Count > 0 ? [.. Consistency] : [0.60, 0.75, 0.85],
        MinGold,
        WindowDays);

    /// <summary>Why the bars cannot be used with <paramref name="tiers"/> tiers, or null when they can.</summary>
    public string? Problem(int tiers)
    {
        var bars = Bars;
        foreach (var (name, list) in new[] { ("GoldAccuracy", bars.GoldAccuracy), ("Trust", bars.Trust), ("Consistency", bars.Consistency) })
        {
            if (list.Count != tiers)
                return $"Workforce:Tiers:{name} needs one bar per tier ({tiers}, as Workforce:TierMultipliers has).";
            if (list.Any(b => b is < 0 or > 1) || list.Zip(list.Skip(1)).Any(p => p.Second < p.First))
                return $"Workforce:Tiers:{name} must rise from tier to tier, each between 0 and 1.";
        }

        return null;
    }
}

/// <summary>
/// Moves people between tiers with their measured quality, after a project's measures are recomputed (the background
/// pass, Verity.Quality.QualityRefresher). For each track the project names, each qualified person who worked in it is
/// judged on their work in all of the track's projects (docs/pay.md): gold accuracy over the window, trust and
/// consistency as last measured there. Every change goes through <see cref="TierService.ChangeTierAsync"/> with its reason.
/// </summary>
public sealed class TierReview(VerityDbContext db, TierService tiers, SqliteWriteGate gate, TimeProvider clock, IOptions<TierOptions> options)
{
    public async Task ReviewAsync(Project project, CancellationToken cancellationToken = default)
    {
        var trackIds = AccessSettings.Parse(project.AccessTracks);
        if (project.Purpose != Purposes.Work || trackIds.Count == 0)
            return;
        var bars = options.Value.Bars;
        var now = clock.GetUtcNow().UtcDateTime;
        var workers = await db.Annotations.AsNoTracking().Where(a => a.ProjectId == project.Id).Select(a => a.AnnotatorId).Distinct().ToListAsync(cancellationToken);
        var qualifications = await db.Qualifications.AsNoTracking()
            .Where(q => workers.Contains(q.UserId) && trackIds.Contains(q.TrackId))
            .ToListAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().Where(p => p.Purpose == Purposes.Work).Select(p => new { p.Id, p.AccessTracks }).ToListAsync(cancellationToken);
        foreach (var qualification in qualifications)
        {
            var trackProjects = projects.Where(p => AccessSettings.Parse(p.AccessTracks).Contains(qualification.TrackId, StringComparer.Ordinal)).Select(p => p.Id).ToList();
            var lastChange = await db.TierChanges.AsNoTracking()
                .Where(c => c.UserId == qualification.UserId && c.TrackId == qualification.TrackId)
                .OrderByDescending(c => c.At).Select(c => (DateTime?)c.At).FirstOrDefaultAsync(cancellationToken);
            var windowStart = now.AddDays(-bars.WindowDays);
            var since = lastChange > windowStart ? lastChange.Value : windowStart;
            var work = await MeasureAsync(qualification.UserId, trackProjects, since, cancellationToken);
            var trackName = await db.Tracks.AsNoTracking().Where(t => t.Id == qualification.TrackId).Select(t => t.Name).SingleAsync(cancellationToken);
            if (TierRules.Decide(trackName, qualification.Tier, work, bars) is not { } decision)
                continue;
            using (await gate.EnterAsync(db, cancellationToken))
                await tiers.ChangeTierAsync(qualification.UserId, qualification.TrackId, decision.ToTier, decision.Reason, byUserId: null, cancellationToken);
        }
    }

    /// <summary>Gold accuracy (posterior mean, as standings compute it) since the window's start; trust and consistency as last measured, weighted by the answers and repeats they stand on.</summary>
    private async Task<TrackWork> MeasureAsync(Guid userId, List<Guid> projectIds, DateTime since, CancellationToken cancellationToken)
    {
        var gold = await db.LatestAnnotations.AsNoTracking()
            .Where(a => a.AnnotatorId == userId && projectIds.Contains(a.ProjectId) && a.GoldScore != null && a.CreatedAt >= since)
            .Select(a => a.GoldScore!.Value)
            .ToListAsync(cancellationToken);
        var reports = (await db.AnnotatorQuality.AsNoTracking()
                .Where(q => q.AnnotatorId == userId && projectIds.Contains(q.ProjectId))
                .Select(q => q.ReportJson)
                .ToListAsync(cancellationToken))
            .Select(json => JsonSerializer.Deserialize<AnnotatorReport>(json, Json.Options)!)
            .ToList();
        // Each project's trust weighs by the work it stands on, gold included.
        var measured = reports.Where(r => r.Labels + r.GoldSeen > 0).ToList();
        double? trust = measured.Count == 0 ? null : measured.Sum(r => r.Trust * (r.Labels + r.GoldSeen)) / measured.Sum(r => r.Labels + r.GoldSeen);
        var repeated = reports.Where(r => r.Consistency is not null && r.Repeats > 0).ToList();
        double? consistency = repeated.Count == 0 ? null : repeated.Sum(r => r.Consistency!.Value * r.Repeats) / repeated.Sum(r => r.Repeats);
        return new TrackWork(gold.Count, gold.Count == 0 ? null : GoldAccuracy.Estimate(gold).Mean, trust, consistency);
    }
}
