using System.CommandLine;
using Spectre.Console;
using Verity.Core;
using Verity.Data;
using Verity.Data.Migrations;
using Verity.Infrastructure;
using Verity.Quality;

namespace Verity.Cli;

/// <summary>Options that do not fit together, reported as <c>verity: message</c>.</summary>
public sealed class UsageException(string message) : VerityException(message);

/// <summary>
/// Runs command bodies with the server's services and reports every failure one way: the one place where a domain
/// error becomes a line on standard error and an exit code, as <see cref="ProblemDetailsHandler"/> makes it a status.
/// </summary>
internal static class CliAction
{
    /// <summary>The body runs in a scope of the server's own services, over the given database, migrated first.</summary>
    public static void SetServicesAction(this Command command, Option<string> db, Func<ParseResult, IServiceProvider, CancellationToken, Task<int>> body) =>
        command.SetReportingAction(async (parse, cancellationToken) =>
        {
            using var host = VerityApp.BuildHost(DatabaseTarget.Parse(parse.GetValue(db)!));
            await using var scope = host.Services.CreateAsyncScope();
            await Migrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<VerityDbContext>(), cancellationToken);
            return await body(parse, scope.ServiceProvider, cancellationToken);
        });

    public static void SetReportingAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken);
            }
            catch (Exception e) when (DatabaseErrors.Translate(e) is VerityException failure)
            {
                return await ReportAsync(parse.InvocationConfiguration.Error, failure);
            }
        });

    /// <summary>Bad input (a file, a line, an option) exits with <see cref="VerityCli.BadInput"/>, anything else with 1.</summary>
    public static async Task<int> ReportAsync(TextWriter error, VerityException failure)
    {
        await error.WriteLineAsync($"verity: {failure.Message}");
        return failure is ValidationException or InputException or UsageException ? VerityCli.BadInput : 1;
    }

    /// <summary>A console for progress bars on standard error, so standard output stays clean for data.</summary>
    public static IAnsiConsole ProgressConsole(ParseResult parse) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Error) });
}
