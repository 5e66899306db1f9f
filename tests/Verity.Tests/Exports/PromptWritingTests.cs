using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Exports;

/// <summary>The prompt-writing kind through the HTTP API, on both databases: create, import, write, export as prompts.</summary>
public sealed class PromptWritingTests
{
    private static readonly object Rubric = new { minChars = 20, settings = new { category = "Python debugging", difficulty = "hard" } };

    private static async Task<(VerityServer Server, HttpClient Requester, Guid ProjectId, HttpClient Annotator)> SetUpAsync(DatabaseProvider provider)
    {
        var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = "prompts", kind = "prompt-writing", overlap = 1, guidelines = "Make it hard.", rationale = new { required = false, minChars = 0 }, rubric = Rubric });
        var briefs = new[] { "p1", "p2" }.Select(id => JsonSerializer.Serialize(new { externalId = id, prompt = "A bug that only shows with mutable default arguments." }));
        (await requester.ImportAsync(projectId, briefs)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return (server, requester, projectId, (await server.AddUserAsync("ann", Roles.Annotator)).Client);
    }

    private static async Task<HttpResponseMessage> SubmitNextAsync(HttpClient annotator, Guid projectId, object answer)
    {
        var task = (await annotator.NextAsync(projectId)).ShouldNotBeNull();
        task.GetProperty("kind").GetString().ShouldBe("prompt-writing");
        task.GetProperty("item").GetProperty("responses").GetArrayLength().ShouldBe(0);
        var body = JsonSerializer.SerializeToNode(answer)!.AsObject();
        body["idempotencyKey"] = Guid.NewGuid().ToString("N");
        return await annotator.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit", body);
    }

    [Theory]
    [Databases]
    public async Task written_prompts_export_as_a_prompt_dataset_with_category_and_difficulty(DatabaseProvider provider)
    {
        var (server, requester, projectId, annotator) = await SetUpAsync(provider);
        await using var _ = server;
        const string prompt = "Why does appending to a list default argument leak between calls? def f(x, acc=[]): acc.append(x); return acc";
        (await SubmitNextAsync(annotator, projectId, new { text = prompt, idealAnswer = "The default is evaluated once; use None." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SubmitNextAsync(annotator, projectId, new { text = "Find the bug in this closure that captures a loop variable late." })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await requester.GetAsync($"/api/v1/projects/{projectId}/export?format=prompts");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var records = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        records.Count.ShouldBe(2);
        var first = records.Single(r => r.GetProperty("prompt").GetString() == prompt);
        first.GetProperty("idealAnswer").GetString().ShouldBe("The default is evaluated once; use None.");
        first.GetProperty("category").GetString().ShouldBe("Python debugging");
        first.GetProperty("difficulty").GetString().ShouldBe("hard");
        first.GetProperty("externalId").GetString().ShouldBeOneOf("p1", "p2");
        first.GetProperty("annotator").GetString().ShouldNotBeNullOrEmpty();
        records.Single(r => r.GetProperty("prompt").GetString() != prompt).TryGetProperty("idealAnswer", out var none).ShouldBeFalse(none.ToString());

        var wrong = await requester.GetAsync($"/api/v1/projects/{projectId}/export?format=sft");
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("use one of: prompts, annotations");
    }

    [Theory]
    [Databases]
    public async Task a_short_prompt_or_a_field_of_another_kind_is_a_400_naming_the_field_and_stores_nothing(DatabaseProvider provider)
    {
        var (server, _, projectId, annotator) = await SetUpAsync(provider);
        await using var _ = server;
        var response = await SubmitNextAsync(annotator, projectId, new { text = "too short", choice = "a" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("text")[0].GetString()!.ShouldContain("at least 20 characters");
        errors.GetProperty("choice")[0].GetString()!.ShouldContain("is not used by a prompt-writing task");
        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(0);
    }

    [Theory]
    [Databases]
    public async Task a_project_without_a_valid_category_and_difficulty_is_refused_field_by_field(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var response = await requester.PostAsJsonAsync("/api/v1/projects", new
        {
            name = "prompts",
            kind = "prompt-writing",
            overlap = 1,
            guidelines = "g",
            rubric = new { settings = new Dictionary<string, string> { ["difficulty"] = "impossible", ["topic"] = "x" } },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("rubric.settings.category")[0].GetString()!.ShouldContain("is required");
        errors.GetProperty("rubric.settings.difficulty")[0].GetString()!.ShouldContain("easy, medium, hard, expert");
        errors.GetProperty("rubric.settings.topic")[0].GetString()!.ShouldContain("is not a setting");
        (await server.QueryAsync(db => db.Projects.CountAsync())).ShouldBe(0);
    }
}
