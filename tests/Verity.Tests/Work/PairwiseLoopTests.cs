using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Work;

public sealed class PairwiseLoopTests
{
    [Theory]
    [Databases]
    public async Task a_requester_goes_from_jsonl_to_exported_preferences_through_the_api(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var annotators = new List<HttpClient>();
        for (var i = 0; i < 3; i++)
            annotators.Add((await server.AddUserAsync($"ann{i}", Roles.Annotator)).Client);

        var projectId = await requester.CreateProjectAsync(overlap: 3);
        var import = await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2"), Api.ItemLine("q3", a: "A tie-worthy answer.", b: "Another one.")]);
        import.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32().ShouldBe(3);

        // q1: all prefer a. q2: two prefer b, one a. q3: a split (a, b, tie).
        var votes = new Dictionary<int, string[]> { [0] = ["a", "b", "a"], [1] = ["a", "b", "b"], [2] = ["a", "a", "tie"] };
        for (var annotator = 0; annotator < 3; annotator++)
        {
            while (await annotators[annotator].NextAsync(projectId) is { } task)
            {
                var externalId = await server.QueryAsync(db => db.Assignments.Where(a => a.Id == task.AssignmentId())
                    .Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => i.ExternalId).SingleAsync());
                var itemIndex = int.Parse(externalId[1..], System.Globalization.CultureInfo.InvariantCulture) - 1;
                var response = await annotators[annotator].SubmitAsync(task.AssignmentId(), votes[annotator][itemIndex]);
                response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            }
        }

        var export = await requester.GetAsync($"/api/v1/projects/{projectId}/export?format=preference");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        export.Headers.GetValues("X-Verity-Records").Single().ShouldBe("2");
        export.Headers.GetValues("X-Verity-Skipped").Single().ShouldBe("split-vote=1");
        var records = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(r => r.GetProperty("externalId").GetString()!, StringComparer.Ordinal);
        records.Keys.Order(StringComparer.Ordinal).ShouldBe(["q1", "q2"]);
        records["q1"].GetProperty("chosen").GetString().ShouldBe("Paris is the capital of France.");
        records["q1"].GetProperty("rejected").GetString().ShouldBe("Lyon is the capital of France.");
        records["q1"].GetProperty("prompt").GetString().ShouldBe("What is the capital of France?");
        records["q1"].GetProperty("agreement").GetDouble().ShouldBe(1.0);
        records["q1"].GetProperty("margin").GetDouble().ShouldBe(2.0);
        records["q1"].GetProperty("annotators").GetInt32().ShouldBe(3);
        records["q1"].GetProperty("confidence").GetDouble().ShouldBe(0.9908, 1e-4, "the live label's posterior: three agreeing votes");
        records["q2"].GetProperty("chosen").GetString().ShouldBe("Lyon is the capital of France.");
        records["q2"].GetProperty("agreement").GetDouble().ShouldBe(0.6667);
        records["q2"].GetProperty("margin").GetDouble().ShouldBe(0.6667);

        var annotations = await requester.GetAsync($"/api/v1/projects/{projectId}/export?format=annotations");
        var rows = (await annotations.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        rows.Count.ShouldBe(9);
        foreach (var row in rows)
        {
            row.GetProperty("annotator").GetString()!.ShouldMatch("^p-[0-9a-f]{12}$", "a pseudonym of this project, which says nothing of the role");
            row.GetProperty("guidelineVersion").GetInt32().ShouldBe(1);
            row.GetProperty("shownOrder").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal).ShouldBe(["a", "b"]);
            row.GetProperty("secondsSpent").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
            row.GetProperty("createdAt").GetDateTime().ShouldBe(server.Clock.GetUtcNow().UtcDateTime);
            row.GetProperty("rationale").GetString().ShouldNotBeNullOrEmpty();
            row.GetProperty("answer").GetProperty("choice").GetString().ShouldBeOneOf("a", "b", "tie");
        }

        var pseudonyms = rows.Select(r => r.GetProperty("annotator").GetString()).Distinct().Count();
        pseudonyms.ShouldBe(3);
    }
}
