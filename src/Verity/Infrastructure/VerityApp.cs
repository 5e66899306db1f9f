using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Verity.Data;
using Verity.Data.Migrations;
using Verity.Exports;
using Verity.Items;
using Verity.Projects;
using Verity.Quality;
using Verity.Review;
using Verity.Security;
using Verity.Work;
using Verity.Workforce;
using Verity.Workforce.Pay;

namespace Verity.Infrastructure;

/// <summary>Section "RateLimits": permits per minute.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Sign-in attempts per minute from one address.</summary>
    [Range(1, int.MaxValue)]
    public int LoginPerMinute { get; set; } = 10;

    /// <summary>Failed sign-ins an account may have before each further failure doubles its wait.</summary>
    [Range(1, 1000)]
    public int FreeFailedSignIns { get; set; } = 5;

    /// <summary>The longest an account waits after failed sign-ins, in seconds.</summary>
    [Range(1, 86400)]
    public int MaxSignInWaitSeconds { get; set; } = 900;

    /// <summary>Submissions per minute by one user.</summary>
    [Range(1, int.MaxValue)]
    public int SubmissionsPerMinute { get; set; } = 120;

    /// <summary>
    /// Submissions per minute by one user whose token carries the scope, by scope; the highest of a token's applies,
    /// <see cref="SubmissionsPerMinute"/> without any.
    /// </summary>
    public Dictionary<string, int> ScopeSubmissionsPerMinute { get; } = new(StringComparer.Ordinal) { [Scopes.Bulk] = 6000 };

    /// <summary>The submission limit of a caller with these scopes.</summary>
    public int SubmissionsPerMinuteFor(IEnumerable<string> scopes) =>
        scopes.Select(s => ScopeSubmissionsPerMinute.GetValueOrDefault(s)).DefaultIfEmpty(0).Max() is var scoped and > 0 ? scoped : SubmissionsPerMinute;
}

/// <summary>Builds the web server: the same composition for `verity serve` and for the tests.</summary>
public static class VerityApp
{
    public const string LoginLimit = "login";

    /// <summary>The app, not yet started.</summary>
    /// <param name="configure">Lets tests replace services (the clock) or settings before the app is built.</param>
    public static WebApplication Build(DatabaseTarget database, string urls, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(VerityApp).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls(urls);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);

