using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Workforce;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Quality;
using Verity.Security;

namespace Verity.Workforce.Pay;

/// <summary>What one person is paid in one currency: their hours of time entries and the sum of all their entries.</summary>
public sealed record PayoutLine(string Person, decimal Hours, decimal Amount, string Currency, int Entries);

/// <summary>A payout, recorded or still to make, and what is held back from it.</summary>
/// <param name="Id">The recorded payout's id; null for one not made yet.</param>
/// <param name="From">The period's first day (UTC).</param>
/// <param name="To">The period's last day (UTC), inclusive.</param>
/// <param name="Lines">One per person and currency.</param>
/// <param name="Held">Unpaid entries left out because the person is quarantined in the entry's project, per person and currency.</param>
public sealed record PayoutView(Guid? Id, DateOnly From, DateOnly To, DateTime? PaidAt, IReadOnlyList<PayoutLine> Lines, IReadOnlyList<PayoutLine> Held)
{
    /// <summary>The lines as CSV (person, hours, amount, currency), amounts with two decimals and a dot.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("person,hours,amount,currency\n");
        foreach (var line in Lines)
            csv.Append(CultureInfo.InvariantCulture, $"{Field(line.Person)},{line.Hours:0.00},{line.Amount:0.00},{line.Currency}\n");
        return csv.ToString();
    }

    // Quoted when it holds a separator, and never read as a formula by a spreadsheet (a name is anyone's text).
    private static string Field(string text)
    {
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal))
            text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}

/// <summary>
/// The operator's payouts. A payout for a period pays every unpaid entry written on or before its last day, except
/// those held by a quarantine; so an entry written after a period was paid (a correction) lands in the next payout,
/// as does a held entry once the person is restored. Recording a payout lists its entries in payout_entries, whose
/// key is the entry: no entry is paid twice, and no period overlapping a recorded one can be paid.
/// </summary>
public sealed class Payouts(VerityDbContext db, SqliteWriteGate gate, TimeProvider clock, AuditLog audit)
{
    /// <summary>The payout recorded for exactly this period, or what paying it now would pay.</summary>
    public async Task<PayoutView> ShowAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        Check(from, to);
        var recorded = await db.Payouts.AsNoTracking().FirstOrDefaultAsync(p => p.PeriodStart == from && p.PeriodEnd == to, cancellationToken);
        if (recorded is not null)
        {
            var paid = await db.PayoutEntries.AsNoTracking().Where(p => p.PayoutId == recorded.Id)
                .Join(db.LedgerEntries, p => p.EntryId, e => e.Id, (p, e) => e).ToListAsync(cancellationToken);
            return new PayoutView(recorded.Id, from, to, recorded.CreatedAt, await LinesAsync(paid, cancellationToken), []);
        }

