using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Tests.Infrastructure;

public sealed class HealthTests
{
    [Theory]
    [Databases]
    public async Task a_node_whose_database_refuses_writes_is_live_but_not_ready(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var anonymous = server.Client();
        (await anonymous.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await anonymous.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("Healthy");

        if (provider == DatabaseProvider.Sqlite)
        {
            // The same file opened read-only: every read works, every write fails.
            var readOnly = new SqliteConnectionStringBuilder(server.Database.ConnectionString) { Mode = SqliteOpenMode.ReadOnly };
            await using var node = VerityApp.Build(new DatabaseTarget(DatabaseProvider.Sqlite, readOnly.ConnectionString), "http://127.0.0.1:0");
            await node.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            await AssertLiveNotReadyAsync(client);
            await node.StopAsync();
        }
        else
        {
            // A standby, or a database an operator made read-only: sessions opened from now on cannot write.
            var database = new NpgsqlConnectionStringBuilder(server.Database.ConnectionString).Database;
            await using (var admin = new NpgsqlConnection(TestDatabase.ServerConnectionString()))
            {
                await admin.OpenAsync();
                await using var command = new NpgsqlCommand($"ALTER DATABASE {database} SET default_transaction_read_only = on", admin);
                await command.ExecuteNonQueryAsync();
            }
            NpgsqlConnection.ClearAllPools();
            await AssertLiveNotReadyAsync(anonymous);
        }
    }

    private static async Task AssertLiveNotReadyAsync(HttpClient client)
    {
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("Unhealthy", "the reason is logged, not shown to anyone who asks");
    }
}
