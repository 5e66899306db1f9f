using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

/// <summary>Issue 11 in Chromium: the operator's audit page, and the owner's reviewer assignments on the project page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityPagesTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";
    private const string Hostile = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

    private async Task<IPage> SignInAsync(VerityServer server, string name, string password = Password)
    {
        var page = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", password);
        await page.ClickAsync("button:has-text('Sign in')");
        return page;
    }

    [Fact]
    public async Task an_operator_reads_and_exports_the_audit_log_with_hostile_text_escaped_and_nobody_else_can()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        await server.AddUserAsync("root", Roles.Admin, Password);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester, Password);
        await server.AddUserAsync("ann", Roles.Annotator, Password);
        // Attacker-chosen text reaches the log two ways: a sign-in attempt's name and a project's name.
        var failed = await SignInAsync(server, Hostile, "wrong password");
        await failed.Locator("[role=alert]").WaitForAsync();
        await requester.CreateProjectAsync(Hostile);

        var admin = await SignInAsync(server, "root");
        await admin.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        var dialogs = 0;
        admin.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        var response = await admin.GotoAsync($"{server.BaseAddress}admin/audit");
        response!.Status.ShouldBe(200);
        var rows = admin.Locator("#audit tbody tr");
        var kinds = await admin.Locator("#audit tbody tr td:nth-child(2)").AllInnerTextsAsync();
        kinds.ShouldContain(AuditKinds.SignInFailed);
        kinds.ShouldContain(AuditKinds.ProjectCreated);
        kinds.ShouldContain(AuditKinds.SignIn);
        (await rows.Filter(new LocatorFilterOptions { HasText = AuditKinds.ProjectCreated }).InnerTextAsync()).ShouldContain(Hostile, customMessage: "shown as text");
        (await rows.Filter(new LocatorFilterOptions { HasText = AuditKinds.SignInFailed }).InnerTextAsync()).ShouldContain(Hostile);
        (await admin.Locator("#audit img, #audit script").CountAsync()).ShouldBe(0, "no markup of the hostile text became an element");
        (await admin.EvaluateAsync<bool>("() => window.pwned === undefined")).ShouldBeTrue("no script ran");

        // A filter echoes its value: escaped too.
        await admin.GotoAsync($"{server.BaseAddress}admin/audit?kind={Uri.EscapeDataString(Hostile)}");
        (await admin.Locator("input[name=kind]").InputValueAsync()).ShouldBe(Hostile);
        (await admin.Locator("#audit tbody tr").CountAsync()).ShouldBe(0);
        (await admin.Locator("main img, main script").CountAsync()).ShouldBe(0);
        (await admin.EvaluateAsync<bool>("() => window.pwned === undefined")).ShouldBeTrue();
        dialogs.ShouldBe(0);

        // The page's export link downloads every event, with the operator's session.
        await admin.GotoAsync($"{server.BaseAddress}admin/audit");
        var href = (await admin.Locator("a:has-text('download as JSON Lines')").GetAttributeAsync("href")).ShouldNotBeNull();
        var export = await admin.Context.APIRequest.GetAsync($"{server.BaseAddress}{href.TrimStart('/')}");
        export.Status.ShouldBe(200);
        var exported = (await export.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        exported.Count.ShouldBe(await server.QueryAsync(db => db.AuditEvents.CountAsync()));
        exported.ShouldContain(e => e.GetProperty("kind").GetString() == AuditKinds.ProjectCreated && e.GetProperty("subject").GetString() == Hostile);

        foreach (var name in new[] { "req", "ann" })
        {
            var other = await SignInAsync(server, name);
            await other.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
            (await other.GotoAsync($"{server.BaseAddress}admin/audit"))!.Status.ShouldBe(403, name);
            (await other.Locator("#audit").CountAsync()).ShouldBe(0, name);
            (await other.Context.APIRequest.GetAsync($"{server.BaseAddress}{href.TrimStart('/')}")).Status.ShouldBe(403, name);
        }
    }

    [Fact]
    public async Task an_owner_assigns_and_removes_a_reviewer_on_the_project_page()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester, Password);
        await server.AddUserAsync("rev", Roles.Reviewer, Password);
        await server.AddUserAsync("ann", Roles.Annotator, Password);
        var projectId = await requester.CreateProjectAsync("Reviewed");

        var page = await SignInAsync(server, "req");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync($"{server.BaseAddress}projects/{projectId}");
        await page.FillAsync("#reviewer-name", "ann");
        await page.ClickAsync("#assign-reviewer button");
        (await page.Locator("#reviewer-error").InnerTextAsync()).ShouldContain("no active reviewer is named \"ann\"");
        await page.FillAsync("#reviewer-name", "rev");
        await page.ClickAsync("#assign-reviewer button");
        await page.Locator("#reviewers li").WaitForAsync();
        (await page.Locator("#reviewers li").AllInnerTextsAsync()).ShouldHaveSingleItem().ShouldStartWith("rev");

        var reviewer = await SignInAsync(server, "rev");
        await reviewer.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        (await reviewer.GotoAsync($"{server.BaseAddress}review/{projectId}"))!.Status.ShouldBe(200);

        await page.ClickAsync("button[aria-label='Remove reviewer rev']");
        await page.Locator("#reviewers").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        (await reviewer.GotoAsync($"{server.BaseAddress}review/{projectId}"))!.Status.ShouldBe(404, "removal takes effect at the next request");
        (await server.QueryAsync(db => db.AuditEvents.Where(e => e.ProjectId == projectId && e.Kind.StartsWith("project.reviewer")).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync()))
            .ShouldBe([AuditKinds.ReviewerAssigned, AuditKinds.ReviewerRemoved]);
    }
}
