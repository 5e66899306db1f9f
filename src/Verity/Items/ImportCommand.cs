using System.CommandLine;
using Spectre.Console;
using Verity.Cli;
using Verity.Core;
using Verity.Projects;

namespace Verity.Items;

internal static class ImportCommand
{
    public static Command Create()
    {
        var project = ProjectsCommands.ProjectOption();
        var file = new Argument<FileInfo>("file") { Description = "JSON Lines, one item per line." };
        var db = CliOptions.Db();
        var command = new Command("import", "Import items into a project: every line is stored, or none.") { project, file, db };
        command.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var target = await ProjectsCommands.FindAsync(services, parse.GetValue(project), cancellationToken);
            var path = parse.GetValue(file)!;
            if (!path.Exists)
                throw ValidationException.For("file", $"{path.FullName} does not exist.");

            await using var stream = path.OpenRead();
            var importer = services.GetRequiredService<ItemImporter>();
            ImportResult? imported = null;
            await CliAction.ProgressConsole(parse).Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"importing {path.Name}", maxValue: Math.Max(1, stream.Length));
                imported = await importer.ImportAsync(target, stream, new Progress<long>(bytes => task.Value = bytes), cancellationToken);
                task.Value = task.MaxValue;
            });
            await parse.InvocationConfiguration.Output.WriteLineAsync($"imported {imported!.Imported} items ({imported.Gold} gold) into {target.Name}");
            foreach (var warning in imported.Warnings)
                await parse.InvocationConfiguration.Error.WriteLineAsync($"warning: {warning}");
            return 0;
        });
        return command;
    }
}
