using System.CommandLine;
using Verity.Cli;

namespace Verity.Workforce.Pay;

/// <summary>`verity payouts show|pay`: the operator's payout export for scripts, the same as /admin/payouts and the API.</summary>
internal static class PayoutsCommands
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The period's first day, yyyy-MM-dd (UTC).", Required = true };
        var to = new Option<string>("--to") { Description = "The period's last day, yyyy-MM-dd (UTC), inclusive.", Required = true };
        var db = CliOptions.Db();

        var show = new Command("show", "Print the payout of a period as CSV (person, hours, amount, currency): the recorded one, or what paying it now would pay.") { from, to, db };
        show.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var payout = await services.GetRequiredService<Payouts>().ShowAsync(
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
            var payout = await services.GetRequiredService<Payouts>().PayAsync(
                PayApi.Required(parse.GetValue(from), "--from"), PayApi.Required(parse.GetValue(to), "--to"), admin.Id, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteAsync(payout.ToCsv());
            return 0;
        });

        return new Command("payouts", "Pay people for a period.") { show, pay };
    }
}
