using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Workforce;

namespace Verity.LoadBench;

/// <summary>The real server, composed as `verity serve` composes it, on a free Kestrel port of this machine.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    // One connection pool for every client, like one load balancer in front of the server; each client carries its token.
    private readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };

    private BenchServer(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the server over <paramref name="database"/>, migrated.</summary>
    /// <param name="database">The database to serve.</param>
    /// <param name="refreshSeconds">How often the background quality pass runs; null keeps the default.</param>
    public static async Task<BenchServer> StartAsync(DatabaseTarget database, int? refreshSeconds = null)
    {
        var app = VerityApp.Build(database, "http://127.0.0.1:0", builder =>
        {
            // The limits protect a real deployment from one noisy client; here every client is the load we want.
            builder.Configuration["RateLimits:SubmissionsPerMinute"] = "10000000";
            builder.Configuration["RateLimits:LoginPerMinute"] = "10000000";
            // Per-request information logs would measure the console, not the server.
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (refreshSeconds is { } seconds)
                builder.Configuration["Quality:RefreshSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        await VerityApp.MigrateAsync(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchServer(app, new Uri(address));
    }

    /// <summary>Creates a user through the service layer, as `verity users add --token` does, and returns the token and id.</summary>
    public async Task<(string Token, Guid Id)> AddUserAsync(string name, string role, string? password = null)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        var user = await users.AddAsync(name, role, password);
        return (await users.IssueTokenAsync(user.Id), user.Id);
    }

    /// <summary>The pseudonym the project's owner knows the user by (what <c>next?annotator=</c> takes).</summary>
    public async Task<string> PseudonymAsync(Guid projectId, Guid userId) =>
        (await _app.Services.GetRequiredService<Verity.Security.Pseudonyms>().ForProjectAsync(projectId))(userId);

    /// <summary>A client on the shared connection pool, signed in with <paramref name="token"/>.</summary>
    public HttpClient Client(string token)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        _handler.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
