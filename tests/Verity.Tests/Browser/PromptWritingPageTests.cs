using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

/// <summary>A prompt written and submitted by keyboard, then read by a reviewer.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PromptWritingPageTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    private async Task<IPage> SignInAsync(VerityServer server, string name, string returnUrl)
    {
        var page = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login?ReturnUrl={returnUrl}");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", Password);
        await page.Keyboard.PressAsync("Enter");
        return page;
    }

    [Fact]
    public async Task a_prompt_and_its_ideal_answer_are_written_by_keyboard_and_reviewed()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "prompts",
            kind = "prompt-writing",
            overlap = 1,
            guidelines = "Make it hard.",
            rationale = new { required = false, minChars = 0 },
            rubric = new { minChars = 20, settings = new { category = "SQL <joins>", difficulty = "expert" } },
            review = new { sampleRate = 1 },
        });
        (await requester.ImportAsync(projectId, [JsonSerializer.Serialize(new { externalId = "b1", prompt = "A join that silently drops rows." })])).EnsureSuccessStatusCode();
        await server.AddUserAsync("ann", Roles.Annotator, Password);
        await server.AddUserAsync("rev", Roles.Reviewer, Password);
        await server.AssignReviewerAsync(projectId, "rev");

        var page = await SignInAsync(server, "ann", $"/work/{projectId}");
        await page.Locator("#task-form").WaitForAsync();
        await page.WaitForWorkbenchAsync();
        (await page.Locator(".work").InnerTextAsync()).ShouldContain("SQL <joins>", customMessage: "the category is shown as text, escaped");
        await page.Locator("#text").FocusAsync();
        await page.Keyboard.TypeAsync("Why does this LEFT JOIN lose rows once a WHERE clause filters the right table?");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Move the filter into the ON clause.");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.GetByText("Nothing left").WaitForAsync();
        var stored = JsonDocument.Parse(await server.QueryAsync(db => db.Annotations.Select(a => a.AnswerJson).SingleAsync())).RootElement;
        stored.GetProperty("prompt").GetString().ShouldStartWith("Why does this LEFT JOIN");
        stored.GetProperty("idealAnswer").GetString().ShouldBe("Move the filter into the ON clause.");

        var reviewer = await SignInAsync(server, "rev", $"/review/{projectId}");
        await reviewer.Locator("article.review").WaitForAsync();
        (await reviewer.Locator("article.review .prompt-written").InnerTextAsync()).ShouldContain("LEFT JOIN lose rows");
        (await reviewer.Locator("article.review .reasons").InnerTextAsync()).ShouldBe("sampled");
    }
}
