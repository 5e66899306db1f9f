using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Verity.Data;
using Verity.Tests.Infrastructure;
using Verity.Workforce;

namespace Verity.Tests.Workforce;

/// <summary>Issue 12: projects name the tracks and tier they need; others neither see nor lease them.</summary>
public sealed class AccessTests
{
    [Theory]
    [Databases]
    public async Task a_project_needing_a_track_and_tier_is_hidden_and_refused_with_the_reason_until_the_person_has_them(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var (annotator, client) = await server.AddUserAsync("ann", Roles.Annotator);
        var gated = await requester.CreateProjectAsync(new { name = "Code review", kind = "pairwise", overlap = 1, access = new { tracks = new[] { "coding" }, minTier = 2 } });
        (await requester.ImportAsync(gated, [Api.ItemLine("c1")])).EnsureSuccessStatusCode();
        var view = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{gated}");
        view.GetProperty("access").GetProperty("tracks").EnumerateArray().Select(t => t.GetString()).ShouldBe(["coding"]);
        view.GetProperty("access").GetProperty("minTier").GetInt32().ShouldBe(2);

        (await client.GetFromJsonAsync<JsonElement>("/api/v1/projects")).GetArrayLength().ShouldBe(0);
        (await (await client.GetAsync($"/api/v1/projects/{gated}/next")).ProblemAsync(HttpStatusCode.Forbidden))
            .GetProperty("detail").GetString().ShouldBe("This project is for people qualified in coding; you are not. Pass that track's assessment first.");

        await using (var scope = server.Scope())
            await scope.ServiceProvider.GetRequiredService<TierService>().ChangeTierAsync(annotator.Id, "coding", 1, "Passed the Coding assessment.", null);
        (await (await client.GetAsync($"/api/v1/projects/{gated}/next")).ProblemAsync(HttpStatusCode.Forbidden))
            .GetProperty("detail").GetString().ShouldBe("This project needs tier 2 or higher in coding; you are at tier 1.");

        (await requester.PatchAsJsonAsync($"/api/v1/projects/{gated}", new { access = new { tracks = new[] { "coding", "stem" }, minTier = 1 } })).EnsureSuccessStatusCode();
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/projects")).EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ShouldBe([gated]);
        (await client.NextAsync(gated)).ShouldNotBeNull();
    }

    [Theory]
    [Databases]
    public async Task access_names_only_known_tracks_and_a_tier_in_range(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var project = await requester.CreateProjectAsync();

        (await (await requester.PatchAsJsonAsync($"/api/v1/projects/{project}", new { access = new { tracks = new[] { "cooking" } } })).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("access.tracks")[0].GetString()!.ShouldContain("\"cooking\"");
        (await (await requester.PatchAsJsonAsync($"/api/v1/projects/{project}", new { access = new { minTier = 0 } })).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("access.minTier", out _).ShouldBeTrue();
        (await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}")).GetProperty("access").GetProperty("tracks").GetArrayLength().ShouldBe(0, "nothing was half-written");
    }
}
