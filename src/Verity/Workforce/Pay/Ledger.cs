using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core;
using Verity.Core.Workforce;
using Verity.Data;
using Verity.Security;

namespace Verity.Workforce.Pay;

/// <summary>The body of POST /api/v1/ledger: an operator's adjustment or bonus.</summary>
/// <param name="User">The person's name.</param>
/// <param name="Kind">adjustment or bonus.</param>
/// <param name="Amount">The money, in whole cents; negative takes back (an adjustment only).</param>
/// <param name="Reason">Why, as the person will read it.</param>
/// <param name="Currency">ISO 4217; the configured currency when omitted.</param>
/// <param name="ProjectId">The project it is about, if any.</param>
/// <param name="Corrects">The entry it corrects, if any: it must be the same person's.</param>
public sealed record LedgerRequest(string? User, string? Kind, decimal? Amount, string? Reason, string? Currency = null, Guid? ProjectId = null, Guid? Corrects = null);

/// <summary>One ledger entry as the API shows it.</summary>
public sealed record LedgerEntryView(
    Guid Id, string Kind, Guid? ProjectId, string? TrackId, Guid? AnnotationId, int Seconds, decimal? HourlyRate, decimal? Multiplier,
    decimal Amount, string Currency, string? Reason, Guid? Corrects, DateTime CreatedAt)
{
    public static LedgerEntryView Of(LedgerEntry e) =>
        new(e.Id, e.Kind, e.ProjectId, e.TrackId, e.AnnotationId, e.Seconds, e.HourlyRate, e.Multiplier, PayRules.Cents(e.Amount), e.Currency, e.Reason, e.CorrectsId, e.CreatedAt);
}

/// <summary>
/// The append-only ledger. Entries are only ever added: this class has no way to change or remove one, and the
/// database refuses both (migration 0017's triggers). A wrong entry is corrected by an adjustment that names it.
/// </summary>
public sealed class Ledger(VerityDbContext db, TimeProvider clock, IOptions<WorkforceOptions> workforce, IOptions<PayOptions> pay, AuditLog audit)
{
    /// <summary>
    /// Adds the time entry that pays a new annotation, to be saved with it (the submission's transaction): the active
    /// seconds at the rate of the track that pays (docs/pay.md), of those the person holds at the project's minimum
    /// tier or above. Assessments are not paid, nor is an annotation with no rate to pay it at.
    /// </summary>
    public async Task AddTimeAsync(Project project, Annotation annotation, CancellationToken cancellationToken = default)
    {
        if (project.Purpose != Purposes.Work || annotation.ActiveSeconds is not { } seconds)
            return;
        var held = await db.Qualifications.AsNoTracking()
            .Where(q => q.UserId == annotation.AnnotatorId && q.Tier >= project.MinTier)
            .Join(db.Tracks, q => q.TrackId, t => t.Id, (q, t) => new { q.TrackId, q.Tier, t.HourlyRate, t.Currency, t.Position })
            .ToListAsync(cancellationToken);
        var rate = PayRules.RateFor(
            [.. held.Select(h => new HeldTrack(h.TrackId, h.Tier, h.HourlyRate, h.Currency, h.Position))],
            AccessSettings.Parse(project.AccessTracks),
            project.HourlyRate,
            workforce.Value.Multipliers,
            pay.Value.Currency);
        if (rate is null)
            return;
        db.LedgerEntries.Add(new LedgerEntry
        {
            Id = Guid.CreateVersion7(),
            UserId = annotation.AnnotatorId,
            Kind = LedgerKinds.Time,
            ProjectId = project.Id,
            TrackId = rate.TrackId,
            AnnotationId = annotation.Id,
            Seconds = seconds,
            HourlyRate = rate.HourlyRate,
            Multiplier = rate.Multiplier,
            Amount = PayRules.Amount(seconds, rate.HourlyRate, rate.Multiplier),
            Currency = rate.Currency,
            CreatedAt = annotation.CreatedAt,
        });
    }

    /// <summary>Writes an operator's adjustment or bonus, with its reason.</summary>
    public async Task<LedgerEntry> AddAsync(LedgerRequest request, Guid byUserId, CancellationToken cancellationToken = default)
    {
        var errors = new ErrorList();
        if (request.Kind is not (LedgerKinds.Adjustment or LedgerKinds.Bonus))
            errors.Add("kind", $"must be {LedgerKinds.Adjustment} or {LedgerKinds.Bonus}; time entries are written by submissions.");
        if (request.Amount is not { } amount || amount == 0 || Math.Abs(amount) > 1_000_000m || decimal.Round(amount, 2) != amount)
            errors.Add("amount", "is required: a non-zero amount in whole cents, at most 1,000,000 either way.");
        else if (amount < 0 && request.Kind == LedgerKinds.Bonus)
            errors.Add("amount", "must be positive for a bonus; take money back with an adjustment.");
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
            errors.Add("reason", "is required (at most 500 characters): the person reads it on their earnings page.");
        else if (TextRules.Unsafe(request.Reason) is { } unsafeReason)
            errors.Add("reason", unsafeReason);
        var currency = request.Currency ?? pay.Value.Currency;
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            errors.Add("currency", "must be a three-letter ISO 4217 code such as USD.");
        var user = string.IsNullOrWhiteSpace(request.User) ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Name == request.User, cancellationToken);
        if (user is null)
            errors.Add("user", "must name an existing person.");
        if (request.ProjectId is { } projectId && !await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
            errors.Add("projectId", "must name an existing project.");
        if (request.Corrects is { } corrects && user is not null
            && !await db.LedgerEntries.AnyAsync(e => e.Id == corrects && e.UserId == user.Id, cancellationToken))
            errors.Add("corrects", "must name one of this person's ledger entries.");
        errors.ThrowIfAny();

        var entry = new LedgerEntry
        {
            Id = Guid.CreateVersion7(),
            UserId = user!.Id,
            Kind = request.Kind!,
            ProjectId = request.ProjectId,
            Amount = request.Amount!.Value,
            Currency = currency,
            Reason = request.Reason!.Trim(),
            CorrectsId = request.Corrects,
            ByUserId = byUserId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.LedgerEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(AuditKinds.LedgerEntry, entry.ProjectId, request.User, Describe(entry), cancellationToken);
        return entry;
    }

    /// <summary>An entry's kind and amount, as the audit log and the CLI write them.</summary>
    public static string Describe(LedgerEntry entry) => $"{entry.Kind} {entry.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {entry.Currency}";

    /// <summary>A person's entries, newest first.</summary>
    public async Task<IReadOnlyList<LedgerEntryView>> EntriesAsync(Guid userId, CancellationToken cancellationToken = default) =>
        (await db.LedgerEntries.AsNoTracking().Where(e => e.UserId == userId).OrderByDescending(e => e.Id).ToListAsync(cancellationToken))
            .Select(LedgerEntryView.Of).ToList();
}
