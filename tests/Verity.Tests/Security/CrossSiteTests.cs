using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verity.Data;
using Verity.Security;
using Verity.Tests.Browser;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Security;

/// <summary>Issue 11, item 3: a page on another origin cannot write through the API with a signed-in requester's cookie.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossSiteTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [Theory]
    [Databases]
    public async Task a_cookie_api_write_without_the_antiforgery_token_is_refused_and_nothing_is_imported(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester, Password);
        var projectId = await requester.CreateProjectAsync();
        using var browser = await CookieClient.SignInAsync(server, "req", Password);

        // What a text/plain form from another origin sends: no preflight, the cookie rides along.
        var plain = await browser.PostAsync($"/api/v1/projects/{projectId}/items", new StringContent(Api.ItemLine("forged") + "\n", Encoding.UTF8, "text/plain"));
        plain.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await plain.Content.ReadAsStringAsync()).ShouldContain("antiforgery");

        // A browser that names the other origin is refused even for a read.
        using var fromElsewhere = new HttpRequestMessage(HttpMethod.Get, "/api/v1/projects");
        fromElsewhere.Headers.Add("Sec-Fetch-Site", "same-site");
        (await browser.SendAsync(fromElsewhere)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Verity's own origin may still read with the cookie, and a bearer token still writes.
        using var own = new HttpRequestMessage(HttpMethod.Get, "/api/v1/projects");
        own.Headers.Add("Sec-Fetch-Site", "same-origin");
        (await browser.SendAsync(own)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await requester.ImportAsync(projectId, [Api.ItemLine("by-token")])).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await server.QueryAsync(db => db.Items.Select(i => i.ExternalId).ToListAsync())).ShouldBe(["by-token"]);
        (await server.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Kind == AuditKinds.CrossSiteRefused && e.ActorName == "req"))).ShouldBe(2);
    }

    [Fact]
    public async Task a_form_post_and_a_no_cors_fetch_from_another_port_import_nothing()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester, Password);
        var projectId = await requester.CreateProjectAsync();
        var target = $"{server.BaseAddress}api/v1/projects/{projectId}/items";
        await using var attacker = await StartAttackerAsync(AttackPage(target));

        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", "req");
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));

        // The attack page fires a no-cors fetch, then submits a text/plain form whose body is one valid import line.
        await page.GotoAsync(attacker.Address);
        await page.WaitForURLAsync(url => url.StartsWith(target, StringComparison.Ordinal));
        (await page.ContentAsync()).ShouldContain("another origin");

        // Both requests reached Verity with the requester's cookie (the audit log names them) and both were refused.
        (await server.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Kind == AuditKinds.CrossSiteRefused && e.ActorName == "req"))).ShouldBe(2);
        (await server.QueryAsync(db => db.Items.CountAsync())).ShouldBe(0);
        await context.CloseAsync();
    }

    private static string AttackPage(string target)
    {
        // name=value with the '=' landing inside a metadata string, so the form's body is a valid JSON line.
        const string Name = "{\"externalId\":\"forged-by-form\",\"prompt\":\"p\",\"responses\":[{\"id\":\"a\",\"text\":\"a\"},{\"id\":\"b\",\"text\":\"b\"}],\"metadata\":{\"k\":\"";
        const string Page = """
            <!DOCTYPE html><html><body>
            <form id="f" method="post" enctype="text/plain" action="TARGET"><input type="hidden" name='NAME' value='"}}'></form>
            <script>
            fetch(TARGET_JSON, { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body: LINE_JSON })
              .catch(() => null)
              .finally(() => document.getElementById("f").submit());
            </script>
            </body></html>
            """;
        return Page
            .Replace("TARGET_JSON", System.Text.Json.JsonSerializer.Serialize(target), StringComparison.Ordinal)
            .Replace("LINE_JSON", System.Text.Json.JsonSerializer.Serialize(Api.ItemLine("forged-by-fetch") + "\n"), StringComparison.Ordinal)
            .Replace("TARGET", target, StringComparison.Ordinal)
            .Replace("NAME", Name, StringComparison.Ordinal);
    }

    private static async Task<Attacker> StartAttackerAsync(string html)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(html, "text/html"));
        await app.StartAsync();
        return new Attacker(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private sealed record Attacker(WebApplication App, string Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}
