using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

/// <summary>A requester does in the browser what the README does with curl.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task a_requester_creates_configures_uploads_previews_and_exports_without_the_api()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, api) = await server.AddUserAsync("alice", Roles.Requester, Password);
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", "alice");
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));

        // Create, first with two bad fields: the messages are the API's, beside their fields.
        await page.GotoAsync($"{server.BaseAddress}projects");
        await page.ClickAsync("#new-project");
        await page.FillAsync("#name", "Helpfulness <b>bold</b>");
        await page.FillAsync("#overlap", "0");
        await page.FillAsync("#gold-rate", "0.9");
        await page.FillAsync("#guidelines", "Prefer correct over long.");
        await page.ClickAsync("button:has-text('Create the project')");
        var apiProblem = await api.PostAsJsonAsync("/api/v1/projects", new { name = "x", overlap = 0, gold = new { rate = 0.9 } });
        var apiErrors = (await apiProblem.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        (await page.Locator("#overlap-errors").InnerTextAsync()).ShouldBe(apiErrors.GetProperty("overlap")[0].GetString());
        (await page.Locator("#gold-rate-errors").InnerTextAsync()).ShouldBe(apiErrors.GetProperty("gold.rate")[0].GetString());
        (await page.GetAttributeAsync("#gold-rate", "aria-describedby")).ShouldBe("gold-rate-errors");
        (await page.InputValueAsync("#guidelines")).ShouldBe("Prefer correct over long.", "what was typed stays");
        (await server.QueryAsync(db => db.Projects.CountAsync())).ShouldBe(0);

        await page.FillAsync("#overlap", "2");
        await page.FillAsync("#gold-rate", "0.1");
        await page.SelectOptionAsync("#servingPolicy", "import-order");
        await page.ClickAsync("button:has-text('Create the project')");
        await page.WaitForURLAsync(url => url.EndsWith("/items", StringComparison.Ordinal));
        var project = await server.QueryAsync(db => db.Projects.SingleAsync());
        (project.Name, project.Overlap, project.ServingPolicy, project.GoldRate).ShouldBe(("Helpfulness <b>bold</b>", 2, "import-order", 0.1));

        // Upload a CSV with a bad record: its own line is named and nothing is stored; then the fixed file.
        var bad = "externalId,prompt,response:a,response:b,topic\nq1,Capital of France?,Paris,Lyon,geo\n\"q2\",\"Two\nlines\",Only one,,geo\n";
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "items.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(bad) });
        await page.ClickAsync("button:has-text('Upload')");
        var problems = await page.Locator("#import-problems tbody tr").AllInnerTextsAsync();
        problems.Count.ShouldBe(1);
        problems[0].ShouldStartWith("line 3");
        (await server.QueryAsync(db => db.Items.CountAsync())).ShouldBe(0);

        var good = "externalId,prompt,response:a,response:b,topic\nq1,Capital of France?,Paris,<script>alert(1)</script>Lyon,geo\nq2,Largest ocean?,Pacific,Atlantic,geo\n";
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "items.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(good) });
        await page.ClickAsync("button:has-text('Upload')");
        (await page.Locator("#import-result").InnerTextAsync()).ShouldContain("Imported 2 items");

        // Preview: the workbench's own form, with the responses labelled, untrusted text as text, nothing leased.
        await page.ClickAsync("a:has-text('Preview a task')");
        (await page.Locator("h2:has-text('Response A')").CountAsync()).ShouldBe(1);
        (await page.Locator(".preview").InnerTextAsync()).ShouldContain("<script>alert(1)</script>Lyon");
        (await page.Locator(".preview script").CountAsync()).ShouldBe(0);
        (await page.Locator("input[name=Choice]").CountAsync()).ShouldBeGreaterThan(0);
        (await page.IsDisabledAsync("input[name=Choice] >> nth=0")).ShouldBeTrue();
        await page.SelectOptionAsync("#item", "q2");
        await page.ClickAsync("#choose-item button");
        (await page.Locator(".preview").InnerTextAsync()).ShouldContain("Largest ocean?");
        (await server.QueryAsync(db => db.Assignments.CountAsync())).ShouldBe(0);

        // Change a setting later: the project's history records it.
        await page.GotoAsync($"{server.BaseAddress}projects/{project.Id}/settings");
        await page.CheckAsync("input[value=uncertainty-first]");
        await page.ClickAsync("button:has-text('Save')");
        (await page.InputValueAsync("#guidelines")).ShouldBe("Prefer correct over long.");
        await page.FillAsync("#guidelines", "Prefer correct over long. Ignore formatting.");
        await page.ClickAsync("button:has-text('Publish the guidelines')");
        await page.WaitForURLAsync(url => url.EndsWith("/settings", StringComparison.Ordinal));
        (await server.QueryAsync(db => db.Projects.SingleAsync())).GuidelineVersion.ShouldBe(2);
        await page.GotoAsync($"{server.BaseAddress}projects");
        await page.ClickAsync("a:has-text('Helpfulness <b>bold</b>')");
        var history = await page.Locator("#history").InnerTextAsync();
        history.ShouldContain("servingPolicy: import-order → uncertainty-first");
        history.ShouldContain("project.guidelines-revised");
        (await page.Locator("label[for=done]").InnerTextAsync()).ShouldBe("0 of 2 items complete");

        // Exports download from the same page.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#exports a").First.ClickAsync());
        download.SuggestedFilename.ShouldEndWith(".jsonl");
    }
}
