using Microsoft.EntityFrameworkCore;
using Verity.Data.Migrations;

namespace Verity.Data.Tests.Migrations;

public sealed class ProjectScopesMigrationTests
{
    [Theory]
    [Databases]
    public async Task reviewers_who_existed_before_scoping_keep_every_project_that_existed_and_stale_reports_are_dropped(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Target.CreateContext();
        await Migrator.MigrateAsync(db, Migrator.Scripts(provider).Where(s => s.Version < 20).ToList());
        var now = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        User Person(string name, string role) => new() { Id = Guid.CreateVersion7(), Name = name, Role = role, Pseudonym = $"{name}-1", CreatedAt = now };
        var (owner, reviewer, annotator) = (Person("req", Roles.Requester), Person("rev", Roles.Reviewer), Person("ann", Roles.Annotator));
        Project Owned(string name) => new() { Id = Guid.CreateVersion7(), OwnerId = owner.Id, Name = name, Kind = "pairwise", RubricJson = "{}", Aggregation = "majority", Overlap = 1, GuidelineVersion = 1, ServingPolicy = "import-order", CreatedAt = now };
        var (first, second) = (Owned("first"), Owned("second"));
        db.AddRange(owner, reviewer, annotator, first, second);
        db.Add(new ProjectQuality { ProjectId = first.Id, ComputedAt = now, Stamp = "old" });
        await db.SaveChangesAsync();

        (await Migrator.MigrateAsync(db)).ShouldContain("0020_project_scopes");

        db.ChangeTracker.Clear();
        var assigned = await db.ProjectReviewers.ToListAsync();
        assigned.Select(r => (r.ProjectId, r.ReviewerId)).ShouldBe([(first.Id, reviewer.Id), (second.Id, reviewer.Id)], ignoreOrder: true);
        assigned.ShouldAllBe(r => r.Id != Guid.Empty && r.AssignedAt > now);
        (await db.ProjectQuality.CountAsync()).ShouldBe(0, "reports named people by their old pseudonyms");
    }
}
