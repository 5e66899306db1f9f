using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Work;

public sealed class GoldDefaultTests
{
    private static IEnumerable<string> Gold(int count, string gold) =>
        Enumerable.Range(1, count).Select(i => Api.ItemLine($"g{i}")[..^1] + $",\"gold\":{gold}}}");

    [Theory]
    [Databases]
    public async Task a_project_that_says_nothing_serves_its_gold_and_a_pairwise_gold_answer_needs_only_the_choice(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = "gold by default", kind = "pairwise", overlap = 1, rationale = new { required = false, minChars = 0 } });
        (await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}")).GetProperty("gold").GetProperty("rate").GetDouble().ShouldBe(0.1);

        var import = await requester.ImportAsync(projectId, Gold(20, """{"choice":"a"}""").Concat(Enumerable.Range(1, 100).Select(i => Api.ItemLine($"q{i}"))));
        import.StatusCode.ShouldBe(HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
        var result = await import.Content.ReadFromJsonAsync<JsonElement>();
        result.GetProperty("imported").GetInt32().ShouldBe(120);
        result.GetProperty("gold").GetInt32().ShouldBe(20);
        result.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        (await server.QueryAsync(db => db.Items.Where(i => i.IsGold).Select(i => i.GoldJson).FirstAsync())).ShouldBe("""{"choice":"a","strength":null}""", "no made-up strength is stored");

        var (annotator, client) = await server.AddUserAsync("ann", Roles.Annotator);
        for (var i = 0; i < 60; i++)
            (await client.SubmitAsync((await client.NextAsync(projectId)).ShouldNotBeNull().AssignmentId(), "a")).EnsureSuccessStatusCode();
        var scores = await server.QueryAsync(db => db.Annotations.Where(a => a.AnnotatorId == annotator.Id && a.GoldScore != null).Select(a => a.GoldScore!.Value).ToListAsync());
        scores.Count.ShouldBeInRange(1, 20, "about one task in ten is gold");
        scores.ShouldAllBe(s => s == 1, "choosing the gold's response matches it whatever the strength");
    }

    [Theory]
    [Databases]
    public async Task importing_gold_into_a_project_that_never_serves_it_says_so(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = "no gold", kind = "pairwise", overlap = 1, rationale = new { required = false, minChars = 0 }, gold = new { rate = 0 } });

        var plain = await (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).Content.ReadFromJsonAsync<JsonElement>();
        plain.GetProperty("warnings").GetArrayLength().ShouldBe(0, "no gold, nothing to warn about");
        var import = await requester.ImportAsync(projectId, Gold(3, """{"choice":"b","explanation":"Lyon is not the capital."}"""));
        import.StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = await import.Content.ReadFromJsonAsync<JsonElement>();
        result.GetProperty("gold").GetInt32().ShouldBe(3);
        result.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem().GetString()!.ShouldContain("3 gold items were imported but will never be served");

        var bad = await requester.ImportAsync(projectId, Gold(1, """{"choice":"c"}""").Select(l => l.Replace("\"g1\"", "\"g9\"", StringComparison.Ordinal)));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("gold.choice");
    }
}
