using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Verity.Data.Migrations;

/// <summary>
/// Applies the numbered SQL scripts embedded under Migrations/{Provider}/ in order, each in its own
/// transaction, and records them in schema_migrations. The scripts are hand-written because EF's design-time
/// tooling is not available to us; a test proves that they build exactly the schema of the EF model.
/// </summary>
public static class Migrator
{
    public sealed record Script(int Version, string Name, string Sql);

    public static IReadOnlyList<Script> Scripts(DatabaseProvider provider)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[prefix.Length..^".sql".Length]))
            .OrderBy(s => s.Version)
            .ToList();
    }

    /// <summary>Brings the database up to the newest script; returns the names of the scripts applied now.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(VerityDbContext db, CancellationToken cancellationToken = default)
    {
        var provider = db.Provider;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (provider == DatabaseProvider.Sqlite)
            {
                // WAL lets readers continue while one writer commits; the setting persists in the file.
                await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
            }

            var applied = new List<string>();
            foreach (var script in Scripts(provider))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                if (provider == DatabaseProvider.Postgres)
                {
                    // Several servers may start at once against one database; one migrates, the others wait.
                    await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(7461626);", cancellationToken);
                }

                await ExecuteAsync(connection, transaction,
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL);",
                    cancellationToken);
                var done = await ScalarAsync(connection, transaction,
                    $"SELECT COUNT(*) FROM schema_migrations WHERE version = {script.Version};", cancellationToken);
                if (done > 0)
                {
                    await transaction.CommitAsync(cancellationToken);
                    continue;
                }

                await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({script.Version}, '{script.Name}', '{DateTime.UtcNow:O}');",
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                applied.Add(script.Name);
            }

            return applied;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Script Load(Assembly assembly, string resource, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        return new Script(version, name, reader.ReadToEnd());
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