        var services = builder.Services;
        services.AddVerity(database);
        services.AddHostedService<QualityRefresher>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsHandler>();
        services.ConfigureHttpJsonOptions(options => Json.Configure(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddOpenApi();
        services.AddVerityHealth();
        services.AddVerityMetrics();
        services.AddVerityDataProtection();
        services.AddVerityAuth();
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddOptions<ProxyOptions>().BindConfiguration("Proxy").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) => proxy.Value.Apply(forwarded));
        services.AddRazorPages(options => options.RootDirectory = "/");
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only attempts count: showing the sign-in page is free.
            options.AddPolicy(LoginLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => Window(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.LoginPerMinute))
                : RateLimitPartition.GetNoLimiter("page"));
            options.AddPolicy(WorkApi.SubmissionLimit, context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value
                    .SubmissionsPerMinuteFor(context.User.FindAll(Scopes.Claim).Select(c => c.Value));
                // The limit is part of the key: a person's bulk token and browser session count apart.
                return RateLimitPartition.GetFixedWindowLimiter($"{context.User.Identity?.Name ?? "anonymous"}:{limit}", _ => Window(limit));
            });
        });

        configure?.Invoke(builder);
        var app = builder.Build();

        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Enabled)
            app.UseForwardedHeaders();
        app.UseErrorResponses();
        // After the error responses, so a failed request re-run as the error page is routed again.
        app.UseRouting();
        app.Use(SecurityHeaders);
        app.Use(app.Services.GetRequiredService<StaticAssets>().ServeAsync);
        app.UseAuthentication();
        app.Use(CrossSiteGuard.CheckAsync);
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapOpenApi().AllowAnonymous();
        app.MapVerityHealth();
        app.MapVerityMetrics();
        var api = app.MapGroup("/api/v1");
        api.MapProjectsApi();
        api.MapGuidelinesApi();
        api.MapProjectReviewersApi();
        api.MapItemsApi();
        api.MapWorkApi();
        api.MapExportsApi();
        api.MapReviewApi();
        api.MapAnnotatorsApi();
        api.MapStandingsApi();
        api.MapProvenanceApi();
        api.MapTokensApi();
        api.MapUsersApi();
        api.MapAuditApi();
        api.MapTracksApi();
        api.MapSignupApi();
        api.MapAssessmentsApi();
        api.MapPayApi();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// The services the server and the command line share, so a command runs the same code with the same settings
    /// (appsettings.json and environment variables) as a request.
    /// </summary>
    public static IServiceCollection AddVerity(this IServiceCollection services, DatabaseTarget database)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<VerityDbContext>(database.Configure);
        services.AddOptions<WorkOptions>().BindConfiguration("Work").ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddScoped<UserService>();
        services.AddScoped<TierService>();
        services.AddScoped<AssessmentService>();
        services.AddScoped<TrackService>();
        services.AddScoped<MeService>();
        services.AddScoped<PeopleService>();
        services.AddOptions<WorkforceOptions>().BindConfiguration("Workforce")
            .Validate(o => o.Multipliers.All(m => m > 0), "Workforce:TierMultipliers must all be positive.").ValidateOnStart();
        services.AddScoped<TokenService>();
        services.AddScoped<AuditLog>();
        services.AddSingleton<Pseudonyms>();
        services.AddScoped<Sessions>();
        services.AddScoped<SignIns>();
        services.AddOptions<SessionLifetimeOptions>().BindConfiguration("Sessions").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits").ValidateDataAnnotations()
            .Validate(o => o.ScopeSubmissionsPerMinute.All(s => Scopes.All.Contains(s.Key, StringComparer.Ordinal) && s.Value > 0), "RateLimits:ScopeSubmissionsPerMinute takes known scopes and positive numbers.")
            .ValidateOnStart();
        services.AddScoped<ProjectService>();
        services.AddScoped<ProjectReviewers>();
        services.AddScoped<ItemImporter>();
        services.AddScoped<ScoreService>();
        services.AddScoped<GuidelineService>();
        services.AddScoped<LeaseService>();
        services.AddScoped<DraftService>();
        services.AddScoped<SkipService>();
        services.AddScoped<SubmissionService>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddSingleton<StaticAssets>();
        services.AddSingleton<VerityMetrics>();
        services.AddSingleton(sp => new Chance(sp.GetRequiredService<IOptions<WorkOptions>>().Value.Seed));
        services.AddScoped<ReviewService>();
        services.AddScoped<AnnotatorReports>();
        services.AddScoped<Standings>();
        services.AddScoped<QualityDashboard>();
        services.AddScoped<QualityRefresh>();
        services.AddScoped<Provenance>();
        services.AddSingleton<QualityCache>();
        services.AddOptions<QualityOptions>().BindConfiguration("Quality").ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ExportService>();
        services.AddScoped<Ledger>();
        services.AddScoped<Earnings>();
        services.AddScoped<Payouts>();
        services.AddScoped<TierReview>();
        services.AddOptions<PayOptions>().BindConfiguration("Workforce:Pay").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TierOptions>().BindConfiguration("Workforce:Tiers").ValidateDataAnnotations()
            .Validate<IOptions<WorkforceOptions>>((tiers, workforce) => tiers.Problem(workforce.Value.Multipliers.Count) is null,
                "Workforce:Tiers needs one bar per tier in each list, rising from tier to tier, between 0 and 1 (docs/pay.md).")
            .ValidateOnStart();
        services.AddVerityPolicies();
        return services;
    }

    /// <summary>The shared services without the web server, for the command line; not started, so nothing runs in the background.</summary>
    public static IHost BuildHost(DatabaseTarget database)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(VerityApp).Assembly.GetName().Name,
            Args = [],
        });
        // Standard output carries data (an export); the command line reports its own errors on standard error.
        builder.Logging.ClearProviders();
        builder.Services.AddVerity(database);
        return builder.Build();
    }

    public static async Task MigrateAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await Migrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<VerityDbContext>());
    }

    private static FixedWindowRateLimiterOptions Window(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };

    // Model output is untrusted: even if some markup slipped through, no inline script or foreign origin may run.
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Over TLS (directly or as a configured proxy says), browsers must never fall back to plain HTTP.
        if (context.Request.IsHttps)
            headers.StrictTransportSecurity = "max-age=31536000";
        return next();
    }
}
