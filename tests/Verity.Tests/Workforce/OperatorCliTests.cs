using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Cli;

namespace Verity.Tests.Workforce;

/// <summary>The operator's pay and track work from the command line, for scripts.</summary>
public sealed class OperatorCliTests
{
    [Theory]
    [Databases]
    public async Task payouts_show_and_pay_print_the_csv_and_a_period_is_paid_once(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.DbArgument;
        (await CliTests.RunAsync("users", "add", "ops", "--role", "admin", "--db", db)).Code.ShouldBe(0);
        (await CliTests.RunAsync("users", "add", "ann", "--role", "annotator", "--db", db)).Code.ShouldBe(0);
        await using (var context = database.Target.CreateContext())
        {
            var ann = await context.Users.SingleAsync(u => u.Name == "ann");
            context.LedgerEntries.Add(new LedgerEntry
            {
                Id = Guid.CreateVersion7(),
                UserId = ann.Id,
                Kind = LedgerKinds.Bonus,
                Amount = 12.34m,
                Currency = "USD",
                Reason = "Careful work on the hard items",
                CreatedAt = new DateTime(2026, 11, 15, 12, 0, 0, DateTimeKind.Utc),
            });
            await context.SaveChangesAsync();
        }

        var shown = await CliTests.RunAsync("payouts", "show", "--from", "2026-11-01", "--to", "2026-11-30", "--db", db);
        shown.Code.ShouldBe(0, shown.Error);
        shown.Output.ShouldBe("person,hours,amount,currency\nann,0.00,12.34,USD\n");

        (await CliTests.RunAsync("payouts", "pay", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "ann", "--db", db)).Code.ShouldNotBe(0, "only an admin pays");
        var paid = await CliTests.RunAsync("payouts", "pay", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "ops", "--db", db);
        paid.Code.ShouldBe(0, paid.Error);
        paid.Output.ShouldBe(shown.Output);

        var again = await CliTests.RunAsync("payouts", "pay", "--from", "2026-11-15", "--to", "2026-12-15", "--by", "ops", "--db", db);
        again.Code.ShouldNotBe(0);
        again.Error.ShouldContain("was already paid");
        var badDay = await CliTests.RunAsync("payouts", "show", "--from", "November", "--to", "2026-11-30", "--db", db);
        badDay.Error.ShouldContain("--from");
        await using (var context = database.Target.CreateContext())
        {
            (await context.PayoutEntries.CountAsync()).ShouldBe(1);
            (await context.AuditEvents.CountAsync(e => e.Kind == AuditKinds.PayoutRecorded)).ShouldBe(1);
        }
    }

    [Theory]
    [Databases]
    public async Task ledger_add_writes_a_bonus_or_adjustment_by_an_admin_and_names_a_bad_field(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.DbArgument;
        (await CliTests.RunAsync("users", "add", "ops", "--role", "admin", "--db", db)).Code.ShouldBe(0);
        (await CliTests.RunAsync("users", "add", "ann", "--role", "annotator", "--db", db)).Code.ShouldBe(0);

        var written = await CliTests.RunAsync("ledger", "add", "--user", "ann", "--kind", "adjustment", "--amount", "-3.50", "--reason", "Paid twice for one task", "--by", "ops", "--db", db);
        written.Code.ShouldBe(0, written.Error);
        written.Output.ShouldContain("wrote adjustment -3.50 USD for ann");
        var negativeBonus = await CliTests.RunAsync("ledger", "add", "--user", "ann", "--kind", "bonus", "--amount", "-1", "--reason", "No", "--by", "ops", "--db", db);
        negativeBonus.Code.ShouldNotBe(0);
        negativeBonus.Error.ShouldContain("amount");
        (await CliTests.RunAsync("ledger", "add", "--user", "ann", "--kind", "bonus", "--amount", "5", "--reason", "Self-serve", "--by", "ann", "--db", db)).Code.ShouldNotBe(0);

        await using var context = database.Target.CreateContext();
        var entry = await context.LedgerEntries.SingleAsync();
        entry.Amount.ShouldBe(-3.50m);
        entry.Kind.ShouldBe(LedgerKinds.Adjustment);
        entry.Reason.ShouldBe("Paid twice for one task");
        (await context.AuditEvents.CountAsync(e => e.Kind == AuditKinds.LedgerEntry)).ShouldBe(1);
    }

    [Theory]
    [Databases]
    public async Task tracks_list_and_set_change_a_rate_from_now_on(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.DbArgument;
        (await CliTests.RunAsync("migrate", "--db", db)).Code.ShouldBe(0);

        var listed = await CliTests.RunAsync("tracks", "list", "--db", db);
        listed.Code.ShouldBe(0, listed.Error);
        listed.Output.ShouldContain("coding\tCoding\t40.00\tUSD");

        var set = await CliTests.RunAsync("tracks", "set", "coding", "--rate", "45.50", "--db", db);
        set.Code.ShouldBe(0, set.Error);
        (await CliTests.RunAsync("tracks", "list", "--db", db)).Output.ShouldContain("coding\tCoding\t45.50\tUSD");
        (await CliTests.RunAsync("tracks", "set", "cooking", "--rate", "10", "--db", db)).Code.ShouldNotBe(0);
        (await CliTests.RunAsync("tracks", "set", "coding", "--rate", "-5", "--db", db)).Code.ShouldNotBe(0);
    }
}
