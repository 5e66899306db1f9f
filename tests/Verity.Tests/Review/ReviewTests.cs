using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Review;

public sealed class ReviewTests
{
    private static async Task<(VerityServer Server, HttpClient Requester, Guid ProjectId, HttpClient Annotator, HttpClient Reviewer)> LabelledAsync(DatabaseProvider provider)
    {
        var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        while (await annotator.NextAsync(projectId) is { } task)
            (await annotator.SubmitAsync(task.AssignmentId(), "b")).EnsureSuccessStatusCode();
        return (server, requester, projectId, annotator, reviewer);
    }

    [Theory]
    [Databases]
    public async Task a_rejected_annotation_stops_counting_and_its_item_goes_to_someone_else(DatabaseProvider provider)
    {
        var (server, requester, projectId, annotator, reviewer) = await LabelledAsync(provider);
        await using var running = server;
        var queue = await reviewer.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/review-queue");
        queue!.Length.ShouldBe(2);
        queue[0].TryGetProperty("annotator", out var _).ShouldBeFalse("reviewers do not see who answered");
        var rejected = queue[0].GetProperty("annotationId").GetGuid();

        var noFeedback = await reviewer.PostAsJsonAsync($"/api/v1/annotations/{rejected}/review", new { decision = "reject" });
        noFeedback.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await reviewer.PostAsJsonAsync($"/api/v1/annotations/{rejected}/review", new { decision = "reject", feedback = "Lyon is not the capital." })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reviewer.PostAsJsonAsync($"/api/v1/annotations/{queue[1].GetProperty("annotationId").GetGuid()}/review", new { decision = "accept" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reviewer.PostAsJsonAsync($"/api/v1/annotations/{rejected}/review", new { decision = "accept" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        (await annotator.NextAsync(projectId)).ShouldBeNull("the first annotator never gets the item again");
        var (_, other) = await server.AddUserAsync("other", Roles.Annotator);
        var again = (await other.NextAsync(projectId)).ShouldNotBeNull("the rejected item is back in the pool");
        (await other.SubmitAsync(again.AssignmentId(), "a")).EnsureSuccessStatusCode();

        var feedback = await annotator.GetFromJsonAsync<JsonElement[]>("/api/v1/me/reviews");
        feedback!.Select(f => f.GetProperty("decision").GetString()).Order().ShouldBe(["accept", "reject"]);
        feedback!.Single(f => f.GetProperty("decision").GetString() == "reject").GetProperty("feedback").GetString().ShouldBe("Lyon is not the capital.");

        var export = (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=preference"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        export.Count.ShouldBe(2);
        export.Single(r => r.GetProperty("agreement").GetDouble() == 1 && r.GetProperty("chosenId").GetString() == "a").GetProperty("annotators").GetInt32().ShouldBe(1);
        var raw = (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=annotations")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        raw.Length.ShouldBe(3, "the rejected annotation is kept, marked");
        raw.Count(l => JsonDocument.Parse(l).RootElement.GetProperty("rejected").GetBoolean()).ShouldBe(1);
        (await server.QueryAsync(db => db.Items.SumAsync(i => i.SubmittedCount))).ShouldBe(2);
    }

    [Theory]
    [Databases]
    public async Task a_correction_is_stored_as_a_new_marked_annotation_that_replaces_the_original(DatabaseProvider provider)
    {
        var (server, requester, projectId, _, reviewer) = await LabelledAsync(provider);
        await using var running = server;
        var queue = await reviewer.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/review-queue");
        var target = queue![0].GetProperty("annotationId").GetGuid();

        var bad = await reviewer.PostAsJsonAsync($"/api/v1/annotations/{target}/review", new { decision = "correct", correction = new { choice = "z", strength = 2 } });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("choice");

        var corrected = await reviewer.PostAsJsonAsync($"/api/v1/annotations/{target}/review", new { decision = "correct", feedback = "Paris.", correction = new { choice = "a", strength = 3, rationale = "Paris is the capital." } });
        corrected.StatusCode.ShouldBe(HttpStatusCode.OK, await corrected.Content.ReadAsStringAsync());
        var correctionId = (await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("correctionId").GetGuid();

        var rows = await server.QueryAsync(db => db.Annotations.AsNoTracking().ToListAsync());
        rows.Count.ShouldBe(3);
        rows.Single(a => a.Id == target).AnswerJson.ShouldContain("\"b\"", customMessage: "the original is never changed");
        rows.Single(a => a.Id == correctionId).AnswerJson.ShouldContain("\"a\"");
        (await server.QueryAsync(db => db.Reviews.SingleAsync())).CorrectionId.ShouldBe(correctionId);
        (await reviewer.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/review-queue"))!.Length.ShouldBe(1, "neither the original nor the correction waits for review");
        var export = (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=preference")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        export.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("chosenId").GetString()).Order().ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task annotators_cannot_review_and_requesters_review_only_their_own_projects()
    {
        var (server, _, projectId, annotator, _) = await LabelledAsync(DatabaseProvider.Sqlite);
        await using var running = server;
        var (_, stranger) = await server.AddUserAsync("stranger", Roles.Requester);
        var annotationId = await server.QueryAsync(db => db.Annotations.Select(a => a.Id).FirstAsync());
        (await annotator.PostAsJsonAsync($"/api/v1/annotations/{annotationId}/review", new { decision = "accept" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.PostAsJsonAsync($"/api/v1/annotations/{annotationId}/review", new { decision = "accept" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/v1/projects/{projectId}/review-queue")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
