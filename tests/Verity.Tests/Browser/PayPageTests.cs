using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class PayPageTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task a_page_left_without_input_stops_counting_so_idle_time_is_not_paid()
    {
        // Two seconds of grace instead of two minutes, so the test waits seconds, not minutes.
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite, leaseMinutes: 60,
            settings: new Dictionary<string, string?>(StringComparer.Ordinal) { ["Workforce:Pay:IdleSeconds"] = "2" });
        var (_, admin) = await server.AddUserAsync("operator", Roles.Admin);
        var projectId = await admin.CreateProjectAsync("Idle project", overlap: 1, minChars: 0);
        (await admin.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        var (annotator, _) = await server.AddUserAsync("ann", Roles.Annotator, Password);
        var page = await SignInAsync(server, "ann");

        await page.GotoAsync($"{server.BaseAddress}work/{projectId}");
        await page.WaitForWorkbenchAsync();
        var open = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            await page.Mouse.MoveAsync(100 + (i * 20), 200);
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(6));
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        await page.Keyboard.PressAsync("1");
        await page.FillAsync("#rationale", "The first response names the right city.");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForURLAsync(url => url.EndsWith($"/work/{projectId}", StringComparison.Ordinal));
        await page.GetByText("Nothing left").WaitForAsync();
        var wall = open.Elapsed.TotalSeconds;

        var active = await server.QueryAsync(db => db.Annotations.Where(a => a.AnnotatorId == annotator.Id).Select(a => a.ActiveSeconds).SingleAsync());
        active.ShouldNotBeNull();
        active.Value.ShouldBeGreaterThanOrEqualTo(2, "the seconds with input count");
        active.Value.ShouldBeLessThanOrEqualTo((int)wall - 3, $"of the six idle seconds only the two of grace count (the page was open {wall:0.0} s)");
        (await server.QueryAsync(db => db.LedgerEntries.Where(e => e.UserId == annotator.Id).Select(e => e.Seconds).SingleAsync())).ShouldBe(active.Value);
    }

    [Fact]
    public async Task an_operator_records_a_payout_downloads_its_csv_and_the_person_sees_it_paid()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite, leaseMinutes: 60);
        var (_, admin) = await server.AddUserAsync("operator", Roles.Admin, Password);
        var projectId = await admin.CreateProjectAsync(new
        {
            name = "Paid project",
            kind = "pairwise",
            overlap = 1,
            guidelines = "Pick one.",
            rationale = new { required = false, minChars = 0 },
            pay = new { expectedTaskMinutes = 60 },
        });
        (await admin.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        var (_, ann) = await server.AddUserAsync("ann", Roles.Annotator, Password);
        var task = (await ann.NextAsync(projectId))!.Value;
        server.Clock.Advance(TimeSpan.FromMinutes(30));
        (await ann.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();

        var operatorPage = await SignInAsync(server, "operator");
        await operatorPage.GotoAsync($"{server.BaseAddress}projects");
        await operatorPage.ClickAsync("#payouts");
        await operatorPage.FillAsync("input[name=from]", "2026-11-01");
        await operatorPage.FillAsync("input[name=to]", "2026-11-30");
        await operatorPage.ClickAsync("#period button");
        (await operatorPage.Locator("#payout tbody tr").InnerTextAsync()).ShouldBe("ann\t0.50\t10.00\tUSD\t1");
        await operatorPage.ClickAsync("#pay");
        (await operatorPage.Locator("#notice").InnerTextAsync()).ShouldContain("Paid 2026-11-01 to 2026-11-30: 1 people");
        await operatorPage.Locator("#paid-at").WaitForAsync();
        var download = await operatorPage.RunAndWaitForDownloadAsync(() => operatorPage.ClickAsync("#csv"));
        download.SuggestedFilename.ShouldBe("payout-2026-11-01-2026-11-30.csv");
        (await File.ReadAllTextAsync(await download.PathAsync())).ShouldBe("person,hours,amount,currency\nann,0.50,10.00,USD\n");

        var annPage = await SignInAsync(server, "ann");
        await annPage.GotoAsync($"{server.BaseAddress}work");
        await annPage.ClickAsync("#earnings");
        (await annPage.Locator("#totals tbody tr").InnerTextAsync()).ShouldBe("USD\t0.50\t10.00\t10.00\t0.00\t0.00");
        (await annPage.Locator("#days tbody tr").InnerTextAsync()).ShouldBe("2026-11-02\tPaid project\tgeneral\t1\t0.50\t10.00 USD");
    }

    private async Task<IPage> SignInAsync(VerityServer server, string name)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }
}
