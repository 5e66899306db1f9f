using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Verity.Cli;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Data;

namespace Verity.Projects;

internal static class ProjectsCommands
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The project's name.", Required = true };
        var owner = new Option<string>("--owner") { Description = "The requester (user name) who owns it.", Required = true };
        var kind = new Option<string>("--kind") { Description = "Task kind.", DefaultValueFactory = _ => TaskKind.Pairwise };
        var overlap = new Option<int>("--overlap") { Description = "Distinct annotators per item.", DefaultValueFactory = _ => 3 };
        var guidelines = new Option<FileInfo?>("--guidelines") { Description = "A Markdown file shown to annotators." };
        var rubric = new Option<FileInfo?>("--rubric") { Description = "A JSON rubric file (dimensions, labels, flags, options); see the README." };
        var minChars = new Option<int>("--rationale-min-chars") { Description = "Shortest rationale accepted.", DefaultValueFactory = _ => 20 };
        var optional = new Option<bool>("--rationale-optional") { Description = "Annotators may leave the rationale empty." };
        var db = CliOptions.Db();

        var create = new Command("create", "Create a project; prints its id.") { name, owner, kind, overlap, guidelines, rubric, minChars, optional, db };
        create.SetServicesAction(db, async (parse, services, cancellationToken) =>
        {
            var ownerName = parse.GetValue(owner)!;
            var user = await services.GetRequiredService<VerityDbContext>().Users.AsNoTracking().FirstOrDefaultAsync(u => u.Name == ownerName, cancellationToken)
                ?? throw ValidationException.For("owner", $"no user named \"{ownerName}\".");
            if (user.Role is not (Roles.Requester or Roles.Admin))
                throw ValidationException.For("owner", $"\"{ownerName}\" is an {user.Role}; a project's owner must be a requester or an admin.");
            var markdown = parse.GetValue(guidelines) is { } file ? await File.ReadAllTextAsync(file.FullName, cancellationToken) : "";
            var rubricJson = parse.GetValue(rubric) is { } rubricFile ? await File.ReadAllTextAsync(rubricFile.FullName, cancellationToken) : null;
            var project = await services.GetRequiredService<ProjectService>().CreateAsync(
                user.Id,
                new ProjectSettings(parse.GetValue(name)!, parse.GetValue(kind)!, parse.GetValue(overlap), markdown, !parse.GetValue(optional), parse.GetValue(minChars), rubricJson),
                cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync(project.Id.ToString());
            return 0;
        });

        var listDb = CliOptions.Db();
        var list = new Command("list", "List every project with its counts.") { listDb };
        list.SetServicesAction(listDb, async (parse, services, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            foreach (var p in await services.GetRequiredService<ProjectService>().ListAsync(Guid.Empty, Roles.Admin, cancellationToken))
                await output.WriteLineAsync($"{p.Id}  {p.Kind,-10} items={p.Items} complete={p.CompletedItems} annotations={p.Annotations}  {p.Name}");
            return 0;
        });
        return new Command("projects", "Create and list projects.") { create, list };
    }

    /// <summary>The --project option of import and export, resolved to the stored project.</summary>
    public static Option<Guid> ProjectOption() => new("--project") { Description = "The project's id.", Required = true };

    public static async Task<Project> FindAsync(IServiceProvider services, Guid id, CancellationToken cancellationToken) =>
        await services.GetRequiredService<VerityDbContext>().Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw ValidationException.For("project", $"no project with id {id}.");
}
