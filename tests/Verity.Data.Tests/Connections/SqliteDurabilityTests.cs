using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Verity.Data.Tests.Connections;

public sealed class SqliteDurabilityTests
{
    [Fact]
    public async Task every_sqlite_connection_opens_with_synchronous_full()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = database.Target.CreateContext();

        await db.Database.OpenConnectionAsync();
        (await SynchronousAsync(db)).ShouldBe(2, "2 is FULL");
        await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=OFF;");
        (await SynchronousAsync(db)).ShouldBe(0);
        await db.Database.CloseConnectionAsync();

        // The pool hands the same connection back with whatever was set on it; opening it sets FULL again.
        await db.Database.OpenConnectionAsync();
        (await SynchronousAsync(db)).ShouldBe(2);
    }

    private static async Task<long> SynchronousAsync(VerityDbContext db)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
