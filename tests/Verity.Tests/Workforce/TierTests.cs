using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verity.Data;
using Verity.Tests.Infrastructure;
using Verity.Workforce;

namespace Verity.Tests.Workforce;

public sealed class TierTests
{
    private static string GoldLine(string externalId) =>
        Api.ItemLine(externalId)[..^1] + ""","gold":{"choice":"a","strength":2,"explanation":"Paris is the capital."}}""";

    [Theory]
    [Databases]
    public async Task ten_right_gold_answers_move_a_coder_up_one_tier_with_the_measures_named(DatabaseProvider provider)
    {
        var change = await JudgeAsync(provider, fromTier: 1, right: 10);

        change.ToTier.ShouldBe(2, "one tier at a time, though 90% reaches tier 3's bar");
        change.Reason.ShouldStartWith("Moved up to tier 2 in Coding: gold accuracy 90% reaches 80%; trust ");
        change.Reason.ShouldEndWith(", over your last 30 days (10 gold answers).");
    }

    [Theory]
    [Databases]
    public async Task falling_below_the_own_tier_bar_moves_a_coder_down_to_the_tier_still_reached(DatabaseProvider provider)
    {
        var change = await JudgeAsync(provider, fromTier: 3, right: 6);

        change.ToTier.ShouldBe(1, "70% still reaches the first tier's bar");
        change.Reason.ShouldStartWith("Moved down to tier 1 in Coding: gold accuracy 70% is under 90%");
        change.Reason.ShouldContain("below tier 3's bar, over your last 30 days (10 gold answers).");
    }

    [Theory]
    [Databases]
    public async Task falling_below_the_first_tier_bar_loses_the_track(DatabaseProvider provider)
    {
        var change = await JudgeAsync(provider, fromTier: 2, right: 2);

        change.ToTier.ShouldBeNull();
        change.Reason.ShouldStartWith("Lost the Coding track: gold accuracy 50% is under 70%");
    }

    /// <summary>
    /// A coder at <paramref name="fromTier"/> answers ten gold items of a Coding project, <paramref name="right"/> of
    /// them right; the measures are recomputed (as the background pass does) and the automatic change is returned.
    /// Gold accuracy is the posterior mean under the Beta(8, 2) prior: (8 + right) / 20.
    /// </summary>
    private static async Task<TierChange> JudgeAsync(DatabaseProvider provider, int fromTier, int right)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, admin) = await server.AddUserAsync("operator", Roles.Admin);
        var projectId = await admin.CreateProjectAsync(new
        {
            name = "Code review",
            kind = "pairwise",
            overlap = 1,
            guidelines = "Pick the better program.",
            rationale = new { required = false, minChars = 0 },
            gold = new { rate = 0.0, calibration = 10 },
        });
        (await admin.ImportAsync(projectId, Enumerable.Range(1, 10).Select(i => GoldLine($"g{i}")).Append(Api.ItemLine("n1")))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await server.QueryAsync(db => db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.AccessTracks, "coding")));
        var (coder, client) = await server.AddUserAsync("coder", Roles.Annotator);
        await using (var scope = server.Scope())
            await scope.ServiceProvider.GetRequiredService<TierService>().ChangeTierAsync(coder.Id, "coding", fromTier, "Passed the Coding assessment.", null);

        for (var i = 0; i < 10; i++)
        {
            var task = (await client.NextAsync(projectId))!.Value;
            server.Clock.Advance(TimeSpan.FromMinutes(2));
            (await client.SubmitAsync(task.AssignmentId(), i < right ? "a" : "b")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await admin.GetAsync($"/api/v1/projects/{projectId}/annotators")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var changes = await server.QueryAsync(db => db.TierChanges.Where(c => c.UserId == coder.Id && c.TrackId == "coding").OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync());
        changes.Count.ShouldBe(2, "the qualification, then one automatic change");
        var change = changes[1];
        (change.FromTier, change.ByUserId).ShouldBe((fromTier, null));
        var tier = await server.QueryAsync(db => db.Qualifications.Where(q => q.UserId == coder.Id && q.TrackId == "coding").Select(q => (int?)q.Tier).SingleOrDefaultAsync());
        tier.ShouldBe(change.ToTier);
        (await admin.GetAsync($"/api/v1/projects/{projectId}/annotators")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.QueryAsync(db => db.TierChanges.CountAsync(c => c.UserId == coder.Id && c.TrackId == "coding"))).ShouldBe(2, "judged again, nothing new since the change");
        return change;
    }
}
