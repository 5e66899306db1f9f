using System.CommandLine;
using Verity.Cli;

namespace Verity.Workforce.Pay;

/// <summary>`verity payouts show|pay` and `verity ledger add`: the operator's pay work for scripts, as on /admin/payouts and the API.</summary>
internal static class PayCommands
{
    public static Command Payouts()
    {
        var from = new Option<string>("--from") { Description = "The period's first day, yyyy-MM-dd (UTC).", Required = true };
        var to = new Option<string>("--to") { Description = "The period's last day, yyyy-MM-dd (UTC), inclusive.", Required = true };
        var db = CliOptions.Db();

        var show = new Command("show", "Print the payout of a period as CSV (person, hours, amount, currency): the recorded one, or what paying it now would pay.") { from, to, db };
        show.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var payout = await services.GetRequiredService<Verity.Workforce.Pay.Payouts>().ShowAsync(
                PayApi.Required(parse.GetValue(from), "--from"), PayApi.Required(parse.GetValue(to), "--to"), cancellationToken);
            await parse.InvocationConfiguration.Output.WriteAsync(payout.ToCsv());
            return 0;
        });

        var by = new Option<string>("--by") { Description = "The admin recording it (sign-in name); kept with the payout.", Required = true };
        var pay = new Command("pay", "Record the payout of a period (its entries are then paid) and print it as CSV; a period overlapping a paid one is refused.") { from, to, by, db };
        pay.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var admin = await services.GetRequiredService<UserService>().FindAsync(parse.GetValue(by)!, cancellationToken);
            if (admin.Role != Data.Roles.Admin)
                throw Core.ValidationException.For("--by", $"{admin.Name} is not an admin.");
            var payout = await services.GetRequiredService<Verity.Workforce.Pay.Payouts>().PayAsync(
                PayApi.Required(parse.GetValue(from), "--from"), PayApi.Required(parse.GetValue(to), "--to"), admin.Id, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteAsync(payout.ToCsv());
            return 0;
        });

        return new Command("payouts", "Pay people for a period.") { show, pay };
    }

    public static Command Ledger()
    {
        var user = new Option<string>("--user") { Description = "The person paid (sign-in name).", Required = true };
        var kind = new Option<string>("--kind") { Description = "bonus, or adjustment (negative to take money back).", Required = true };
        var amount = new Option<decimal>("--amount") { Description = "The amount in whole cents, e.g. 12.50 or -3.00.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why; the person reads it on their earnings page.", Required = true };
        var by = new Option<string>("--by") { Description = "The admin writing it (sign-in name).", Required = true };
        var project = new Option<Guid?>("--project") { Description = "The project it is for, if any." };
        var corrects = new Option<Guid?>("--corrects") { Description = "The entry this one corrects, if any." };
        var db = CliOptions.Db();

        var add = new Command("add", "Write a bonus or an adjustment; entries are never changed, only corrected by new ones.") { user, kind, amount, reason, by, project, corrects, db };
        add.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var admin = await services.GetRequiredService<UserService>().FindAsync(parse.GetValue(by)!, cancellationToken);
            if (admin.Role != Data.Roles.Admin)
                throw Core.ValidationException.For("--by", $"{admin.Name} is not an admin.");
            var request = new LedgerRequest(parse.GetValue(user), parse.GetValue(kind), parse.GetValue(amount), parse.GetValue(reason),
                ProjectId: parse.GetValue(project), Corrects: parse.GetValue(corrects));
            var entry = await services.GetRequiredService<Verity.Workforce.Pay.Ledger>().AddAsync(request, admin.Id, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"wrote {Verity.Workforce.Pay.Ledger.Describe(entry)} for {request.User} ({entry.Id})");
            return 0;
        });

        return new Command("ledger", "Bonuses and adjustments.") { add };
    }
}
