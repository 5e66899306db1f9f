using System.Net.Http.Json;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Demo;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

/// <summary>Every page, as each role sees it on the demo, in the light and the dark scheme: axe-core finds nothing.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task no_page_has_an_axe_violation(ColorScheme scheme)
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        await using (var scope = server.Scope())
            await DemoSeeder.SeedAsync(scope.ServiceProvider.GetRequiredService<VerityDbContext>(), server.Clock);
        var (admin, _) = await server.AddUserAsync("root", Roles.Admin, Password);
        await server.AddUserAsync("rev", Roles.Reviewer, Password);
        var projects = await server.QueryAsync(db => db.Projects.OrderBy(p => p.Name).Select(p => p.Id).ToListAsync());
        var pairwise = await server.QueryAsync(db => db.Projects.Where(p => p.Kind == "pairwise").Select(p => p.Id).SingleAsync());
        await server.AssignReviewerAsync(pairwise, "rev");

        // Two flagged answers, so the review queue shows its cards and their forms.
        var (_, annotatorApi) = await server.AddUserAsync("ann", Roles.Annotator);
        for (var i = 0; i < 2 && await annotatorApi.NextAsync(pairwise) is { } task; i++)
        {
            (await annotatorApi.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit", new
            {
                choice = task.GetProperty("item").GetProperty("responses")[0].GetProperty("id").GetString(),
                strength = 2,
                flags = new[] { new { name = "factually-wrong", note = "Check the <b>date</b>." } },
                rationale = "The first response is right and the second one is not.",
                idempotencyKey = Guid.NewGuid().ToString("N"),
            })).EnsureSuccessStatusCode();
        }

        var violations = new List<string>();
        async Task CheckAsync(IPage page, string path, int status = 200)
        {
            var response = await page.GotoAsync($"{server.BaseAddress}{path.TrimStart('/')}");
            response!.Status.ShouldBe(status, path);
            var result = await page.RunAxe();
            violations.AddRange(result.Violations.Select(v => $"{path}: {v.Id} ({v.Help}): {string.Join(" | ", v.Nodes.Select(n => n.Html).Take(3))}"));
        }

        var anonymous = await NewPageAsync(scheme);
        await CheckAsync(anonymous, "/login");
        await CheckAsync(anonymous, "/signup");
        await CheckAsync(anonymous, "/no-such-page", 404);

        var annotator = await SignInAsync(scheme, server, DemoSeeder.Annotators[0], DemoSeeder.Password);
        await CheckAsync(annotator, "/work");
        foreach (var id in projects)
            await CheckAsync(annotator, $"/work/{id}");
        foreach (var path in new[] { $"/work/{pairwise}/guidelines", $"/work/{pairwise}/me", "/work/earnings" })
            await CheckAsync(annotator, path);
        await CheckAsync(annotator, "/admin/people", 403);

        var reviewer = await SignInAsync(scheme, server, "rev", Password);
        await CheckAsync(reviewer, $"/review/{pairwise}");
        await CheckAsync(reviewer, "/review/assessments");

        var owner = await SignInAsync(scheme, server, DemoSeeder.Requester, DemoSeeder.Password);
        await CheckAsync(owner, "/projects");
        await CheckAsync(owner, "/projects/new");
        foreach (var path in new[] { "", "/settings", "/quality", "/suspects", "/items", "/exports" })
            await CheckAsync(owner, $"/projects/{pairwise}{path}");
        foreach (var id in projects)
            await CheckAsync(owner, $"/projects/{id}/preview");
        await CheckAsync(owner, $"/review/{pairwise}");
        (await owner.Locator("article.review form.decide").CountAsync()).ShouldBe(2);

        var root = await SignInAsync(scheme, server, "root", Password);
        foreach (var path in new[] { "/admin/people", $"/admin/people/{admin.Id}", "/admin/tracks", "/admin/payouts", "/admin/audit" })
            await CheckAsync(root, path);

        violations.ShouldBeEmpty();
    }

    private async Task<IPage> NewPageAsync(ColorScheme scheme)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, ColorScheme = scheme });
        return await context.NewPageAsync();
    }

    private async Task<IPage> SignInAsync(ColorScheme scheme, VerityServer server, string name, string password)
    {
        var page = await NewPageAsync(scheme);
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }
}
