using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Security;

namespace Verity.Tests.Workforce;

public sealed partial class ActiveTimeTests
{
    [Theory]
    [Databases]
    public async Task through_the_api_a_lease_left_open_is_paid_only_up_to_the_expected_task_time(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider, pay: new { expectedTaskMinutes = 5 }, leaseMinutes: 180);
        var (_, annotator) = await world.Server.AddUserAsync("ann", Roles.Annotator);

        var quick = await world.WorkAsync(annotator, TimeSpan.FromMinutes(3));
        var idle = await world.WorkAsync(annotator, TimeSpan.FromHours(2));

        var annotations = await world.Server.QueryAsync(db => db.Annotations.OrderBy(a => a.Id).Select(a => a.ActiveSeconds).ToListAsync());
        annotations.ShouldBe([180, 300], "the two idle hours of the second lease are not paid: it stops at the expected 5 minutes");
        var first = await world.TimeEntryAsync(quick);
        (first.Seconds, first.TrackId, first.HourlyRate, first.Multiplier, first.Amount, first.Currency).ShouldBe((180, "general", 20m, 1.0m, 1.00m, "USD"));
        (await world.TimeEntryAsync(idle)).Amount.ShouldBe(1.67m, "300 s at $20/h is 1.666…, rounded once to the cent");
    }

    [Theory]
    [Databases]
    public async Task the_workbench_page_sends_its_active_time_and_is_never_believed_past_the_lease(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider);
        await world.Server.AddUserAsync("ann", Roles.Annotator, "a long enough password");
        var browser = await CookieClient.SignInAsync(world.Server, "ann", "a long enough password");
        var guidelines = await browser.GetStringAsync($"/work/{world.ProjectId}/guidelines");
        (await browser.PostAsync($"/work/{world.ProjectId}/guidelines", Form(guidelines, ("version", "1")))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // The tab was open for ten minutes but active for 95 seconds (the page counts only input in the last two minutes).
        await SubmitOnPageAsync(world, browser, TimeSpan.FromMinutes(10), activeSeconds: "95");
        // A page claiming more than the time from lease to submit is held to it.
        await SubmitOnPageAsync(world, browser, TimeSpan.FromSeconds(40), activeSeconds: "5000");

        var paid = await world.Server.QueryAsync(db => db.LedgerEntries.OrderBy(e => e.Id).Select(e => new { e.Seconds, e.Amount }).ToListAsync());
        paid.Select(p => p.Seconds).ShouldBe([95, 40]);
        paid.Select(p => p.Amount).ShouldBe([0.53m, 0.22m], "95 s and 40 s at $20/h: 0.5277… and 0.2222…");
    }

    private static async Task SubmitOnPageAsync(PayWorld world, HttpClient browser, TimeSpan held, string activeSeconds)
    {
        var page = await browser.GetStringAsync($"/work/{world.ProjectId}");
        world.Server.Clock.Advance(held);
        var response = await browser.PostAsync($"/work/{world.ProjectId}", Form(
            page,
            ("AssignmentId", Hidden(page, "AssignmentId")),
            ("IdempotencyKey", Hidden(page, "IdempotencyKey")),
            ("Choice", "a"),
            ("Strength", "2"),
            ("ActiveSeconds", activeSeconds)));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
    }

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", CookieClient.AntiforgeryToken(page))));

    private static string Hidden(string page, string name) =>
        HiddenField().Matches(page).Single(m => m.Groups["name"].Value == name).Groups["value"].Value;

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[A-Za-z]+)\" value=\"(?<value>[^\"]*)\"", RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex HiddenField();
}
