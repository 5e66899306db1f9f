using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Quality;

public sealed class StandingTests
{
    [Theory]
    [Databases]
    public async Task the_gold_rule_removes_an_annotator_and_an_admin_can_restore_them(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "rules",
            kind = "pairwise",
            overlap = 2,
            rationale = new { required = false, minChars = 0 },
            gold = new { calibration = 10 },
        });
        var gold = Enumerable.Range(1, 10).Select(i => Api.ItemLine($"g{i}")[..^1] + ""","gold":{"choice":"a","strength":1}}""");
        (await requester.ImportAsync(projectId, gold.Concat(Enumerable.Range(1, 5).Select(i => Api.ItemLine($"q{i}"))))).EnsureSuccessStatusCode();
        var (careless, client) = await server.AddUserAsync("careless", Roles.Annotator);

        for (var i = 0; i < 10; i++)
        {
            var task = (await client.NextAsync(projectId)).ShouldNotBeNull();
            (await client.SubmitAsync(task.AssignmentId(), "b")).EnsureSuccessStatusCode();
        }

        var stopped = await client.GetAsync($"/api/v1/projects/{projectId}/next");
        stopped.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stopped.Content.ReadAsStringAsync()).ShouldContain("removed from this project");
        var standing = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/standing");
        standing.GetProperty("status").GetString().ShouldBe("removed");
        standing.GetProperty("goldSeen").GetInt32().ShouldBe(10);
        standing.GetProperty("goldAccuracy").GetDouble().ShouldBe(8 / 20.0, 1e-9, "Beta(8,2) prior and 0 of 10: 8 / 20");
        standing.GetProperty("reasons")[0].GetString()!.ShouldContain("goldAccuracy");

        (await client.PostAsync($"/api/v1/projects/{projectId}/annotators/{await server.PseudonymAsync(projectId, careless.Id)}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "not an annotator's decision");
        (await admin.PostAsync($"/api/v1/projects/{projectId}/annotators/{await server.PseudonymAsync(projectId, careless.Id)}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.NextAsync(projectId)).ShouldNotBeNull("restored annotators work again");
        var report = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/annotators"))!.Single();
        report.GetProperty("status").GetString().ShouldBe("active");
        report.GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ShouldContain("low-gold-accuracy");
        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(10, "nothing was deleted");
    }
}

public sealed class ProjectRuleTests
{
    [Theory]
    [Databases]
    public async Task a_project_rule_on_agreement_removes_a_contrarian_whose_labels_then_count_for_nothing_until_restored(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "agreement rule",
            kind = "pairwise",
            overlap = 3,
            rationale = new { required = false, minChars = 0 },
            aggregation = "majority",
            rules = new[] { new { metric = "agreement", comparison = "below", threshold = 0.2, status = "removed", countMetric = "labels", minCount = 4 } },
        });
        var created = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}");
        created.GetProperty("aggregation").GetString().ShouldBe("majority");
        created.GetProperty("rules")[0].GetProperty("comparison").GetString().ShouldBe("below");
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 6).Select(i => Api.ItemLine($"q{i}")))).EnsureSuccessStatusCode();
        var annotators = new List<(string Name, HttpClient Client, string Choice)>();
        foreach (var (name, choice) in new[] { ("contrarian", "b"), ("careful1", "a"), ("careful2", "a") })
            annotators.Add((name, (await server.AddUserAsync(name, Roles.Annotator)).Client, choice));
        for (var i = 0; i < 6; i++)
        {
            foreach (var (_, client, choice) in annotators)
                (await client.SubmitAsync((await client.NextAsync(projectId)).ShouldNotBeNull().AssignmentId(), choice)).EnsureSuccessStatusCode();
        }

        async Task<JsonElement> PreferenceAsync() =>
            JsonDocument.Parse((await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=preference")).Split('\n')[0]).RootElement;
        (await PreferenceAsync()).GetProperty("agreement").GetDouble().ShouldBe(2 / 3.0, 1e-4, "before measuring, everyone counts");

        var reports = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/annotators"))!;
        var contrarian = reports.Single(r => r.GetProperty("labels").GetInt32() == 6 && r.GetProperty("agreement").GetDouble() == 0);
        contrarian.GetProperty("status").GetString().ShouldBe("removed");
        reports.Where(r => r.GetProperty("annotator").GetString() != contrarian.GetProperty("annotator").GetString())
            .ShouldAllBe(r => r.GetProperty("status").GetString() == "active");

        var export = await PreferenceAsync();
        export.GetProperty("annotators").GetInt32().ShouldBe(2, "a removed annotator's labels weigh nothing");
        export.GetProperty("agreement").GetDouble().ShouldBe(1);
        var standing = await annotators[0].Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/standing");
        standing.GetProperty("status").GetString().ShouldBe("removed");
        standing.GetProperty("reasons")[0].GetString()!.ShouldContain("agreement 0 is below 0.2 after 6 labels");
        (await requester.ImportAsync(projectId, [Api.ItemLine("later")])).EnsureSuccessStatusCode();
        (await annotators[0].Client.GetAsync($"/api/v1/projects/{projectId}/next")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var pseudonym = contrarian.GetProperty("annotator").GetString();
        (await admin.PostAsync($"/api/v1/projects/{projectId}/annotators/{pseudonym}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var restored = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/annotators"))!.Single(r => r.GetProperty("annotator").GetString() == pseudonym);
        restored.GetProperty("status").GetString().ShouldBe("active");
        (await PreferenceAsync()).GetProperty("annotators").GetInt32().ShouldBe(3, "restored, their labels count again");
        (await annotators[0].Client.NextAsync(projectId)).ShouldNotBeNull();
    }

    [Theory]
    [Databases]
    public async Task the_background_pass_measures_a_project_without_anyone_asking(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider, refreshSeconds: 1);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = "background", kind = "pairwise", overlap = 1, rationale = new { required = false, minChars = 0 } });
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        (await annotator.SubmitAsync((await annotator.NextAsync(projectId)).ShouldNotBeNull().AssignmentId(), "a")).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        ProjectQuality? measured = null;
        // A pass may already have measured the project before the submission; a later one must pick the submission up.
        while (measured?.Stamp != "1:0:0" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            measured = await server.QueryAsync(db => db.ProjectQuality.AsNoTracking().FirstOrDefaultAsync(q => q.ProjectId == projectId));
        }

        measured.ShouldNotBeNull("the pass runs every second");
        measured.Stamp.ShouldBe("1:0:0", "one annotation, no reviews, no restorations, measured by a pass after the submission");
        (await server.QueryAsync(db => db.AnnotatorQuality.CountAsync(q => q.ProjectId == projectId))).ShouldBe(1);
    }
}
