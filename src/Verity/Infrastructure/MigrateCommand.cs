using System.CommandLine;
using Verity.Cli;

namespace Verity.Infrastructure;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var db = CliOptions.Db();
        var command = new Command("migrate", "Create or upgrade the database schema, then exit.") { db };
        // The shared action migrates before running any body, so the body only reports.
        command.SetServicesAction(db, async (parse, _, _) =>
        {
            await parse.InvocationConfiguration.Output.WriteLineAsync("database is up to date");
            return 0;
        });
        return command;
    }
}
