using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verity.Data;
using Verity.Tests.Security;
using Verity.Workforce;

namespace Verity.Tests.Workforce;

public sealed class LedgerTests
{
    [Theory]
    [Databases]
    public async Task a_project_rate_times_the_tier_multiplier_is_stored_and_summed_to_the_cent_as_exact_decimals(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider, pay: new { hourlyRate = 33.33m, expectedTaskMinutes = 60 }, leaseMinutes: 120);
        var (ann, annotator) = await world.Server.AddUserAsync("ann", Roles.Annotator);
        await using (var scope = world.Server.Scope())
            await scope.ServiceProvider.GetRequiredService<TierService>().ChangeTierAsync(ann.Id, "general", 2, "Promoted for the test.", null);

        var entries = new List<LedgerEntry>();
        foreach (var seconds in new[] { 1234, 7, 47 })
            entries.Add(await world.TimeEntryAsync(await world.WorkAsync(annotator, TimeSpan.FromSeconds(seconds))));

        // 33.33 × 1.15 = 38.3295 an hour: 1234 s is 13.1385…, 7 s is 0.0745…, 47 s is 0.5004…, each rounded once.
        entries.Select(e => (e.HourlyRate, e.Multiplier, e.Amount)).ShouldBe([(33.33m, 1.15m, 13.14m), (33.33m, 1.15m, 0.07m), (33.33m, 1.15m, 0.50m)]);
        var payout = await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/payouts?from=2026-11-01&to=2026-11-30");
        var line = payout.GetProperty("lines").EnumerateArray().Single();
        line.GetProperty("amount").GetDecimal().ShouldBe(13.71m, "the sum of the rounded entries, never rounded again");
        line.GetProperty("hours").GetDecimal().ShouldBe(0.36m, "1288 s");
        var stored = await world.Server.QueryAsync(db => db.Database.SqlQueryRaw<string>(provider == DatabaseProvider.Sqlite
            ? "SELECT typeof(amount) || ' ' || amount AS \"Value\" FROM ledger_entries ORDER BY id"
            : "SELECT pg_typeof(amount)::text || ' ' || amount::text AS \"Value\" FROM ledger_entries ORDER BY id").ToListAsync());
        stored.ShouldBe(provider == DatabaseProvider.Sqlite ? ["text 13.14", "text 0.07", "text 0.5"] : ["numeric 13.14", "numeric 0.07", "numeric 0.50"], "decimal text, never REAL");
    }

    [Theory]
    [Databases]
    public async Task ledger_entries_are_never_changed_or_removed_by_the_code_or_the_database(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider);
        var (_, annotator) = await world.Server.AddUserAsync("ann", Roles.Annotator);
        var entry = await world.TimeEntryAsync(await world.WorkAsync(annotator, TimeSpan.FromMinutes(1)));
        (await world.Admin.PostAsJsonAsync("/api/v1/payouts", new { from = "2026-11-01", to = "2026-11-30" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        await using var db = world.Server.Database.CreateContext();
        var tracked = await db.LedgerEntries.SingleAsync(e => e.Id == entry.Id);
        tracked.Amount = 1000m;
        (await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync())).Message.ShouldContain("append-only");
        db.ChangeTracker.Clear();
        db.PayoutEntries.Remove(await db.PayoutEntries.SingleAsync());
        (await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync())).Message.ShouldContain("append-only");
        db.ChangeTracker.Clear();

        (await Should.ThrowAsync<DbException>(() => db.LedgerEntries.ExecuteUpdateAsync(s => s.SetProperty(e => e.Amount, 1000m)))).Message.ShouldContain("append-only");
        (await Should.ThrowAsync<DbException>(() => db.LedgerEntries.ExecuteDeleteAsync())).Message.ShouldContain("append-only");
        (await Should.ThrowAsync<DbException>(() => db.PayoutEntries.ExecuteDeleteAsync())).Message.ShouldContain("append-only");
        (await db.LedgerEntries.SingleAsync()).Amount.ShouldBe(0.33m, "60 s at $20/h, as written");
        (await db.PayoutEntries.CountAsync()).ShouldBe(1);
    }

    [Theory]
    [Databases]
    public async Task a_payout_marks_its_entries_paid_once_and_a_later_correction_lands_in_the_next_payout(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider, pay: new { expectedTaskMinutes = 60 }, leaseMinutes: 90);
        var (_, ann) = await world.Server.AddUserAsync("ann", Roles.Annotator);
        var (_, bob) = await world.Server.AddUserAsync("=bob, the \"second\"", Roles.Annotator);
        var annEntry = await world.TimeEntryAsync(await world.WorkAsync(ann, TimeSpan.FromMinutes(30)));
        await world.WorkAsync(bob, TimeSpan.FromMinutes(15));
        var bonus = await world.Admin.PostAsJsonAsync("/api/v1/ledger", new { user = "=bob, the \"second\"", kind = "bonus", amount = 2.50m, reason = "Careful flags on hard items." });
        bonus.StatusCode.ShouldBe(HttpStatusCode.Created, await bonus.Content.ReadAsStringAsync());

        var preview = await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/payouts?from=2026-11-01&to=2026-11-30");
        preview.GetProperty("id").ValueKind.ShouldBe(JsonValueKind.Null);
        Lines(preview).ShouldBe(["=bob, the \"second\" 0.25 7.50 USD", "ann 0.50 10.00 USD"]);
        var csvRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/payouts?from=2026-11-01&to=2026-11-30");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await world.Admin.SendAsync(csvRequest);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        const string expected = "person,hours,amount,currency\n\"'=bob, the \"\"second\"\"\",0.25,7.50,USD\nann,0.50,10.00,USD\n";
        (await csv.Content.ReadAsStringAsync()).ShouldBe(expected, "a name is quoted and never read as a formula");
        (await world.Admin.GetStringAsync("/api/v1/payouts?from=2026-11-01&to=2026-11-30&format=csv")).ShouldBe(expected);

        var paid = await world.Admin.PostAsJsonAsync("/api/v1/payouts", new { from = "2026-11-01", to = "2026-11-30" });
        paid.StatusCode.ShouldBe(HttpStatusCode.Created, await paid.Content.ReadAsStringAsync());
        Lines(await paid.Content.ReadFromJsonAsync<JsonElement>()).ShouldBe(Lines(preview));
        (await world.Server.QueryAsync(db => db.PayoutEntries.CountAsync())).ShouldBe(3);
        var again = await world.Admin.PostAsJsonAsync("/api/v1/payouts", new { from = "2026-11-01", to = "2026-11-30" });
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).ShouldContain("2026-11-01 to 2026-11-30 was already paid");
        (await world.Admin.PostAsJsonAsync("/api/v1/payouts", new { from = "2026-11-20", to = "2026-12-10" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var recorded = await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/payouts?from=2026-11-01&to=2026-11-30");
        recorded.GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);
        Lines(recorded).ShouldBe(Lines(preview), "the recorded payout shows what it paid");

        // In December the operator finds ann's task was counted twice and takes half of it back.
        world.Server.Clock.Advance(TimeSpan.FromDays(30));
        var correction = await world.Admin.PostAsJsonAsync("/api/v1/ledger", new { user = "ann", kind = "adjustment", amount = -5.00m, reason = "Half of this task was counted twice.", corrects = annEntry.Id });
        correction.StatusCode.ShouldBe(HttpStatusCode.Created, await correction.Content.ReadAsStringAsync());
        Lines(await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/payouts?from=2026-12-01&to=2026-12-31")).ShouldBe(["ann 0.00 -5.00 USD"]);

        var earnings = await ann.GetFromJsonAsync<JsonElement>("/api/v1/me/earnings");
        var total = earnings.GetProperty("totals").EnumerateArray().Single();
        (total.GetProperty("earned").GetDecimal(), total.GetProperty("paid").GetDecimal(), total.GetProperty("due").GetDecimal()).ShouldBe((5.00m, 10.00m, -5.00m));
        var extra = earnings.GetProperty("extras").EnumerateArray().Single();
        (extra.GetProperty("reason").GetString(), extra.GetProperty("amount").GetDecimal(), extra.GetProperty("paid").GetBoolean()).ShouldBe(("Half of this task was counted twice.", -5.00m, false));
    }

    [Theory]
    [Databases]
    public async Task the_earnings_of_a_person_quarantined_in_a_project_are_held_until_they_are_restored(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider, pay: new { expectedTaskMinutes = 60 }, leaseMinutes: 90);
        var (annUser, ann) = await world.Server.AddUserAsync("ann", Roles.Annotator);
        var (_, bob) = await world.Server.AddUserAsync("bob", Roles.Annotator);
        await world.WorkAsync(ann, TimeSpan.FromMinutes(30));
        await world.WorkAsync(bob, TimeSpan.FromMinutes(30));
        var quarantine = await world.Admin.PostAsJsonAsync($"/api/v1/projects/{world.ProjectId}/annotators/{await world.Server.PseudonymAsync(world.ProjectId, annUser.Id)}/quarantine", new { reason = "Answers copied from another account." });
        quarantine.IsSuccessStatusCode.ShouldBeTrue(await quarantine.Content.ReadAsStringAsync());

        var november = await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/payouts?from=2026-11-01&to=2026-11-30");
        Lines(november).ShouldBe(["bob 0.50 10.00 USD"]);
        Lines(november, "held").ShouldBe(["ann 0.50 10.00 USD"]);
        var total = (await ann.GetFromJsonAsync<JsonElement>("/api/v1/me/earnings")).GetProperty("totals").EnumerateArray().Single();
        (total.GetProperty("earned").GetDecimal(), total.GetProperty("due").GetDecimal(), total.GetProperty("held").GetDecimal()).ShouldBe((10.00m, 0m, 10.00m));
        (await world.Admin.PostAsJsonAsync("/api/v1/payouts", new { from = "2026-11-01", to = "2026-11-30" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        world.Server.Clock.Advance(TimeSpan.FromDays(30));
        (await world.Admin.PostAsync($"/api/v1/projects/{world.ProjectId}/annotators/{await world.Server.PseudonymAsync(world.ProjectId, annUser.Id)}/restore", null)).IsSuccessStatusCode.ShouldBeTrue();
        Lines(await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/payouts?from=2026-12-01&to=2026-12-31")).ShouldBe(["ann 0.50 10.00 USD"], "released into the next payout");
    }

    [Theory]
    [Databases]
    public async Task the_earnings_page_shows_each_day_project_and_track_and_the_reasons_escaped(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider, pay: new { expectedTaskMinutes = 60 }, leaseMinutes: 90);
        await world.Server.AddUserAsync("ann", Roles.Annotator, "a long enough password");
        var token = await TokenAsync(world, "ann");
        var api = world.Server.Client(token);
        await world.WorkAsync(api, TimeSpan.FromMinutes(6));
        await world.WorkAsync(api, TimeSpan.FromMinutes(12));
        world.Server.Clock.Advance(TimeSpan.FromDays(1));
        await world.WorkAsync(api, TimeSpan.FromMinutes(3));
        (await world.Admin.PostAsJsonAsync("/api/v1/ledger", new { user = "ann", kind = "bonus", amount = 1m, reason = "Thanks <script>alert(1)</script> & more" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var days = (await api.GetFromJsonAsync<JsonElement>("/api/v1/me/earnings")).GetProperty("days").EnumerateArray()
            .Select(d => $"{d.GetProperty("day").GetString()} {d.GetProperty("project").GetString()} {d.GetProperty("track").GetString()} {d.GetProperty("tasks").GetInt32()} {d.GetProperty("hours").GetDecimal()} {d.GetProperty("amount").GetDecimal()}")
            .ToList();
        days.ShouldBe(["2026-11-03 Helpfulness general 1 0.05 1.00", "2026-11-02 Helpfulness general 2 0.30 6.00"]);
        var browser = await CookieClient.SignInAsync(world.Server, "ann", "a long enough password");
        var page = await browser.GetStringAsync("/work/earnings");
        page.ShouldContain("<td>2026-11-02</td>");
        page.ShouldContain("<td>6.00 USD</td>");
        page.ShouldContain("Thanks &lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
        page.ShouldNotContain("<script>alert");
    }

    [Theory]
    [Databases]
    public async Task bad_ledger_and_payout_requests_name_the_field_and_annotators_may_not_see_payouts(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider);
        var (_, ann) = await world.Server.AddUserAsync("ann", Roles.Annotator);

        await ShouldNameAsync(await world.Admin.PostAsJsonAsync("/api/v1/ledger", new { user = "ann", kind = "bonus", amount = 1.005m, reason = "x" }), "amount");
        await ShouldNameAsync(await world.Admin.PostAsJsonAsync("/api/v1/ledger", new { user = "ann", kind = "bonus", amount = 5m }), "reason");
        await ShouldNameAsync(await world.Admin.PostAsJsonAsync("/api/v1/ledger", new { user = "ann", kind = "time", amount = 5m, reason = "x" }), "kind");
        await ShouldNameAsync(await world.Admin.PostAsJsonAsync("/api/v1/ledger", new { user = "nobody", kind = "bonus", amount = 5m, reason = "x" }), "user");
        await ShouldNameAsync(await world.Admin.GetAsync("/api/v1/payouts?from=11/01/2026&to=2026-11-30"), "from");
        await ShouldNameAsync(await world.Admin.PostAsJsonAsync("/api/v1/payouts", new { from = "2026-11-30", to = "2026-11-01" }), "to");
        (await world.Server.QueryAsync(db => db.LedgerEntries.CountAsync())).ShouldBe(0);
        (await world.Server.QueryAsync(db => db.Payouts.CountAsync())).ShouldBe(0);
        (await ann.GetAsync("/api/v1/payouts?from=2026-11-01&to=2026-11-30")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ann.PostAsJsonAsync("/api/v1/payouts", new { from = "2026-11-01", to = "2026-11-30" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [Databases]
    public async Task two_operators_paying_the_same_period_at_once_pay_it_once(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider);
        var (_, ann) = await world.Server.AddUserAsync("ann", Roles.Annotator);
        await world.WorkAsync(ann, TimeSpan.FromMinutes(3));
        await world.WorkAsync(ann, TimeSpan.FromMinutes(3));

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            world.Admin.PostAsJsonAsync("/api/v1/payouts", new { from = "2026-11-01", to = "2026-11-30" })));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(3);
        (await world.Server.QueryAsync(db => db.Payouts.CountAsync())).ShouldBe(1);
        (await world.Server.QueryAsync(db => db.PayoutEntries.CountAsync())).ShouldBe(2);
    }

    [Theory]
    [Databases]
    public async Task a_rate_set_later_pays_from_then_on_and_entries_already_written_keep_theirs(DatabaseProvider provider)
    {
        await using var world = await PayWorld.StartAsync(provider, pay: new { expectedTaskMinutes = 60 }, leaseMinutes: 90);
        var (_, ann) = await world.Server.AddUserAsync("ann", Roles.Annotator);
        var before = await world.WorkAsync(ann, TimeSpan.FromMinutes(30));

        await ShouldNameAsync(await world.Admin.PatchAsJsonAsync($"/api/v1/projects/{world.ProjectId}", new { pay = new { hourlyRate = 12.345m, expectedTaskMinutes = 60 } }), "pay.hourlyRate");
        await ShouldNameAsync(await world.Admin.PatchAsJsonAsync($"/api/v1/projects/{world.ProjectId}", new { pay = new { expectedTaskMinutes = 0 } }), "pay.expectedTaskMinutes");
        (await world.Admin.PatchAsJsonAsync($"/api/v1/projects/{world.ProjectId}", new { pay = new { hourlyRate = 30m, expectedTaskMinutes = 60 } })).IsSuccessStatusCode.ShouldBeTrue();
        var after = await world.WorkAsync(ann, TimeSpan.FromMinutes(30));

        (await world.TimeEntryAsync(before)).Amount.ShouldBe(10.00m, "the track's $20, as it was when written");
        (await world.TimeEntryAsync(after)).Amount.ShouldBe(15.00m, "the project's $30 from then on");
        var view = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{world.ProjectId}");
        (view.GetProperty("pay").GetProperty("hourlyRate").GetDecimal(), view.GetProperty("pay").GetProperty("expectedTaskMinutes").GetInt32()).ShouldBe((30m, 60));
    }

    private static async Task ShouldNameAsync(HttpResponseMessage response, string field)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    private static async Task<string> TokenAsync(PayWorld world, string name)
    {
        await using var scope = world.Server.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        return await users.IssueTokenAsync((await users.FindAsync(name)).Id);
    }

    private static List<string> Lines(JsonElement payout, string property = "lines") =>
        [.. payout.GetProperty(property).EnumerateArray().Select(l =>
            $"{l.GetProperty("person").GetString()} {l.GetProperty("hours").GetDecimal():0.00} {l.GetProperty("amount").GetDecimal():0.00} {l.GetProperty("currency").GetString()}")];
}
