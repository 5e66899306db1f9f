using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Cli;
using Verity.Data;

namespace Verity.Tests.Cli;

/// <summary>The CLI against a real database file or server, run in-process as a user would type it.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("verity-cli-").FullName;

    [Theory]
    [Databases]
    public async Task a_requester_goes_from_jsonl_to_exported_preferences_through_the_cli(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.DbArgument;

        var token = await RunAsync("users", "add", "alice", "--role", "requester", "--token", "--db", db);
        token.Code.ShouldBe(0, token.Error);
        token.Output.TrimEnd().Split('\n')[^1].ShouldStartWith("vt_", customMessage: "the token is alone on the last line");
        (await RunAsync("users", "add", "ann", "--role", "annotator", "--password", "long enough", "--db", db)).Code.ShouldBe(0);

        var created = await RunAsync("projects", "create", "--name", "CLI project", "--owner", "alice", "--overlap", "1", "--db", db);
        created.Code.ShouldBe(0, created.Error);
        var projectId = Guid.Parse(created.Output.Trim());

        var items = Path.Combine(_folder, "items.jsonl");
        await File.WriteAllLinesAsync(items, Enumerable.Range(1, 5).Select(i => Infrastructure.Api.ItemLine($"q{i}")));
        var imported = await RunAsync("import", "--project", projectId.ToString(), items, "--db", db);
        imported.Code.ShouldBe(0, imported.Error);
        imported.Output.ShouldContain("imported 5 items");

        await using (var context = database.Target.CreateContext())
        {
            // Label two items directly, as the server would have stored them.
            var annotator = await context.Users.SingleAsync(u => u.Name == "ann");
            foreach (var item in await context.Items.OrderBy(i => i.ExternalId).Take(2).ToListAsync())
            {
                var assignment = new Assignment { Id = Guid.CreateVersion7(), ProjectId = projectId, ItemId = item.Id, AnnotatorId = annotator.Id, ShownOrderJson = "[\"b\",\"a\"]", LeasedAt = DateTime.UtcNow, ExpiresAt = DateTime.UtcNow.AddMinutes(5), SubmittedAt = DateTime.UtcNow };
                context.Add(assignment);
                context.Add(new Annotation { Id = Guid.CreateVersion7(), AssignmentId = assignment.Id, ProjectId = projectId, ItemId = item.Id, AnnotatorId = annotator.Id, GuidelineVersion = 1, ShownOrderJson = assignment.ShownOrderJson, AnswerJson = """{"choice":"a","strength":3}""", Rationale = "Paris is right.", IdempotencyKey = item.ExternalId, CreatedAt = DateTime.UtcNow });
                item.SubmittedCount = 1;
                (item.Label, item.Confidence) = ("a", 0.75);
            }

            await context.SaveChangesAsync();
        }

        var outFile = Path.Combine(_folder, "prefs.jsonl");
        var exported = await RunAsync("export", "--project", projectId.ToString(), "--format", "preference", "--out", outFile, "--db", db);
        exported.Code.ShouldBe(0, exported.Error);
        exported.Error.ShouldContain("exported 2 preference records; skipped: not-enough-annotations=3");
        var records = (await File.ReadAllLinesAsync(outFile)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        records.Select(r => r.GetProperty("externalId").GetString()).Order().ShouldBe(["q1", "q2"]);
        records.ShouldAllBe(r => r.GetProperty("chosen").GetString() == "Paris is the capital of France." && r.GetProperty("margin").GetDouble() == 3);
        File.Exists(outFile + ".partial").ShouldBeFalse();

        var annotationsFile = Path.Combine(_folder, "annotations.jsonl");
        (await RunAsync("export", "--project", projectId.ToString(), "--format", "annotations", "--out", annotationsFile, "--db", db)).Code.ShouldBe(0);
        (await File.ReadAllLinesAsync(annotationsFile)).Length.ShouldBe(2);
    }

    [Fact]
    public async Task a_bad_import_file_names_the_line_and_stores_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var db = database.DbArgument;
        await RunAsync("users", "add", "alice", "--role", "requester", "--db", db);
        var projectId = (await RunAsync("projects", "create", "--name", "P", "--owner", "alice", "--db", db)).Output.Trim();
        var items = Path.Combine(_folder, "bad.jsonl");
        await File.WriteAllLinesAsync(items, [Infrastructure.Api.ItemLine("q1"), """{"externalId":"q2","prompt":"p"}"""]);

        var result = await RunAsync("import", "--project", projectId, items, "--db", db);
        result.Code.ShouldBe(VerityCli.BadInput);
        result.Error.ShouldContain("line 2: responses: is required");
        await using var context = database.Target.CreateContext();
        (await context.Items.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task usage_mistakes_exit_with_code_2_and_a_message()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var badRole = await RunAsync("users", "add", "x", "--role", "boss", "--db", database.DbArgument);
        badRole.Code.ShouldBe(VerityCli.BadInput);
        badRole.Error.ShouldContain("boss");

        var noOwner = await RunAsync("projects", "create", "--name", "P", "--owner", "nobody", "--db", database.DbArgument);
        noOwner.Code.ShouldBe(VerityCli.BadInput);
        noOwner.Error.ShouldContain("no user named \"nobody\"");

        var badDb = await RunAsync("migrate", "--db", "mysql://nope");
        badDb.Code.ShouldBe(VerityCli.BadInput);
        badDb.Error.ShouldContain("expected sqlite:PATH or a PostgreSQL connection string");
    }

    [Fact]
    public async Task every_command_reports_a_failure_as_one_line_and_an_exit_code()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var serve = await RunAsync("serve", "--db", "mysql://nope");
        serve.Code.ShouldBe(VerityCli.BadInput);
        serve.Error.ShouldStartWith("verity: db: expected sqlite:PATH");

        var unknown = Guid.NewGuid();
        var export = await RunAsync("export", "--project", unknown.ToString(), "--db", database.DbArgument);
        export.Code.ShouldBe(VerityCli.BadInput);
        export.Error.ShouldBe($"verity: project: no project with id {unknown}.{Environment.NewLine}");

        var usage = await RunAsync("aggregate", "--input", "absent.csv", "--method", "mv", "--weights", "w.csv");
        usage.Code.ShouldBe(VerityCli.BadInput);
        usage.Error.ShouldBe($"verity: --weights applies to --method wmv only{Environment.NewLine}");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await VerityCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
