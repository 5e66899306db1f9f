using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;
using Verity.Tests.Workforce;

namespace Verity.Tests.Browser;

/// <summary>
/// Issue 12 in Chromium: apply, take the Starter Assessment once, get scored, qualify, pass Coding, see and do Coding
/// work, see it on the earnings page; the operator pays the period and takes the export.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkforceWalkTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task a_new_person_applies_passes_the_starter_and_coding_assessments_and_works_on_a_coding_project()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        await server.AddUserAsync("rev", Roles.Reviewer, Password);
        var starter = await requester.CreateAssessmentAsync("general", gold: 2, freeText: 1, passScore: 0.7, name: "Starter Assessment");
        var coding = await requester.CreateAssessmentAsync("coding", gold: 2, freeText: 0, passScore: 0.5, name: "Coding Assessment");
        var codingWork = await requester.CreateProjectAsync(new { name = "Coding work", kind = "pairwise", overlap = 1, rationale = new { required = true, minChars = 10 }, access = new { tracks = new[] { "coding" } } });
        (await requester.ImportAsync(codingWork, [Api.ItemLine("c1")])).EnsureSuccessStatusCode();

        var page = await NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}signup");
        await page.FillAsync("input[name=Name]", "lin");
        await page.FillAsync("input[name=Password]", Password);
        await page.CheckAsync("input[name=Chosen][value=general]");
        await page.CheckAsync("input[name=Chosen][value=coding]");
        await page.FillAsync("textarea[name=Background]", "<script>window.pwned = 1</script>Ten years of support work.");
        await page.ClickAsync("button:has-text('Apply')");
        await page.WaitForURLAsync(url => url.EndsWith("/work", StringComparison.Ordinal));
        await page.Locator("#applicant").WaitForAsync();
        (await page.ContentAsync()).ShouldNotContain("Coding work");
        (await page.Locator("#assessments li").AllTextContentsAsync()).ShouldHaveSingleItem().ShouldContain("Starter Assessment");

        // A second browser, signed in as the same person, holds the Start button the first will use up.
        var second = await SignInAsync(server, "lin");
        await second.GotoAsync($"{server.BaseAddress}work");

        await page.ClickAsync($"li[data-assessment='{starter}'] button:has-text('Start')");
        await AnswerAllAsync(page, choice: "a");

        await second.ClickAsync($"li[data-assessment='{starter}'] button:has-text('Start')");
        await second.WaitForURLAsync(url => url.EndsWith("/work", StringComparison.Ordinal));
        (await second.TextContentAsync("#assessments .error")).ShouldNotBeNull().ShouldContain("can be taken only once");
        var issued = await (await admin.PostAsJsonAsync($"/api/v1/users/{await UserIdAsync(server, "lin")}/tokens", new { name = "api" })).Content.ReadFromJsonAsync<JsonElement>();
        var api = server.Client(issued.GetProperty("secret").GetString());
        (await api.PostAsync($"/api/v1/assessments/{starter}/start", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var reviewer = await SignInAsync(server, "rev");
        await reviewer.GotoAsync($"{server.BaseAddress}review/assessments");
        (await reviewer.TextContentAsync("[data-answer]")).ShouldNotBeNull().ShouldContain("Full marks for naming tone and accuracy.");
        await reviewer.FillAsync("input[name=Score]", "1");
        await reviewer.ClickAsync("button:has-text('Score')");
        await reviewer.GetByText("Nothing to score.").WaitForAsync();

        await page.GotoAsync($"{server.BaseAddress}work");
        (await page.TextContentAsync("#tracks")).ShouldNotBeNull().ShouldContain("General");
        (await page.TextContentAsync("#history")).ShouldNotBeNull().ShouldContain("Passed the assessment \"Starter Assessment\" with 100%.");
        (await page.ContentAsync()).ShouldNotContain("Coding work", Case.Sensitive, "qualified for General, not yet for Coding");
        await page.ClickAsync($"li[data-assessment='{coding}'] button:has-text('Start')");
        await AnswerAllAsync(page, choice: "a");

        await page.GotoAsync($"{server.BaseAddress}work");
        (await page.TextContentAsync("#tracks")).ShouldNotBeNull().ShouldContain("Coding");
        await page.ClickAsync("li.card:has-text('Coding work') a:has-text('Start')");
        // The person reads the task for a few seconds (the server's clock moves on with them), then answers.
        await page.WaitForWorkbenchAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 15; i++)
        {
            await page.Mouse.MoveAsync(200 + (i * 10), 300);
            await Task.Delay(200);
        }

        await AnswerAllAsync(page, choice: "b");
        (await server.QueryAsync(db => db.Annotations.CountAsync(a => a.ProjectId == codingWork))).ShouldBe(1);
        var paid = await server.QueryAsync(db => db.LedgerEntries.Where(e => e.ProjectId == codingWork).SingleAsync());
        (paid.TrackId, paid.HourlyRate, paid.Multiplier).ShouldBe(("coding", 40m, 1.0m), "Coding pays $40 at the first tier; the assessments were not paid");
        paid.Seconds.ShouldBeInRange(3, 300, "the page's active time, never more than lease to submit");
        var amount = paid.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

        await page.GotoAsync($"{server.BaseAddress}work");
        await page.ClickAsync("#earnings");
        (await page.Locator("#days tbody tr").InnerTextAsync()).ShouldBe($"2026-11-02\tCoding work\tcoding\t1\t0.00\t{amount} USD");

        var operatorPage = await SignInAsAdminAsync(server);
        await operatorPage.GotoAsync($"{server.BaseAddress}admin/people?q=lin");
        await operatorPage.ClickAsync("a:has-text('lin')");
        (await operatorPage.TextContentAsync("#background")).ShouldBe("<script>window.pwned = 1</script>Ten years of support work.");
        (await operatorPage.EvaluateAsync<bool>("() => window.pwned === undefined")).ShouldBeTrue("the background is text, never markup");
        (await operatorPage.Locator("#totals tbody tr").InnerTextAsync()).ShouldBe($"USD\t0.00\t{amount}\t0.00\t{amount}\t0.00", "the operator sees what the person earned and is due");

        // The operator pays November and takes the export; the person sees it paid.
        await operatorPage.GotoAsync($"{server.BaseAddress}admin/payouts?from=2026-11-01&to=2026-11-30");
        (await operatorPage.Locator("#payout tbody tr:has-text('lin')").InnerTextAsync()).ShouldBe($"lin\t0.00\t{amount}\tUSD\t1");
        await operatorPage.ClickAsync("#pay");
        await operatorPage.Locator("#paid-at").WaitForAsync();
        var export = await operatorPage.RunAndWaitForDownloadAsync(() => operatorPage.ClickAsync("#csv"));
        (await File.ReadAllLinesAsync(await export.PathAsync())).ShouldBe(["person,hours,amount,currency", $"lin,0.00,{amount},USD"]);
        await page.GotoAsync($"{server.BaseAddress}work/earnings");
        (await page.Locator("#totals tbody tr").InnerTextAsync()).ShouldBe($"USD\t0.00\t{amount}\t{amount}\t0.00\t0.00");
    }

    [Fact]
    public async Task a_person_who_failed_the_starter_assessment_sees_no_work()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var starter = await requester.CreateAssessmentAsync("general", gold: 2, freeText: 0, name: "Starter Assessment");
        var open = await requester.CreateProjectAsync("Open work", overlap: 1);
        (await requester.ImportAsync(open, [Api.ItemLine("w1")])).EnsureSuccessStatusCode();
        var gated = await requester.CreateProjectAsync(new { name = "Coding work", kind = "pairwise", overlap = 1, access = new { tracks = new[] { "coding" } } });
        (await requester.ImportAsync(gated, [Api.ItemLine("c1")])).EnsureSuccessStatusCode();
        var response = await server.Client().PostAsJsonAsync("/api/v1/signup", new { name = "sam", password = Password, tracks = new[] { "general", "coding" } });
        response.EnsureSuccessStatusCode();

        var page = await SignInAsync(server, "sam");
        await page.ClickAsync($"li[data-assessment='{starter}'] button:has-text('Start')");
        await AnswerAllAsync(page, choice: "b");
        await page.GotoAsync($"{server.BaseAddress}work");

        (await page.TextContentAsync($"li[data-assessment='{starter}'] .status")).ShouldNotBeNull().ShouldContain("failed");
        var content = await page.ContentAsync();
        content.ShouldNotContain("Open work");
        content.ShouldNotContain("Coding work");
        await page.GotoAsync($"{server.BaseAddress}work/{gated}");
        (await page.TextContentAsync("[role=alert]")).ShouldNotBeNull().ShouldContain("not admitted");
        admin.ShouldNotBeNull();
    }

    /// <summary>Answers the tasks of the open project page until none is left: the given choice, with a rationale.</summary>
    private static async Task AnswerAllAsync(IPage page, string choice)
    {
        while (true)
        {
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            if (await page.Locator("input[name=AssignmentId]").CountAsync() == 0)
                return;
            var assignment = await page.InputValueAsync("input[name=AssignmentId]");
            await page.CheckAsync($"input[name=Choice][value={choice}]");
            await page.FillAsync("#rationale", "The chosen one is accurate and polite.");
            await page.ClickAsync("button:has-text('Submit and next')");
            await page.WaitForFunctionAsync($"() => document.querySelector('input[name=AssignmentId]')?.value !== '{assignment}'");
        }
    }

    private static async Task<Guid> UserIdAsync(VerityServer server, string name) =>
        await server.QueryAsync(db => db.Users.Where(u => u.Name == name).Select(u => u.Id).SingleAsync());

    private async Task<IPage> SignInAsAdminAsync(VerityServer server)
    {
        await using (var scope = server.Scope())
            await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Verity.Workforce.UserService>(scope.ServiceProvider).AddAsync("operator", Roles.Admin, Password);
        return await SignInAsync(server, "operator");
    }

    /// <summary>
    /// A page in its own browser context. The walk posts a few dozen forms one after another; inside the whole parallel
    /// suite on two cores one of them twice took over Playwright's default 30 s (the walk alone passes in 25 s).
    /// </summary>
    private async Task<IPage> NewPageAsync()
    {
        var context = await fixture.Browser.NewContextAsync();
        context.SetDefaultTimeout(120_000);
        return await context.NewPageAsync();
    }

    private async Task<IPage> SignInAsync(VerityServer server, string name)
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }
}
