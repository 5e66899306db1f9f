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
    public async Task a_requester_creates_configures_uploads_previews_reviews_and_exports_without_the_api()
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

        // The rubric editor writes the JSON that is posted and redraws the preview without asking the server.
        await page.Locator("html[data-rubric=ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        (await page.Locator("#rubric-preview").InnerTextAsync()).ShouldContain("Which response is better?");
        await page.FillAsync("#rubric-dimensions", "accuracy | Factual <i>accuracy</i> | 3-1");
        (await page.Locator("#rubric-preview legend:has-text('Better on Factual <i>accuracy</i>?')").CountAsync()).ShouldBe(1, "typed text is shown as text");
        (await page.Locator("#rubric-preview i").CountAsync()).ShouldBe(0);
        var written = JsonDocument.Parse(await page.InputValueAsync("#rubric")).RootElement.GetProperty("dimensions")[0];
        (written.GetProperty("name").GetString(), written.GetProperty("min").GetInt32(), written.GetProperty("max").GetInt32()).ShouldBe(("accuracy", 3, 1));
        await page.SelectOptionAsync("#kind", "rating");
        (await page.Locator("#rubric-preview legend").AllInnerTextsAsync()).ShouldContain("Factual <i>accuracy</i>");
        await page.SelectOptionAsync("#kind", "classification");
        await page.FillAsync("#rubric-labels", "helpful\nharmful");
        await page.CheckAsync("#rubric-multiLabel");
        (await page.Locator("#rubric-preview legend").AllInnerTextsAsync()).ShouldContain("Choose every label that applies");
        (await page.Locator("#rubric-preview input[type=checkbox]").CountAsync()).ShouldBeGreaterThanOrEqualTo(2);
        await page.FillAsync("#rubric-labels", "");
        await page.UncheckAsync("#rubric-multiLabel");
        await page.SelectOptionAsync("#kind", "pairwise");
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
        await page.ClickAsync("button:has-text('Create the project')");
        // The rubric's scale is wrong: the API's message, under the rubric, and the editor shows what was posted.
        var rubricProblem = await api.PostAsJsonAsync("/api/v1/projects", new { name = "x", kind = "pairwise", overlap = 2, rubric = new { dimensions = new[] { new { name = "accuracy", min = 3, max = 1 } } } });
        var rubricError = (await rubricProblem.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("rubric.dimensions[0]")[0].GetString();
        (await page.Locator("#rubric-errors").InnerTextAsync()).ShouldBe($"rubric.dimensions[0]: {rubricError}");
        await page.Locator("html[data-rubric=ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        (await page.InputValueAsync("#rubric-dimensions")).ShouldBe("accuracy | Factual <i>accuracy</i> | 3-1");
        await page.FillAsync("#rubric-dimensions", "accuracy | Factual accuracy");
        await page.SelectOptionAsync("#servingPolicy", "import-order");
        await page.ClickAsync("button:has-text('Create the project')");
        await page.WaitForURLAsync(url => url.EndsWith("/items", StringComparison.Ordinal));
        var project = await server.QueryAsync(db => db.Projects.SingleAsync());
        (project.Name, project.Overlap, project.ServingPolicy, project.GoldRate).ShouldBe(("Helpfulness <b>bold</b>", 2, "import-order", 0.1));
        project.RubricJson.ShouldContain("\"name\":\"accuracy\",\"label\":\"Factual accuracy\",\"min\":1,\"max\":5");

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

        // Before any answer, the exports say what they leave out and why.
        await page.GotoAsync($"{server.BaseAddress}projects/{project.Id}");
        await page.ClickAsync("a[href$='/exports']");
        var preference = page.Locator(".export[data-format=preference]");
        (await preference.Locator(".records").InnerTextAsync()).ShouldBe("0");
        (await preference.Locator("tr[data-reason=not-enough-annotations]").InnerTextAsync()).ShouldContain("fewer counted answers than its overlap");

        // Change settings later, quality ones too: a bad value gets the API's message beside its field, and nothing changes.
        await page.GotoAsync($"{server.BaseAddress}projects/{project.Id}/settings");
        await page.CheckAsync("input[value=uncertainty-first]");
        await page.FillAsync("#gold-rate", "0.9");
        await page.FillAsync("#review-sampleRate", "1");
        await page.ClickAsync("button:has-text('Save')");
        var patchProblem = await api.PatchAsJsonAsync($"/api/v1/projects/{project.Id}", new { gold = new { rate = 0.9 } });
        (await page.Locator("#gold-rate-errors").InnerTextAsync()).ShouldBe((await patchProblem.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("gold.rate")[0].GetString());
        (await page.GetAttributeAsync("#gold-rate", "aria-invalid")).ShouldBe("true");
        (await server.QueryAsync(db => db.Projects.SingleAsync())).ServingPolicy.ShouldBe("import-order");
        await page.FillAsync("#gold-rate", "0.2");
        await page.FillAsync("#dynamicOverlap-max", "4");
        await page.ClickAsync("button:has-text('Save')");
        await page.Locator("[role=status]:has-text('Saved')").WaitForAsync();
        var changed = await server.QueryAsync(db => db.Projects.SingleAsync());
        (changed.ServingPolicy, changed.GoldRate, changed.ReviewSampleRate, changed.DynamicMax).ShouldBe(("uncertainty-first", 0.2, 1.0, 4));
        (await page.InputValueAsync("#guidelines")).ShouldBe("Prefer correct over long.");
        await page.FillAsync("#guidelines", "Prefer correct over long. Ignore formatting.");
        await page.ClickAsync("button:has-text('Publish the guidelines')");
        await page.WaitForURLAsync(url => url.EndsWith("/settings", StringComparison.Ordinal));
        (await server.QueryAsync(db => db.Projects.SingleAsync())).GuidelineVersion.ShouldBe(2);
        await page.GotoAsync($"{server.BaseAddress}projects");
        await page.ClickAsync("a:has-text('Helpfulness <b>bold</b>')");
        var history = await page.Locator("#history").InnerTextAsync();
        history.ShouldContain("servingPolicy: import-order → uncertainty-first");
        history.ShouldContain("gold.rate: 0.1 → 0.2");
        history.ShouldContain("review.sampleRate: 0 → 1");
        history.ShouldContain("dynamicOverlap.max: off → 4");
        history.ShouldContain("project.guidelines-revised");
        (await page.Locator("label[for=done]").InnerTextAsync()).ShouldBe("0 of 2 items complete");

        // Two annotators answer both items (through the API: theirs is not the console); every answer is sampled for review.
        foreach (var name in new[] { "ann1", "ann2" })
        {
            var (_, annotator) = await server.AddUserAsync(name, Roles.Annotator);
            while (await annotator.NextAsync(project.Id) is { } task)
            {
                (await annotator.PostAsJsonAsync($"/api/v1/assignments/{task.AssignmentId()}/submit", new
                {
                    choice = "a",
                    strength = 2,
                    dimensions = new { accuracy = "a" },
                    rationale = "The first response names the right city and the second is wrong.",
                    idempotencyKey = Guid.NewGuid().ToString("N"),
                })).EnsureSuccessStatusCode();
            }
        }

        // Review from the project page: pairwise cards show both responses, untrusted text as text.
        await page.ClickAsync("a:has-text('Review queue')");
        var cards = page.Locator("article.review");
        (await cards.CountAsync()).ShouldBe(4);
        var first = cards.First;
        (await first.Locator(".response h3").AllInnerTextsAsync()).Select(t => t[..10]).ShouldBe(["Response A", "Response B"]);
        (await first.Locator(".response.chosen").CountAsync()).ShouldBe(1);
        (await page.Locator("article.review[data-external-id=q1] .response").Nth(1).InnerTextAsync()).ShouldContain("<script>alert(1)</script>Lyon");
        (await page.Locator("article.review script").CountAsync()).ShouldBe(0);

        // Reject without feedback: the API's message on the card, nothing recorded. Then with feedback, accept one, correct one.
        var reviewProblem = await api.PostAsJsonAsync($"/api/v1/annotations/{Guid.NewGuid()}/review", new { decision = "reject" });
        var feedbackError = (await reviewProblem.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("feedback")[0].GetString()!;
        await first.Locator("button[value=reject]").ClickAsync();
        (await page.Locator("article.review [role=alert]").InnerTextAsync()).ShouldContain(feedbackError);
        (await server.QueryAsync(db => db.Reviews.CountAsync())).ShouldBe(0);
        await page.Locator("article.review").First.Locator("textarea[name=feedback]").FillAsync("Lyon is not the capital: check the facts first.");
        await page.Locator("article.review").First.Locator("button[value=reject]").ClickAsync();
        await page.Locator("[role=status]:has-text('Rejected')").WaitForAsync();
        await page.Locator("article.review").First.Locator("button[value=accept]").ClickAsync();
        await page.Locator("[role=status]:has-text('Accepted')").WaitForAsync();
        var toCorrect = page.Locator("article.review").First;
        await toCorrect.Locator("summary:has-text('Correct the answer')").ClickAsync();
        JsonDocument.Parse(await toCorrect.Locator("textarea[name=correction]").InputValueAsync()).RootElement.GetProperty("choice").GetString().ShouldBe("a");
        await toCorrect.Locator("textarea[name=correction]").FillAsync("""{"choice": "b", "strength": 3, "dimensions": {"accuracy": "b"}}""");
        await toCorrect.Locator("button[value=correct]").ClickAsync();
        await page.Locator("[role=status]:has-text('Corrected')").WaitForAsync();
        (await page.Locator("article.review").CountAsync()).ShouldBe(1);
        var reviews = await server.QueryAsync(db => db.Reviews.OrderBy(r => r.Id).Select(r => new { r.Decision, r.Feedback, r.CorrectionId }).ToListAsync());
        reviews.Select(r => r.Decision).ShouldBe(["reject", "accept", "correct"]);
        reviews[0].Feedback.ShouldBe("Lyon is not the capital: check the facts first.");
        var correction = await server.QueryAsync(db => db.Annotations.SingleAsync(a => a.Id == reviews[2].CorrectionId));
        correction.AnswerJson.ShouldContain("\"choice\":\"b\"");

        // Exports: what each holds and leaves out, then the download, recorded in the history.
        await page.GotoAsync($"{server.BaseAddress}projects/{project.Id}/exports");
        // Dynamic overlap wants more answers on both items now (one answer rejected, one corrected the other way).
        var leftOut = await page.Locator(".export[data-format=preference] tr[data-reason]").AllInnerTextsAsync();
        leftOut.ShouldNotBeEmpty();
        leftOut.ShouldAllBe(row => !row.Contains("See docs/quality.md"), "every reason is explained");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".export[data-format=preference] a[download]").ClickAsync());
        download.SuggestedFilename.ShouldEndWith(".jsonl");
        (await server.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Kind == global::Verity.Security.AuditKinds.Exported))).ShouldBe(1);

        // Another requester finds none of it.
        await server.AddUserAsync("mallory", Roles.Requester, Password);
        var other = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        await other.GotoAsync($"{server.BaseAddress}login");
        await other.FillAsync("input[name=Name]", "mallory");
        await other.FillAsync("input[name=Password]", Password);
        await other.ClickAsync("button:has-text('Sign in')");
        await other.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        foreach (var path in new[] { $"projects/{project.Id}/exports", $"projects/{project.Id}/settings", $"review/{project.Id}" })
            (await other.GotoAsync($"{server.BaseAddress}{path}"))!.Status.ShouldBe(404, path);
    }
}
