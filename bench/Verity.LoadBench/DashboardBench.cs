using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;

namespace Verity.LoadBench;

/// <summary>
/// How long the project quality page takes on a large project: the data is written straight through EF in batches
/// (going through HTTP would take hours and measure the submit path, not the page), then the page is fetched over
/// real HTTP. Returns the warm median of five requests.
/// </summary>
internal static class DashboardBench
{
    public const int Items = 20_000;
    public const int GoldItems = 200;
    public const int Annotators = 50;
    public const int Overlap = 5;
    public const int GoldPerAnnotator = 10;

    public static async Task<int> RunAsync()
    {
        Console.WriteLine($"Quality dashboard benchmark: sqlite, {Items:N0} items, {Annotators} annotators, {Items * Overlap:N0} pairwise annotations");
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await BenchServer.StartAsync(database.Target);
        using var requester = new HttpClient { BaseAddress = server.BaseAddress };
        requester.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await server.AddUserAsync("bench-requester", Roles.Requester)).Token);
        using var created = await requester.PostAsJsonAsync(new Uri("api/v1/projects", UriKind.Relative), new
        {
            name = "Dashboard benchmark",
            kind = "pairwise",
            overlap = Overlap,
            rationale = new { required = false, minChars = 0 },
        });
        if (created.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"creating the project answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        var projectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        for (var i = 0; i < Annotators; i++)
            await server.AddUserAsync($"bench-annotator-{i}", Roles.Annotator);

        var clock = Stopwatch.StartNew();
        var annotations = await SeedAsync(database.Target, projectId);
        Console.WriteLine($"seeded   {annotations:N0} annotations in {clock.Elapsed.TotalSeconds:F1} s");

        // The measurement the background pass makes (annotator reports, the fitted model, every item relabelled), timed
        // through the owner's request that forces it; the page then reads what it stored.
        clock.Restart();
        using (var measured = await requester.GetAsync(new Uri($"api/v1/projects/{projectId}/annotators", UriKind.Relative)))
        {
            if (measured.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"measuring answered {(int)measured.StatusCode}");
        }

        Console.WriteLine($"measured {Annotators} annotators and {Items:N0} item labels in {clock.Elapsed.TotalMilliseconds:F0} ms");

        var times = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            clock.Restart();
            using var response = await requester.GetAsync(new Uri($"projects/{projectId}/quality", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"the quality page answered {(int)response.StatusCode}");
            Console.WriteLine($"GET /projects/{{id}}/quality  {(i == 0 ? "cold" : "warm")} {elapsed:F0} ms, {body.Length:N0} characters");
            if (i > 0)
                times.Add(elapsed);
        }
        times.Sort();
        Console.WriteLine($"warm median of 5: {times[2].ToString("F0", CultureInfo.InvariantCulture)} ms");
        return 0;
    }

    /// <summary>Items, gold, assignments and annotations; annotator accuracy between 0.6 and 0.95 so agreement is not trivial.</summary>
    private static async Task<int> SeedAsync(DatabaseTarget target, Guid projectId)
    {
        await using var db = target.CreateContext();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var annotators = await db.Users.Where(u => u.Role == Roles.Annotator).OrderBy(u => u.Name).Select(u => u.Id).ToListAsync();
        var random = new Random(7);
        var start = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        var accuracy = Enumerable.Range(0, Annotators).Select(i => 0.6 + 0.35 * i / (Annotators - 1)).ToArray();
        var items = Enumerable.Range(0, Items + GoldItems).Select(i => new Item
        {
            Id = Guid.CreateVersion7(),
            ProjectId = projectId,
            ExternalId = i < Items ? $"q{i}" : $"g{i - Items}",
            Prompt = $"Which answer to question {i} is better?",
            ResponsesJson = i % 2 == 0
                ? """[{"id":"a","text":"A short answer."},{"id":"b","text":"A somewhat longer answer with more words in it."}]"""
                : """[{"id":"a","text":"A longer answer that explains its reasoning."},{"id":"b","text":"Short."}]""",
            MetadataJson = "{}",
            IsGold = i >= Items,
            GoldJson = i >= Items ? """{"choice":"a","strength":2}""" : null,
            GoldExplanation = i >= Items ? "a is correct." : null,
            SubmittedCount = i < Items ? Overlap : 0,
            CreatedAt = start,
        }).ToList();
        db.Items.AddRange(items);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var count = 0;
        var batch = new List<(Item Item, int Annotator)>();
        for (var i = 0; i < Items; i++)
            for (var k = 0; k < Overlap; k++)
                batch.Add((items[i], (i * Overlap + k) % Annotators));
        for (var w = 0; w < Annotators; w++)
            for (var g = 0; g < GoldPerAnnotator; g++)
                batch.Add((items[Items + (w * GoldPerAnnotator + g) % GoldItems], w));

        foreach (var chunk in batch.Chunk(10_000))
        {
            foreach (var (item, w) in chunk)
            {
                // Ten days of work, so the agreement chart has one point per day.
                var at = start.AddSeconds(count * (10 * 86_400.0 / batch.Count));
                var right = random.NextDouble() < accuracy[w];
                var choice = right ? "a" : random.NextDouble() < 0.2 ? "tie" : "b";
                var assignmentId = Guid.CreateVersion7();
                db.Assignments.Add(new Assignment
                {
                    Id = assignmentId,
                    ProjectId = projectId,
                    ItemId = item.Id,
                    AnnotatorId = annotators[w],
                    ShownOrderJson = random.Next(2) == 0 ? """["a","b"]""" : """["b","a"]""",
                    LeasedAt = at.AddSeconds(-30),
                    ExpiresAt = at.AddMinutes(15),
                    SubmittedAt = at,
                });
                db.Annotations.Add(new Annotation
                {
                    Id = Guid.CreateVersion7(),
                    AssignmentId = assignmentId,
                    ProjectId = projectId,
                    ItemId = item.Id,
                    AnnotatorId = annotators[w],
                    GuidelineVersion = 1,
                    ShownOrderJson = """["a","b"]""",
                    AnswerJson = choice == "tie" ? """{"choice":"tie","strength":null}""" : $$"""{"choice":"{{choice}}","strength":2}""",
                    Rationale = $"Response {choice} answers question {count % 97} more directly and cites the prompt.",
                    GoldScore = item.IsGold ? (choice == "a" ? 1 : 0) : null,
                    SecondsSpent = 20 + random.Next(40),
                    IdempotencyKey = Guid.NewGuid().ToString("N"),
                    CreatedAt = at,
                });
                count++;
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        return count;
    }
}
