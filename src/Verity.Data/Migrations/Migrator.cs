using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Verity.Data.Migrations;

/// <summary>
/// Applies the numbered SQL scripts embedded under Migrations/{Provider}/ in order, each in its own
/// transaction, and records them in schema_migrations with their SHA-256. A script whose text changed after it
/// was applied stops the migration before anything runs. The scripts are hand-written (docs/migrations.md says
/// why); a test proves that they build exactly the schema of the EF model.
/// </summary>
public static class Migrator
{
    public sealed record Script(int Version, string Name, string Sql)
    {
        /// <summary>SHA-256 of the text with line endings made \n, so a checkout's line endings do not count as a change.</summary>
        public string Checksum => Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n", StringComparison.Ordinal))));
    }

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
    /// <exception cref="InvalidOperationException">An applied script's text has changed since it was applied.</exception>
    public static Task<IReadOnlyList<string>> MigrateAsync(VerityDbContext db, CancellationToken cancellationToken = default) =>
        MigrateAsync(db, Scripts(db.Provider), cancellationToken);

    /// <summary>Brings the database up to the newest of <paramref name="scripts"/> (tests pass edited ones).</summary>
    internal static async Task<IReadOnlyList<string>> MigrateAsync(VerityDbContext db, IReadOnlyList<Script> scripts, CancellationToken cancellationToken = default)
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

            await CheckAsync(connection, provider, scripts, cancellationToken);
            var applied = new List<string>();
            foreach (var script in scripts)
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

            await RecordChecksumsAsync(connection, provider, scripts, cancellationToken);
            return applied;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Compares every recorded checksum with its script's text; throws naming the first script that changed.</summary>
    private static async Task CheckAsync(DbConnection connection, DatabaseProvider provider, IReadOnlyList<Script> scripts, CancellationToken cancellationToken)
    {
        if (!await HasChecksumsAsync(connection, provider, cancellationToken))
            return;
        var byVersion = scripts.ToDictionary(s => s.Version);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, checksum FROM schema_migrations WHERE checksum IS NOT NULL ORDER BY version;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (version, recorded) = (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1));
            if (byVersion.TryGetValue(version, out var script) && script.Checksum != recorded)
            {
                throw new InvalidOperationException(
                    $"Migration Migrations/{provider}/{script.Name}.sql has changed since it was applied to this database "
                    + $"(SHA-256 then {recorded}, now {script.Checksum}). Applied migrations must not be edited: restore its text "
                    + "and put the change in a new numbered migration.");
            }
        }
    }

    /// <summary>Records the checksum of every applied script that has none yet: those applied before checksums existed, and the ones just applied.</summary>
    private static async Task RecordChecksumsAsync(DbConnection connection, DatabaseProvider provider, IReadOnlyList<Script> scripts, CancellationToken cancellationToken)
    {
        if (!await HasChecksumsAsync(connection, provider, cancellationToken))
            return;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var script in scripts)
        {
            // Checksums are hexadecimal digits, safe to put in the statement.
            await ExecuteAsync(connection, transaction,
                $"UPDATE schema_migrations SET checksum = '{script.Checksum}' WHERE version = {script.Version} AND checksum IS NULL;",
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Whether schema_migrations has its checksum column yet (it arrives with migration 0011).</summary>
    private static async Task<bool> HasChecksumsAsync(DbConnection connection, DatabaseProvider provider, CancellationToken cancellationToken)
    {
        var sql = provider == DatabaseProvider.Sqlite
            ? "SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum';"
            : "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum';";
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
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
