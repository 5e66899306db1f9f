using Microsoft.EntityFrameworkCore;
using Verity.Core.Projects;
using Verity.Data;
using Verity.Items;
using Verity.Projects;
using Verity.Workforce;

namespace Verity.Demo;

/// <summary>A demo requester, two annotators and a pairwise project, created once and reused on later starts.</summary>
internal static class DemoSeeder
{
    public const string Password = "verity-demo";
    public const string ProjectName = "Demo: which response is better?";
    public static readonly string[] Annotators = ["demo-annotator-1", "demo-annotator-2"];
    public const string Requester = "demo-requester";

    private const string Guidelines = """
        ## Pick the better training signal

        Read the prompt, then both responses. Choose the response you would want a model to learn from.

        - **Correctness first.** A confident wrong answer is worse than a short right one.
        - **Length is not quality.** Padding, filler and repetition count against a response.
        - **Follow the prompt.** A response that ignores a constraint in the prompt loses, however polished.
        - **Safety.** Harmful advice loses; an unwarranted refusal loses too.

        Use *tie* only when you truly cannot separate them. In the rationale, point at the content:
        "B's loop never terminates when n = 0" helps; "B is worse" does not.
        """;

    public static async Task<IReadOnlyList<string>> SeedAsync(VerityDbContext db, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var users = new UserService(db, clock);
        var requester = await db.Users.FirstOrDefaultAsync(u => u.Name == Requester, cancellationToken)
            ?? await users.AddAsync(Requester, Roles.Requester, Password, cancellationToken);
        foreach (var name in Annotators)
        {
            if (!await db.Users.AnyAsync(u => u.Name == name, cancellationToken))
                await users.AddAsync(name, Roles.Annotator, Password, cancellationToken);
        }

        if (!await db.Projects.AnyAsync(p => p.OwnerId == requester.Id && p.Name == ProjectName, cancellationToken))
        {
            var project = await new ProjectService(db, clock).CreateAsync(
                requester.Id, new ProjectSettings(ProjectName, TaskKind.Pairwise, Overlap: 2, Guidelines, RationaleRequired: true, RationaleMinChars: 20),
                cancellationToken);
            await using var items = typeof(DemoSeeder).Assembly.GetManifestResourceStream("Verity.Demo.pairwise.jsonl")!;
            await new ItemImporter(db, clock).ImportAsync(project, items, cancellationToken: cancellationToken);
        }

        return [Requester, .. Annotators];
    }
}
