using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Infrastructure;
using Verity.Tests.Workforce;

namespace Verity.Tests.Browser;

/// <summary>Issue 12 in Chromium: what an operator needs for tracks and people is in the browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OperatorPagesTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task an_operator_changes_a_rate_adds_a_track_and_manages_a_person()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin, Password);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var starter = await requester.CreateAssessmentAsync("general", gold: 2, freeText: 0, name: "Starter Assessment");
        var (personId, person) = await server.SignUpAsync(admin, "kim", "general");
        (await person.PostAsync($"/api/v1/assessments/{starter}/start", null)).EnsureSuccessStatusCode();
        var page = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", "root");
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));

        await page.GotoAsync($"{server.BaseAddress}admin/tracks");
        await page.FillAsync("input[aria-label='Hourly rate of coding']", "42.50");
        await page.ClickAsync("tr[data-track=coding] button:has-text('Save')");
        await page.WaitForURLAsync(url => url.EndsWith("/admin/tracks", StringComparison.Ordinal));
        await page.FillAsync("form[action*=Add] input[name=Id]", "legal");
        await page.FillAsync("form[action*=Add] input[name=Name]", "Legal <review>");
        await page.FillAsync("form[action*=Add] input[name=HourlyRate]", "abc");
        await page.ClickAsync("button:has-text('Add')");
        (await page.TextContentAsync("[role=alert]")).ShouldNotBeNull().ShouldContain("hourlyRate");
        await page.FillAsync("form[action*=Add] input[name=Id]", "legal");
        await page.FillAsync("form[action*=Add] input[name=Name]", "Legal <review>");
        await page.FillAsync("form[action*=Add] input[name=HourlyRate]", "65");
        await page.ClickAsync("button:has-text('Add')");
        await page.Locator("tr[data-track=legal]").WaitForAsync();
        var tracks = await server.QueryAsync(db => db.Tracks.ToDictionaryAsync(t => t.Id, t => (t.Name, t.HourlyRate)));
        tracks["coding"].HourlyRate.ShouldBe(42.50m);
        tracks["legal"].ShouldBe(("Legal <review>", 65m));

        await page.GotoAsync($"{server.BaseAddress}admin/people?q=kim");
        await page.ClickAsync("a:has-text('kim')");
        await page.FillAsync("#attempts input[name=Reason]", "Lost connection.");
        await page.ClickAsync("button:has-text('Reset attempt')");
        (await page.TextContentAsync("[role=status]")).ShouldNotBeNull().ShouldContain("reset");
        (await server.QueryAsync(db => db.AuditEvents.SingleAsync(e => e.Kind == AuditKinds.AssessmentReset))).Detail.ShouldBe("Lost connection.");
        (await person.PostAsync($"/api/v1/assessments/{starter}/start", null)).StatusCode.ShouldBe(HttpStatusCode.Created);

        await page.FillAsync("input[name=TokenName]", "laptop");
        await page.ClickAsync("button:has-text('Issue token')");
        var secret = await page.TextContentAsync("#new-token");
        (await server.Client(secret).GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await page.ClickAsync("button:has-text('Disable')");
        await page.Locator("button:has-text('Enable')").WaitForAsync();
        (await person.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await page.ClickAsync("button:has-text('Enable')");
        await page.Locator("button:has-text('Disable')").WaitForAsync();
        (await person.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me")).GetProperty("id").GetGuid().ShouldBe(personId);
    }
}
