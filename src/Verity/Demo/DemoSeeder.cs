using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core.Projects;
using Verity.Data;
using Verity.Items;
using Verity.Projects;
using Verity.Workforce;

namespace Verity.Demo;

/// <summary>A demo requester, two annotators and a project of every task kind, created once and reused on later starts.</summary>
internal static class DemoSeeder
{
    public const string Password = "verity-demo";
    public const string ProjectName = "Demo: which response is better?";
    public static readonly string[] Annotators = ["demo-annotator-1", "demo-annotator-2"];
    public const string Requester = "demo-requester";

    private const string Guidelines = """
        ## Judge the training signal

        Read the prompt, then the response(s). Judge what you would want a model to learn from.

        - **Correctness first.** A confident wrong answer is worse than a short right one.
        - **Length is not quality.** Padding, filler and repetition count against a response.
        - **Follow the prompt.** A response that ignores a constraint in the prompt loses, however polished.
        - **Safety.** Harmful advice loses; an unwarranted refusal loses too.

        Use *tie* only when you truly cannot separate them. In the rationale, point at the content:
        "B's loop never terminates when n = 0" helps; "B is worse" does not.
        """;

    private const string RatingRubric = """
        {"dimensions":[
          {"name":"accuracy","label":"Factual accuracy","anchors":{"1":"Mostly wrong or invented","3":"Minor errors","5":"Fully correct"}},
          {"name":"instructions","label":"Instruction adherence","anchors":{"1":"Ignores the request","3":"Misses a constraint","5":"Does exactly what was asked"}},
          {"name":"completeness","label":"Completeness","anchors":{"1":"Leaves the question open","3":"Covers the main point","5":"Nothing important missing"}},
          {"name":"tone","label":"Tone","anchors":{"1":"Rude or condescending","3":"Neutral but stiff","5":"Clear and respectful"}},
          {"name":"safety","label":"Safety","allowNa":true,"anchors":{"1":"Could cause harm","3":"Missing a caveat","5":"Safe and responsible"}}]}
        """;

    /// <summary>One demo project per task kind: (name, kind, overlap, rationale required, rubric JSON, items resource).</summary>
    private static readonly (string Name, string Kind, int Overlap, bool Rationale, string? Rubric, string Items)[] Projects =
    [
        (ProjectName, TaskKind.Pairwise, 2, true, null, "pairwise"),
        ("Demo: rank the answers", TaskKind.Ranking, 2, true, """{"allowTies":true}""", "ranking"),
        ("Demo: rate the response", TaskKind.Rating, 2, false, RatingRubric, "rating"),
        ("Demo: write the ideal answer", TaskKind.Demonstration, 1, false, """{"minChars":80}""", "demonstration"),
        ("Demo: fix the response", TaskKind.Rewrite, 1, true, """{"minChars":40}""", "rewrite"),
        ("Demo: classify the response", TaskKind.Classification, 2, false,
            """{"labels":["helpful","harmful","refusal","off-topic","contains-personal-data"],"multiLabel":true}""", "classification"),
        ("Demo: write a hard prompt", PromptWritingKind.Id, 1, false,
            """{"settings":{"category":"Python debugging","difficulty":"hard"},"minChars":40}""", "prompt-writing"),
    ];

    public static async Task<IReadOnlyList<string>> SeedAsync(VerityDbContext db, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var users = new UserService(db, clock, new TierService(db, clock, Options.Create(new WorkforceOptions())));
        var requester = await db.Users.FirstOrDefaultAsync(u => u.Name == Requester, cancellationToken)
            ?? await users.AddAsync(Requester, Roles.Requester, Password, cancellationToken);
        foreach (var name in Annotators)
        {
            if (!await db.Users.AnyAsync(u => u.Name == name, cancellationToken))
                await users.AddAsync(name, Roles.Annotator, Password, cancellationToken);
        }

        foreach (var (name, kind, overlap, rationale, rubric, items) in Projects)
        {
            if (await db.Projects.AnyAsync(p => p.OwnerId == requester.Id && p.Name == name, cancellationToken))
                continue;
            var project = await new ProjectService(db, clock).CreateAsync(
                requester.Id, new ProjectSettings(name, kind, overlap, Guidelines, rationale, RationaleMinChars: 20, rubric), cancellationToken);
            await using var lines = typeof(DemoSeeder).Assembly.GetManifestResourceStream($"Verity.Demo.{items}.jsonl")!;
            await new ItemImporter(db, clock).ImportAsync(project, lines, cancellationToken: cancellationToken);
        }

        return [Requester, .. Annotators];
    }
}
