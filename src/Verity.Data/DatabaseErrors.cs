using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Verity.Core;

namespace Verity.Data;

/// <summary>Turns each provider's constraint violations into the same domain error, once.</summary>
public static class DatabaseErrors
{
    private const int SqliteConstraint = 19;

    public static Exception Translate(Exception exception)
    {
        var inner = exception is DbUpdateException { InnerException: { } e } ? e : exception;
        return inner switch
        {
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg =>
                new ConflictException($"This would duplicate an existing record ({pg.ConstraintName})."),
            SqliteException { SqliteErrorCode: SqliteConstraint } sqlite when sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal) =>
                new ConflictException($"This would duplicate an existing record ({sqlite.Message.Split(": ").Last()})."),
            _ => exception,
        };
    }
}
