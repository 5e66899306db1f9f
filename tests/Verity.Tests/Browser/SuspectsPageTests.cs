using System.Net.Http.Json;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SuspectsPageTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    private static string Question(int i) => $"Which answer to question {i} is right?";

    /// <summary>Six items, overlap 3: mallory sides with sloppy against careful on q1–q3, so mallory decides them.</summary>
    private static async Task<(VerityServer Server, Guid ProjectId, string Mallory)> SeedAsync()
    {
        var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("owner", Roles.Requester, Password);
        await server.AddUserAsync("other", Roles.Requester, Password);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "Suspects project",
            kind = "pairwise",
            overlap = 3,
            aggregation = "majority",
            rationale = new { required = false, minChars = 0 },
        });
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 6).Select(i => Api.ItemLine($"q{i}", prompt: Question(i))))).EnsureSuccessStatusCode();
        string mallory = "";
        foreach (var (name, wrongOnFirstThree) in new[] { ("careful", false), ("sloppy", true), ("mallory", true) })
        {
            var (user, client) = await server.AddUserAsync(name, Roles.Annotator, Password);
            if (name == "mallory")
                mallory = await server.PseudonymAsync(projectId, user.Id);
            while (await client.NextAsync(projectId) is { } task)
            {
                server.Clock.Advance(TimeSpan.FromSeconds(30));
                var prompt = task.GetProperty("item").GetProperty("prompt").GetString()!;
                var i = Enumerable.Range(1, 6).Single(n => Question(n) == prompt);
                (await client.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit", new
                {
                    choice = wrongOnFirstThree && i <= 3 ? "b" : "a",
                    strength = 2,
                    idempotencyKey = Guid.NewGuid().ToString("N"),
                })).EnsureSuccessStatusCode();
            }
        }

        return (server, projectId, mallory);
    }

    [Fact]
    public async Task the_owner_quarantines_from_the_audit_sees_the_evidence_and_records_and_restores()
    {
        var (server, projectId, mallory) = await SeedAsync();
        await using var running = server;
        var page = await SignInAsync(server, "owner");

        await page.GotoAsync($"{server.BaseAddress}projects/{projectId}/quality");
        await page.ClickAsync("a:has-text('suspects')");
        await page.WaitForURLAsync($"**/projects/{projectId}/suspects");

        var auditRow = page.Locator($"#audit tr[data-annotator='{mallory}']");
        (await auditRow.Locator("td.dropped").TextContentAsync()).ShouldBe("3", "without mallory the vote on q1–q3 splits");
        (await page.Locator($"#suspects article[data-annotator='{mallory}']").CountAsync()).ShouldBe(0, "nothing flags mallory yet");

        const string reason = "<img src=x onerror=alert(1)> sides with the wrong answer on q1-q3";
        await auditRow.Locator("textarea[name=reason]").FillAsync(reason);
        await auditRow.Locator("button:has-text('Quarantine')").ClickAsync();
        await page.WaitForURLAsync($"**/projects/{projectId}/suspects");

        var suspect = page.Locator($"#suspects article[data-annotator='{mallory}']");
        (await suspect.Locator(".status").TextContentAsync()).ShouldBe("quarantined");
        (await suspect.Locator("li[data-flag=quarantined]").TextContentAsync())!.ShouldContain(reason, Case.Sensitive, "the reason is shown as text");
        (await page.Locator("img").CountAsync()).ShouldBe(0, "and never as markup");
        var decided = suspect.Locator("div[data-format=preference] tr[data-record]");
        (await decided.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.record)")).ShouldBe(["q1", "q2", "q3"]);
        (await decided.First.Locator("td").Nth(3).TextContentAsync()).ShouldBe("no record");
        (await page.Locator($"#audit tr[data-annotator='{mallory}']").CountAsync()).ShouldBe(0, "a quarantined annotator's answers no longer count in the export");
        (await server.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Quarantines))).ShouldBe(1);

        // The form carries an antiforgery token; a post without one is refused.
        var forged = await page.APIRequest.PostAsync($"{server.BaseAddress}projects/{projectId}/suspects?handler=Restore",
            new APIRequestContextOptions { Form = page.APIRequest.CreateFormData().Set("pseudonym", mallory) });
        forged.Status.ShouldBe(400);

        await suspect.Locator("button:has-text('Restore')").ClickAsync();
        await page.WaitForURLAsync($"**/projects/{projectId}/suspects");
        (await page.Locator($"#audit tr[data-annotator='{mallory}'] td.status").TextContentAsync()).ShouldBe("active");

        var other = await SignInAsync(server, "other");
        (await other.GotoAsync($"{server.BaseAddress}projects/{projectId}/suspects"))!.Status.ShouldBe(404);
    }

    private async Task<IPage> SignInAsync(VerityServer server, string name)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }
}
