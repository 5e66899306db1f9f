using System.CommandLine;
using Spectre.Console;
using Verity.Core;
using Verity.Data;
using Verity.Data.Migrations;

namespace Verity.Cli;

/// <summary>Runs a command body with the database opened and migrated, and turns domain errors into one-line messages.</summary>
internal static class CliAction
{
    public static void SetDatabaseAction(this Command command, Option<string> db, Func<ParseResult, VerityDbContext, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                await using var context = DatabaseTarget.Parse(parse.GetValue(db)!).CreateContext();
                await Migrator.MigrateAsync(context, cancellationToken);
                return await body(parse, context, cancellationToken);
            }
            catch (Exception e) when (DatabaseErrors.Translate(e) is VerityException failure)
            {
                await error.WriteLineAsync($"verity: {failure.Message}");
                return failure is ValidationException ? VerityCli.BadInput : 1;
            }
        });

    /// <summary>A console for progress bars on standard error, so standard output stays clean for data.</summary>
    public static IAnsiConsole ProgressConsole(ParseResult parse) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Error) });
}
