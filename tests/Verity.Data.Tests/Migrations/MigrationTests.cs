using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Verity.Data.Migrations;

namespace Verity.Data.Tests.Migrations;

public sealed class MigrationTests
{
    [Theory]
    [Databases]
    public async Task a_database_built_by_the_migrations_matches_the_model(DatabaseProvider provider)
    {
        await using var migrated = await TestDatabase.CreateAsync(provider);
        await using var fromModel = await TestDatabase.CreateAsync(provider);

        await using (var db = migrated.Target.CreateContext())
            (await Migrator.MigrateAsync(db)).ShouldNotBeEmpty();
        await using (var db = fromModel.Target.CreateContext())
            (await db.Database.EnsureCreatedAsync()).ShouldBeTrue();

        var expected = await DescribeAsync(fromModel.Target);
        var actual = await DescribeAsync(migrated.Target);
        actual.ShouldBe(expected);
        expected.Count.ShouldBeGreaterThan(50, "the description covers every column and index");
    }

    [Theory]
    [Databases]
    public async Task migrating_twice_applies_nothing_the_second_time(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Target.CreateContext();
        (await Migrator.MigrateAsync(db)).Count.ShouldBe(Migrator.Scripts(provider).Count);
        (await Migrator.MigrateAsync(db)).ShouldBeEmpty();
    }

