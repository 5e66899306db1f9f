using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Quality;

public sealed class ProvenanceTests
{
    private static string Question(int i) => $"Which answer to question {i} is right?";

    /// <summary>
    /// Three annotators answer six items. On q1–q3 the adversary sides with the one honest annotator who picked the
    /// wrong response, so their answers decide those records; on q4–q6 everyone agrees.
    /// </summary>
    private static async Task<(Guid Project, HttpClient Requester, string Adversary)> SetUpAsync(VerityServer server)
    {
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "provenance",
            kind = "pairwise",
            overlap = 3,
            aggregation = "majority",
            rationale = new { required = false, minChars = 0 },
        });
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 6).Select(i => Api.ItemLine($"q{i}", prompt: Question(i))))).EnsureSuccessStatusCode();
        var (adversary, adversaryClient) = await server.AddUserAsync("mallory", Roles.Annotator);
        var annotators = new (HttpClient Client, Func<int, string> Choice)[]
        {
            ((await server.AddUserAsync("careful", Roles.Annotator)).Client, _ => "a"),
            ((await server.AddUserAsync("sloppy", Roles.Annotator)).Client, i => i <= 3 ? "b" : "a"),
            (adversaryClient, i => i <= 3 ? "b" : "a"),
        };
        foreach (var (client, choice) in annotators)
        {
            while (await client.NextAsync(projectId) is { } task)
            {
                var prompt = task.GetProperty("item").GetProperty("prompt").GetString()!;
                var i = Enumerable.Range(1, 6).Single(n => Question(n) == prompt);
                (await client.SubmitAsync(task.AssignmentId(), choice(i))).EnsureSuccessStatusCode();
            }
        }

        return (projectId, requester, await server.PseudonymAsync(projectId, adversary.Id));
    }

    private static async Task<Dictionary<string, string>> PreferenceAsync(HttpClient requester, Guid projectId) =>
        (await requester.GetStringAsync($"/api/v1/projects/{projectId}/export?format=preference"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(r => r.GetProperty("externalId").GetString()!, r => $"{r.GetProperty("chosenId").GetString()}>{r.GetProperty("rejectedId").GetString()}");

    [Theory]
    [Databases]
    public async Task quarantine_holds_out_exactly_the_records_the_influence_listed_and_restore_brings_them_back(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (projectId, requester, adversary) = await SetUpAsync(server);
        var before = await PreferenceAsync(requester, projectId);
        before.Count.ShouldBe(6);
        before["q1"].ShouldBe("b>a", "the adversary and the sloppy annotator outvote the careful one");

        var influence = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/annotators/{adversary}/influence");
        influence.GetProperty("annotator").GetString().ShouldBe(adversary);
        influence.GetProperty("items").GetInt32().ShouldBe(6);
        var preference = influence.GetProperty("formats").EnumerateArray().Single(f => f.GetProperty("format").GetString() == "preference");
        var decided = preference.GetProperty("records").EnumerateArray().ToList();
        decided.Select(r => r.GetProperty("externalId").GetString()).ShouldBe(["q1", "q2", "q3"]);
        decided.ShouldAllBe(r => r.GetProperty("with")[0].GetString() == "b>a");

        var audit = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/audit");
        audit.GetProperty("format").GetString().ShouldBe("preference");
        audit.GetProperty("records").GetInt32().ShouldBe(6);
        var ranked = audit.GetProperty("annotators").EnumerateArray().ToList();
        ranked.Count.ShouldBe(3);
        // The adversary and the sloppy annotator each decide q1–q3 (without either, the vote splits); they lead.
        ranked.Take(2).Select(r => r.GetProperty("annotator").GetString()).ShouldContain(adversary);
        ranked.Take(2).ShouldAllBe(r => r.GetProperty("changed").GetInt32() + r.GetProperty("dropped").GetInt32() == 3);
        var careful = ranked[^1];
        (careful.GetProperty("changed").GetInt32() + careful.GetProperty("dropped").GetInt32()).ShouldBe(0, "the careful annotator was outvoted everywhere it mattered");

        var quarantined = await requester.PostAsJsonAsync($"/api/v1/projects/{projectId}/annotators/{adversary}/quarantine", new { reason = "Picks the harmful answer on <b>medical</b> prompts." });
        quarantined.StatusCode.ShouldBe(HttpStatusCode.NoContent, await quarantined.Content.ReadAsStringAsync());
        var report = (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/annotators"))!.Single(r => r.GetProperty("annotator").GetString() == adversary);
        report.GetProperty("status").GetString().ShouldBe("quarantined");
        report.GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "quarantined")
            .GetProperty("evidence").GetString()!.ShouldContain("harmful answer on <b>medical</b>");

        // Purged: the re-export differs from the first exactly where the influence said.
        var after = await PreferenceAsync(requester, projectId);
        var differs = before.Keys.Union(after.Keys).Where(id => before.GetValueOrDefault(id) != after.GetValueOrDefault(id)).Order().ToList();
        differs.ShouldBe(decided.Select(r => r.GetProperty("externalId").GetString()!).ToList());
        foreach (var record in decided)
        {
            var id = record.GetProperty("externalId").GetString()!;
            record.GetProperty("without").EnumerateArray().Select(w => w.GetString()).ShouldBe(after.TryGetValue(id, out var now) ? [now] : []);
        }

        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(18, "purging deletes nothing");
        (await server.QueryAsync(db => db.Quarantines.SingleAsync())).Reason.ShouldBe("Picks the harmful answer on <b>medical</b> prompts.");
        var stillInfluential = await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/annotators/{adversary}/influence");
        stillInfluential.GetProperty("status").GetString().ShouldBe("quarantined");
        stillInfluential.GetProperty("formats")[0].GetProperty("decided").GetInt32().ShouldBe(3, "what they would decide if restored");

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await requester.PostAsync($"/api/v1/projects/{projectId}/annotators/{adversary}/restore", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await PreferenceAsync(requester, projectId)).ShouldBe(before, "restored, their answers count again");
        (await requester.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/annotators"))!
            .Single(r => r.GetProperty("annotator").GetString() == adversary).GetProperty("status").GetString().ShouldBe("active");
        (await server.QueryAsync(db => db.Quarantines.CountAsync())).ShouldBe(1, "the quarantine stays on record");
    }

    [Theory]
    [Databases]
    public async Task quarantine_needs_a_reason_the_owner_and_a_known_annotator(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (projectId, requester, adversary) = await SetUpAsync(server);
        var (_, stranger) = await server.AddUserAsync("other-req", Roles.Requester);
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var url = $"/api/v1/projects/{projectId}/annotators/{adversary}/quarantine";

        var empty = await requester.PostAsJsonAsync(url, new { reason = "  " });
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await empty.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        (await requester.PostAsJsonAsync(url, new { reason = new string('x', 2_001) })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await requester.PostAsJsonAsync($"/api/v1/projects/{projectId}/annotators/nobody-here/quarantine", new { reason = "why" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsJsonAsync(url, new { reason = "why" })).StatusCode.ShouldBe(HttpStatusCode.NotFound, "not their project");
        (await annotator.PostAsJsonAsync(url, new { reason = "why" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync($"/api/v1/projects/{projectId}/annotators/{adversary}/influence")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync($"/api/v1/projects/{projectId}/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.GetAsync($"/api/v1/projects/{projectId}/audit")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var badFormat = await requester.GetAsync($"/api/v1/projects/{projectId}/audit?format=sft");
        badFormat.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badFormat.Content.ReadAsStringAsync()).ShouldContain("format");
        (await server.QueryAsync(db => db.Quarantines.CountAsync())).ShouldBe(0, "nothing half-written");

        (await admin.PostAsJsonAsync(url, new { reason = "An admin may quarantine in any project." })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await server.QueryAsync(db => db.Quarantines.CountAsync())).ShouldBe(1);
    }
}
