using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Workforce;
using Verity.Data;

namespace Verity.Workforce.Pay;

/// <summary>Time paid on one day (UTC) in one project and track.</summary>
public sealed record EarningsDay(DateOnly Day, Guid ProjectId, string Project, string? Track, int Tasks, decimal Hours, decimal Amount, string Currency);

/// <summary>An operator's adjustment or bonus, with the reason the person reads.</summary>
public sealed record EarningsExtra(DateOnly Day, string Kind, string? Project, decimal Amount, string Currency, string Reason, bool Paid);

/// <summary>A person's money in one currency: all earned, paid out, due at the next payout, and held by a quarantine.</summary>
public sealed record EarningsTotal(string Currency, decimal Hours, decimal Earned, decimal Paid, decimal Due, decimal Held);

/// <summary>What GET /api/v1/me/earnings returns.</summary>
public sealed record EarningsView(DateOnly? From, DateOnly? To, IReadOnlyList<EarningsDay> Days, IReadOnlyList<EarningsExtra> Extras, IReadOnlyList<EarningsTotal> Totals);

/// <summary>A person's earnings from the ledger, summed (never rounded again: each entry was rounded once when written).</summary>
public sealed class Earnings(VerityDbContext db, Payouts payouts)
{
    /// <summary>The person's earnings on the days from <paramref name="from"/> to <paramref name="to"/> (inclusive, UTC), all when null.</summary>
    public async Task<EarningsView> ForAsync(Guid userId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        if (from is { } f && to is { } t && t < f)
            throw ValidationException.For("to", "must be on or after from.");
        var start = from?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var entries = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.UserId == userId && (start == null || e.CreatedAt >= start) && (end == null || e.CreatedAt < end))
            .Select(e => new { Entry = e, Paid = db.PayoutEntries.Any(p => p.EntryId == e.Id) })
            .ToListAsync(cancellationToken);
        var projectIds = entries.Where(e => e.Entry.ProjectId != null).Select(e => e.Entry.ProjectId!.Value).Distinct().ToList();
        var projects = await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var held = await payouts.QuarantinedAsync(cancellationToken);

        var days = entries.Where(e => e.Entry.Kind == LedgerKinds.Time)
            .GroupBy(e => (Day: DateOnly.FromDateTime(e.Entry.CreatedAt), Project: e.Entry.ProjectId!.Value, e.Entry.TrackId, e.Entry.Currency))
            .OrderByDescending(g => g.Key.Day).ThenBy(g => projects[g.Key.Project], StringComparer.Ordinal).ThenBy(g => g.Key.TrackId, StringComparer.Ordinal)
            .Select(g => new EarningsDay(g.Key.Day, g.Key.Project, projects[g.Key.Project], g.Key.TrackId, g.Count(),
                PayRules.Hours(g.Sum(e => (long)e.Entry.Seconds)), PayRules.Cents(g.Sum(e => e.Entry.Amount)), g.Key.Currency))
            .ToList();
        var extras = entries.Where(e => e.Entry.Kind != LedgerKinds.Time)
            .OrderByDescending(e => e.Entry.Id)
            .Select(e => new EarningsExtra(DateOnly.FromDateTime(e.Entry.CreatedAt), e.Entry.Kind,
                e.Entry.ProjectId is { } p ? projects[p] : null, PayRules.Cents(e.Entry.Amount), e.Entry.Currency, e.Entry.Reason ?? "", e.Paid))
            .ToList();
        var totals = entries.GroupBy(e => e.Entry.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new EarningsTotal(g.Key,
                PayRules.Hours(g.Sum(e => (long)e.Entry.Seconds)),
                PayRules.Cents(g.Sum(e => e.Entry.Amount)),
                PayRules.Cents(g.Where(e => e.Paid).Sum(e => e.Entry.Amount)),
                PayRules.Cents(g.Where(e => !e.Paid && !Payouts.Held(e.Entry, held)).Sum(e => e.Entry.Amount)),
                PayRules.Cents(g.Where(e => !e.Paid && Payouts.Held(e.Entry, held)).Sum(e => e.Entry.Amount))))
            .ToList();
        return new EarningsView(from, to, days, extras, totals);
    }
}
