using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Console;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Workforce;

namespace Verity.Simulation;

/// <summary>
/// The real server, composed as <c>verity serve</c> composes it, on a free port of 127.0.0.1, over a fresh SQLite file
/// (deleted afterwards) or the database given. Past creating accounts, the simulator only talks HTTP to it.
/// </summary>
internal sealed class SimulationServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _file;
    private readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };

    private SimulationServer(WebApplication app, Uri address, string? file, SimulatedClock clock)
    {
        _app = app;
        _file = file;
        BaseAddress = address;
        Clock = clock;
    }

    public Uri BaseAddress { get; }

    /// <summary>The server's clock, which the run moves along its simulated time.</summary>
    public SimulatedClock Clock { get; }

    /// <summary>Starts the server and applies the migrations.</summary>
    /// <param name="db">A database to use, or null for a fresh SQLite file.</param>
    /// <param name="seed">Seeds the server's own draws (response order, gold and repeat choices), so a run replays.</param>
    public static async Task<SimulationServer> StartAsync(string? db, int seed)
    {
        var file = db is null ? Path.Combine(Path.GetTempPath(), $"verity-simulate-{Guid.NewGuid():N}.db") : null;
        var clock = new SimulatedClock(DateTimeOffset.UtcNow);
        var app = VerityApp.Build(DatabaseTarget.Parse(db ?? $"sqlite:{file}"), "http://127.0.0.1:0", builder =>
        {
            // The limits protect a deployment from one noisy client; a simulated annotator answers as fast as it can.
            builder.Configuration["RateLimits:SubmissionsPerMinute"] = "10000000";
            builder.Configuration["Work:Seed"] = seed.ToString(CultureInfo.InvariantCulture);
            // The timed background pass would measure at different moments in each run; the run asks for measurements
            // at fixed points instead (see SimulationRun), through the same code.
            builder.Configuration["Quality:RefreshSeconds"] = "0";
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            // Standard output carries the results (JSON with --json).
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.AddSingleton<TimeProvider>(clock);
        });
        await VerityApp.MigrateAsync(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulationServer(app, new Uri(address), file, clock);
    }

    /// <summary>The first of <paramref name="tag"/>, tag-2, tag-3… that no account name of the database starts with.</summary>
    public async Task<string> FreeTagAsync(string tag)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VerityDbContext>();
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? tag : $"{tag}-{n}";
            var prefix = $"sim-{candidate}-";
            if (!await db.Users.AnyAsync(u => u.Name.StartsWith(prefix)))
                return candidate;
        }
    }

    /// <summary>Creates a user as <c>verity users add --token</c> does; returns its id and API token.</summary>
    public async Task<(Guid Id, string Token)> AddUserAsync(string name, string role)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        var user = await users.AddAsync(name, role, password: null);
        return (user.Id, await users.IssueTokenAsync(user.Id));
    }

    /// <summary>The pseudonym the project's reports and exports give the user.</summary>
    public async Task<string> PseudonymAsync(Guid projectId, Guid userId) =>
        (await _app.Services.GetRequiredService<Security.Pseudonyms>().ForProjectAsync(projectId))(userId);

    /// <summary>A client on the shared connection pool, signed in with <paramref name="token"/>.</summary>
    public HttpClient Client(string token)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        _handler.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_file is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
                File.Delete(path);
        }
    }
}
