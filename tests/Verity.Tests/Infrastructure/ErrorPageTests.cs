using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Security;

namespace Verity.Tests.Infrastructure;

/// <summary>A browser never sees raw JSON for a failed page; the API keeps its problem documents whatever the Accept header.</summary>
public sealed class ErrorPageTests
{
    private const string Password = "correct horse battery";
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    [Fact]
    public async Task a_missing_page_and_another_requesters_project_are_html_pages_in_the_browser_and_problems_in_the_api()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, owner) = await server.AddUserAsync("owner", Roles.Requester, Password);
        await server.AddUserAsync("other", Roles.Requester, Password);
        var projectId = await owner.CreateProjectAsync();
        using var browser = await BrowserAsync(server, "other");

        var missing = await browser.GetAsync("/no-such-page");
        await ShouldBeErrorPageAsync(missing, HttpStatusCode.NotFound, "Not found");

        var notYours = await browser.GetAsync($"/projects/{projectId}/settings");
        var html = await ShouldBeErrorPageAsync(notYours, HttpStatusCode.NotFound, "Not found");
        html.ShouldContain($"Project {projectId} does not exist or is not yours.");

        // The same browser asking the API gets the problem document.
        var api = await browser.GetAsync($"/api/v1/projects/{projectId}");
        api.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        api.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32().ShouldBe(404);
    }

    [Fact]
    public async Task a_page_for_another_role_is_a_403_page_not_a_redirect()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        await server.AddUserAsync("ann", Roles.Annotator, Password);
        using var browser = await BrowserAsync(server, "ann");

        var response = await browser.GetAsync("/admin/people");
        await ShouldBeErrorPageAsync(response, HttpStatusCode.Forbidden, "Not allowed");

        // A program without the Accept header for HTML gets the problem document for the same refusal.
        using var program = await CookieClient.SignInAsync(server, "ann", Password);
        program.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var refused = await program.GetAsync("/admin/people");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task too_many_sign_in_attempts_get_a_429_page_while_viewing_the_form_stays_free()
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal) { ["RateLimits:LoginPerMinute"] = "1" };
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite, settings: settings);
        using var client = CookieClient.New(server, new CookieContainer());
        client.DefaultRequestHeaders.Accept.ParseAdd(BrowserAccept);

        (await CookieClient.PostLoginAsync(client, "nobody", "x")).StatusCode.ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 5; i++)
            (await client.GetAsync("/login")).StatusCode.ShouldBe(HttpStatusCode.OK, "showing the form is not an attempt");
        var blocked = await CookieClient.PostLoginAsync(client, "nobody", "x");
        await ShouldBeErrorPageAsync(blocked, HttpStatusCode.TooManyRequests, "Too many requests");
    }

    [Fact]
    public async Task a_server_error_is_a_page_with_a_reference_and_without_the_cause()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        await server.AddUserAsync("root", Roles.Admin, Password);
        using var browser = await BrowserAsync(server, "root");
        // A broken database: the audit page's table is gone.
        await server.QueryAsync(db => db.Database.ExecuteSqlRawAsync("DROP TABLE audit_events"));

        var response = await browser.GetAsync("/admin/audit");
        var html = await ShouldBeErrorPageAsync(response, HttpStatusCode.InternalServerError, "Something went wrong");
        html.ShouldContain("Reference:");
        html.ShouldNotContain("audit_events");
        html.ShouldNotContain("no such table");
    }

    private static async Task<HttpClient> BrowserAsync(VerityServer server, string name)
    {
        var client = await CookieClient.SignInAsync(server, name, Password);
        client.DefaultRequestHeaders.Accept.ParseAdd(BrowserAccept);
        return client;
    }

    private static async Task<string> ShouldBeErrorPageAsync(HttpResponseMessage response, HttpStatusCode status, string heading)
    {
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, html);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        html.ShouldContain($"<h1 id=\"error-heading\">{heading}</h1>");
        html.ShouldNotContain("\"status\":");
        return html;
    }
}
