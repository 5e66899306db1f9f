using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>
/// Issue 11, item 7: the reviewer role opens no project by itself. An owner assigns reviewers to a project; a reviewer
/// sees and decides only the queues of their projects, and sees those projects without the settings that measure
/// annotators.
/// </summary>
public sealed class ReviewerScopeTests
{
    [Theory]
    [Databases]
    public async Task a_reviewer_sees_and_decides_only_the_queues_of_projects_they_are_assigned_to(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, owner) = await server.AddUserAsync("req", Roles.Requester);
        var (_, stranger) = await server.AddUserAsync("bob", Roles.Requester);
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        await server.AddUserAsync("ann-not-rev", Roles.Annotator);
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var review = new { sampleRate = 1 };
        var gold = new { rate = 0.2 };
        var assigned = await owner.CreateProjectAsync(new { name = "Assigned", kind = "pairwise", overlap = 1, rationale = new { required = false, minChars = 0 }, review, gold, servingPolicy = "import-order" });
        var other = await owner.CreateProjectAsync(new { name = "Other", kind = "pairwise", overlap = 1, rationale = new { required = false, minChars = 0 }, review, servingPolicy = "import-order" });
        foreach (var projectId in new[] { assigned, other })
        {
            (await owner.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
            var task = (await annotator.NextAsync(projectId)).ShouldNotBeNull();
            (await annotator.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();
        }

        // Before any assignment the reviewer sees no project at all.
        (await reviewer.GetFromJsonAsync<JsonElement[]>("/api/v1/projects"))!.ShouldBeEmpty();
        (await reviewer.GetAsync($"/api/v1/projects/{assigned}/review-queue")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Assigning: by the owner only, by name, to a reviewer only; a bad name is a 400 naming the field.
        (await stranger.PutAsync($"/api/v1/projects/{assigned}/reviewers/rev", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await reviewer.PutAsync($"/api/v1/projects/{assigned}/reviewers/rev", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var name in new[] { "nobody", "ann-not-rev" })
        {
            var refused = await owner.PutAsync($"/api/v1/projects/{assigned}/reviewers/{name}", null);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("name")[0].GetString()!.ShouldContain("no active reviewer");
        }
        await owner.AssignReviewerAsync(assigned, "rev");
        await owner.AssignReviewerAsync(assigned, "rev");
        (await owner.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{assigned}/reviewers"))!.ShouldHaveSingleItem().GetProperty("name").GetString().ShouldBe("rev");

        // The assigned project is listed without the settings that measure annotators; the other is not listed.
        var listed = (await reviewer.GetFromJsonAsync<JsonElement[]>("/api/v1/projects"))!.ShouldHaveSingleItem();
        listed.GetProperty("id").GetGuid().ShouldBe(assigned);
        foreach (var hidden in new[] { "gold", "repeats", "rules", "review", "defences", "goldItems" })
            listed.GetProperty(hidden).ValueKind.ShouldBe(JsonValueKind.Null, hidden);
        (await reviewer.GetAsync($"/api/v1/projects/{assigned}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the full settings are the owner's");

        var queue = (await reviewer.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{assigned}/review-queue"))!.ShouldHaveSingleItem();
        (await reviewer.GetAsync($"/review/{assigned}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reviewer.GetAsync($"/api/v1/projects/{assigned}/guidelines")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var elsewhere = await reviewer.GetAsync($"/api/v1/projects/{other}/review-queue");
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await elsewhere.Content.ReadAsStringAsync()).ShouldContain("does not exist or is not yours");
        (await reviewer.GetAsync($"/review/{other}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await reviewer.GetAsync($"/api/v1/projects/{other}/guidelines")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var otherAnnotation = (await owner.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{other}/review-queue"))!.ShouldHaveSingleItem().GetProperty("annotationId").GetGuid();
        (await reviewer.PostAsJsonAsync($"/api/v1/annotations/{otherAnnotation}/review", new { decision = "accept" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await server.QueryAsync(db => db.Reviews.CountAsync())).ShouldBe(0);
        (await reviewer.PostAsJsonAsync($"/api/v1/annotations/{queue.GetProperty("annotationId").GetGuid()}/review", new { decision = "accept" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Removing ends access at the next request; both changes are in the project's audit trail.
        (await owner.DeleteAsync($"/api/v1/projects/{assigned}/reviewers/rev")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await owner.DeleteAsync($"/api/v1/projects/{assigned}/reviewers/rev")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await reviewer.GetAsync($"/api/v1/projects/{assigned}/review-queue")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var events = await server.QueryAsync(db => db.AuditEvents.Where(e => e.ProjectId == assigned && e.Kind.StartsWith("project.reviewer")).OrderBy(e => e.Id).ToListAsync());
        events.Select(e => (e.Kind, e.Subject, e.ActorName)).ShouldBe([(AuditKinds.ReviewerAssigned, "rev", "req"), (AuditKinds.ReviewerRemoved, "rev", "req")],
            "assigning twice records one assignment");
    }
}
