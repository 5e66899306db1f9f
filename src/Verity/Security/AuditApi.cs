using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Security;

/// <summary>One audit event as the API and the page show it.</summary>
public sealed record AuditView(Guid Id, DateTime At, string Kind, string? Actor, Guid? ProjectId, string? Subject, string? Detail, string? Address);

/// <summary>Reading the audit log (admin): the newest events, and the whole log as JSON Lines. Nothing writes it but Verity's own events.</summary>
public static class AuditApi
{
    public const int MaxPage = 1000;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/audit-log").WithTags("Security").RequireAuthorization(Policies.Admin);
        group.MapGet("/", ListAsync)
            .WithName("ListAuditEvents")
            .WithSummary($"The newest audit events first (limit, at most {MaxPage}; before, an event id to page back; kind, e.g. sign-in.failed) (admin).");
        group.MapGet("/export", ExportAsync)
            .WithName("ExportAuditEvents")
            .WithSummary("The whole audit log as JSON Lines, oldest first (admin).")
            .Produces(StatusCodes.Status200OK, contentType: "application/jsonl");
        return api;
    }

    /// <summary>The newest events, optionally of one kind and older than one event.</summary>
    public static async Task<IReadOnlyList<AuditView>> NewestAsync(VerityDbContext db, int limit, Guid? before, string? kind, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxPage)
            throw ValidationException.For("limit", $"must be between 1 and {MaxPage}.");
        var query = db.AuditEvents.AsNoTracking();
        if (before is { } id)
            query = query.Where(e => e.Id.CompareTo(id) < 0);
        if (!string.IsNullOrEmpty(kind))
            query = query.Where(e => e.Kind == kind);
        return await query.OrderByDescending(e => e.Id).Take(limit).Select(e => new AuditView(e.Id, e.CreatedAt, e.Kind, e.ActorName, e.ProjectId, e.Subject, e.Detail, e.Address))
            .ToListAsync(cancellationToken);
    }

    private static async Task<Ok<IReadOnlyList<AuditView>>> ListAsync(int? limit, Guid? before, string? kind, VerityDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await NewestAsync(db, limit ?? 100, before, kind, cancellationToken));

    private static async Task ExportAsync(HttpContext context, VerityDbContext db, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/jsonl";
        context.Response.Headers.ContentDisposition = "attachment; filename=verity-audit.jsonl";
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var view = new AuditView(e.Id, e.CreatedAt, e.Kind, e.ActorName, e.ProjectId, e.Subject, e.Detail, e.Address);
            await context.Response.WriteAsync(JsonSerializer.Serialize(view, Json.Options) + "\n", cancellationToken);
        }
    }
}
