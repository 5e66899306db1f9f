using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Verity.Data;

namespace Verity.Infrastructure;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database takes a write, because a node whose
/// database answers reads but refuses writes (a read-only file, a full disk, a standby) would lose every answer sent
/// to it and must be taken out of the balancer. Both are open to anyone and say only Healthy or Unhealthy; the
/// reason goes to the log.
/// </summary>
internal static class Health
{
    private const string Ready = "ready";

    public static IServiceCollection AddVerityHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseTakesWrites>("database", tags: [Ready]);
        return services;
    }

    public static void MapVerityHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) }).AllowAnonymous();
    }

    private sealed class DatabaseTakesWrites(VerityDbContext db, SqliteWriteGate gate, ILogger<DatabaseTakesWrites> logger) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // A real write (the newest migration's row set to itself), rolled back: nothing changes, but a
                // database that cannot write fails it.
                using var _ = await gate.EnterAsync(db, cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync(
                    "UPDATE schema_migrations SET name = name WHERE version = (SELECT MAX(version) FROM schema_migrations)", cancellationToken);
                await transaction.RollbackAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (DbException e)
            {
                logger.LogError(e, "Not ready: the database refused a write ({Reason})", e.Message);
                return HealthCheckResult.Unhealthy("The database refused a write.", e);
            }
        }
    }
}
