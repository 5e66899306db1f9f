using Microsoft.EntityFrameworkCore;
using Verity.Core.Projects;
using Verity.Data;
using Verity.Data.Migrations;
using Verity.Demo;

namespace Verity.Tests.Demo;

public sealed class DemoTests
{
    [Fact]
    public async Task the_demo_has_a_project_of_every_kind_and_seeding_twice_adds_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = database.Target.CreateContext();
        await Migrator.MigrateAsync(db);

        var names = await DemoSeeder.SeedAsync(db, TimeProvider.System);
        await DemoSeeder.SeedAsync(db, TimeProvider.System);

        names.ShouldBe(["demo-requester", "demo-annotator-1", "demo-annotator-2"]);
        (await db.Users.CountAsync()).ShouldBe(3);
        var projects = await db.Projects.Select(p => new { p.Kind, Items = db.Items.Count(i => i.ProjectId == p.Id) }).ToListAsync();
        projects.Select(p => p.Kind).Order(StringComparer.Ordinal).ShouldBe(TaskKind.Supported.Order(StringComparer.Ordinal));
        projects.Single(p => p.Kind == TaskKind.Pairwise).Items.ShouldBeGreaterThanOrEqualTo(30);
        projects.ShouldAllBe(p => p.Items >= 8);
    }
}
