using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>The per-user submission limit, set per token scope so that a machine judge may submit faster than a person.</summary>
public sealed class SubmissionLimitTests
{
    [Theory]
    [Databases]
    public async Task a_token_with_the_bulk_scope_gets_its_own_higher_limit_and_a_plain_token_keeps_the_default(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["RateLimits:SubmissionsPerMinute"] = "2",
            ["RateLimits:ScopeSubmissionsPerMinute:bulk"] = "5",
        });
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [.. Enumerable.Range(0, 12).Select(i => Api.ItemLine($"q{i}"))])).EnsureSuccessStatusCode();
        var (_, person) = await server.AddUserAsync("person", Roles.Annotator);
        var (judgeUser, judgeAccount) = await server.AddUserAsync("judge", Roles.Annotator);
        var (_, admin) = await server.AddUserAsync("admin", Roles.Admin);

        // A token issues no scope it lacks itself, so an admin issues the judge's.
        (await judgeAccount.PostAsJsonAsync("/api/v1/tokens", new { name = "self-made", scopes = new[] { "annotate", "bulk" } })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var issued = await admin.PostAsJsonAsync($"/api/v1/users/{judgeUser.Id}/tokens", new { name = "judge model", scopes = new[] { "annotate", "bulk" } });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        var judge = server.Client((await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        var listed = await judgeAccount.GetFromJsonAsync<JsonElement>("/api/v1/tokens");
        listed.EnumerateArray().Select(t => t.GetProperty("scopes").GetArrayLength()).ShouldContain(1, "a token issued without scopes does not get bulk");

        async Task<HttpStatusCode> SubmitOneAsync(HttpClient client)
        {
            var task = await client.NextAsync(projectId);
            return (await client.SubmitAsync(task!.Value.AssignmentId(), "a")).StatusCode;
        }

        var personStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            personStatuses.Add(await SubmitOneAsync(person));
        personStatuses.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], "a plain token keeps the default of 2 a minute");

        var judgeStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
            judgeStatuses.Add(await SubmitOneAsync(judge));
        judgeStatuses.ShouldBe([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], "the bulk token has 5 a minute");
    }
}
