using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Browser;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>Issue 11, item 4: sign-out, a password change and disabling a user end access at once.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task the_layouts_sign_out_button_ends_the_session_and_a_copied_cookie_stops_working()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        await server.AddUserAsync("req", Roles.Requester, Password);
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", "req");
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));

        // An attacker's copy of the cookie, taken while signed in, works now...
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "verity");
        var cookies = new CookieContainer();
        cookies.Add(server.BaseAddress, new Cookie(cookie.Name, cookie.Value));
        using var copy = CookieClient.New(server, cookies);
        (await copy.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await page.ClickAsync("button:has-text('Sign out')");
        await page.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));
        (await page.Locator("h1").TextContentAsync()).ShouldBe("Sign in");

        // ...and not a moment after sign-out, though the cookie itself has hours left.
        (await copy.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await server.QueryAsync(db => db.Sessions.SingleAsync())).EndedAt.ShouldNotBeNull();
        (await server.QueryAsync(db => db.AuditEvents.Select(e => e.Kind).ToListAsync())).ShouldBe([AuditKinds.SignIn, AuditKinds.SignOut]);
        await context.CloseAsync();
    }

    [Theory]
    [Databases]
    public async Task a_password_change_or_disabling_ends_every_session_at_once(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("root", Roles.Admin);
        var (user, _) = await server.AddUserAsync("req", Roles.Requester, Password);
        using var first = await CookieClient.SignInAsync(server, "req", Password);
        using var second = await CookieClient.SignInAsync(server, "req", Password);
        (await first.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.PostAsJsonAsync($"/api/v1/users/{user.Id}/password", new { password = "a new long password" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await first.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await second.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await CookieClient.PostLoginAsync(CookieClient.New(server, new CookieContainer()), "req", Password)).StatusCode.ShouldBe(HttpStatusCode.OK, "the old password no longer signs in");

        using var third = await CookieClient.SignInAsync(server, "req", "a new long password");
        (await third.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync($"/api/v1/users/{user.Id}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await third.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var refused = await CookieClient.PostLoginAsync(CookieClient.New(server, new CookieContainer()), "req", "a new long password");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Unknown name or wrong password.");

        (await admin.PostAsync($"/api/v1/users/{user.Id}/enable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var fourth = await CookieClient.SignInAsync(server, "req", "a new long password");
        (await fourth.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users");
        listed.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "req").GetProperty("disabledAt").ValueKind.ShouldBe(JsonValueKind.Null);
        var kinds = await server.QueryAsync(db => db.AuditEvents.Select(e => e.Kind).ToListAsync());
        kinds.ShouldContain(AuditKinds.PasswordChanged);
        kinds.ShouldContain(AuditKinds.UserDisabled);
        kinds.ShouldContain(AuditKinds.UserEnabled);
    }

    [Theory]
    [Databases]
    public async Task an_idle_session_ends_after_the_idle_time(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        await server.AddUserAsync("req", Roles.Requester, Password);
        using var browser = await CookieClient.SignInAsync(server, "req", Password);
        server.Clock.Advance(TimeSpan.FromHours(11));
        (await browser.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK, "use keeps the session alive");
        server.Clock.Advance(TimeSpan.FromHours(11));
        (await browser.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromHours(12.5));
        (await browser.GetAsync("/api/v1/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
