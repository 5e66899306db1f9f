using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Workforce;

/// <summary>Issue 12: the tracks and their rates, sign-up, the caller's standing, and the operator's people API.</summary>
public sealed class TracksAndSignupTests
{
    [Theory]
    [Databases]
    public async Task everyone_reads_the_tracks_and_only_admins_change_them_with_exact_rates(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (annotator, client) = await server.AddUserAsync("ann", Roles.Annotator);

        var tracks = await client.GetFromJsonAsync<JsonElement>("/api/v1/tracks");
        tracks.EnumerateArray().Select(t => (t.GetProperty("id").GetString(), t.GetProperty("hourlyRate").GetDecimal())).ShouldBe(
            [("general", 20m), ("multilingual", 20m), ("coding", 40m), ("stem", 40m), ("professional", 50m)]);
        (await client.PatchAsJsonAsync("/api/v1/tracks/general", new { hourlyRate = 99 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await admin.PatchAsJsonAsync("/api/v1/tracks/general", new { hourlyRate = 20.123 })).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("hourlyRate", out _).ShouldBeTrue();

        (await admin.PatchAsJsonAsync("/api/v1/tracks/general", new { hourlyRate = 22.50 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/tracks", new { id = "legal", name = "Legal <review>", hourlyRate = 65 })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsJsonAsync("/api/v1/tracks", new { id = "legal", name = "Again", hourlyRate = 65 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.DeleteAsync("/api/v1/tracks/general")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.DeleteAsync("/api/v1/tracks/legal")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await server.QueryAsync(async db =>
        {
            await db.Qualifications.Where(q => q.UserId == annotator.Id).ExecuteUpdateAsync(s => s.SetProperty(q => q.Tier, 2));
            return 0;
        });
        var general = (await client.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("tracks")[0];
        (general.GetProperty("hourlyRate").GetDecimal(), general.GetProperty("multiplier").GetDecimal(), general.GetProperty("rate").GetDecimal())
            .ShouldBe((22.50m, 1.15m, 25.88m), "22.50 × 1.15 = 25.875, rounded half away from zero");
        (await server.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Kind == AuditKinds.TrackChanged))).ShouldBe(3);
    }

    [Theory]
    [Databases]
    public async Task sign_up_makes_an_applicant_and_names_every_bad_field(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var anonymous = server.Client();

        var bad = await (await anonymous.PostAsJsonAsync("/api/v1/signup", new { name = "x", password = "short", tracks = new[] { "cooking" } })).ProblemAsync(HttpStatusCode.BadRequest);
        bad.GetProperty("errors").TryGetProperty("tracks", out _).ShouldBeTrue();
        (await (await anonymous.PostAsJsonAsync("/api/v1/signup", new { name = "x", password = "short", tracks = new[] { "coding" } })).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("password", out _).ShouldBeTrue();
        (await server.QueryAsync(db => db.Users.CountAsync())).ShouldBe(0);

        var created = await anonymous.PostAsJsonAsync("/api/v1/signup", new { name = "Ada", password = "correct horse", tracks = new[] { "general", "coding" }, background = "Physicist." });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().ShouldBe("applicant");
        body.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()).ShouldBe(["general", "coding"]);
        (await anonymous.PostAsJsonAsync("/api/v1/signup", new { name = "Ada", password = "correct horse", tracks = new[] { "general" } })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var user = await server.QueryAsync(db => db.Users.SingleAsync());
        (user.Role, user.Background, user.AppliedTracks).ShouldBe((Roles.Annotator, "Physicist.", "general coding"));
        (await server.QueryAsync(db => db.Qualifications.AnyAsync())).ShouldBeFalse("an applicant is qualified in nothing");
        (await server.QueryAsync(db => db.AuditEvents.SingleAsync(e => e.Kind == AuditKinds.SignedUp))).Subject.ShouldBe("Ada");
    }

    [Theory]
    [Databases]
    public async Task sign_up_is_rate_limited_per_address(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["RateLimits:LoginPerMinute"] = "2" });
        var anonymous = server.Client();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            statuses.Add((await anonymous.PostAsJsonAsync("/api/v1/signup", new { name = $"p{i}", password = "correct horse", tracks = new[] { "general" } })).StatusCode);

        statuses.ShouldBe([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests]);
    }

    [Theory]
    [Databases]
    public async Task operators_search_people_and_see_their_standing_tokens_and_quality(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (annotator, annotatorClient) = await server.AddUserAsync("ann", Roles.Annotator);
        var (applicantId, _) = await server.SignUpAsync(admin, "Grace <b>Hopper</b>", "coding");

        var people = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users/people?q=HOPPER");
        people.GetArrayLength().ShouldBe(1);
        people[0].GetProperty("status").GetString().ShouldBe("applicant");
        people[0].GetProperty("appliedTracks").EnumerateArray().Select(t => t.GetString()).ShouldBe(["coding"]);
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users/people");
        all.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "ann").GetProperty("qualifications")[0].GetProperty("tier").GetInt32().ShouldBe(1);
        (await annotatorClient.GetAsync("/api/v1/users/people")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var profile = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/users/{applicantId}/profile");
        profile.GetProperty("background").GetString().ShouldBe("Ten years of <b>editing</b>.");

        (await admin.PutAsJsonAsync($"/api/v1/users/{annotator.Id}/tiers/general", new { tier = 3, reason = "Outstanding gold accuracy." })).EnsureSuccessStatusCode();
        var history = (await annotatorClient.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("history");
        (history[0].GetProperty("toTier").GetInt32(), history[0].GetProperty("reason").GetString(), history[0].GetProperty("byOperator").GetBoolean())
            .ShouldBe((3, "Outstanding gold accuracy.", true));
        (await (await admin.PutAsJsonAsync($"/api/v1/users/{annotator.Id}/tiers/general", new { tier = 2 })).ProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();

        var issued = await (await admin.PostAsJsonAsync($"/api/v1/users/{annotator.Id}/tokens", new { name = "batch" })).Content.ReadFromJsonAsync<JsonElement>();
        var token = server.Client(issued.GetProperty("secret").GetString());
        (await token.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.DeleteAsync($"/api/v1/users/{annotator.Id}/tokens/{issued.GetProperty("token").GetProperty("id").GetGuid()}")).EnsureSuccessStatusCode();
        (await token.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
