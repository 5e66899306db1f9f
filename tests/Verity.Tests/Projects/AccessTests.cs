using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Projects;

public sealed class AccessTests
{
    [Theory]
    [Databases]
    public async Task requesters_see_only_their_own_projects(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, alice) = await server.AddUserAsync("alice", Roles.Requester);
        var (_, bob) = await server.AddUserAsync("bob", Roles.Requester);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var alices = await alice.CreateProjectAsync("Alice's");
        await bob.CreateProjectAsync("Bob's");
        (await alice.ImportAsync(alices, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();

        var listed = await alice.GetFromJsonAsync<JsonElement[]>("/api/v1/projects");
        listed.ShouldNotBeNull();
        listed.Select(p => p.GetProperty("name").GetString()).ShouldBe(["Alice's"]);
        listed[0].GetProperty("items").GetInt32().ShouldBe(1);
        listed[0].GetProperty("kind").GetString().ShouldBe("pairwise");
        (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/projects"))!.Length.ShouldBe(2);

        (await bob.GetAsync($"/api/v1/projects/{alices}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.GetAsync($"/api/v1/projects/{alices}/export?format=preference")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.ImportAsync(alices, [Api.ItemLine("q2")])).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync($"/api/v1/projects/{alices}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [Databases]
    public async Task roles_limit_what_each_caller_may_do(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var projectId = await requester.CreateProjectAsync();

        (await annotator.PostAsJsonAsync("/api/v1/projects", new { name = "mine" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync($"/api/v1/projects/{projectId}/export?format=annotations")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await requester.GetAsync($"/api/v1/projects/{projectId}/next")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var anonymous = server.Client();
        (await anonymous.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var forged = server.Client("vt_0000");
        (await forged.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [Databases]
    public async Task project_policies_confine_requesters_to_their_own_projects_and_keep_roles_apart(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, alice) = await server.AddUserAsync("alice", Roles.Requester);
        var (_, bob) = await server.AddUserAsync("bob", Roles.Requester);
        var (_, reviewer) = await server.AddUserAsync("rev", Roles.Reviewer);
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var alices = await alice.CreateProjectAsync("Alice's");
        var missing = Guid.NewGuid();

        foreach (var path in new[] { "labels", "annotators", "escalations", "review-queue", "guidelines" })
        {
            var url = $"/api/v1/projects/{alices}/{path}";
            (await alice.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
            (await admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
            var foreign = await bob.GetAsync(url);
            foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
            (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe($"Project {alices} does not exist or is not yours.");
            (await admin.GetAsync($"/api/v1/projects/{missing}/{path}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
        }

        // Reviewers review the projects they are assigned to, annotators read any project's guidelines, and neither manages one.
        (await reviewer.GetAsync($"/api/v1/projects/{alices}/review-queue")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "not assigned yet");
        await alice.AssignReviewerAsync(alices, "rev");
        (await reviewer.GetAsync($"/api/v1/projects/{alices}/review-queue")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await annotator.GetAsync($"/api/v1/projects/{alices}/guidelines")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await annotator.GetAsync($"/api/v1/projects/{alices}/review-queue")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reviewer.GetAsync($"/api/v1/projects/{alices}/labels")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bob.PutAsJsonAsync($"/api/v1/projects/{alices}/guidelines", new { markdown = "mine now" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await annotator.PostAsync($"/api/v1/projects/{alices}/annotators/nobody/restore", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bob.PostAsync($"/api/v1/projects/{alices}/annotators/nobody/restore", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsync($"/api/v1/projects/{missing}/annotators/nobody/restore", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task project_settings_are_validated_field_by_field()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var response = await requester.PostAsJsonAsync("/api/v1/projects", new { name = "", kind = "essay", overlap = 0 });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("name")[0].GetString().ShouldBe("is required.");
        errors.GetProperty("kind")[0].GetString()!.ShouldContain("pairwise");
        errors.GetProperty("overlap")[0].GetString()!.ShouldContain("between 1 and 50");
    }
}
