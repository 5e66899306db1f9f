using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Verity.Infrastructure;

/// <summary>
/// Verity's own instruments, beside ASP.NET Core's request rates and latencies and the .NET runtime's, all served
/// to Prometheus at <c>/metrics</c> (admins only: the counts tell how busy each part of the server is).
/// </summary>
public sealed class VerityMetrics
{
    public const string MeterName = "Verity";

    private readonly Counter<long> _leases;
    private readonly Counter<long> _submissions;
    private readonly Histogram<double> _refresh;

    public VerityMetrics(IMeterFactory meters, SqliteWriteGate gate)
    {
        var meter = meters.Create(MeterName);
        _leases = meter.CreateCounter<long>("verity.leases", "{lease}", "Tasks leased to annotators, by kind of item.");
        _submissions = meter.CreateCounter<long>("verity.submissions", "{annotation}", "Answers stored (replays of a stored answer do not count).");
        _refresh = meter.CreateHistogram<double>("verity.quality.refresh.duration", "s", "How long measuring one project took in the background pass.");
        meter.CreateObservableGauge("verity.sqlite.write_queue", () => gate.Waiting, "{transaction}", "Write transactions waiting for SQLite's one writer.");
    }

    /// <summary>One lease taken.</summary>
    /// <param name="kind">real, gold or repeat.</param>
    public void Leased(string kind) => _leases.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Submitted() => _submissions.Add(1);

    public void Refreshed(TimeSpan took) => _refresh.Record(took.TotalSeconds);
}

internal static class MetricsEndpoint
{
    public static IServiceCollection AddVerityMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(VerityMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting")
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    public static void MapVerityMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint().RequireAuthorization(Policies.Admin);
}
