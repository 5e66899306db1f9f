using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Work;

public sealed class GoldTests
{
    private static string GoldLine(string externalId, string choice = "a") =>
        Api.ItemLine(externalId)[..^1] + $$$""","gold":{"choice":"{{{choice}}}","strength":2,"explanation":"Paris is the capital."}}""";

    private static async Task<(VerityServer Server, HttpClient Requester, Guid ProjectId)> ProjectAsync(DatabaseProvider provider, object gold, int normal, int goldItems)
    {
        var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = "gold", kind = "pairwise", overlap = 1, rationale = new { required = false, minChars = 0 }, gold });
        var lines = Enumerable.Range(1, normal).Select(i => Api.ItemLine($"n{i}")).Concat(Enumerable.Range(1, goldItems).Select(i => GoldLine($"g{i}")));
        (await requester.ImportAsync(projectId, lines)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return (server, requester, projectId);
    }

    [Theory]
    [Databases]
    public async Task the_calibration_set_comes_first_and_gold_never_leaves_the_server_before_submission(DatabaseProvider provider)
    {
        var (server, requester, projectId) = await ProjectAsync(provider, new { rate = 0.0, calibration = 2 }, normal: 3, goldItems: 2);
        await using var running = server;
        var (_, client) = await server.AddUserAsync("ann", Roles.Annotator);

        var served = new List<string>();
        while (await client.GetAsync($"/api/v1/projects/{projectId}/next") is { StatusCode: HttpStatusCode.OK } response)
        {
            var raw = await response.Content.ReadAsStringAsync();
            raw.ShouldNotContain("gold", Case.Insensitive);
            raw.ShouldNotContain("explanation", Case.Insensitive);
            raw.ShouldNotContain("Paris is the capital.", Case.Sensitive);
            var task = JsonDocument.Parse(raw).RootElement;
            task.EnumerateObject().Select(p => p.Name).ShouldBe(["assignmentId", "projectId", "kind", "item", "expiresAt", "guidelineVersion", "leasedAt"]);
            served.Add(await server.QueryAsync(db => db.Assignments.Where(a => a.Id == task.AssignmentId()).Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => i.ExternalId).SingleAsync()));
            (await client.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();
        }

        served.Take(2).Order().ShouldBe(["g1", "g2"]);
        served.Skip(2).Order().ShouldBe(["n1", "n2", "n3"]);
        var view = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}");
        view.GetProperty("items").GetInt32().ShouldBe(3);
        view.GetProperty("goldItems").GetInt32().ShouldBe(2);
        view.GetProperty("completedItems").GetInt32().ShouldBe(3);
    }

    [Theory]
    [Databases]
    public async Task gold_is_served_at_the_gold_rate_and_only_while_real_work_remains(DatabaseProvider provider)
    {
        var (server, _, projectId) = await ProjectAsync(provider, new { rate = 0.5 }, normal: 40, goldItems: 40);
        await using var running = server;
        var (_, client) = await server.AddUserAsync("ann", Roles.Annotator);

        var gold = 0;
        var total = 0;
        while (await client.NextAsync(projectId) is { } task)
        {
            total++;
            if (await server.QueryAsync(db => db.Assignments.Where(a => a.Id == task.AssignmentId()).Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => i.IsGold).SingleAsync()))
                gold++;
            (await client.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();
        }

        (total - gold).ShouldBe(40, "every real item was served");
        // With rate 0.5 the number of gold tasks before the 40th real one is negative-binomial: mean 40, and
        // outside 15..80 with probability below 1e-4.
        gold.ShouldBeInRange(15, 40);
    }

    [Theory]
    [Databases]
    public async Task gold_items_stay_out_of_training_exports(DatabaseProvider provider)
    {
        var (server, requester, projectId) = await ProjectAsync(provider, new { calibration = 1 }, normal: 1, goldItems: 1);
        await using var running = server;
        var (_, client) = await server.AddUserAsync("ann", Roles.Annotator);
        while (await client.NextAsync(projectId) is { } task)
            (await client.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();

        var preference = await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=preference");
        preference.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("externalId").GetString()).ShouldBe(["n1"]);
        var annotations = (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=annotations"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        annotations.Count.ShouldBe(2);
        annotations.Single(a => a.GetProperty("externalId").GetString() == "g1").GetProperty("onGoldItem").GetBoolean().ShouldBeTrue();
        annotations.ShouldNotContain(a => a.GetProperty("answer").ToString().Contains("explanation"));
    }

    [Fact]
    public async Task a_gold_answer_of_the_wrong_shape_is_refused_on_import()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync();
        var response = await requester.ImportAsync(projectId, [GoldLine("g1", choice: "z")]);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("line 1")[0].GetString()!.ShouldStartWith("gold.choice:");
        var badRate = await requester.PostAsJsonAsync("/api/v1/projects", new { name = "x", gold = new { rate = 0.9 } });
        badRate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badRate.Content.ReadAsStringAsync()).ShouldContain("gold.rate");
    }

    [Theory]
    [Databases]
    public async Task a_gold_answer_is_scored_and_the_annotator_learns_why_when_the_project_allows(DatabaseProvider provider)
    {
        var (server, _, projectId) = await ProjectAsync(provider, new { feedback = true, calibration = 2 }, normal: 1, goldItems: 2);
        await using var running = server;
        var (_, client) = await server.AddUserAsync("ann", Roles.Annotator);

        var results = new List<JsonElement>();
        foreach (var choice in new[] { "b", "a" })
        {
            var task = (await client.NextAsync(projectId)).ShouldNotBeNull();
            var response = await client.SubmitAsync(task.AssignmentId(), choice, key: $"k-{choice}");
            results.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
            var replay = await client.SubmitAsync(task.AssignmentId(), choice, key: $"k-{choice}");
            (await replay.Content.ReadAsStringAsync()).ShouldBe(results[^1].GetRawText());
        }

        results[0].GetProperty("gold").GetProperty("matched").GetBoolean().ShouldBeFalse();
        results[0].GetProperty("gold").GetProperty("score").GetDouble().ShouldBe(0);
        results[0].GetProperty("gold").GetProperty("explanation").GetString().ShouldBe("Paris is the capital.");
        results[1].GetProperty("gold").GetProperty("matched").GetBoolean().ShouldBeTrue();
        (await server.QueryAsync(db => db.Annotations.OrderBy(a => a.Id).Select(a => a.GoldScore).ToListAsync())).ShouldBe([0.0, 1.0]);

        var real = (await client.NextAsync(projectId)).ShouldNotBeNull();
        var last = await (await client.SubmitAsync(real.AssignmentId(), "a")).Content.ReadFromJsonAsync<JsonElement>();
        last.GetProperty("gold").ValueKind.ShouldBe(JsonValueKind.Null, "a real item says nothing about gold");
    }

    [Fact]
    public async Task without_feedback_a_gold_answer_is_scored_but_nothing_is_said()
    {
        var (server, _, projectId) = await ProjectAsync(DatabaseProvider.Sqlite, new { calibration = 1 }, normal: 1, goldItems: 1);
        await using var running = server;
        var (_, client) = await server.AddUserAsync("ann", Roles.Annotator);
        var task = (await client.NextAsync(projectId)).ShouldNotBeNull();
        var result = await (await client.SubmitAsync(task.AssignmentId(), "a")).Content.ReadFromJsonAsync<JsonElement>();
        result.GetProperty("gold").ValueKind.ShouldBe(JsonValueKind.Null);
        (await server.QueryAsync(db => db.Annotations.Select(a => a.GoldScore).SingleAsync())).ShouldBe(1.0);
    }
}
