using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

/// <summary>The workbench keeps annotators' work: drafts, skips, undo, keys and orientation, in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AnnotatorSafetyTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";
    private const string Rationale = "Paris is the capital, so the first response is right and";

    private static async Task<(VerityServer Server, Guid ProjectId)> StartAsync(int items = 3, int leaseMinutes = 15, string kind = "pairwise", object? rubric = null, IEnumerable<string>? lines = null)
    {
        var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite, leaseMinutes: leaseMinutes);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(new
        {
            name = "Capitals",
            kind,
            overlap = 1,
            guidelines = "## Pick the better response\nPrefer **correct** over long.",
            rationale = new { required = kind == "pairwise", minChars = kind == "pairwise" ? 20 : 0 },
            rubric,
        });
        (await requester.ImportAsync(projectId, lines ?? Enumerable.Range(1, items).Select(i => Api.ItemLine($"q{i}")))).EnsureSuccessStatusCode();
        await server.AddUserAsync("ann", Roles.Annotator, Password);
        return (server, projectId);
    }

    private async Task<IPage> SignInAsync(VerityServer server, Guid projectId, IBrowserContext? context = null)
    {
        context ??= await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login?ReturnUrl=/work/{projectId}");
        await page.FillAsync("input[name=Name]", "ann");
        await page.FillAsync("input[name=Password]", Password);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#task-form").WaitForAsync();
        await page.WaitForWorkbenchAsync();
        return page;
    }

    private static async Task WaitForSavedAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => document.getElementById('draft-status').textContent.startsWith('Draft saved')");

    [Fact]
    public async Task a_draft_survives_a_reload_another_device_and_a_new_sign_in()
    {
        var (server, projectId) = await StartAsync();
        await using var _ = server;
        var page = await SignInAsync(server, projectId);
        var assignment = await page.InputValueAsync("input[name=AssignmentId]");

        await page.Keyboard.PressAsync("2");
        await page.Keyboard.TypeAsync(Rationale);
        await WaitForSavedAsync(page);
        await page.ReloadAsync();
        await page.WaitForWorkbenchAsync();
        (await page.InputValueAsync("#rationale")).ShouldBe(Rationale);
        (await page.Locator("input[name=Choice]:checked").CountAsync()).ShouldBe(1);
        (await page.TextContentAsync("#draft-status")).ShouldBe("Draft restored");

        // Another device: a fresh browser with no local storage.
        var elsewhere = await SignInAsync(server, projectId);
        (await elsewhere.InputValueAsync("input[name=AssignmentId]")).ShouldBe(assignment);
        (await elsewhere.InputValueAsync("#rationale")).ShouldBe(Rationale);

        // The session ends while typing: what follows is kept on the device and saved after signing in again.
        await page.Context.ClearCookiesAsync();
        await page.FocusAsync("#rationale");
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.TypeAsync(" the second names the wrong city.");
        await page.WaitForFunctionAsync("() => document.getElementById('draft-status').textContent.includes('on this device')");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.Locator("input[name=Password]").WaitForAsync();
        page.Url.ShouldContain("/login");
        await page.FillAsync("input[name=Name]", "ann");
        await page.FillAsync("input[name=Password]", Password);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#task-form").WaitForAsync();
        await page.WaitForWorkbenchAsync();
        (await page.InputValueAsync("#rationale")).ShouldBe(Rationale + " the second names the wrong city.");
        await WaitForSavedAsync(page);
        var stored = await server.QueryAsync(db => db.Drafts.SingleAsync());
        JsonDocument.Parse(stored.AnswerJson).RootElement.GetProperty("rationale").GetString().ShouldBe(Rationale + " the second names the wrong city.");

        await page.Keyboard.PressAsync("Control+Enter");
        await page.GetByText("Saved. Here is the next one.").WaitForAsync();
        (await server.QueryAsync(db => db.Annotations.SingleAsync())).Rationale.ShouldBe(Rationale + " the second names the wrong city.");
        (await server.QueryAsync(db => db.Drafts.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task the_page_shows_the_project_progress_time_and_a_countdown_that_warns_before_the_lease_ends()
    {
        var (server, projectId) = await StartAsync(items: 3, leaseMinutes: 2);
        await using var _ = server;
        var page = await SignInAsync(server, projectId);

        (await page.Locator("h1").TextContentAsync()).ShouldBe("Capitals");
        (await page.Locator("#progress").InnerTextAsync()).ShouldContain("Task 1 of 3");
        (await page.Locator("#time-spent").TextContentAsync()).ShouldStartWith("time on this task 0:0");
        await page.Locator("#lease.warn[role=alert]").WaitForAsync();
        (await page.Locator("#lease").TextContentAsync())!.ShouldMatch(@"^Lease ends in (2:00|1:[45]\d): submit soon \(your draft is kept\)$");
        (await page.Locator(".response h2").AllTextContentsAsync()).ShouldBe(["Response A", "Response B"]);

        // The choice and the submit button are on screen without scrolling at 1280×800.
        foreach (var selector in new[] { "label.choice >> nth=0", "button.primary" })
        {
            var box = (await page.Locator(selector).BoundingBoxAsync())!;
            (box.Y + box.Height).ShouldBeLessThan(800, selector);
        }

        // The guidelines stay closed once closed.
        await page.ClickAsync("#guidelines summary");
        await page.ReloadAsync();
        await page.WaitForWorkbenchAsync();
        (await page.EvaluateAsync<bool>("() => document.getElementById('guidelines').open")).ShouldBeFalse();
    }

    [Fact]
    public async Task an_annotator_skips_with_a_reason_and_flags_cannot_assess_without_answering()
    {
        var (server, projectId) = await StartAsync(items: 3);
        await using var _ = server;
        var page = await SignInAsync(server, projectId);

        await page.ClickAsync("summary:has-text('Skip this item')");
        await page.ClickAsync("button:has-text('Skip and next')");
        (await page.Locator(".error[data-field=skip]").TextContentAsync()).ShouldBe("Choose why you skip this item.");
        await page.CheckAsync("input[name=SkipReason][value=unclear]");
        await page.FillAsync("#skip-note", "Which France?");
        await page.ClickAsync("button:has-text('Skip and next')");
        await page.GetByText("Skipped. It goes to someone else").WaitForAsync();
        await page.WaitForWorkbenchAsync();

        await page.ClickAsync("summary:has-text('Flag this item')");
        await page.CheckAsync("input[name=Flags][value=cannot-assess]");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.GetByText("Flagged \"Cannot assess\" without an answer").WaitForAsync();

        var skips = await server.QueryAsync(db => db.Skips.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync());
        skips.Select(s => (s.Reason, s.Note)).ShouldBe([("unclear", "Which France?"), ("cannot-assess", null)]);
        (await server.QueryAsync(db => db.Annotations.CountAsync())).ShouldBe(0);
        (await page.Locator("#progress").InnerTextAsync()).ShouldContain("Task 1 of 1", customMessage: "skips count for nothing; one item is left for this annotator");
    }

    [Fact]
    public async Task ctrl_left_reopens_the_last_answer_and_the_change_supersedes_it()
    {
        var (server, projectId) = await StartAsync(items: 3);
        await using var _ = server;
        var page = await SignInAsync(server, projectId);
        await page.Keyboard.PressAsync("1");
        await page.Keyboard.TypeAsync(Rationale + " short.");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.GetByText("Saved. Here is the next one.").WaitForAsync();
        await page.WaitForWorkbenchAsync();
        var next = await page.InputValueAsync("input[name=AssignmentId]");

        await page.Keyboard.PressAsync("Control+ArrowLeft");
        await page.GetByText("Changing your last answer").WaitForAsync();
        await page.WaitForWorkbenchAsync();
        (await page.InputValueAsync("#rationale")).ShouldBe(Rationale + " short.");
        var first = await server.QueryAsync(db => db.Annotations.SingleAsync());
        var firstChoice = JsonDocument.Parse(first.AnswerJson).RootElement.GetProperty("choice").GetString();
        (await page.Locator("input[name=Choice]:checked").InputValueAsync()).ShouldBe(firstChoice);
        await page.Keyboard.PressAsync("3");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.GetByText("Changed. Your earlier answer is replaced").WaitForAsync();
        (await page.InputValueAsync("input[name=AssignmentId]")).ShouldBe(next, "back to the task that was open");

        var stored = await server.QueryAsync(db => db.Annotations.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync());
        stored.Count.ShouldBe(2);
        stored[1].SupersedesId.ShouldBe(first.Id);
        JsonDocument.Parse(stored[1].AnswerJson).RootElement.GetProperty("choice").GetString().ShouldBe("tie");
    }

    [Fact]
    public async Task question_mark_lists_the_keys_escape_leaves_a_text_box_and_keys_never_fire_while_typing()
    {
        var (server, projectId) = await StartAsync(items: 1);
        await using var _ = server;
        var page = await SignInAsync(server, projectId);

        await page.Keyboard.PressAsync("?");
        var sheet = page.Locator("dialog#keys");
        await sheet.WaitForAsync();
        var text = await sheet.InnerTextAsync();
        foreach (var key in new[] { "1 / 2", "3", "Ctrl+Enter", "Ctrl+←", "Esc", "?" })
            text.ShouldContain(key);
        await page.Keyboard.PressAsync("Escape");
        (await sheet.IsVisibleAsync()).ShouldBeFalse();

        await page.FocusAsync("#rationale");
        await page.Keyboard.TypeAsync("1 2 3 ? ");
        (await page.InputValueAsync("#rationale")).ShouldBe("1 2 3 ? ");
        (await page.Locator("input[name=Choice]:checked").CountAsync()).ShouldBe(0);
        (await sheet.IsVisibleAsync()).ShouldBeFalse();
        await page.Keyboard.PressAsync("Escape");
        (await page.EvaluateAsync<string>("document.activeElement.tagName")).ShouldBe("BODY");
        await page.Keyboard.PressAsync("2");
        (await page.Locator("input[name=Choice]:checked").CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task number_keys_score_the_focused_rating_dimension()
    {
        var rubric = new { dimensions = new object[] { new { name = "accuracy" }, new { name = "tone", min = 1, max = 3 } } };
        var (server, projectId) = await StartAsync(kind: "rating", rubric: rubric, lines: [JsonSerializer.Serialize(new { externalId = "r1", prompt = "p", responses = new[] { new { id = "r", text = "Answer" } } })]);
        await using var _ = server;
        var page = await SignInAsync(server, projectId);

        await page.Locator("input[name='Scores[accuracy]']").First.FocusAsync();
        await page.Keyboard.PressAsync("4");
        await page.Locator("input[name='Scores[tone]']").First.FocusAsync();
        await page.Keyboard.PressAsync("7");
        await page.Keyboard.PressAsync("2");
        (await page.Locator("input[name='Scores[accuracy]']:checked").InputValueAsync()).ShouldBe("4");
        (await page.Locator("input[name='Scores[tone]']:checked").InputValueAsync()).ShouldBe("2", "7 is not on the tone scale");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.GetByText("Nothing left").WaitForAsync();
        var scores = JsonDocument.Parse(await server.QueryAsync(db => db.Annotations.Select(a => a.AnswerJson).SingleAsync())).RootElement.GetProperty("scores");
        (scores.GetProperty("accuracy").GetInt32(), scores.GetProperty("tone").GetInt32()).ShouldBe((4, 2));
    }

    [Fact]
    public async Task number_keys_rank_the_focused_response()
    {
        var line = JsonSerializer.Serialize(new { externalId = "k1", prompt = "Rank these", responses = new[] { new { id = "a", text = "First" }, new { id = "b", text = "Second" }, new { id = "c", text = "Third" } } });
        var (server, projectId) = await StartAsync(kind: "ranking", lines: [line]);
        await using var _ = server;
        var page = await SignInAsync(server, projectId);
        var shown = await page.Locator("#ranking li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.response)");

        await page.Locator("#ranking li").Nth(0).FocusAsync();
        await page.Keyboard.PressAsync("3");
        await page.Locator("#ranking li").Nth(2).FocusAsync();
        await page.Keyboard.PressAsync("1");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.GetByText("Nothing left").WaitForAsync();

        var ranks = JsonDocument.Parse(await server.QueryAsync(db => db.Annotations.Select(a => a.AnswerJson).SingleAsync())).RootElement.GetProperty("ranks");
        (ranks.GetProperty(shown[0]).GetInt32(), ranks.GetProperty(shown[1]).GetInt32(), ranks.GetProperty(shown[2]).GetInt32()).ShouldBe((3, 2, 1));
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task the_task_page_and_its_key_sheet_have_no_axe_violations(ColorScheme scheme)
    {
        var (server, projectId) = await StartAsync(items: 2);
        await using var _ = server;
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, ColorScheme = scheme });
        var page = await SignInAsync(server, projectId, context);

        (await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"))
            .ShouldBe(scheme == ColorScheme.Dark ? "rgb(18, 22, 29)" : "rgb(245, 247, 250)", "the page follows the system's colour scheme");
        var violations = (await page.RunAxe()).Violations;
        violations.Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Html))}").ShouldBeEmpty();
        await page.Keyboard.PressAsync("?");
        await page.Locator("dialog#keys").WaitForAsync();
        (await page.RunAxe()).Violations.Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Html))}").ShouldBeEmpty();
    }

    [Fact]
    public async Task a_refused_answer_is_explained_in_the_annotators_words_with_the_focus_on_the_field()
    {
        var (server, projectId) = await StartAsync(items: 1);
        await using var _ = server;
        var page = await SignInAsync(server, projectId);

        await page.FocusAsync("#rationale");
        await page.Keyboard.TypeAsync("Paris is right and Lyon is not the capital.");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForWorkbenchAsync();

        (await page.Locator(".error[data-field=choice]").TextContentAsync()).ShouldBe("Choose Response A, Response B or Tie.");
        (await page.EvaluateAsync<string>("document.activeElement.name")).ShouldBe("Choice");
        (await page.InputValueAsync("#rationale")).ShouldBe("Paris is right and Lyon is not the capital.");
    }
}
