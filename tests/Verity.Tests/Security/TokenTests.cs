using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>Issue 11, item 4: tokens have names, scopes, expiry and last use, and revocation ends them at once.</summary>
public sealed class TokenTests
{
    [Theory]
    [Databases]
    public async Task a_token_is_issued_listed_used_rotated_and_revoked_through_the_api(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);

        var created = await requester.PostAsJsonAsync("/api/v1/tokens", new { name = "nightly export", scopes = new[] { "export" }, expiresInDays = 30 });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var issued = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = issued.GetProperty("secret").GetString()!;
        var id = issued.GetProperty("token").GetProperty("id").GetGuid();
        var exporter = server.Client(secret);
        var projectId = await requester.CreateProjectAsync();

        // The export scope exports and does nothing else.
        (await exporter.GetAsync($"/api/v1/projects/{projectId}/export?format=annotations")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await exporter.PostAsJsonAsync("/api/v1/projects", new { name = "x", kind = "pairwise", overlap = 1, guidelines = "g" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await exporter.ImportAsync(projectId, [Api.ItemLine("q1")])).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Nor can it mint itself a broader token.
        (await exporter.PostAsJsonAsync("/api/v1/tokens", new { name = "escalate", scopes = new[] { "projects" } })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var listed = await requester.GetFromJsonAsync<JsonElement>("/api/v1/tokens");
        var row = listed.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == id);
        row.GetProperty("name").GetString().ShouldBe("nightly export");
        row.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["export"]);
        row.GetProperty("lastUsedAt").GetDateTime().ShouldBe(server.Clock.GetUtcNow().UtcDateTime);
        row.GetProperty("expiresAt").GetDateTime().ShouldBe(server.Clock.GetUtcNow().UtcDateTime.AddDays(30));
        row.TryGetProperty("secret", out _).ShouldBeFalse();
        listed.ToString().ShouldNotContain(secret);

        var rotated = await (await requester.PostAsync($"/api/v1/tokens/{id}/rotate", null)).Content.ReadFromJsonAsync<JsonElement>();
        var replacement = server.Client(rotated.GetProperty("secret").GetString());
        (await exporter.GetAsync($"/api/v1/projects/{projectId}/export?format=annotations")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the rotated token ends at once");
        (await replacement.GetAsync($"/api/v1/projects/{projectId}/export?format=annotations")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var newId = rotated.GetProperty("token").GetProperty("id").GetGuid();
        (await requester.DeleteAsync($"/api/v1/tokens/{newId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await replacement.GetAsync($"/api/v1/projects/{projectId}/export?format=annotations")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var kinds = await server.QueryAsync(db => db.AuditEvents.Select(e => e.Kind).ToListAsync());
        kinds.ShouldContain(AuditKinds.TokenIssued);
        kinds.ShouldContain(AuditKinds.TokenRotated);
        kinds.ShouldContain(AuditKinds.TokenRevoked);
        kinds.ShouldContain(AuditKinds.TokenRefused);
        kinds.ShouldContain(AuditKinds.Exported);
    }

    [Theory]
    [Databases]
    public async Task a_token_stops_at_its_expiry_and_while_its_user_is_disabled(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (annotator, annotatorClient) = await server.AddUserAsync("ann", Roles.Annotator);
        var created = await annotatorClient.PostAsJsonAsync("/api/v1/tokens", new { name = "one day", expiresInDays = 1 });
        var shortLived = server.Client((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString());
        (await shortLived.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromDays(1));
        (await shortLived.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await admin.PostAsync($"/api/v1/users/{annotator.Id}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await annotatorClient.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await admin.PostAsync($"/api/v1/users/{annotator.Id}/enable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await annotatorClient.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // An admin sees and revokes anyone's tokens; an annotator may not ask for scopes beyond the role.
        var tokens = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/users/{annotator.Id}/tokens");
        tokens.GetArrayLength().ShouldBe(2);
        var first = tokens.EnumerateArray().First().GetProperty("id").GetGuid();
        (await admin.DeleteAsync($"/api/v1/users/{annotator.Id}/tokens/{first}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await annotatorClient.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var greedy = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "bad", expiresInDays = 0 });
        greedy.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await greedy.Content.ReadAsStringAsync()).ShouldContain("expiresInDays");
        (await annotatorClient.GetAsync("/api/v1/users")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [Databases]
    public async Task the_cli_lists_issues_rotates_and_revokes_tokens_and_disables_users(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        await server.AddUserAsync("req", Roles.Requester);
        var db = server.DbArgument;

        var issued = await Cli.CliTests.RunAsync("tokens", "issue", "req", "--name", "ci", "--scope", "projects", "--days", "7", "--db", db);
        issued.Code.ShouldBe(0, issued.Error);
        var secret = issued.Output.TrimEnd().Split('\n')[^1];
        var client = server.Client(secret);
        (await client.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var listed = await Cli.CliTests.RunAsync("tokens", "list", "req", "--db", db);
        listed.Output.ShouldContain("\tci\tprojects\t");
        var id = await server.QueryAsync(d => d.ApiTokens.Where(t => t.Name == "ci").Select(t => t.Id).SingleAsync());
        (await Cli.CliTests.RunAsync("tokens", "revoke", "req", id.ToString(), "--db", db)).Code.ShouldBe(0);
        (await client.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await Cli.CliTests.RunAsync("users", "disable", "req", "--db", db)).Code.ShouldBe(0);
        (await Cli.CliTests.RunAsync("users", "list", "--db", db)).Output.ShouldContain("req\trequester");
        (await server.QueryAsync(d => d.Users.SingleAsync(u => u.Name == "req"))).DisabledAt.ShouldNotBeNull();
        (await server.QueryAsync(d => d.AuditEvents.CountAsync(e => e.Kind == AuditKinds.UserDisabled && e.Address == "command line"))).ShouldBe(1);
    }
}