    [Theory]
    [Databases]
    public async Task every_applied_migration_is_recorded_with_the_sha256_of_its_text(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Target.CreateContext();

        await Migrator.MigrateAsync(db);

        var recorded = await ChecksumsAsync(db);
        var scripts = Migrator.Scripts(provider);
        recorded.Count.ShouldBe(scripts.Count);
        foreach (var script in scripts)
        {
            recorded[script.Version].ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script.Sql))));
        }
    }

    [Theory]
    [Databases]
    public async Task upgrading_fills_the_checksums_of_migrations_applied_before_they_were_recorded(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Target.CreateContext();
        var scripts = Migrator.Scripts(provider);
        var before = scripts.Where(s => s.Name != "0011_migration_checksums").ToList();
        (await Migrator.MigrateAsync(db, before)).Count.ShouldBe(before.Count);

        (await Migrator.MigrateAsync(db)).ShouldBe(["0011_migration_checksums"]);

        var recorded = await ChecksumsAsync(db);
        foreach (var script in scripts)
            recorded[script.Version].ShouldBe(script.Checksum);
    }

    [Theory]
    [Databases]
    public async Task a_migration_edited_after_it_was_applied_stops_the_migration_naming_its_file(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Target.CreateContext();
        await Migrator.MigrateAsync(db);
        var edited = Migrator.Scripts(provider)
            .Select(s => s.Version == 3 ? s with { Sql = s.Sql + "\n-- an afterthought\n" } : s)
            .ToList();

        var error = await Should.ThrowAsync<InvalidOperationException>(() => Migrator.MigrateAsync(db, edited));

        var name = Migrator.Scripts(provider).Single(s => s.Version == 3).Name;
        error.Message.ShouldContain($"Migrations/{provider}/{name}.sql has changed since it was applied");
        (await ChecksumsAsync(db))[3].ShouldBe(Migrator.Scripts(provider).Single(s => s.Version == 3).Checksum, "the record is left alone");
    }

    [Fact]
    public void line_endings_do_not_change_a_checksum()
    {
        var unix = new Migrator.Script(1, "0001_x", "CREATE TABLE x (id integer);\nCREATE TABLE y (id integer);\n");
        var windows = unix with { Sql = unix.Sql.Replace("\n", "\r\n", StringComparison.Ordinal) };

        windows.Checksum.ShouldBe(unix.Checksum);
        (unix with { Sql = unix.Sql + " " }).Checksum.ShouldNotBe(unix.Checksum);
    }

    private static async Task<Dictionary<int, string?>> ChecksumsAsync(VerityDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT version, checksum FROM schema_migrations";
            await using var reader = await command.ExecuteReaderAsync();
            var result = new Dictionary<int, string?>();
            while (await reader.ReadAsync())
                result[Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [Theory]
    [Databases]
    public async Task the_database_refuses_to_update_or_delete_an_annotation(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Target.CreateContext();
        await Migrator.MigrateAsync(db);
        var annotation = await SeedAnnotationAsync(db);

        var update = () => db.Annotations.Where(a => a.Id == annotation.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Rationale, "edited"));
        var delete = () => db.Annotations.Where(a => a.Id == annotation.Id).ExecuteDeleteAsync();
        (await Should.ThrowAsync<DbException>(update)).Message.ShouldContain("append-only");
        (await Should.ThrowAsync<DbException>(delete)).Message.ShouldContain("append-only");

        db.ChangeTracker.Clear();
        (await db.Annotations.SingleAsync()).Rationale.ShouldBe("original");
    }

    private static async Task<Annotation> SeedAnnotationAsync(VerityDbContext db)
    {
        var now = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var user = new User { Id = Guid.CreateVersion7(), Name = "ann", Role = Roles.Annotator, Pseudonym = "ann-1", CreatedAt = now };
        var project = new Project { Id = Guid.CreateVersion7(), OwnerId = user.Id, Name = "p", Kind = "pairwise", RubricJson = "{}", Aggregation = "dawid-skene", Overlap = 1, GuidelineVersion = 1, ServingPolicy = "import-order", CreatedAt = now };
        var item = new Item { Id = Guid.CreateVersion7(), ProjectId = project.Id, ExternalId = "x", Prompt = "p", ResponsesJson = "[]", MetadataJson = "{}", CreatedAt = now };
        var assignment = new Assignment { Id = Guid.CreateVersion7(), ProjectId = project.Id, ItemId = item.Id, AnnotatorId = user.Id, ShownOrderJson = "[]", LeasedAt = now, ExpiresAt = now };
        var annotation = new Annotation
        {
            Id = Guid.CreateVersion7(),
            AssignmentId = assignment.Id,
            ProjectId = project.Id,
            ItemId = item.Id,
            AnnotatorId = user.Id,
            GuidelineVersion = 1,
            ShownOrderJson = "[]",
            AnswerJson = "{}",
            Rationale = "original",
            IdempotencyKey = "k",
            CreatedAt = now,
        };
        db.AddRange(user, project, item, assignment, annotation);
        await db.SaveChangesAsync();
        return annotation;
    }

    /// <summary>One line per column, index and constraint, in a stable order, read from the catalog.</summary>
    private static async Task<List<string>> DescribeAsync(DatabaseTarget target)
    {
        var sql = target.Provider == DatabaseProvider.Sqlite
            ? """
              SELECT 'column ' || m.name || '.' || c.name || ' ' || c.type || ' notnull=' || c."notnull" || ' pk=' || c.pk
              FROM sqlite_master m JOIN pragma_table_info(m.name) c
              WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_migrations'
              UNION ALL
              SELECT 'index ' || m.name || ' ' || l.name || ' unique=' || l."unique" || ' (' ||
                     (SELECT group_concat(name, ',') FROM (SELECT i.name FROM pragma_index_info(l.name) i ORDER BY i.seqno)) || ')'
              FROM sqlite_master m JOIN pragma_index_list(m.name) l
              WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_migrations'
              UNION ALL
              SELECT 'fk ' || m.name || '.' || f."from" || ' -> ' || f."table" || '.' || f."to" || ' on delete ' || f.on_delete
              FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
              WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
              """
            : """
              SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(character_maximum_length::text, '') || ' nullable=' || is_nullable
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
              UNION ALL
              SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
              UNION ALL
              SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations'
              """;
        await using var db = target.CreateContext();
        var lines = await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
        return [.. lines.Order(StringComparer.Ordinal)];
    }
}
