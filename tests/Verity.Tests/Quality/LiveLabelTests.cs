using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Quality;

public sealed class LiveLabelTests
{
    [Theory]
    [Databases]
    public async Task dynamic_overlap_stops_a_confident_item_early_and_gives_a_disputed_one_more_annotators(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "dynamic",
            kind = "pairwise",
            overlap = 2,
            rationale = new { required = false, minChars = 0 },
            dynamicOverlap = new { max = 5, targetConfidence = 0.95 },
        });
        (await requester.ImportAsync(projectId, [Api.ItemLine("clear"), Api.ItemLine("disputed")])).EnsureSuccessStatusCode();

        for (var n = 0; n < 7; n++)
        {
            var (_, client) = await server.AddUserAsync($"ann{n}", Roles.Annotator);
            while (await client.NextAsync(projectId) is { } task)
            {
                var externalId = await server.QueryAsync(db => db.Assignments.Where(a => a.Id == task.AssignmentId()).Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => i.ExternalId).SingleAsync());
                (await client.SubmitAsync(task.AssignmentId(), externalId == "clear" || n % 2 == 0 ? "a" : "b")).EnsureSuccessStatusCode();
            }
        }

        var labels = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/labels"))!
            .ToDictionary(l => l.GetProperty("externalId").GetString()!, StringComparer.Ordinal);
        // Shared accuracy 0.75 over a, b and tie: two agreeing votes give 0.947, three give 0.991.
        labels["clear"].GetProperty("annotators").GetInt32().ShouldBe(3);
        labels["clear"].GetProperty("label").GetString().ShouldBe("a");
        labels["clear"].GetProperty("confidence").GetDouble().ShouldBe(0.9908, 1e-4);
        labels["disputed"].GetProperty("annotators").GetInt32().ShouldBe(5, "disagreement keeps it going up to the maximum");
        labels["disputed"].GetProperty("label").GetString().ShouldBe("a");
        labels["disputed"].GetProperty("confidence").GetDouble().ShouldBeLessThan(0.95);

        // Measuring the project (the owner's request does it at once) fits Dawid–Skene over every answer and relabels
        // the items with it; the clear item stays clear.
        (await requester.GetAsync($"/api/v1/projects/{projectId}/annotators")).EnsureSuccessStatusCode();
        var fitted = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/labels"))!
            .ToDictionary(l => l.GetProperty("externalId").GetString()!, StringComparer.Ordinal);
        fitted["clear"].GetProperty("label").GetString().ShouldBe("a");
        fitted["clear"].GetProperty("confidence").GetDouble().ShouldBeGreaterThan(0.9);
        fitted["disputed"].GetProperty("label").GetString().ShouldBeOneOf("a", "b");
    }

    [Theory]
    [Databases]
    public async Task a_mace_project_relabels_its_items_from_the_mace_fit(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "mace",
            kind = "pairwise",
            overlap = 4,
            aggregation = "mace",
            rationale = new { required = false, minChars = 0 },
        });
        string[] ids = ["q1", "q2", "q3", "q4", "q5", "q6"];
        (await requester.ImportAsync(projectId, [.. ids.Select(id => Api.ItemLine(id))])).EnsureSuccessStatusCode();

        // Three annotators agree that odd items go to a and even ones to b; the fourth always answers a.
        for (var n = 0; n < 4; n++)
        {
            var (_, client) = await server.AddUserAsync($"ann{n}", Roles.Annotator);
            while (await client.NextAsync(projectId) is { } task)
            {
                var externalId = await server.QueryAsync(db => db.Assignments.Where(a => a.Id == task.AssignmentId()).Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => i.ExternalId).SingleAsync());
                var odd = (externalId[^1] - '0') % 2 == 1;
                (await client.SubmitAsync(task.AssignmentId(), n == 3 || odd ? "a" : "b")).EnsureSuccessStatusCode();
            }
        }

        (await requester.GetAsync($"/api/v1/projects/{projectId}/annotators")).EnsureSuccessStatusCode();
        var labels = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/labels"))!
            .ToDictionary(l => l.GetProperty("externalId").GetString()!, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            labels[id].GetProperty("annotators").GetInt32().ShouldBe(4);
            labels[id].GetProperty("label").GetString().ShouldBe((id[^1] - '0') % 2 == 1 ? "a" : "b", id);
            labels[id].GetProperty("confidence").GetDouble().ShouldBeGreaterThan(0.5, id);
        }
    }

    [Theory]
    [Databases]
    public async Task the_owner_can_lease_one_particular_item_to_an_annotator_within_the_rules(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2"), Api.ItemLine("q3")])).EnsureSuccessStatusCode();
        var (annotator, client) = await server.AddUserAsync("ann", Roles.Annotator);
        var (other, _) = await server.AddUserAsync("other", Roles.Annotator);

        async Task<string?> AskAsync(User who, string externalId)
        {
            var response = await requester.GetAsync($"/api/v1/projects/{projectId}/next?externalId={externalId}&annotator={await server.PseudonymAsync(projectId, who.Id)}");
            if (response.StatusCode == HttpStatusCode.NoContent)
                return null;
            var task = await response.Content.ReadFromJsonAsync<JsonElement>();
            return await server.QueryAsync(db => db.Assignments.Where(a => a.Id == task.AssignmentId() && a.AnnotatorId == who.Id)
                .Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => i.ExternalId).SingleAsync());
        }

        (await AskAsync(annotator, "q3")).ShouldBe("q3");
        (await AskAsync(annotator, "q1")).ShouldBe("q3", "the open lease comes first");
        (await AskAsync(other, "q3")).ShouldBeNull("q3's only slot is leased");
        var open = (await client.NextAsync(projectId)).ShouldNotBeNull();
        (await client.SubmitAsync(open.AssignmentId(), "a")).EnsureSuccessStatusCode();
        (await AskAsync(annotator, "q3")).ShouldBeNull("nobody gets an item twice");
        (await requester.GetAsync($"/api/v1/projects/{projectId}/next?externalId=nope&annotator={await server.PseudonymAsync(projectId, annotator.Id)}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Another transaction holds q2's row (a submission in flight, say): the ask waits for it instead of answering
        // "no work".
        await using var busy = server.Database.CreateContext();
        await using (var transaction = await busy.Database.BeginTransactionAsync())
        {
            await busy.Items.Where(i => i.ExternalId == "q2").ExecuteUpdateAsync(set => set.SetProperty(i => i.Label, i => i.Label));
            var asked = AskAsync(other, "q2");
            await Task.Delay(300);
            asked.IsCompleted.ShouldBeFalse("the ask waits for the row");
            await transaction.CommitAsync();
            (await asked).ShouldBe("q2");
        }
    }

    [Theory]
    [Databases]
    public async Task only_the_owner_or_an_admin_chooses_an_item(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var (_, stranger) = await server.AddUserAsync("stranger", Roles.Requester);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        var projectId = await requester.CreateProjectAsync(overlap: 3);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        var (annotator, client) = await server.AddUserAsync("ann", Roles.Annotator);
        var choose = $"/api/v1/projects/{projectId}/next?externalId=q2&annotator={await server.PseudonymAsync(projectId, annotator.Id)}";

        var refused = await client.GetAsync($"/api/v1/projects/{projectId}/next?externalId=q2");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("for the project's owner or an admin");
        (await client.GetAsync(choose)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "naming oneself changes nothing");
        (await reviewer.GetAsync(choose)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.GetAsync(choose)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await server.QueryAsync(db => db.Assignments.CountAsync())).ShouldBe(0, "no refused ask leased anything");

        var missing = await requester.GetAsync($"/api/v1/projects/{projectId}/next?externalId=q2");
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("annotator", out _).ShouldBeTrue();
        (await requester.GetAsync($"/api/v1/projects/{projectId}/next?externalId=q2&annotator=nobody")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await requester.GetAsync($"/api/v1/projects/{projectId}/next")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the owner does not take work");

        var chosen = await admin.GetFromJsonAsync<JsonElement>(choose);
        var leased = await server.QueryAsync(db => db.Assignments.SingleAsync());
        (leased.Id, leased.AnnotatorId).ShouldBe((chosen.AssignmentId(), annotator.Id));
        (await client.NextAsync(projectId)).ShouldNotBeNull().AssignmentId().ShouldBe(chosen.AssignmentId(), "the annotator finds the chosen item as their open lease");
        (await client.SubmitAsync(chosen.AssignmentId(), "a")).EnsureSuccessStatusCode();
    }
}
