using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verity.Core;
using Verity.Data;
using Verity.Tests.Infrastructure;
using Verity.Workforce;

namespace Verity.Tests.Workforce;

/// <summary>Issue 12: every change of a qualification writes the tier change that explains it.</summary>
public sealed class TierServiceTests
{
    [Theory]
    [Databases]
    public async Task the_migration_seeds_the_five_tracks_with_their_rates(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);

        var tracks = await server.QueryAsync(db => db.Tracks.OrderBy(t => t.Position).ToListAsync());

        tracks.Select(t => (t.Id, t.Name, t.HourlyRate, t.Currency)).ShouldBe(
        [
            ("general", "General", 20m, "USD"), ("multilingual", "Multilingual", 20m, "USD"), ("coding", "Coding", 40m, "USD"),
            ("stem", "STEM", 40m, "USD"), ("professional", "Professional", 50m, "USD"),
        ]);
    }

    [Theory]
    [Databases]
    public async Task qualifying_moving_and_losing_a_tier_each_write_one_change_with_its_reason(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (admin, _) = await server.AddUserAsync("root", Roles.Admin);
        var (person, _) = await server.AddUserAsync("ann", Roles.Reviewer);

        await using (var scope = server.Scope())
        {
            var tiers = scope.ServiceProvider.GetRequiredService<TierService>();
            (await tiers.ChangeTierAsync(person.Id, "coding", 1, "Passed the Coding assessment.", null)).ShouldNotBeNull();
            (await tiers.ChangeTierAsync(person.Id, "coding", 1, "Again.", null)).ShouldBeNull("the tier is already 1");
            (await tiers.ChangeTierAsync(person.Id, "coding", 3, "Gold accuracy 0.97 over the last 200 tasks.", null))!.FromTier.ShouldBe(1);
            (await tiers.ChangeTierAsync(person.Id, "coding", null, "Removed by an operator.", admin.Id))!.ToTier.ShouldBeNull();
            (await Should.ThrowAsync<ValidationException>(() => tiers.ChangeTierAsync(person.Id, "coding", 4, "Too high.", null)))
                .Errors.Keys.ShouldBe(["tier"]);
            (await Should.ThrowAsync<ValidationException>(() => tiers.ChangeTierAsync(person.Id, "cooking", 1, "No such track.", null)))
                .Errors.Keys.ShouldBe(["track"]);
        }

        var changes = await server.QueryAsync(db => db.TierChanges.Where(c => c.UserId == person.Id).OrderBy(c => c.Id).ToListAsync());
        changes.Select(c => (c.FromTier, c.ToTier, c.ByUserId)).ShouldBe([((int?)null, (int?)1, (Guid?)null), (1, 3, null), (3, null, admin.Id)]);
        changes[1].Reason.ShouldBe("Gold accuracy 0.97 over the last 200 tasks.");
        (await server.QueryAsync(db => db.Qualifications.AnyAsync(q => q.UserId == person.Id))).ShouldBeFalse();
    }

    [Theory]
    [Databases]
    public async Task an_annotator_an_operator_adds_is_qualified_for_general_at_the_first_tier(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (annotator, _) = await server.AddUserAsync("ann", Roles.Annotator);
        var (requester, _) = await server.AddUserAsync("req", Roles.Requester);

        var qualifications = await server.QueryAsync(db => db.Qualifications.ToListAsync());

        qualifications.Select(q => (q.UserId, q.TrackId, q.Tier)).ShouldBe([(annotator.Id, "general", 1)]);
        (await server.QueryAsync(db => db.TierChanges.SingleAsync())).Reason.ShouldBe("Added by an operator.");
        requester.Id.ShouldNotBe(annotator.Id);
    }
}
