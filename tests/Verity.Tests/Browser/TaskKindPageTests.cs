using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

/// <summary>One task of each kind completed in the browser, by keyboard where the kind allows it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TaskKindPageTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    private async Task<(VerityServer Server, IPage Page)> OpenTaskAsync(string kind, object? rubric, object item, object? review = null)
    {
        var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new { name = $"{kind} page", kind, overlap = 1, guidelines = "Be careful.", rationale = new { required = false, minChars = 0 }, rubric, review });
        (await requester.ImportAsync(projectId, [JsonSerializer.Serialize(item)])).EnsureSuccessStatusCode();
        await server.AddUserAsync("ann", Roles.Annotator, Password);

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login?ReturnUrl=/work/{projectId}");
        await page.FillAsync("input[name=Name]", "ann");
        await page.FillAsync("input[name=Password]", Password);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#task-form").WaitForAsync();
        await page.WaitForWorkbenchAsync();
        return (server, page);
    }

    private static async Task SubmitByKeyboardAsync(IPage page)
    {
        await page.Keyboard.PressAsync("Control+Enter");
        await page.GetByText("Nothing left").WaitForAsync();
    }

    private static async Task<JsonElement> StoredAnswerAsync(VerityServer server) =>
        JsonDocument.Parse(await server.QueryAsync(db => db.Annotations.Select(a => a.AnswerJson).SingleAsync())).RootElement;

    [Fact]
    public async Task a_ranking_is_reordered_by_keyboard()
    {
        var (server, page) = await OpenTaskAsync("ranking", null, new
        {
            externalId = "r1",
            prompt = "Rank these",
            responses = new[] { new { id = "a", text = "First" }, new { id = "b", text = "Second" }, new { id = "c", text = "Third" } },
        });
        await using var _ = server;
        var shown = await page.Locator("#ranking li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.response)");

        await page.Locator("#ranking li").First.FocusAsync();
        await page.Keyboard.PressAsync("Alt+ArrowDown");
        await page.Keyboard.PressAsync("Alt+ArrowDown");
        (await page.Locator("#ranking li").Last.GetAttributeAsync("data-response")).ShouldBe(shown[0]);
        await SubmitByKeyboardAsync(page);

        var ranks = (await StoredAnswerAsync(server)).GetProperty("ranks");
        ranks.GetProperty(shown[1]).GetInt32().ShouldBe(1);
        ranks.GetProperty(shown[2]).GetInt32().ShouldBe(2);
        ranks.GetProperty(shown[0]).GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task a_rating_is_scored_by_keyboard_with_anchors_beside_each_level()
    {
        var rubric = new { dimensions = new object[] { new { name = "accuracy", anchors = new Dictionary<string, string> { ["4"] = "One small slip" } }, new { name = "tone", min = 1, max = 3 } } };
        var (server, page) = await OpenTaskAsync("rating", rubric, new { externalId = "q", prompt = "p", responses = new[] { new { id = "r", text = "Answer" } } });
        await using var _ = server;
        (await page.Locator("fieldset[data-dimension=accuracy]").InnerTextAsync()).ShouldContain("One small slip");

        await page.Locator("input[name='Scores[accuracy]']").First.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        for (var i = 0; i < 3; i++)
            await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("ArrowRight");
        await SubmitByKeyboardAsync(page);

        var scores = (await StoredAnswerAsync(server)).GetProperty("scores");
        scores.GetProperty("accuracy").GetInt32().ShouldBe(4);
        scores.GetProperty("tone").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task an_incomplete_rating_shows_the_error_beside_the_missing_dimension()
    {
        var rubric = new { dimensions = new object[] { new { name = "accuracy" }, new { name = "tone" } } };
        var (server, page) = await OpenTaskAsync("rating", rubric, new { externalId = "q", prompt = "p", responses = new[] { new { id = "r", text = "Answer" } } });
        await using var _ = server;
        await page.Locator("input[name='Scores[accuracy]']").First.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Control+Enter");

        var error = page.Locator("fieldset[data-dimension=tone] .error[data-field='scores.tone']");
        (await error.TextContentAsync())!.ShouldContain("is missing");
        (await page.Locator("fieldset[data-dimension=accuracy] .error").CountAsync()).ShouldBe(0);
        (await page.Locator("input[name='Scores[accuracy]'][value='1']").IsCheckedAsync()).ShouldBeTrue("the given score is kept");
        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task a_demonstration_is_written_and_submitted_by_keyboard()
    {
        var (server, page) = await OpenTaskAsync("demonstration", new { minChars = 20 }, new { externalId = "d", prompt = "Explain recursion.", reference = "A function that calls **itself**." });
        await using var _ = server;
        (await page.Locator(".reference").InnerTextAsync()).ShouldContain("A function that calls itself.");
        await page.Locator("#text").FocusAsync();
        await page.Keyboard.TypeAsync("Recursion is when a function calls itself on a smaller input until a base case stops it.");
        (await page.TextContentAsync("#text-count")).ShouldBe("88");
        await SubmitByKeyboardAsync(page);
        (await StoredAnswerAsync(server)).GetProperty("text").GetString().ShouldStartWith("Recursion is when");
    }

    [Fact]
    public async Task a_rewrite_shows_a_preview_with_the_changes_and_stores_the_diff()
    {
        var (server, page) = await OpenTaskAsync("rewrite", new { minChars = 10 }, new { externalId = "w", prompt = "p", responses = new[] { new { id = "r", text = "The sun orbits the earth." } } });
        await using var _ = server;
        (await page.InputValueAsync("#text")).ShouldBe("The sun orbits the earth.");
        await page.Locator("#text").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("The earth orbits the sun.");
        await page.ClickAsync("button:has-text('Preview')");
        (await page.Locator(".diff ins").AllInnerTextsAsync()).ShouldNotBeEmpty();
        await page.WaitForWorkbenchAsync();
        await page.Locator("#text").FocusAsync();
        await SubmitByKeyboardAsync(page);

        var answer = await StoredAnswerAsync(server);
        answer.GetProperty("text").GetString().ShouldBe("The earth orbits the sun.");
        answer.GetProperty("changed").GetBoolean().ShouldBeTrue();
        answer.GetProperty("diff").GetArrayLength().ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task labels_are_chosen_with_number_keys()
    {
        var rubric = new { labels = new[] { "helpful", "harmful", "refusal" }, multiLabel = true };
        var (server, page) = await OpenTaskAsync("classification", rubric, new { externalId = "c", prompt = "p", responses = new[] { new { id = "r", text = "t" } } });
        await using var _ = server;
        await page.Keyboard.PressAsync("1");
        await page.Keyboard.PressAsync("3");
        await page.Keyboard.PressAsync("2");
        await page.Keyboard.PressAsync("2");
        await SubmitByKeyboardAsync(page);
        (await StoredAnswerAsync(server)).GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ShouldBe(["helpful", "refusal"]);
    }

    [Fact]
    public async Task a_flag_with_a_note_is_stored_with_the_answer()
    {
        var (server, page) = await OpenTaskAsync("pairwise", null, JsonDocument.Parse(Api.ItemLine("q")).RootElement);
        await using var _ = server;
        await page.Keyboard.PressAsync("1");
        await page.ClickAsync("summary:has-text('Flag this item')");
        await page.CheckAsync("input[name=Flags][value=unsafe]");
        await page.FillAsync("input[name='FlagNotes[unsafe]']", "Recommends a dangerous dose");
        await SubmitByKeyboardAsync(page);
        var stored = await server.QueryAsync(db => db.Annotations.SingleAsync());
        stored.Escalated.ShouldBeTrue();
        stored.FlagsJson.ShouldBe("""[{"name":"unsafe","note":"Recommends a dangerous dose"}]""");
    }

    [Fact]
    public async Task a_reviewer_sees_a_rewrite_as_a_diff_without_the_annotators_name()
    {
        var (server, page) = await OpenTaskAsync(
            "rewrite", new { minChars = 10 }, new { externalId = "w", prompt = "p", responses = new[] { new { id = "r", text = "Water boils at 90 degrees." } } }, review: new { sampleRate = 1 });
        await using var _ = server;
        await page.Locator("#text").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Water boils at 100 degrees at sea level.");
        await SubmitByKeyboardAsync(page);
        var (annotator, projectId) = await server.QueryAsync(async db => (
            await db.Users.SingleAsync(u => u.Name == "ann"), await db.Projects.Select(p => p.Id).SingleAsync()));
        await server.AddUserAsync("rev", Roles.Reviewer, Password);
        await server.AssignReviewerAsync(projectId, "rev");

        var reviewer = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        await reviewer.GotoAsync($"{server.BaseAddress}login?ReturnUrl=/review/{projectId}");
        await reviewer.FillAsync("input[name=Name]", "rev");
        await reviewer.FillAsync("input[name=Password]", Password);
        await reviewer.Keyboard.PressAsync("Enter");
        await reviewer.Locator("article.review").WaitForAsync();

        (await reviewer.Locator("article.review del").AllInnerTextsAsync()).ShouldContain(t => t.Contains("90", StringComparison.Ordinal));
        (await reviewer.Locator("article.review ins").AllInnerTextsAsync()).ShouldContain(t => t.Contains("100", StringComparison.Ordinal));
        (await reviewer.Locator("article.review .reasons").InnerTextAsync()).ShouldBe("sampled", "a rewrite has no live label, so only the sample sends it");
        var text = await reviewer.Locator("main").InnerTextAsync();
        text.ShouldNotContain(await server.PseudonymAsync(projectId, annotator.Id));
        text.ShouldNotContain(annotator.Pseudonym);
        text.ShouldNotContain("ann ", Case.Sensitive);
    }
}
