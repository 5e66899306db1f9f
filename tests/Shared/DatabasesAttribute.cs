using Verity.Data;

namespace Verity.Testing;

/// <summary>Runs a theory once per real database provider.</summary>
public sealed class DatabasesAttribute : Xunit.Sdk.DataAttribute
{
    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) =>
        [[DatabaseProvider.Sqlite], [DatabaseProvider.Postgres]];
}
