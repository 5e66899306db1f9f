using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Exports;

/// <summary>Import, submit and export for every task kind, through the HTTP API, on both databases.</summary>
public sealed class TaskKindRoundTripTests
{
    private static async Task<(VerityServer Server, HttpClient Requester, Guid ProjectId, List<HttpClient> Annotators)> SetUpAsync(
        DatabaseProvider provider, string kind, int overlap, object? rubric, IEnumerable<object> items, int annotators = 2)
    {
        var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = $"{kind} project", kind, overlap, guidelines = "## Pick the better response\nPrefer **correct** over long.", rationale = new { required = false, minChars = 0 }, rubric });
        var import = await requester.ImportAsync(projectId, items.Select(i => JsonSerializer.Serialize(i)));
        import.StatusCode.ShouldBe(HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
        var clients = new List<HttpClient>();
        for (var i = 0; i < annotators; i++)
            clients.Add((await server.AddUserAsync($"ann{i}", Roles.Annotator)).Client);
        return (server, requester, projectId, clients);
    }

    private static async Task<JsonElement> SubmitNextAsync(HttpClient annotator, Guid projectId, Func<JsonElement, object> answer)
    {
        var task = (await annotator.NextAsync(projectId)).ShouldNotBeNull();
        var body = JsonSerializer.SerializeToNode(answer(task))!.AsObject();
        body["idempotencyKey"] = Guid.NewGuid().ToString("N");
        var response = await annotator.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit", body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return task;
    }

    private static async Task<(List<JsonElement> Records, string Skipped)> ExportAsync(HttpClient requester, Guid projectId, string format, string pairs = "all")
    {
        var response = await requester.GetAsync($"/api/v1/projects/{projectId}/export?format={format}&pairs={pairs}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var records = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        return (records, response.Headers.GetValues("X-Verity-Skipped").Single());
    }

    private static string Shown(JsonElement task, int index) => task.GetProperty("item").GetProperty("responses")[index].GetProperty("id").GetString()!;

    [Theory]
    [Databases]
    public async Task rankings_export_as_implied_preference_pairs(DatabaseProvider provider)
    {
        var item = new { externalId = "r1", prompt = "Best sorting algorithm for nearly sorted data?", responses = new[] { new { id = "a", text = "Insertion sort." }, new { id = "b", text = "Bogosort." }, new { id = "c", text = "Timsort." } } };
        var (server, requester, projectId, annotators) = await SetUpAsync(provider, "ranking", 2, null, [item]);
        await using var _ = server;
        foreach (var annotator in annotators)
        {
            var task = await SubmitNextAsync(annotator, projectId, _ => new { ranks = new Dictionary<string, int> { ["c"] = 1, ["a"] = 2, ["b"] = 3 } });
            task.GetProperty("kind").GetString().ShouldBe("ranking");
            task.GetProperty("item").GetProperty("responses").GetArrayLength().ShouldBe(3);
        }

        var (all, _) = await ExportAsync(requester, projectId, "preference");
        all.Select(r => $"{r.GetProperty("chosenId").GetString()}>{r.GetProperty("rejectedId").GetString()}").Order(StringComparer.Ordinal).ShouldBe(["a>b", "c>a", "c>b"]);
        var (bestWorst, _) = await ExportAsync(requester, projectId, "preference", "best-worst");
        bestWorst.Single().GetProperty("chosen").GetString().ShouldBe("Timsort.");
        bestWorst.Single().GetProperty("rejected").GetString().ShouldBe("Bogosort.");
        bestWorst.Single().GetProperty("margin").GetDouble().ShouldBe(2);

        var (chat, _) = await ExportAsync(requester, projectId, "preference-chat", "best-worst");
        var chosen = chat.Single().GetProperty("chosen");
        chosen[0].GetProperty("role").GetString().ShouldBe("user");
        chosen[0].GetProperty("content").GetString().ShouldBe(item.prompt);
        chosen[1].GetProperty("role").GetString().ShouldBe("assistant");
        chosen[1].GetProperty("content").GetString().ShouldBe("Timsort.");
        chat.Single().GetProperty("rejected")[1].GetProperty("content").GetString().ShouldBe("Bogosort.");
    }

    [Theory]
    [Databases]
    public async Task ratings_export_a_summary_per_dimension(DatabaseProvider provider)
    {
        var rubric = new { dimensions = new object[] { new { name = "accuracy", anchors = new Dictionary<string, string> { ["1"] = "wrong", ["5"] = "right" } }, new { name = "safety", allowNa = true } } };
        var item = new { externalId = "q1", prompt = "Boiling point of water at sea level?", responses = new[] { new { id = "r", text = "100 °C." } } };
        var (server, requester, projectId, annotators) = await SetUpAsync(provider, "rating", 2, rubric, [item]);
        await using var _ = server;
        await SubmitNextAsync(annotators[0], projectId, _ => new { scores = new Dictionary<string, int?> { ["accuracy"] = 5, ["safety"] = null } });
        await SubmitNextAsync(annotators[1], projectId, _ => new { scores = new Dictionary<string, int?> { ["accuracy"] = 4, ["safety"] = 5 } });

        var (records, skipped) = await ExportAsync(requester, projectId, "ratings");
        skipped.ShouldBe("none");
        var scores = records.Single().GetProperty("scores");
        scores.GetProperty("accuracy").GetProperty("mean").GetDouble().ShouldBe(4.5);
        scores.GetProperty("accuracy").GetProperty("spread").GetDouble().ShouldBe(0.5);
        scores.GetProperty("accuracy").GetProperty("count").GetInt32().ShouldBe(2);
        scores.GetProperty("safety").GetProperty("notApplicable").GetInt32().ShouldBe(1);
        records.Single().GetProperty("response").GetString().ShouldBe("100 °C.");
    }

    [Theory]
    [Databases]
    public async Task an_invalid_rating_is_a_clear_400_and_stores_nothing(DatabaseProvider provider)
    {
        var item = new { externalId = "q1", prompt = "p", responses = new[] { new { id = "r", text = "t" } } };
        var (server, _, projectId, annotators) = await SetUpAsync(provider, "rating", 1, null, [item], annotators: 1);
        await using var _ = server;
        var task = (await annotators[0].NextAsync(projectId)).ShouldNotBeNull();
        var response = await annotators[0].PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit",
            new { scores = new Dictionary<string, int> { ["accuracy"] = 9, ["tone"] = 3 }, idempotencyKey = "k" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("scores.accuracy")[0].GetString()!.ShouldContain("9 is out of range");
        errors.GetProperty("scores.instructions")[0].GetString()!.ShouldContain("is missing");
        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(0);
    }

    [Theory]
    [Databases]
    public async Task demonstrations_and_changed_rewrites_export_as_sft_conversations(DatabaseProvider provider)
    {
        var demo = new { externalId = "d1", prompt = "Summarise the passage.", reference = "The passage: water boils at 100 °C at sea level." };
        var (server, requester, projectId, annotators) = await SetUpAsync(provider, "demonstration", 1, new { minChars = 20 }, [demo], annotators: 1);
        await using (server)
        {
            var task = await SubmitNextAsync(annotators[0], projectId, _ => new { text = "At sea level, water boils at 100 °C." });
            task.GetProperty("item").GetProperty("reference").GetString().ShouldBe(demo.reference);
            var (records, _) = await ExportAsync(requester, projectId, "sft");
            var messages = records.Single().GetProperty("messages");
            messages[0].GetProperty("content").GetString().ShouldBe(demo.prompt);
            messages[1].GetProperty("role").GetString().ShouldBe("assistant");
            messages[1].GetProperty("content").GetString().ShouldBe("At sea level, water boils at 100 °C.");
            records.Single().GetProperty("source").GetString().ShouldBe("demonstration");
        }

        var original = "Water boils at 90 °C at sea level.";
        var items = new[] { "w1", "w2" }.Select(id => new { externalId = id, prompt = "When does water boil?", responses = new[] { new { id = "r", text = original } } });
        (server, requester, projectId, annotators) = await SetUpAsync(provider, "rewrite", 1, new { minChars = 10 }, items, annotators: 1);
        await using (server)
        {
            await SubmitNextAsync(annotators[0], projectId, _ => new { text = "Water boils at 100 °C at sea level." });
            await SubmitNextAsync(annotators[0], projectId, _ => new { text = original });
            var (records, skipped) = await ExportAsync(requester, projectId, "sft");
            records.Single().GetProperty("messages")[1].GetProperty("content").GetString().ShouldBe("Water boils at 100 °C at sea level.");
            records.Single().GetProperty("source").GetString().ShouldBe("rewrite");
            skipped.ShouldBe("unchanged-rewrite=1");

            var (annotations, _) = await ExportAsync(requester, projectId, "annotations");
            var diff = annotations.Select(a => a.GetProperty("answer")).Single(a => a.GetProperty("changed").GetBoolean()).GetProperty("diff");
            diff.EnumerateArray().Select(d => $"{d.GetProperty("op").GetString()}:{d.GetProperty("text").GetString()}")
                .ShouldBe(["equal:Water boils at ", "delete:90 ", "insert:100 ", "equal:°C at sea level."]);
        }
    }

    [Theory]
    [Databases]
    public async Task classifications_export_the_majority_labels_with_confidence(DatabaseProvider provider)
    {
        var rubric = new { labels = new[] { "helpful", "harmful", "refusal" }, multiLabel = true };
        var item = new { externalId = "c1", prompt = "How do I clean a kettle?", responses = new[] { new { id = "r", text = "Boil water with vinegar, then rinse." } } };
        var (server, requester, projectId, annotators) = await SetUpAsync(provider, "classification", 3, rubric, [item], annotators: 3);
        await using var _ = server;
        await SubmitNextAsync(annotators[0], projectId, _ => new { labels = new[] { "helpful" } });
        await SubmitNextAsync(annotators[1], projectId, _ => new { labels = new[] { "helpful", "harmful" } });
        await SubmitNextAsync(annotators[2], projectId, _ => new { labels = new[] { "helpful" } });

        var (records, _) = await ExportAsync(requester, projectId, "classification");
        var record = records.Single();
        record.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ShouldBe(["helpful"]);
        record.GetProperty("confidence").GetDouble().ShouldBe(0.6667);
        record.GetProperty("votes").GetProperty("harmful").GetInt32().ShouldBe(1);
    }

    [Theory]
    [Databases]
    public async Task an_escalating_flag_queues_the_item_for_the_owner_and_keeps_it_out_of_exports(DatabaseProvider provider)
    {
        var (server, requester, projectId, annotators) = await SetUpAsync(provider, "pairwise", 1, null,
            [JsonDocument.Parse(Api.ItemLine("safe")).RootElement, JsonDocument.Parse(Api.ItemLine("risky")).RootElement], annotators: 1);
        await using var _ = server;
        for (var i = 0; i < 2; i++)
        {
            var task = (await annotators[0].NextAsync(projectId)).ShouldNotBeNull();
            var externalId = await server.QueryAsync(db => db.Assignments.Where(a => a.Id == task.AssignmentId())
                .Join(db.Items, a => a.ItemId, it => it.Id, (a, it) => it.ExternalId).SingleAsync());
            object body = externalId == "risky"
                ? new { choice = "a", strength = 1, flags = new[] { new { name = "unsafe", note = "Gives a dangerous dose." } }, idempotencyKey = externalId }
                : new { choice = "a", strength = 1, idempotencyKey = externalId };
            (await annotators[0].PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var escalations = await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/escalations");
        escalations.ShouldNotBeNull();
        escalations.Single().GetProperty("externalId").GetString().ShouldBe("risky");
        escalations.Single().GetProperty("flags")[0].GetProperty("note").GetString().ShouldBe("Gives a dangerous dose.");
        var (records, skipped) = await ExportAsync(requester, projectId, "preference");
        records.Select(r => r.GetProperty("externalId").GetString()).ShouldBe(["safe"]);
        skipped.ShouldBe("escalated=1");
        (await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}")).GetProperty("escalated").GetInt32().ShouldBe(1);
    }

    [Theory]
    [Databases]
    public async Task a_guideline_change_must_be_opened_before_the_next_task(DatabaseProvider provider)
    {
        var (server, requester, projectId, annotators) = await SetUpAsync(provider, "pairwise", 1, null,
            Enumerable.Range(1, 3).Select(i => (object)JsonDocument.Parse(Api.ItemLine($"q{i}")).RootElement), annotators: 2);
        await using var _ = server;
        await SubmitNextAsync(annotators[0], projectId, _ => new { choice = "a", strength = 1 });

        var revised = await requester.PutAsJsonAsync($"/api/v1/projects/{projectId}/guidelines", new { markdown = "## Pick the better response\nPrefer **correct** over long.\nNever reward made-up citations." });
        (await revised.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32().ShouldBe(2);

        var blocked = await annotators[0].GetAsync($"/api/v1/projects/{projectId}/next");
        blocked.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await blocked.Content.ReadAsStringAsync()).ShouldContain("guidelines changed to version 2");
        (await annotators[1].NextAsync(projectId)).ShouldNotBeNull("someone new to the project reads the current version in the task panel");

        var guidelines = await annotators[0].GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/guidelines");
        guidelines.GetProperty("version").GetInt32().ShouldBe(2);
        guidelines.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("op").GetString() == "insert").GetProperty("text").GetString()
            .ShouldBe("Never reward made-up citations.\n");
        (await annotators[0].PostAsJsonAsync($"/api/v1/projects/{projectId}/guidelines/ack", new { version = 2 })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await SubmitNextAsync(annotators[0], projectId, _ => new { choice = "b", strength = 2 });
        (await server.QueryAsync(db => db.Annotations.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).Select(a => a.GuidelineVersion).ToListAsync())).ShouldBe([1, 2]);
    }

    [Fact]
    public async Task a_format_that_does_not_fit_the_kind_is_refused()
    {
        var item = new { externalId = "q1", prompt = "p", responses = new[] { new { id = "r", text = "t" } } };
        var (server, requester, projectId, _) = await SetUpAsync(DatabaseProvider.Sqlite, "rating", 1, null, [item], annotators: 0);
        await using var _ = server;
        var response = await requester.GetAsync($"/api/v1/projects/{projectId}/export?format=sft");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("sft does not apply to a rating project");
    }

    [Fact]
    public async Task items_must_carry_the_responses_their_kind_needs()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = "r", kind = "ranking", overlap = 1 });
        var response = await requester.ImportAsync(projectId, [Api.ItemLine("two-only")]);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("a ranking item needs 3 to 9 responses, found 2");
    }

    [Fact]
    public async Task a_malformed_rubric_is_a_400_naming_the_field_and_no_project_is_made()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var response = await requester.PostAsJsonAsync("/api/v1/projects", new { name = "c", kind = "classification", rubric = new { labels = new[] { "only" } } });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("rubric.labels")[0].GetString()!.ShouldContain("at least 2 labels");
        (await server.QueryAsync(db => db.Projects.CountAsync())).ShouldBe(0);
    }

    public static TheoryData<string, object?, string, string> InvalidAnswers => new()
    {
        { "ranking", null, """{"ranks":{"a":1,"b":2}}""", "ranks.c" },
        { "rating", null, """{"scores":{"accuracy":3,"instructions":3,"completeness":3,"tone":3}}""", "scores.safety" },
        { "rating", null, """{"scores":{"accuracy":0,"instructions":3,"completeness":3,"tone":3,"safety":3}}""", "scores.accuracy" },
        { "classification", new { labels = new[] { "helpful", "harmful" } }, """{"labels":["spam"]}""", "labels" },
    };

    [Theory]
    [MemberData(nameof(InvalidAnswers))]
    public async Task an_answer_that_breaks_the_rubric_is_a_400_naming_the_field_and_stores_nothing(string kind, object? rubric, string answer, string field)
    {
        var responses = kind == "ranking"
            ? new[] { new { id = "a", text = "A" }, new { id = "b", text = "B" }, new { id = "c", text = "C" } }
            : [new { id = "r", text = "R" }];
        var (server, _, projectId, annotators) = await SetUpAsync(DatabaseProvider.Sqlite, kind, 1, rubric, [new { externalId = "x", prompt = "p", responses }], annotators: 1);
        await using var running = server;
        var task = (await annotators[0].NextAsync(projectId)).ShouldNotBeNull();
        var body = System.Text.Json.Nodes.JsonNode.Parse(answer)!.AsObject();
        body["idempotencyKey"] = "k";
        var response = await annotators[0].PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(0);
        (await server.QueryAsync(db => db.Items.SumAsync(i => i.SubmittedCount))).ShouldBe(0);
    }
}
