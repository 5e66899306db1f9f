using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SettingsPageTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task the_owner_changes_the_serving_order_on_the_settings_page_and_another_requester_gets_404()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, requester) = await server.AddUserAsync("owner", Roles.Requester, Password);
        await server.AddUserAsync("other", Roles.Requester, Password);
        var projectId = await requester.CreateProjectAsync(new { name = "Settings <b>project</b>", kind = "pairwise", overlap = 1 });

        var page = await SignInAsync(server, "owner");
        await page.GotoAsync($"{server.BaseAddress}projects");
        await page.ClickAsync($"a[href='/projects/{projectId}/settings']");
        (await page.IsCheckedAsync("input[value=random]")).ShouldBeTrue("new projects serve at random");
        (await page.ContentAsync()).ShouldContain("Settings &lt;b&gt;project&lt;/b&gt;");
        await page.CheckAsync("input[value=uncertainty-first]");
        await page.ClickAsync("button:has-text('Save')");
        await page.WaitForURLAsync($"{server.BaseAddress}projects/{projectId}/settings");
        (await page.IsCheckedAsync("input[value=uncertainty-first]")).ShouldBeTrue();
        (await requester.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}")).GetProperty("servingPolicy").GetString().ShouldBe("uncertainty-first");

        var other = await SignInAsync(server, "other");
        (await other.GotoAsync($"{server.BaseAddress}projects/{projectId}/settings"))!.Status.ShouldBe(404);
    }

    private async Task<IPage> SignInAsync(VerityServer server, string name)
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{server.BaseAddress}login");
        await page.FillAsync("input[name=Name]", name);
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }
}
