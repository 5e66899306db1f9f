using System.CommandLine;
using Spectre.Console;
using Verity.Cli;
using Verity.Projects;

namespace Verity.Exports;

internal static class ExportCommand
{
    public static Command Create()
    {
        var project = ProjectsCommands.ProjectOption();
        var format = new Option<string>("--format") { Description = "preference, preference-chat, sft, ratings, classification or annotations.", DefaultValueFactory = _ => "preference" };
        format.AcceptOnlyFromAmong([.. ExportService.Formats]);
        var pairs = new Option<string>("--pairs") { Description = "Rankings: every majority pair (all) or best against worst (best-worst).", DefaultValueFactory = _ => "all" };
        pairs.AcceptOnlyFromAmong([.. ExportService.PairModes]);
        var outFile = new Option<FileInfo?>("--out") { Description = "Write here instead of standard output." };
        var db = CliOptions.Db();
        var command = new Command("export", "Export a project as JSON Lines; the summary goes to standard error.") { project, format, pairs, outFile, db };
        command.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var target = await ProjectsCommands.FindAsync(services, parse.GetValue(project), cancellationToken);
            var exports = services.GetRequiredService<ExportService>();
            var path = parse.GetValue(outFile);
            ExportSummary summary;
            if (path is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                summary = await exports.WriteAsync(target, parse.GetValue(format)!, stdout, parse.GetValue(pairs)!, cancellationToken: cancellationToken);
            }
            else
            {
                // Written beside the target and moved into place, so a failed export never leaves half a file.
                var partial = path.FullName + ".partial";
                var total = await exports.CountItemsAsync(target.Id, cancellationToken);
                summary = await CliAction.ProgressConsole(parse).Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask($"exporting {target.Name}", maxValue: Math.Max(1, total));
                    await using var file = File.Create(partial);
                    var result = await exports.WriteAsync(target, parse.GetValue(format)!, file, parse.GetValue(pairs)!, new Progress<int>(n => task.Value = n), cancellationToken);
                    task.Value = task.MaxValue;
                    return result;
                });
                File.Move(partial, path.FullName, overwrite: true);
            }

            await parse.InvocationConfiguration.Error.WriteLineAsync($"exported {summary.Records} {summary.Format} records; skipped: {summary.SkippedText}");
            return 0;
        });
        return command;
    }
}
