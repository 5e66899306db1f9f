using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Verity.Data;

/// <summary>
/// Sets <c>synchronous=FULL</c> on every SQLite connection EF opens. It is a per-connection setting; the bundled
/// SQLite happens to default to FULL, but an acknowledged answer must survive a power cut whatever the build's default.
/// </summary>
internal sealed class SqliteDurability : DbConnectionInterceptor
{
    public static readonly SqliteDurability Instance = new();

    private const string Pragma = "PRAGMA synchronous=FULL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
