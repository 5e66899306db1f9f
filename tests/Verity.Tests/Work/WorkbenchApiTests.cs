using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Work;

public sealed class WorkbenchApiTests
{
    [Theory]
    [Databases]
    public async Task a_draft_is_kept_per_lease_until_the_answer_is_submitted(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var (_, other) = await server.AddUserAsync("other", Roles.Annotator);
        var task = (await annotator.NextAsync(projectId))!.Value;

        (await annotator.GetAsync($"/api/v1/assignments/{task.AssignmentId()}/draft")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var saved = await annotator.PutAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/draft", new { choice = "b", rationale = "Half a thought about Lyon" });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var draft = await annotator.GetFromJsonAsync<JsonElement>($"/api/v1/assignments/{task.AssignmentId()}/draft");
        draft.GetProperty("answer").GetProperty("choice").GetString().ShouldBe("b");
        draft.GetProperty("answer").GetProperty("rationale").GetString().ShouldBe("Half a thought about Lyon");

        (await other.GetAsync($"/api/v1/assignments/{task.AssignmentId()}/draft")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a draft is its annotator's alone");
        (await other.PutAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/draft", new { choice = "a" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var unknownField = await annotator.PutAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/draft", new { choise = "a" });
        unknownField.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await annotator.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();
        (await annotator.GetAsync($"/api/v1/assignments/{task.AssignmentId()}/draft")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await server.QueryAsync(db => db.Drafts.CountAsync())).ShouldBe(0);
        (await annotator.PutAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/draft", new { choice = "b" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Theory]
    [Databases]
    public async Task a_lease_that_ran_out_with_a_draft_comes_back_to_the_same_annotator_with_the_draft(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider, leaseMinutes: 15);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var first = (await annotator.NextAsync(projectId))!.Value;
        (await annotator.PutAsJsonAsync($"/api/v1/assignments/{first.AssignmentId()}/draft", new { choice = "a", rationale = "Typed before lunch" })).EnsureSuccessStatusCode();

        server.Clock.Advance(TimeSpan.FromMinutes(20));
        var again = (await annotator.NextAsync(projectId))!.Value;

        again.AssignmentId().ShouldBe(first.AssignmentId(), "the same item, leased again");
        again.GetProperty("expiresAt").GetDateTime().ShouldBe(server.Clock.GetUtcNow().UtcDateTime.AddMinutes(15));
        (await annotator.GetFromJsonAsync<JsonElement>($"/api/v1/assignments/{again.AssignmentId()}/draft"))
            .GetProperty("answer").GetProperty("rationale").GetString().ShouldBe("Typed before lunch");
        (await annotator.SubmitAsync(again.AssignmentId(), "a")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [Databases]
    public async Task a_lease_that_ran_out_is_not_renewed_once_someone_else_took_the_item(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider, leaseMinutes: 15);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var (_, other) = await server.AddUserAsync("other", Roles.Annotator);
        var first = (await annotator.NextAsync(projectId))!.Value;
        (await annotator.PutAsJsonAsync($"/api/v1/assignments/{first.AssignmentId()}/draft", new { choice = "a" })).EnsureSuccessStatusCode();
        server.Clock.Advance(TimeSpan.FromMinutes(20));
        var taken = (await other.NextAsync(projectId))!.Value;
        taken.AssignmentId().ShouldNotBe(first.AssignmentId());
        (await ItemOfAsync(server, taken.AssignmentId())).ShouldBe(await ItemOfAsync(server, first.AssignmentId()));
        (await other.SubmitAsync(taken.AssignmentId(), "b")).EnsureSuccessStatusCode();

        var next = await annotator.NextAsync(projectId);

        next.ShouldNotBeNull();
        next.Value.AssignmentId().ShouldNotBe(first.AssignmentId());
    }

    [Theory]
    [Databases]
    public async Task a_skip_is_recorded_counts_for_nothing_and_sends_the_item_to_someone_else(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        // Served in import order, so the skipped item is the next one anybody gets.
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "Skips",
            kind = "pairwise",
            overlap = 1,
            rationale = new { required = false, minChars = 0 },
            servingPolicy = "import-order",
        });
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        var (skipper, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var (_, other) = await server.AddUserAsync("other", Roles.Annotator);
        var task = (await annotator.NextAsync(projectId))!.Value;
        var skippedItem = await ItemOfAsync(server, task.AssignmentId());

        var bad = await annotator.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/skip", new { reason = "bored" });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("reason")[0].GetString()!.ShouldContain("outside-expertise, unclear, broken, too-long, cannot-assess");
        (await server.QueryAsync(db => db.Skips.CountAsync())).ShouldBe(0, "nothing is half-written");

        var skipped = await annotator.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/skip", new { reason = "unclear", note = "Which France?" });
        skipped.StatusCode.ShouldBe(HttpStatusCode.OK, await skipped.Content.ReadAsStringAsync());
        var again = await annotator.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/skip", new { reason = "broken" });
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString().ShouldBe("unclear", "a repeated skip returns the first");
        (await annotator.SubmitAsync(task.AssignmentId(), "a")).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var skip = await server.QueryAsync(db => db.Skips.SingleAsync());
        (skip.AnnotatorId, skip.ItemId, skip.Reason, skip.Note).ShouldBe((skipper.Id, skippedItem, "unclear", "Which France?"));
        (await server.QueryAsync(db => db.Items.SingleAsync(i => i.Id == skippedItem))).SubmittedCount.ShouldBe(0);

        // The other annotator gets the skipped item at once (overlap 1); the skipper gets only the other one.
        var otherTask = (await other.NextAsync(projectId))!.Value;
        (await ItemOfAsync(server, otherTask.AssignmentId())).ShouldBe(skippedItem);
        var next = (await annotator.NextAsync(projectId))!.Value;
        (await ItemOfAsync(server, next.AssignmentId())).ShouldNotBe(skippedItem);
        (await annotator.SubmitAsync(next.AssignmentId(), "a")).EnsureSuccessStatusCode();
        (await annotator.NextAsync(projectId)).ShouldBeNull("the skipped item is never served to the skipper again");
    }

    [Theory]
    [Databases]
    public async Task cannot_assess_is_a_skip_reason_that_needs_no_answer(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var task = (await annotator.NextAsync(projectId))!.Value;

        (await annotator.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/skip", new { reason = "cannot-assess", note = "Needs a geographer" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        (await server.QueryAsync(db => db.Skips.SingleAsync())).Reason.ShouldBe("cannot-assess");
        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(0);
    }

    [Theory]
    [Databases]
    public async Task a_changed_answer_supersedes_the_old_one_which_stays_as_history(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var task = (await annotator.NextAsync(projectId))!.Value;
        var submitted = await (await annotator.SubmitAsync(task.AssignmentId(), "b", rationale: "Lyon, I misread the question at first.")).Content.ReadFromJsonAsync<JsonElement>();
        var firstId = submitted.GetProperty("annotationId").GetGuid();
        (await server.QueryAsync(db => db.Items.SingleAsync())).Label.ShouldBe("b");

        server.Clock.Advance(TimeSpan.FromMinutes(2));
        var change = new { choice = "a", strength = 3, rationale = "Paris is the capital; Lyon is not.", idempotencyKey = "change-1" };
        var revised = await annotator.PostAsJsonAsync($"/api/v1/annotations/{firstId}/revise", change);
        revised.StatusCode.ShouldBe(HttpStatusCode.OK, await revised.Content.ReadAsStringAsync());
        var secondId = (await revised.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("annotationId").GetGuid();
        var replay = await annotator.PostAsJsonAsync($"/api/v1/annotations/{firstId}/revise", change);
        (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("annotationId").GetGuid().ShouldBe(secondId, "a replayed change is stored once");

        var stored = await server.QueryAsync(db => db.Annotations.OrderBy(a => a.CreatedAt).ToListAsync());
        stored.Count.ShouldBe(2, "the first answer is kept");
        stored[1].SupersedesId.ShouldBe(firstId);
        stored[1].AssignmentId.ShouldBe(stored[0].AssignmentId);
        var item = await server.QueryAsync(db => db.Items.SingleAsync());
        (item.Label, item.SubmittedCount).ShouldBe(("a", 1));

        var export = await requester.GetAsync($"/api/v1/projects/{projectId}/export?format=preference");
        var record = JsonDocument.Parse(await export.Content.ReadAsStringAsync()).RootElement;
        record.GetProperty("chosen").GetString().ShouldBe("Paris is the capital of France.");
        record.GetProperty("annotators").GetInt32().ShouldBe(1);
        var annotations = (await (await requester.GetAsync($"/api/v1/projects/{projectId}/export?format=annotations")).Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        annotations.Length.ShouldBe(1, "the annotations export lists only the newest answer");

        (await annotator.PostAsJsonAsync($"/api/v1/annotations/{firstId}/revise", change with { idempotencyKey = "change-2" }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict, "only the newest version can be changed");
        var bad = await annotator.PostAsJsonAsync($"/api/v1/annotations/{secondId}/revise", new { choice = "c", idempotencyKey = "change-3" });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        server.Clock.Advance(TimeSpan.FromMinutes(4));
        (await annotator.PostAsJsonAsync($"/api/v1/annotations/{secondId}/revise", change with { idempotencyKey = "change-4" }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict, "the undo window (5 minutes) counts from the first submission");
        var (_, stranger) = await server.AddUserAsync("stranger", Roles.Annotator);
        (await stranger.PostAsJsonAsync($"/api/v1/annotations/{secondId}/revise", change with { idempotencyKey = "change-5" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static Task<Guid> ItemOfAsync(VerityServer server, Guid assignmentId) =>
        server.QueryAsync(db => db.Assignments.Where(a => a.Id == assignmentId).Select(a => a.ItemId).SingleAsync());
}
