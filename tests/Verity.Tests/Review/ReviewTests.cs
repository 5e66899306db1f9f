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
        var projectId = await CreateProjectAsync(requester, overlap: 1, review: new { sampleRate = 1 });
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        await requester.AssignReviewerAsync(projectId, "rev");
        while (await annotator.NextAsync(projectId) is { } task)
            (await annotator.SubmitAsync(task.AssignmentId(), "b")).EnsureSuccessStatusCode();
        return (server, requester, projectId, annotator, reviewer);
    }

    private static Task<Guid> CreateProjectAsync(HttpClient requester, int overlap, object? review) =>
        requester.CreateProjectAsync(new
        {
            name = "Review",
            kind = "pairwise",
            overlap,
            guidelines = "Pick the better response.",
            rationale = new { required = true, minChars = 20 },
            review,
        });

    /// <summary>The owner leases the named item to the annotator, who answers it, with flags if given.</summary>
    private static async Task AnswerAsync(VerityServer server, HttpClient owner, (User User, HttpClient Client) annotator, Guid projectId, string externalId, string choice, params object[] flags)
    {
        var task = await owner.GetFromJsonAsync<JsonElement>(
            $"/api/v1/projects/{projectId}/next?externalId={externalId}&annotator={await server.PseudonymAsync(projectId, annotator.User.Id)}");
        var submitted = await annotator.Client.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit", new
        {
            choice,
            strength = 2,
            rationale = "The chosen response names the right city.",
            flags,
            idempotencyKey = Guid.NewGuid().ToString("N"),
        });
        submitted.StatusCode.ShouldBe(HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement[]> QueueAsync(HttpClient reviewer, Guid projectId) =>
        (await reviewer.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/review-queue"))!;

    private static string[] Reasons(JsonElement entry) =>
        entry.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToArray();

    [Theory]
    [Databases]
    public async Task a_rejected_annotation_stops_counting_and_its_item_goes_to_someone_else(DatabaseProvider provider)
    {
        var (server, requester, projectId, annotator, reviewer) = await LabelledAsync(provider);
        await using var running = server;
        var queue = await reviewer.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/review-queue");
        queue!.Length.ShouldBe(2);
        queue[0].GetProperty("annotator").ValueKind.ShouldBe(JsonValueKind.Null, "reviewers do not see who answered");
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
        rows.Single(a => a.Id == target).ReviewSampled.ShouldBeTrue("the project samples every annotation");
        rows.Single(a => a.Id == correctionId).ReviewSampled.ShouldBeFalse("a reviewer's correction is never sampled for review");
        (await server.QueryAsync(db => db.Reviews.SingleAsync())).CorrectionId.ShouldBe(correctionId);
        (await reviewer.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/review-queue"))!.Length.ShouldBe(1, "neither the original nor the correction waits for review");
        var export = (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=preference")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        export.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("chosenId").GetString()).Order().ShouldBe(["a", "b"]);
    }

    [Theory]
    [Databases]
    public async Task a_confident_unflagged_annotation_waits_for_review_only_when_the_sample_draws_it(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var unsampled = await CreateProjectAsync(requester, overlap: 3, review: null);
        var sampled = await CreateProjectAsync(requester, overlap: 3, review: new { sampleRate = 1 });
        foreach (var projectId in new[] { unsampled, sampled })
            (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        foreach (var name in new[] { "ann1", "ann2", "ann3" })
        {
            var annotator = await server.AddUserAsync(name, Roles.Annotator);
            await AnswerAsync(server, requester, annotator, unsampled, "q1", "a");
            await AnswerAsync(server, requester, annotator, sampled, "q1", "a");
        }
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        await requester.AssignReviewerAsync(unsampled, "rev");
        await requester.AssignReviewerAsync(sampled, "rev");

        (await QueueAsync(reviewer, unsampled)).ShouldBeEmpty("three agreeing answers are confident, and nothing was sampled");
        var queue = await QueueAsync(reviewer, sampled);
        queue.Length.ShouldBe(3);
        queue.ShouldAllBe(e => Reasons(e).SequenceEqual(new[] { "sampled" }));
        var view = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{sampled}");
        view.GetProperty("review").GetProperty("sampleRate").GetDouble().ShouldBe(1);
        view.GetProperty("review").GetProperty("showAnnotators").GetBoolean().ShouldBeFalse();
        (await server.QueryAsync(db => db.Annotations.Where(a => a.ProjectId == unsampled).CountAsync(a => a.ReviewSampled))).ShouldBe(0);
    }

    [Theory]
    [Databases]
    public async Task escalated_then_flagged_annotations_wait_for_review_without_a_sample(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await CreateProjectAsync(requester, overlap: 3, review: null);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        var first = await server.AddUserAsync("ann1", Roles.Annotator);
        var second = await server.AddUserAsync("ann2", Roles.Annotator);
        var third = await server.AddUserAsync("ann3", Roles.Annotator);
        await AnswerAsync(server, requester, first, projectId, "q1", "a");
        await AnswerAsync(server, requester, second, projectId, "q1", "a", new { name = "factually-wrong", note = "Response b is wrong." });
        await AnswerAsync(server, requester, third, projectId, "q1", "a");
        await AnswerAsync(server, requester, first, projectId, "q2", "a");
        await AnswerAsync(server, requester, second, projectId, "q2", "a");
        await AnswerAsync(server, requester, third, projectId, "q2", "a", new { name = "unsafe", note = "Gives dangerous advice." });
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        await requester.AssignReviewerAsync(projectId, "rev");

        var queue = await QueueAsync(reviewer, projectId);
        queue.Select(e => e.GetProperty("externalId").GetString()).ShouldBe(["q2", "q1"], "the escalated answer first, then the flagged one");
        Reasons(queue[0]).ShouldBe(["escalated", "flagged"]);
        Reasons(queue[1]).ShouldBe(["flagged"]);
    }

    [Theory]
    [Databases]
    public async Task annotations_on_low_confidence_items_wait_for_review_least_confident_first(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await CreateProjectAsync(requester, overlap: 3, review: null);
        (await requester.ImportAsync(projectId, [Api.ItemLine("agreed"), Api.ItemLine("split"), Api.ItemLine("torn")])).EnsureSuccessStatusCode();
        var first = await server.AddUserAsync("ann1", Roles.Annotator);
        var second = await server.AddUserAsync("ann2", Roles.Annotator);
        var third = await server.AddUserAsync("ann3", Roles.Annotator);
        foreach (var (annotator, choices) in new[] { (first, "aaa"), (second, "aab"), (third, "ab") })
        {
            await AnswerAsync(server, requester, annotator, projectId, "agreed", choices[0].ToString());
            await AnswerAsync(server, requester, annotator, projectId, "split", choices[1].ToString());
            if (choices.Length > 2)
                await AnswerAsync(server, requester, annotator, projectId, "torn", choices[2].ToString());
        }
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        await requester.AssignReviewerAsync(projectId, "rev");

        // Three agreeing answers reach the default target of 0.95; two against one, or one against one, do not.
        var queue = await QueueAsync(reviewer, projectId);
        queue.Select(e => e.GetProperty("externalId").GetString()).ShouldBe(["torn", "torn", "split", "split", "split"]);
        queue.ShouldAllBe(e => Reasons(e).SequenceEqual(new[] { "low-confidence" }));
    }

    [Theory]
    [Databases]
    public async Task reviewers_see_who_answered_only_when_the_project_shows_annotators(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var anonymous = await CreateProjectAsync(requester, overlap: 1, review: new { sampleRate = 1 });
        var named = await CreateProjectAsync(requester, overlap: 1, review: new { sampleRate = 1, showAnnotators = true });
        var annotator = await server.AddUserAsync("ann", Roles.Annotator);
        var annotatorUser = annotator.User;
        foreach (var projectId in new[] { anonymous, named })
        {
            (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
            await AnswerAsync(server, requester, annotator, projectId, "q1", "a");
        }
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        await requester.AssignReviewerAsync(anonymous, "rev");
        await requester.AssignReviewerAsync(named, "rev");

        var hidden = (await QueueAsync(reviewer, anonymous)).ShouldHaveSingleItem();
        hidden.GetProperty("annotator").ValueKind.ShouldBe(JsonValueKind.Null);
        var shown = (await QueueAsync(reviewer, named)).ShouldHaveSingleItem();
        var pseudonym = await server.PseudonymAsync(named, annotatorUser.Id);
        shown.GetProperty("annotator").GetString().ShouldBe(pseudonym);
        Reasons(shown).ShouldBe(["low-confidence", "sampled"], "one answer is not confident, and the sample took it");

        var anonymousPage = await reviewer.GetStringAsync($"/review/{anonymous}");
        anonymousPage.ShouldContain("low-confidence, sampled");
        anonymousPage.ShouldNotContain(await server.PseudonymAsync(anonymous, annotatorUser.Id));
        anonymousPage.ShouldNotContain(pseudonym);
        (await reviewer.GetStringAsync($"/review/{named}")).ShouldContain(pseudonym);
    }

    [Theory]
    [Databases]
    public async Task a_sample_rate_outside_zero_to_one_is_refused_by_name(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        foreach (var rate in new[] { -0.1, 1.5 })
        {
            var response = await requester.PostAsJsonAsync("/api/v1/projects", new { name = "Review", review = new { sampleRate = rate } });
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync()).ShouldContain("review.sampleRate");
        }
        (await server.QueryAsync(db => db.Projects.CountAsync())).ShouldBe(0);
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
