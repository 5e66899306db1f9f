using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
            await MakeReadOnlyAsync(server);
            await AssertLiveNotReadyAsync(anonymous);
        }
    }

    [Fact]
    public async Task a_write_the_database_refuses_is_logged_with_its_cause()
    {
        var logs = new LogCapture();
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Postgres, logs: logs);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var task = (await annotator.NextAsync(projectId))!.Value;
        await MakeReadOnlyAsync(server);

        var refused = await annotator.SubmitAsync(task.AssignmentId(), "a");

        refused.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("read-only", Case.Insensitive, "the cause is for the operator, not the caller");
        logs.Errors.ShouldContain(e => e.Contains("POST /api/v1/assignments/") && e.Contains("read-only transaction"));
    }

    private static async Task MakeReadOnlyAsync(VerityServer server)
    {
        var database = new NpgsqlConnectionStringBuilder(server.Database.ConnectionString).Database;
        await using (var admin = new NpgsqlConnection(TestDatabase.ServerConnectionString()))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"ALTER DATABASE {database} SET default_transaction_read_only = on", admin);
            await command.ExecuteNonQueryAsync();
        }
        NpgsqlConnection.ClearAllPools();
    }

    private sealed class LogCapture : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

        public IReadOnlyCollection<string> Errors => _errors;

        public ILogger CreateLogger(string categoryName) => new Logger(_errors);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                    errors.Enqueue(formatter(state, exception));
            }
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
