using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Verity.Core;

namespace Verity.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the data lives, parsed from the one string operators give: <c>sqlite:PATH</c>, or a PostgreSQL
/// connection string. Every provider difference in configuration is decided here.
/// </summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString)
{
    public const string Default = "sqlite:verity.db";

    public static DatabaseTarget Parse(string value)
    {
        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = value["sqlite:".Length..];
            if (path.Length == 0)
                throw ValidationException.For("db", "sqlite: needs a file path, e.g. sqlite:verity.db");
            var builder = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 60, Pooling = true };
            return new DatabaseTarget(DatabaseProvider.Sqlite, builder.ConnectionString);
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrEmpty(builder.Host))
                throw ValidationException.For("db", "expected sqlite:PATH or a PostgreSQL connection string with Host=…");
            // The same few statements run on every request: prepared once per connection, PostgreSQL stops parsing and
            // planning them each time. An operator's own Max Auto Prepare is kept.
            if (builder.MaxAutoPrepare == 0)
                builder.MaxAutoPrepare = 100;
            return new DatabaseTarget(DatabaseProvider.Postgres, builder.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw ValidationException.For("db", $"expected sqlite:PATH or a PostgreSQL connection string ({e.Message})");
        }
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == DatabaseProvider.Sqlite)
            options.UseSqlite(ConnectionString).AddInterceptors(SqliteDurability.Instance);
        else
            options.UseNpgsql(ConnectionString);
    }

    public VerityDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<VerityDbContext>();
        Configure(options);
        return new VerityDbContext(options.Options);
    }
}
