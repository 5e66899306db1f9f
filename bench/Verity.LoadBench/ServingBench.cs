using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core.Work;
using Verity.Data;

namespace Verity.LoadBench;

/// <summary>
/// What choosing the next item costs as a project grows and fills, under each serving policy: a pairwise project of
/// N items (overlap 3) is written straight through EF (importing 200,000 items over HTTP would measure the import),
/// empty or with the first 90 % (in import order) fully annotated; then fresh annotators, one at a time, call
/// <c>next</c> over real HTTP and submit what they get. Only <c>next</c> is timed, from the client.
/// </summary>
internal static class ServingBench
{
    private const int Overlap = 3;
    private const int Requests = 60;

    public static async Task<int> RunAsync(DatabaseProvider provider, int[] sizes)
    {
        Console.WriteLine($"Serving benchmark: {provider}, overlap {Overlap}, {Requests} sequential next calls per policy (after 5 untimed)");
        Console.WriteLine("items      done  policy              next p50  p95 (ms)");
        foreach (var size in sizes)
        {
            foreach (var done in new[] { 0.0, 0.9 })
                await MeasureAsync(provider, size, done);
        }

        return 0;
    }

    private static async Task MeasureAsync(DatabaseProvider provider, int size, double done)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        // The background quality pass relabels the whole project in one write; off, so only `next` is measured, as in issue 14's table.
        await using var server = await BenchServer.StartAsync(database.Target, refreshSeconds: 0);
        using var requester = server.Client((await server.AddUserAsync("bench-requester", Roles.Requester)).Token);
        using var created = await requester.PostAsJsonAsync(new Uri("api/v1/projects", UriKind.Relative), new
        {
            name = "Serving benchmark",
            kind = "pairwise",
            overlap = Overlap,
            rationale = new { required = false, minChars = 0 },
        });
        if (created.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"creating the project answered {(int)created.StatusCode}");
        var projectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await SeedAsync(database.Target, projectId, size, done);

        var annotator = 0;
        foreach (var policy in ServingPolicies.All)
        {
            using var changed = await requester.PatchAsJsonAsync(new Uri($"api/v1/projects/{projectId}", UriKind.Relative), new { servingPolicy = policy });
            if (changed.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"changing the policy answered {(int)changed.StatusCode}");
            var next = new Latencies();
            for (var i = 0; i < Requests + 5; i++)
            {
                using var client = server.Client((await server.AddUserAsync($"bench-annotator-{annotator++}", Roles.Annotator)).Token);
                var clock = Stopwatch.StartNew();
                using var response = await client.GetAsync(new Uri($"api/v1/projects/{projectId}/next", UriKind.Relative));
                var elapsed = clock.Elapsed;
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"next answered {(int)response.StatusCode}");
                if (i >= 5)
                    next.Add(elapsed);
                var task = await response.Content.ReadFromJsonAsync<JsonElement>();
                using var submitted = await client.PostAsJsonAsync(
                    new Uri($"api/v1/assignments/{task.GetProperty("assignmentId").GetGuid()}/submit", UriKind.Relative),
                    new { choice = "a", strength = 2, idempotencyKey = Guid.NewGuid().ToString("N") });
                if (submitted.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"submit answered {(int)submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync()}");
            }

            Console.WriteLine($"{size,9:N0}  {done,4:P0}  {policy,-18} {next.Percentile(50),9:F1} {next.Percentile(95),5:F1}");
        }
    }

    /// <summary>Items with their random keys and a spread of certainties, the first <paramref name="done"/> share fully annotated.</summary>
    private static async Task SeedAsync(DatabaseTarget target, Guid projectId, int size, double done)
    {
        var random = new Random(11);
        var now = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        var finished = (int)(size * done);
        foreach (var chunk in Enumerable.Range(0, size).Chunk(10_000))
        {
            await using var db = target.CreateContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var i in chunk)
            {
                var id = Guid.CreateVersion7();
                db.Items.Add(new Item
                {
                    Id = id,
                    ProjectId = projectId,
                    ExternalId = $"q{i}",
                    Prompt = $"Which answer to question {i} is better?",
                    ResponsesJson = """[{"id":"a","text":"A short answer."},{"id":"b","text":"A longer answer with more words in it."}]""",
                    MetadataJson = "{}",
                    TargetOverlap = Overlap,
                    SubmittedCount = i < finished ? Overlap : 0,
                    Position = i + 1,
                    ServeKey = ServingPolicies.ItemKey(id),
                    Certainty = Math.Round(0.5 + random.NextDouble() / 2, 6),
                    CreatedAt = now,
                });
            }

            await db.SaveChangesAsync();
        }

        await using var analyze = target.CreateContext();
        await analyze.Database.ExecuteSqlRawAsync("ANALYZE");
    }
}
