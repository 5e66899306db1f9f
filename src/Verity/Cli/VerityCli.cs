using System.CommandLine;
using Verity.Exports;
using Verity.Infrastructure;
using Verity.Items;
using Verity.Projects;
using Verity.Quality;
using Verity.Simulation;
using Verity.Workforce;

namespace Verity.Cli;

/// <summary>The `verity` command line: the one entry point for the server and every tool.</summary>
public static class VerityCli
{
    /// <summary>Exit code for bad input (a file, a line, an option), distinct from 1 for failures.</summary>
    public const int BadInput = 2;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Verity: collect human feedback that trains AI models.");
        foreach (var command in Commands())
            root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        return parsed.Errors.Count > 0
            ? CliAction.ReportAsync(error, new UsageException(string.Join(" ", parsed.Errors.Select(e => e.Message))))
            : parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static IEnumerable<Command> Commands() =>
    [
        ServeCommand.Create(),
        MigrateCommand.Create(),
        UsersCommands.Create(),
        Workforce.TracksCommands.Create(),
        Workforce.Pay.PayCommands.Payouts(),
        Workforce.Pay.PayCommands.Ledger(),
        UsersCommands.Tokens(),
        ProjectsCommands.Create(),
        ImportCommand.Create(),
        ExportCommand.Create(),
        QualityCommands.Aggregate(),
        QualityCommands.Agreement(),
        SimulateCommand.Create(),
    ];
}
