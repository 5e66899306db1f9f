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

        (await requester.PostAsync($"/api/v1/projects/{projectId}/annotators/{careless.Pseudonym}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsync($"/api/v1/projects/{projectId}/annotators/{careless.Pseudonym}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.NextAsync(projectId)).ShouldNotBeNull("restored annotators work again");
        var report = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/annotators"))!.Single();
        report.GetProperty("status").GetString().ShouldBe("active");
        report.GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ShouldContain("low-gold-accuracy");
        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(10, "nothing was deleted");
    }
}