        var (due, held) = await DueAsync(to, cancellationToken);
        return new PayoutView(null, from, to, null, await LinesAsync(due, cancellationToken), await LinesAsync(held, cancellationToken));
    }

    /// <summary>Records the payout of the period and returns it; 409 when the period overlaps one already paid.</summary>
    public async Task<PayoutView> PayAsync(DateOnly from, DateOnly to, Guid byUserId, CancellationToken cancellationToken = default)
    {
        Check(from, to);
        using (await gate.EnterAsync(db, cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Two operators paying at once would both find no overlapping payout; on PostgreSQL the second waits here
            // until the first commits, then finds it (on SQLite the write gate already serializes them).
            if (db.Provider == DatabaseProvider.Postgres)
                await db.Database.ExecuteSqlRawAsync("LOCK TABLE payouts IN EXCLUSIVE MODE", cancellationToken);
            var overlapping = await db.Payouts.AsNoTracking().Where(p => p.PeriodStart <= to && p.PeriodEnd >= from).FirstOrDefaultAsync(cancellationToken);
            if (overlapping is not null)
                throw new ConflictException($"{overlapping.PeriodStart:yyyy-MM-dd} to {overlapping.PeriodEnd:yyyy-MM-dd} was already paid; a period is paid once, and later corrections go in the next payout.");
            var (due, _) = await DueAsync(to, cancellationToken);
            var payout = new Payout { Id = Guid.CreateVersion7(), PeriodStart = from, PeriodEnd = to, ByUserId = byUserId, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Payouts.Add(payout);
            db.PayoutEntries.AddRange(due.Select(e => new PayoutEntry { EntryId = e.Id, PayoutId = payout.Id }));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DatabaseErrors.Translate(e) is ConflictException)
            {
                // Another payout took some of these entries between our read and our write.
                throw new ConflictException("Another payout was recorded at the same time; show the period again.");
            }

            await transaction.CommitAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        var paid = await ShowAsync(from, to, cancellationToken);
        await audit.RecordAsync(AuditKinds.PayoutRecorded, subject: $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}", detail: $"{paid.Lines.Count} lines", cancellationToken: cancellationToken);
        return paid;
    }

    /// <summary>The recorded payouts, newest first.</summary>
    public async Task<IReadOnlyList<Payout>> RecordedAsync(CancellationToken cancellationToken = default) =>
        await db.Payouts.AsNoTracking().OrderByDescending(p => p.Id).ToListAsync(cancellationToken);

    private static void Check(DateOnly from, DateOnly to)
    {
        if (to < from)
            throw ValidationException.For("to", "must be on or after from.");
        if (to.DayNumber - from.DayNumber > 366)
            throw ValidationException.For("to", "must be within a year of from.");
    }

    /// <summary>The unpaid entries written on or before <paramref name="to"/>, split into those due and those held by a quarantine.</summary>
    private async Task<(List<LedgerEntry> Due, List<LedgerEntry> Held)> DueAsync(DateOnly to, CancellationToken cancellationToken)
    {
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var unpaid = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.CreatedAt < end && !db.PayoutEntries.Any(p => p.EntryId == e.Id))
            .OrderBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var held = await QuarantinedAsync(cancellationToken);
        return ([.. unpaid.Where(e => !Held(e, held))], [.. unpaid.Where(e => Held(e, held))]);
    }

    /// <summary>Whether the entry is held: its person is quarantined in its project.</summary>
    public static bool Held(LedgerEntry entry, HashSet<(Guid Project, Guid User)> quarantined) =>
        entry.ProjectId is { } project && quarantined.Contains((project, entry.UserId));

    /// <summary>Who is quarantined where, now: each project's quarantines in force (Verity.Quality.Quarantines).</summary>
    public async Task<HashSet<(Guid Project, Guid User)>> QuarantinedAsync(CancellationToken cancellationToken)
    {
        var quarantines = await db.Quarantines.AsNoTracking().ToListAsync(cancellationToken);
        var restorations = await db.Restorations.AsNoTracking().Select(r => new { r.ProjectId, r.AnnotatorId, r.CreatedAt }).ToListAsync(cancellationToken);
        return [.. quarantines.GroupBy(q => q.ProjectId).SelectMany(g => Quarantines.InForce(
                g, restorations.Where(r => r.ProjectId == g.Key).Select(r => (r.AnnotatorId, r.CreatedAt))).Keys.Select(user => (g.Key, user)))];
    }

    private async Task<List<PayoutLine>> LinesAsync(List<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var ids = entries.Select(e => e.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return [.. entries
            .GroupBy(e => (e.UserId, e.Currency))
            .Select(g => new PayoutLine(names[g.Key.UserId], PayRules.Hours(g.Sum(e => (long)e.Seconds)), PayRules.Cents(g.Sum(e => e.Amount)), g.Key.Currency, g.Count()))
            .OrderBy(l => l.Person, StringComparer.Ordinal)
            .ThenBy(l => l.Currency, StringComparer.Ordinal)];
    }
}
