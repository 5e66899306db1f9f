using System.CommandLine;
using Verity.Data;

namespace Verity.Cli;

/// <summary>Options shared by every command that touches the database.</summary>
internal static class CliOptions
{
    public static Option<string> Db() => new("--db")
    {
        Description = "sqlite:PATH or a PostgreSQL connection string (Host=…;Database=…;Username=…). Default: $VERITY_DB, else sqlite:verity.db.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("VERITY_DB") is { Length: > 0 } value ? value : DatabaseTarget.Default,
    };
}
