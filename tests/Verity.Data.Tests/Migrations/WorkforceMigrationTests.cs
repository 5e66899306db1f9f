using Microsoft.EntityFrameworkCore;
using Verity.Data.Migrations;

namespace Verity.Data.Tests.Migrations;

public sealed class WorkforceMigrationTests
{
    [Theory]
    [Databases]
    public async Task annotators_who_existed_before_tracks_are_qualified_for_general_with_a_recorded_change(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Target.CreateContext();
        var before = Migrator.Scripts(provider).Where(s => s.Version < 16).ToList();
        await Migrator.MigrateAsync(db, before);
        var created = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        await db.Database.ExecuteSqlAsync($"INSERT INTO users (id, name, role, pseudonym, created_at, failed_sign_ins) VALUES ({Guid.CreateVersion7()}, 'ann', 'annotator', 'ann-1', {created}, 0)");
        await db.Database.ExecuteSqlAsync($"INSERT INTO users (id, name, role, pseudonym, created_at, failed_sign_ins) VALUES ({Guid.CreateVersion7()}, 'req', 'requester', 'req-1', {created}, 0)");

        (await Migrator.MigrateAsync(db)).ShouldContain("0016_workforce");

        var annotator = await db.Users.SingleAsync(u => u.Name == "ann");
        var qualification = await db.Qualifications.SingleAsync();
        (qualification.UserId, qualification.TrackId, qualification.Tier, qualification.QualifiedAt).ShouldBe((annotator.Id, "general", 1, created));
        var change = await db.TierChanges.SingleAsync();
        (change.UserId, change.FromTier, change.ToTier, change.ByUserId).ShouldBe((annotator.Id, (int?)null, (int?)1, (Guid?)null));
        change.Id.ShouldNotBe(Guid.Empty);
        (await db.Tracks.SingleAsync(t => t.Id == "coding")).HourlyRate.ShouldBe(40m);
    }
}
