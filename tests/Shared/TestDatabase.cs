using Microsoft.Data.Sqlite;
using Npgsql;
using Verity.Data;

namespace Verity.Testing;

/// <summary>
/// A fresh, empty database of one provider for one test: a SQLite file in a temp folder, or a new database on the
/// PostgreSQL server that test.sh starts (VERITY_TEST_POSTGRES). Dropped or deleted on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _sqliteFile;
    private readonly string? _postgresName;

    private TestDatabase(DatabaseTarget target, string? sqliteFile, string? postgresName)
    {
        Target = target;
        _sqliteFile = sqliteFile;
        _postgresName = postgresName;
    }

    public DatabaseTarget Target { get; }

    /// <summary>The value a user would pass to --db.</summary>
    public string DbArgument => _sqliteFile is null ? Target.ConnectionString : $"sqlite:{_sqliteFile}";

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"verity-test-{Guid.NewGuid():N}.db");
            return new TestDatabase(DatabaseTarget.Parse($"sqlite:{file}"), file, null);
        }

        var server = ServerConnectionString();
        var name = $"verity_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 100 };
        return new TestDatabase(DatabaseTarget.Parse(builder.ConnectionString), null, name);
    }

    public static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable("VERITY_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "VERITY_TEST_POSTGRES is not set: ./test.sh starts a PostgreSQL server and sets it; otherwise point it at a server, e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres");

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
        await using var connection = new NpgsqlConnection(ServerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
