using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core.Items;
using Verity.Data;

namespace Verity.Infrastructure;

/// <summary>What leasing, submitting and reviewing all do with an item's row.</summary>
internal static class ItemRows
{
    public static List<Response> Responses(this Item item) =>
        JsonSerializer.Deserialize<List<Response>>(item.ResponsesJson, Json.Options)!;

    /// <summary>Holds the item's row until the transaction ends (PostgreSQL); SQLite's one writer already holds everything.</summary>
    public static Task<int> LockItemAsync(this VerityDbContext db, Guid itemId, CancellationToken cancellationToken) =>
        db.Provider == DatabaseProvider.Postgres
            ? db.Database.ExecuteSqlAsync($"SELECT 1 FROM items WHERE id = {itemId} FOR UPDATE", cancellationToken)
            : Task.FromResult(0);
}
