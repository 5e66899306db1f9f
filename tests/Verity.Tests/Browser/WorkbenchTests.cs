using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class WorkbenchTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task an_annotator_completes_three_tasks_by_keyboard()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync("Keyboard project", overlap: 1, minChars: 20);
        (await requester.ImportAsync(projectId, Enumerable.Range(1, 4).Select(i => Api.ItemLine($"q{i}")))).EnsureSuccessStatusCode();
        var (annotator, _) = await server.AddUserAsync("ann", Roles.Annotator, Password);
        var page = await SignInAsync(server, "ann", new ViewportSize { Width = 1280, Height = 800 });

        await page.GetByText("Keyboard project").WaitForAsync();
        await page.ClickAsync("a:has-text('Start')");
        var keys = new[] { "1", "2", "3" };
        for (var i = 0; i < 3; i++)
        {
            await page.Locator("#rationale").WaitForAsync();
            await page.WaitForWorkbenchAsync();
            var assignment = await page.InputValueAsync("input[name=AssignmentId]");
            await page.Keyboard.PressAsync(keys[i]);
            (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("rationale", "choosing moves the focus to the rationale");
            await page.Keyboard.TypeAsync($"Rationale number {i + 1}: the chosen response is more accurate.");
            (await page.TextContentAsync("#rationale-count")).ShouldBe("57");
            await page.Keyboard.PressAsync("Control+Enter");
            await page.WaitForFunctionAsync($"() => document.querySelector('input[name=AssignmentId]')?.value !== '{assignment}'");
        }

        var stored = await server.QueryAsync(db => db.Annotations.Where(a => a.AnnotatorId == annotator.Id).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync());
        stored.Count.ShouldBe(3);
        stored.Select(a => a.Rationale).Order().ShouldBe(Enumerable.Range(1, 3).Select(i => $"Rationale number {i}: the chosen response is more accurate."));
        var shown = await server.QueryAsync(db => db.Assignments.Where(a => a.AnnotatorId == annotator.Id).ToDictionaryAsync(a => a.Id, a => a.ShownOrderJson));
        // Key 1 picks whatever was shown on the left, 2 the right, 3 a tie.
        var expected = stored.Select(a => a.Rationale![17] switch
        {
            '1' => System.Text.Json.JsonSerializer.Deserialize<string[]>(shown[a.AssignmentId])![0],
            '2' => System.Text.Json.JsonSerializer.Deserialize<string[]>(shown[a.AssignmentId])![1],
            _ => "tie",
        });
        stored.Select(a => System.Text.Json.JsonDocument.Parse(a.AnswerJson).RootElement.GetProperty("choice").GetString()).ShouldBe(expected);
    }

    [Fact]
    public async Task a_short_rationale_shows_a_field_error_and_keeps_the_task()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1, minChars: 20);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        await server.AddUserAsync("ann", Roles.Annotator, Password);
        var page = await SignInAsync(server, "ann", new ViewportSize { Width = 1280, Height = 800 });

        await page.GotoAsync($"{server.BaseAddress}work/{projectId}");
        await page.WaitForWorkbenchAsync();
        await page.Keyboard.PressAsync("1");
        await page.Keyboard.TypeAsync("too short");
        await page.Keyboard.PressAsync("Control+Enter");
        (await page.Locator(".error[data-field=rationale]").TextContentAsync())!.ShouldContain("at least 20 characters");
        (await page.InputValueAsync("#rationale")).ShouldBe("too short");
        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task untrusted_markup_in_responses_never_runs()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId,
        [
            Api.ItemLine("xss",
                prompt: "Explain <script>window.pwned=1</script> this **snippet**",
                a: "Here: <script>window.pwned=2;alert(1)</script> and <img src=x onerror=\"window.pwned=3;alert(2)\"> done.\n\n```html\n<script>alert(3)</script>\n```",
                b: "[click here](javascript:window.pwned=4) or [that](JaVaScRiPt:alert(5)) or <a href=\"javascript:alert(6)\">raw</a> and ![i](javascript:alert(7))"),
        ])).EnsureSuccessStatusCode();
        await server.AddUserAsync("ann", Roles.Annotator, Password);
        var page = await SignInAsync(server, "ann", new ViewportSize { Width = 1280, Height = 800 });
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        await page.GotoAsync($"{server.BaseAddress}work/{projectId}");
        await page.Locator(".response").First.WaitForAsync();
        foreach (var link in await page.Locator(".markdown a").AllAsync())
            await link.ClickAsync();
        await page.WaitForTimeoutAsync(300);

        dialogs.ShouldBe(0);
        (await page.EvaluateAsync<bool>("() => window.pwned === undefined")).ShouldBeTrue();
        (await page.Locator("main script").CountAsync()).ShouldBe(0);
        (await page.Locator("main img[onerror]").CountAsync()).ShouldBe(0);
        var hrefs = await page.Locator("main a, main img").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href') ?? e.getAttribute('src') ?? '')");
        hrefs.ShouldAllBe(h => !h.Contains("javascript", StringComparison.OrdinalIgnoreCase));
        (await page.Locator(".response[data-response=a]").InnerTextAsync()).ShouldContain("<script>", Case.Sensitive);
    }

    [Theory]
    [InlineData(1280, 800, true)]
    [InlineData(390, 844, false)]
    public async Task the_task_page_fits_desktop_and_phone_widths(int width, int height, bool sideBySide)
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1", a: "```python\n" + string.Concat(Enumerable.Repeat("very_long_identifier_", 30)) + "\n```")])).EnsureSuccessStatusCode();
        await server.AddUserAsync("ann", Roles.Annotator, Password);
        var page = await SignInAsync(server, "ann", new ViewportSize { Width = width, Height = height });

        await page.GotoAsync($"{server.BaseAddress}work/{projectId}");
        var boxes = await page.Locator(".response").EvaluateAllAsync<double[][]>("els => els.map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y]; })");
        boxes.Length.ShouldBe(2);
        if (sideBySide)
        {
            boxes[0][1].ShouldBe(boxes[1][1]);
            boxes[1][0].ShouldBeGreaterThan(boxes[0][0]);
        }
        else
        {
            boxes[1][1].ShouldBeGreaterThan(boxes[0][1]);
        }

        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue("no sideways scrolling");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), $"verity-task-{width}.png"), FullPage = true });
    }

    [Fact]
    public async Task a_signed_in_annotator_cannot_choose_an_item_with_the_browser_cookie()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync("Cookie project", overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1"), Api.ItemLine("q2")])).EnsureSuccessStatusCode();
        await server.AddUserAsync("ann", Roles.Annotator, Password);
        var page = await SignInAsync(server, "ann", new ViewportSize { Width = 1280, Height = 800 });

        // The same request a script on the page could make, carrying the session cookie.
        var answer = await page.EvaluateAsync<string[]>(
            "async url => { const r = await fetch(url); return [String(r.status), (await r.json()).detail]; }",
            $"/api/v1/projects/{projectId}/next?externalId=q2");
        answer[0].ShouldBe("403");
        answer[1].ShouldContain("for the project's owner or an admin");
        (await server.QueryAsync(db => db.Assignments.CountAsync())).ShouldBe(0);

        // Without the choice the cookie still serves the next item as the rules pick it.
        (await page.EvaluateAsync<int>("async url => (await fetch(url)).status", $"/api/v1/projects/{projectId}/next")).ShouldBe(200);
        (await server.QueryAsync(db => db.Assignments.CountAsync())).ShouldBe(1);
    }

    private async Task<IPage> SignInAsync(VerityServer server, string name, ViewportSize viewport)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }
}
