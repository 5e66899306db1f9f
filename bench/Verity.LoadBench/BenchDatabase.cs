using Microsoft.Data.Sqlite;
using Npgsql;
using Verity.Data;

namespace Verity.LoadBench;

/// <summary>
/// A fresh, empty database for one run: a SQLite file in the temp folder, or a new database on the PostgreSQL server
/// named by VERITY_TEST_POSTGRES. Deleted or dropped on dispose, so runs never see each other's rows.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "VERITY_TEST_POSTGRES";

    private readonly string? _sqliteFile;
    private readonly string? _postgresServer;
    private readonly string? _postgresName;

    private BenchDatabase(DatabaseTarget target, string? sqliteFile, string? postgresServer, string? postgresName)
    {
        Target = target;
        _sqliteFile = sqliteFile;
        _postgresServer = postgresServer;
        _postgresName = postgresName;
    }

    public DatabaseTarget Target { get; }

    public static async Task<BenchDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"verity-bench-{Guid.NewGuid():N}.db");
            return new BenchDatabase(DatabaseTarget.Parse($"sqlite:{file}"), file, null, null);
        }

        var server = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set: give it a PostgreSQL server, e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres");
        var name = $"verity_bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        // One connection per concurrent annotator at most, with room to spare; the default pool is also 100.
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 100 };
        return new BenchDatabase(DatabaseTarget.Parse(builder.ConnectionString), null, server, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(_sqliteFile + suffix);
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_postgresServer);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
