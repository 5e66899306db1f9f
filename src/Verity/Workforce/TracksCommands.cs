using System.CommandLine;
using System.Globalization;
using Verity.Cli;

namespace Verity.Workforce;

/// <summary>`verity tracks list|set`: the tracks and their starting rates, as on /admin/tracks.</summary>
internal static class TracksCommands
{
    public static Command Create()
    {
        var db = CliOptions.Db();
        var list = new Command("list", "List the tracks: id, name, hourly rate, currency.") { db };
        list.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            foreach (var track in await services.GetRequiredService<TrackService>().ListAsync(cancellationToken))
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{track.Id}\t{track.Name}\t{track.HourlyRate:0.00}\t{track.Currency}"));
            return 0;
        });

        var id = new Argument<string>("track") { Description = "The track's id, e.g. coding." };
        var rate = new Option<decimal?>("--rate") { Description = "The new starting hourly rate; what was earned stays as it was." };
        var name = new Option<string?>("--name") { Description = "A new name." };
        var set = new Command("set", "Change a track's rate or name.") { id, rate, name, db };
        set.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var track = await services.GetRequiredService<TrackService>().ChangeAsync(
                parse.GetValue(id)!, new TrackRequest(Name: parse.GetValue(name), HourlyRate: parse.GetValue(rate)), cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{track.Id}: {TrackService.Describe(track)}");
            return 0;
        });

        return new Command("tracks", "The tracks people qualify in, and their rates.") { list, set };
    }
}
