using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Work;

public sealed class ServingPolicyTests
{
    private static string Line(string externalId, object? scores = null) =>
        JsonSerializer.Serialize(new
        {
            externalId,
            prompt = externalId,
            responses = new[] { new { id = "a", text = "Paris is the capital of France." }, new { id = "b", text = "Lyon is the capital of France." } },
            scores,
        });

    private static async Task<Guid> CreateAsync(HttpClient requester, int overlap, string? servingPolicy, object? dynamicOverlap = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Serving",
            ["kind"] = "pairwise",
            ["overlap"] = overlap,
            ["rationale"] = new { required = false, minChars = 0 },
            ["gold"] = new { rate = 0 },
        };
        if (servingPolicy is not null)
            body["servingPolicy"] = servingPolicy;
        if (dynamicOverlap is not null)
            body["dynamicOverlap"] = dynamicOverlap;
        return await requester.CreateProjectAsync(body);
    }

    /// <summary>Takes every item the annotator is given, answering each with <paramref name="choice"/>; returns the prompts in order.</summary>
    private static async Task<List<string>> WorkAllAsync(HttpClient annotator, Guid projectId, Func<string, string>? choice = null)
    {
        var order = new List<string>();
        while (await annotator.NextAsync(projectId) is { } task)
        {
            var prompt = task.GetProperty("item").GetProperty("prompt").GetString()!;
            order.Add(prompt);
            (await annotator.SubmitAsync(task.AssignmentId(), choice?.Invoke(prompt) ?? "a")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        return order;
    }

    private static async Task<string> NextPromptAsync(HttpClient annotator, Guid projectId) =>
        (await annotator.NextAsync(projectId))!.Value.GetProperty("item").GetProperty("prompt").GetString()!;

    [Theory]
    [Databases]
    public async Task new_projects_serve_at_random_and_two_annotators_see_different_orders(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await CreateAsync(requester, overlap: 2, servingPolicy: null);
        var external = Enumerable.Range(1, 12).Select(i => $"q{i:D2}").ToList();
        (await requester.ImportAsync(projectId, external.Select(e => Line(e)))).EnsureSuccessStatusCode();
        var (_, first) = await server.AddUserAsync("ann1", Roles.Annotator);
        var (_, second) = await server.AddUserAsync("ann2", Roles.Annotator);

        var project = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}");
        project.GetProperty("servingPolicy").GetString().ShouldBe("random");
        var one = await WorkAllAsync(first, projectId);
        var two = await WorkAllAsync(second, projectId);

        one.Order(StringComparer.Ordinal).ToList().ShouldBe(external, "each annotator still gets every item once");
        two.Order(StringComparer.Ordinal).ToList().ShouldBe(external);
        two.ShouldNotBe(one, "the order is the annotator's own");
        one.ShouldNotBe(external, "and not the import order");
    }

    [Theory]
    [Databases]
    public async Task import_order_serves_every_annotator_the_items_as_imported(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await CreateAsync(requester, overlap: 2, servingPolicy: "import-order");
        var external = Enumerable.Range(1, 8).Select(i => $"q{i:D2}").ToList();
        (await requester.ImportAsync(projectId, external.Select(e => Line(e)))).EnsureSuccessStatusCode();

        (await WorkAllAsync((await server.AddUserAsync("ann1", Roles.Annotator)).Client, projectId)).ShouldBe(external);
        (await WorkAllAsync((await server.AddUserAsync("ann2", Roles.Annotator)).Client, projectId)).ShouldBe(external);
    }

    [Theory]
    [Databases]
    public async Task uncertainty_first_follows_model_scores_and_a_score_update_changes_what_is_served_next(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await CreateAsync(requester, overlap: 3, servingPolicy: "uncertainty-first");
        (await requester.ImportAsync(projectId,
        [
            Line("sure", new { a = 6.0, b = 0.0 }),
            Line("unsure", new { a = 0.1, b = 0.0 }),
            Line("fairly-sure", new { a = 2.0, b = 0.0 }),
        ])).EnsureSuccessStatusCode();
        var (_, first) = await server.AddUserAsync("ann1", Roles.Annotator);
        var (_, second) = await server.AddUserAsync("ann2", Roles.Annotator);
        var (third, thirdClient) = await server.AddUserAsync("ann3", Roles.Annotator);

        (await NextPromptAsync(first, projectId)).ShouldBe("unsure", "the model is least sure of it");
        (await NextPromptAsync(second, projectId)).ShouldBe("unsure", "one lease does not fill an item with overlap 3");

        // The training job retrains and now finds "sure" a coin toss.
        var updated = await requester.PostAsJsonAsync($"/api/v1/projects/{projectId}/scores", new
        {
            items = new object[]
            {
                new { externalId = "sure", scores = new { a = 0.0, b = 0.0 } },
                new { externalId = "unsure", scores = new { a = 5.0, b = 0.0 } },
            },
        });
        updated.StatusCode.ShouldBe(HttpStatusCode.OK, await updated.Content.ReadAsStringAsync());
        (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("updated").GetInt32().ShouldBe(2);

        (await NextPromptAsync(thirdClient, projectId)).ShouldBe("sure", "the order follows the new scores at once");

        var servings = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/items/unsure/servings");
        servings.GetArrayLength().ShouldBe(2);
        servings.EnumerateArray().ShouldAllBe(s => s.GetProperty("scores").GetProperty("a").GetDouble() == 0.1, "served under the first scores");
        var sure = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/items/sure/servings");
        sure.GetArrayLength().ShouldBe(1);
        sure[0].GetProperty("annotator").GetString().ShouldBe(await server.PseudonymAsync(projectId, third.Id));
        sure[0].GetProperty("scores").GetProperty("a").GetDouble().ShouldBe(0.0, "served under the new scores");
    }

    [Theory]
    [Databases]
    public async Task uncertainty_first_serves_a_split_vote_before_an_agreed_one(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await CreateAsync(requester, overlap: 3, servingPolicy: "uncertainty-first");
        (await requester.ImportAsync(projectId, [Line("agreed"), Line("split")])).EnsureSuccessStatusCode();

        await WorkAllAsync((await server.AddUserAsync("ann1", Roles.Annotator)).Client, projectId, _ => "a");
        await WorkAllAsync((await server.AddUserAsync("ann2", Roles.Annotator)).Client, projectId, prompt => prompt == "split" ? "b" : "a");

        var certainty = await server.QueryAsync(db => db.Items.ToDictionaryAsync(i => i.ExternalId, i => i.Certainty));
        certainty["split"].ShouldBeLessThan(certainty["agreed"]);
        (await NextPromptAsync((await server.AddUserAsync("ann3", Roles.Annotator)).Client, projectId)).ShouldBe("split");
    }

    [Theory]
    [Databases]
    public async Task gold_and_dynamic_overlap_keep_working_under_uncertainty_first(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "Serving",
            kind = "pairwise",
            overlap = 1,
            rationale = new { required = false, minChars = 0 },
            gold = new { rate = 0, calibration = 1 },
            dynamicOverlap = new { max = 3, targetConfidence = 0.99 },
            servingPolicy = "uncertainty-first",
        });
        (await requester.ImportAsync(projectId,
        [
            Line("q1"),
            Line("q2"),
            """{"externalId":"g1","prompt":"g1","responses":[{"id":"a","text":"x"},{"id":"b","text":"y"}],"gold":{"choice":"a","strength":2}}""",
        ])).EnsureSuccessStatusCode();

        var order = await WorkAllAsync((await server.AddUserAsync("ann1", Roles.Annotator)).Client, projectId);

        order[0].ShouldBe("g1", "calibration gold comes first under every policy");
        order.Skip(1).Order(StringComparer.Ordinal).ShouldBe(["q1", "q2"]);
        var targets = await server.QueryAsync(db => db.Items.Where(i => !i.IsGold).Select(i => i.TargetOverlap).ToListAsync());
        targets.ShouldAllBe(t => t == 2, "one answer is not confident enough: dynamic overlap asks for another");
        (await NextPromptAsync((await server.AddUserAsync("ann2", Roles.Annotator)).Client, projectId)).ShouldBe("g1");
    }

    [Theory]
    [Databases]
    public async Task the_owner_changes_the_policy_and_a_bad_one_is_named(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await CreateAsync(requester, overlap: 1, servingPolicy: "random");
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 6).Select(i => Line($"q{i}")))).EnsureSuccessStatusCode();

        var changed = await requester.PatchAsJsonAsync($"/api/v1/projects/{projectId}", new { servingPolicy = "import-order" });
        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("servingPolicy").GetString().ShouldBe("import-order");
        (await WorkAllAsync((await server.AddUserAsync("ann1", Roles.Annotator)).Client, projectId)).ShouldBe(["q1", "q2", "q3", "q4", "q5", "q6"]);

        var bad = await requester.PatchAsJsonAsync($"/api/v1/projects/{projectId}", new { servingPolicy = "newest-first" });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("servingPolicy")[0].GetString()!.ShouldContain("uncertainty-first");
        var badCreate = await requester.PostAsJsonAsync("/api/v1/projects", new { name = "x", servingPolicy = "newest-first" });
        badCreate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badCreate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("servingPolicy", out _).ShouldBeTrue();

        var (_, stranger) = await server.AddUserAsync("other", Roles.Requester);
        (await stranger.PatchAsJsonAsync($"/api/v1/projects/{projectId}", new { servingPolicy = "random" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [Databases]
    public async Task bad_scores_are_named_and_nothing_is_half_written(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await CreateAsync(requester, overlap: 1, servingPolicy: "uncertainty-first");
        (await requester.ImportAsync(projectId, [Line("q1", new { a = 1.0, b = 0.0 }), Line("q2")])).EnsureSuccessStatusCode();

        var badImport = await requester.ImportAsync(projectId, [Line("q3", new { a = 1.0, c = 2.0 })]);
        badImport.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badImport.Content.ReadAsStringAsync()).ShouldContain("scores.c: not a response id or label of this item");

        var response = await requester.PostAsJsonAsync($"/api/v1/projects/{projectId}/scores", new
        {
            items = new object[]
            {
                new { externalId = "q1", scores = new { a = 0.0, b = 0.0 } },
                new { externalId = "missing", scores = new { a = 0.0 } },
                new { externalId = "q2", scores = new { a = "high" } },
            },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("items[1].externalId")[0].GetString()!.ShouldContain("\"missing\" is not an item of this project");
        errors.GetProperty("items[2]")[0].GetString()!.ShouldContain("scores.a: must be a finite number");
        var stored = await server.QueryAsync(db => db.Items.OrderBy(i => i.ExternalId).Select(i => i.ScoresJson).ToListAsync());
        stored.ShouldBe(["""{"a":1,"b":0}""", null], "nothing is half-written");
    }
}
