using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Workforce;

namespace Verity.Tests.Infrastructure;

/// <summary>
/// The real server on a real Kestrel port over a fresh database of one provider, with a clock the test moves.
/// </summary>
public sealed class VerityServer : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];
    private readonly bool _ownsDatabase;

    private VerityServer(TestDatabase database, bool ownsDatabase, WebApplication app, Uri address, FakeTimeProvider clock)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        _app = app;
        BaseAddress = address;
        Clock = clock;
    }

    public Uri BaseAddress { get; }
    public FakeTimeProvider Clock { get; }
    public DatabaseTarget Database => _database.Target;
    public string DbArgument => _database.DbArgument;

    /// <summary>Starts the real application over a fresh database of <paramref name="provider"/>.</summary>
    /// <param name="provider">The database kind.</param>
    /// <param name="leaseMinutes">How long a lease lasts.</param>
    /// <param name="refreshSeconds">How often the background pass measures projects; off (0) unless a test is about it,
    /// so labels change only when the test acts.</param>
    /// <param name="settings">Further configuration, e.g. a sign-in limit or a proxy, over the test defaults.</param>
    /// <param name="logs">Receives the server's log (warnings and errors), for tests about what it says.</param>
    public static async Task<VerityServer> StartAsync(
        DatabaseProvider provider, int leaseMinutes = 15, int refreshSeconds = 0, IReadOnlyDictionary<string, string?>? settings = null, ILoggerProvider? logs = null) =>
        await StartOnAsync(await TestDatabase.CreateAsync(provider), ownsDatabase: true, leaseMinutes, refreshSeconds, settings, logs);

    /// <summary>Another node on this server's database: its own process state (container, caches, key ring in memory), the same data.</summary>
    public Task<VerityServer> StartNodeAsync(int refreshSeconds = 0) =>
        StartOnAsync(_database, ownsDatabase: false, leaseMinutes: 15, refreshSeconds, settings: null, logs: null);

    private static async Task<VerityServer> StartOnAsync(
        TestDatabase database, bool ownsDatabase, int leaseMinutes, int refreshSeconds, IReadOnlyDictionary<string, string?>? settings, ILoggerProvider? logs)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var app = VerityApp.Build(database.Target, "http://127.0.0.1:0", builder =>
        {
            builder.Configuration["Work:LeaseMinutes"] = leaseMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Configuration["RateLimits:LoginPerMinute"] = "1000";
            // Every run draws the same response orders and gold and repeat choices, so no test depends on luck.
            builder.Configuration["Work:Seed"] = "20261123";
            builder.Configuration["RateLimits:SubmissionsPerMinute"] = "100000";
            builder.Configuration["Quality:RefreshSeconds"] = refreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>(StringComparer.Ordinal));
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (logs is not null)
                builder.Logging.AddProvider(logs);
            builder.Services.AddSingleton<TimeProvider>(clock);
        });
        await VerityApp.MigrateAsync(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new VerityServer(database, ownsDatabase, app, new Uri(address), clock);
    }

    /// <summary>Creates a user directly through the service layer and returns an API client holding their token.</summary>
    public async Task<(User User, HttpClient Client)> AddUserAsync(string name, string role, string? password = null)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        var user = await users.AddAsync(name, role, password);
        var token = await users.IssueTokenAsync(user.Id);
        return (user, Client(token));
    }

    /// <summary>The pseudonym the project's owner knows the user by in reports, exports and <c>next?annotator=</c>.</summary>
    public async Task<string> PseudonymAsync(Guid projectId, Guid userId) =>
        (await _app.Services.GetRequiredService<Verity.Security.Pseudonyms>().ForProjectAsync(projectId))(userId);

    /// <summary>Assigns the reviewer to the project as its owner would (PUT /projects/{id}/reviewers/{name}), for tests about something else.</summary>
    public async Task AssignReviewerAsync(Guid projectId, string name)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Verity.Projects.ProjectReviewers>().AssignAsync(projectId, name);
    }

    /// <summary>A scope of the server's own services, for calling a service the way a request would.</summary>
    public AsyncServiceScope Scope() => _app.Services.CreateAsyncScope();

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _clients.Add(client);
        return client;
    }

    /// <summary>Runs a query against the server's database, for checking stored rows.</summary>
    public async Task<T> QueryAsync<T>(Func<VerityDbContext, Task<T>> query)
    {
        await using var db = Database.CreateContext();
        return await query(db);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
            client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDatabase)
            await _database.DisposeAsync();
    }
}

/// <summary>Small helpers for the API contract, so tests read as the steps a requester or annotator takes.</summary>
public static class Api
{
    /// <summary>
    /// A pairwise project served in import order unless told otherwise, so a test knows which item comes next (the
    /// random default keys its order off item ids, which differ run to run); the serving policies have tests of their own.
    /// </summary>
    public static Task<Guid> CreateProjectAsync(this HttpClient requester, string name = "Helpfulness", int overlap = 3, int minChars = 20, string servingPolicy = "import-order") =>
        requester.CreateProjectAsync(new
        {
            name,
            kind = "pairwise",
            overlap,
            guidelines = "## Pick the better response\nPrefer **correct** over long.",
            rationale = new { required = true, minChars },
            servingPolicy,
        });

    /// <summary>Creates a project from a full POST /projects body and returns its id.</summary>
    public static async Task<Guid> CreateProjectAsync(this HttpClient requester, object body)
    {
        var response = await requester.PostAsJsonAsync("/api/v1/projects", body);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
    }

    public static string ItemLine(string externalId, string a = "Paris is the capital of France.", string b = "Lyon is the capital of France.", string prompt = "What is the capital of France?") =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            externalId,
            prompt,
            responses = new[] { new { id = "a", text = a }, new { id = "b", text = b } },
            metadata = new { topic = "geography" },
        });

    public static Task<HttpResponseMessage> ImportAsync(this HttpClient requester, Guid projectId, IEnumerable<string> lines) =>
        requester.PostAsync($"/api/v1/projects/{projectId}/items", new StringContent(string.Join('\n', lines) + "\n", System.Text.Encoding.UTF8, "application/jsonl"));

    public static async Task<System.Text.Json.JsonElement?> NextAsync(this HttpClient annotator, Guid projectId)
    {
        var response = await annotator.GetAsync($"/api/v1/projects/{projectId}/next");
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent)
            return null;
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient annotator, Guid assignmentId, string choice, int? strength = 2,
        string rationale = "The first response names the right city and the second is wrong.", string? key = null) =>
        annotator.PostAsJsonAsync($"/api/v1/assignments/{assignmentId}/submit", new
        {
            choice,
            strength,
            rationale,
            idempotencyKey = key ?? Guid.NewGuid().ToString("N"),
        });

    public static Guid AssignmentId(this System.Text.Json.JsonElement task) => task.GetProperty("assignmentId").GetGuid();

    /// <summary>The owner assigns the reviewer named <paramref name="name"/> to the project.</summary>
    public static async Task AssignReviewerAsync(this HttpClient owner, Guid projectId, string name)
    {
        var response = await owner.PutAsync($"/api/v1/projects/{projectId}/reviewers/{Uri.EscapeDataString(name)}", null);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }
}
