using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>
/// Issue 11, item 2: with gold feedback off, one account learns nothing per item about gold, so it cannot harvest the
/// key; each annotator meets their own share of the pool; annotators do not see the gold settings.
/// </summary>
public sealed partial class GoldLeakTests
{
    private const string Password = "correct horse battery";

    private static string GoldLine(string id, string choice) =>
        Api.ItemLine(id, prompt: $"Gold question {id}")[..^1] + $$$""","gold":{"choice":"{{{choice}}}","strength":1,"explanation":"The key for {{{id}}}."}}""";

    [Theory]
    [Databases]
    public async Task with_feedback_off_nothing_an_annotator_can_read_changes_with_a_gold_answer(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "secret gold",
            kind = "pairwise",
            overlap = 1,
            rationale = new { required = false, minChars = 0 },
            gold = new { rate = 0.5, calibration = 2 },
        });
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 8).Select(i => Api.ItemLine($"q{i}"))
            .Concat(Enumerable.Range(1, 6).Select(i => GoldLine($"g{i}", i % 2 == 0 ? "a" : "b"))))).EnsureSuccessStatusCode();
        var (annotator, client) = await server.AddUserAsync("harvester", Roles.Annotator, Password);
        using var browser = await CookieClient.SignInAsync(server, "harvester", Password);

        // The settings that would say how often gold comes are not the annotator's to read.
        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/v1/projects")).EnumerateArray().Single();
        listed.GetProperty("gold").ValueKind.ShouldBe(JsonValueKind.Null);
        listed.GetProperty("goldItems").ValueKind.ShouldBe(JsonValueKind.Null);
        listed.GetProperty("rules").ValueKind.ShouldBe(JsonValueKind.Null);

        var standing = await client.GetStringAsync($"/api/v1/projects/{projectId}/standing");
        var me = await MePageAsync(browser, projectId);
        var shapes = new HashSet<string>(StringComparer.Ordinal);
        var answered = 0;
        while (await client.NextAsync(projectId) is { } task)
        {
            var result = await (await client.SubmitAsync(task.AssignmentId(), "a")).Content.ReadFromJsonAsync<JsonElement>();
            shapes.Add(string.Join(',', result.EnumerateObject().Select(p => p.Name)));
            answered++;
            (await client.GetStringAsync($"/api/v1/projects/{projectId}/standing")).ShouldBe(standing, $"after answer {answered}");
            (await MePageAsync(browser, projectId)).ShouldBe(me, $"after answer {answered}");
        }

        var gold = await server.QueryAsync(db => db.Annotations.CountAsync(a => a.AnnotatorId == annotator.Id && a.GoldScore != null));
        gold.ShouldBeGreaterThanOrEqualTo(2, "the calibration items were served and scored");
        answered.ShouldBe(8 + gold);
        shapes.Count.ShouldBe(1, "a gold item's answer looks like any other");

        // A day later there is still nothing per item, nor any gold number.
        server.Clock.Advance(TimeSpan.FromHours(25));
        using var later = await CookieClient.SignInAsync(server, "harvester", Password);
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/standing");
        after.GetProperty("goldSeen").GetInt32().ShouldBe(0);
        after.GetProperty("goldAccuracy").ValueKind.ShouldBe(JsonValueKind.Null);
        var page = await MePageAsync(later, projectId);
        page.ShouldNotContain("The key for");
        page.ShouldNotContain("Gold question");
        page.ShouldNotContain("expected");
    }

    [Theory]
    [Databases]
    public async Task each_annotator_is_served_their_own_share_of_the_gold_pool(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "pool",
            kind = "pairwise",
            overlap = 2,
            rationale = new { required = false, minChars = 0 },
            gold = new { rate = 0.5 },
        });
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 40).Select(i => Api.ItemLine($"q{i}"))
            .Concat(Enumerable.Range(1, 20).Select(i => GoldLine($"g{i}", "a"))))).EnsureSuccessStatusCode();

        var seen = new List<HashSet<Guid>>();
        foreach (var name in new[] { "one", "two" })
        {
            var (user, client) = await server.AddUserAsync(name, Roles.Annotator);
            while (await client.NextAsync(projectId) is { } task)
                (await client.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();
            seen.Add((await server.QueryAsync(db => db.Assignments.Where(a => a.AnnotatorId == user.Id)
                .Join(db.Items.Where(i => i.IsGold), a => a.ItemId, i => i.Id, (a, i) => i.Id).ToListAsync())).ToHashSet());
        }

        // Half the pool (Work:GoldPoolShare 0.5) at most, and not the same half.
        seen.ShouldAllBe(s => s.Count > 0 && s.Count <= 10);
        seen[0].SetEquals(seen[1]).ShouldBeFalse();
    }

    private static async Task<string> MePageAsync(HttpClient browser, Guid projectId)
    {
        var html = await browser.GetStringAsync($"/work/{projectId}/me");
        html.ShouldContain("Your quality");
        // The antiforgery token in the sign-out form differs per response; nothing else may.
        return AntiforgeryValue().Replace(html, "");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"", RegexOptions.None, 1000)]
    private static partial Regex AntiforgeryValue();
}
