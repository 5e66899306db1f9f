using System.Net.Http.Json;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class QualityPageTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    private sealed record Seeded(VerityServer Server, Guid ProjectId, Dictionary<string, string> Pseudonyms);

    /// <summary>
    /// Four items and two gold items (g1 expects a, g2 expects b) with overlap 3; ann1 and ann2 always choose a,
    /// ann3 always b and flags its first real item as unsafe. Each rationale names its author, so a page that leaks
    /// someone else's answer shows it.
    /// </summary>
    private static async Task<Seeded> SeedAsync()
    {
        var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("owner", Roles.Requester, Password);
        await server.AddUserAsync("other", Roles.Requester, Password);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "Quality project",
            kind = "pairwise",
            overlap = 3,
            rationale = new { required = false, minChars = 0 },
            gold = new { calibration = 2, feedback = true },
        });
        string Gold(string id, string choice, string explanation) =>
            Api.ItemLine(id, prompt: $"Gold question {id}")[..^1] + $$$""","gold":{"choice":"{{{choice}}}","strength":2,"explanation":"{{{explanation}}}"}}""";
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 4).Select(i => Api.ItemLine($"q{i}"))
            .Append(Gold("g1", "a", "Paris is the capital, so a is right."))
            .Append(Gold("g2", "b", "Both name the wrong city but b admits doubt.")))).EnsureSuccessStatusCode();

        var pseudonyms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, choice) in new[] { ("ann1", "a"), ("ann2", "a"), ("ann3", "b") })
        {
            var (user, client) = await server.AddUserAsync(name, Roles.Annotator, Password);
            pseudonyms[name] = await server.PseudonymAsync(projectId, user.Id);
            var n = 0;
            while (await client.NextAsync(projectId) is { } task)
            {
                server.Clock.Advance(TimeSpan.FromSeconds(20));
                n++;
                var flags = name == "ann3" && n == 3 ? new[] { new { name = "unsafe", note = "Mentions a weapon." } } : [];
                (await client.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit", new
                {
                    choice,
                    strength = 2,
                    rationale = $"Written by {name}, answer number {n}.",
                    flags,
                    idempotencyKey = Guid.NewGuid().ToString("N"),
                })).EnsureSuccessStatusCode();
            }
        }
        return new Seeded(server, projectId, pseudonyms);
    }

    [Fact]
    public async Task the_owner_sees_annotators_charts_the_gold_confusion_and_escalations_and_another_requester_gets_404()
    {
        var (server, projectId, pseudonyms) = await SeedAsync();
        await using var running = server;
        var page = await SignInAsync(server, "owner");

        await page.GotoAsync($"{server.BaseAddress}projects");
        await page.ClickAsync($"a[href='/projects/{projectId}/quality']");
        await page.WaitForURLAsync($"**/projects/{projectId}/quality");

        (await page.Locator("tr[data-annotator]").CountAsync()).ShouldBe(3);
        foreach (var name in new[] { "ann1", "ann2", "ann3" })
        {
            var row = page.Locator($"tr[data-annotator='{pseudonyms[name]}']");
            (await row.Locator("td").Nth(1).TextContentAsync()).ShouldBe("4", $"{name} labelled four real items");
            (await row.Locator("td.status").TextContentAsync()).ShouldBe("active");
        }
        (await page.Locator("tr[data-annotator] td").Nth(2).TextContentAsync())!.ShouldContain("2 gold");

        (await page.Locator("#agreement svg.line-chart").CountAsync()).ShouldBe(1);
        (await page.Locator("#agreement svg path.chart-line").CountAsync()).ShouldBe(1);
        (await page.Locator("#confidence svg.bar-chart rect.chart-bar").CountAsync()).ShouldBe(10);
        // Every real item got a, a, b: all four sit in the 60–70% bin.
        (await page.Locator("#confidence rect.chart-bar title").AllTextContentsAsync()).ShouldContain("60–70%: 4");
        // Both axes titled; every bin labelled below, with its count above.
        (await page.Locator("#confidence .x-title").TextContentAsync()).ShouldBe("Confidence of the leading label");
        (await page.Locator("#confidence .y-title").TextContentAsync()).ShouldBe("Items");
        (await page.Locator("#confidence .x-label").AllTextContentsAsync()).ShouldBe(Enumerable.Range(0, 10).Select(b => $"{b * 10}–{(b + 1) * 10}%").ToList());
        (await page.Locator("#confidence .bar-count").AllTextContentsAsync()).ShouldBe(["0", "0", "0", "0", "0", "0", "4", "0", "0", "0"]);
        // Each point's title is "series · x label: value"; every one of those x labels is drawn on the axis.
        var xLabels = await page.Locator("#agreement .x-label").AllTextContentsAsync();
        var pointTitles = await page.Locator("#agreement circle.chart-point title").AllTextContentsAsync();
        pointTitles.ShouldNotBeEmpty();
        pointTitles.Select(t => t.Split(" · ")[1].Split(':')[0]).ShouldAllBe(x => xLabels.Contains(x), "every point of the agreement line is labelled");
        (await page.Locator("#agreement .x-title").TextContentAsync()).ShouldBeOneOf("Labels so far", "End of day (UTC)");
        (await page.Locator("#agreement .y-title").TextContentAsync()).ShouldNotBeNullOrEmpty();

        async Task<string?> Cell(string expected, string given) =>
            await page.Locator($"#confusion tr[data-expected='{expected}'] td[data-given='{given}']").TextContentAsync();
        (await Cell("a", "a")).ShouldBe("2");
        (await Cell("a", "b")).ShouldBe("1");
        (await Cell("b", "a")).ShouldBe("2");
        (await Cell("b", "b")).ShouldBe("1");

        (await page.Locator("#escalations tbody tr").CountAsync()).ShouldBe(1);
        (await page.Locator("#escalations tbody").TextContentAsync())!.ShouldContain("unsafe: Mentions a weapon.");

        var other = await SignInAsync(server, "other");
        var response = await other.GotoAsync($"{server.BaseAddress}projects/{projectId}/quality");
        response!.Status.ShouldBe(404);
    }

    [Fact]
    public async Task an_annotator_sees_their_gold_miss_with_its_explanation_and_nobody_elses_answers()
    {
        var (server, projectId, _) = await SeedAsync();
        await using var running = server;
        // Gold shows to its annotator only a day after the answer.
        server.Clock.Advance(TimeSpan.FromHours(24));
        var page = await SignInAsync(server, "ann3");

        await page.GotoAsync($"{server.BaseAddress}work/{projectId}");
        await page.ClickAsync("a:has-text('Your quality')");
        await page.WaitForURLAsync($"**/work/{projectId}/me");

        (await page.Locator("#standing .status").TextContentAsync()).ShouldBe("active");
        (await page.Locator("#gold-accuracy").TextContentAsync())!.ShouldContain("2 gold items");
        var misses = page.Locator("#misses article.miss");
        (await misses.CountAsync()).ShouldBe(1, "ann3 chose b on both gold items and g2 expects b");
        var miss = (await misses.First.TextContentAsync())!;
        miss.ShouldContain("Gold question g1");
        miss.ShouldContain("You chose response b; expected response a");
        miss.ShouldContain("Paris is the capital, so a is right.");

        var body = (await page.Locator("main").TextContentAsync())!;
        body.ShouldNotContain("ann1");
        body.ShouldNotContain("ann2");
        body.ShouldNotContain("Both name the wrong city", Case.Sensitive, "a matched gold item is not a miss");
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
