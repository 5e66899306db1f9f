using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;

namespace Verity.Items;

internal static class ItemsApi
{
    public static RouteGroupBuilder MapItemsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/projects/{id:guid}/items", ImportAsync)
            .WithTags("Items")
            .WithName("ImportItems")
            .WithSummary("Import items as JSON Lines, one item per line; all lines are stored or none (owner). "
                + "The response counts items and gold items, and warns when gold will never be served.")
            .Accepts<string>("application/jsonl", "application/x-ndjson", "text/plain")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Requester, Roles.Admin));
        return api;
    }

    private static async Task<Ok<ImportResult>> ImportAsync(
        Guid id, HttpRequest request, ClaimsPrincipal user, ProjectService projects, ItemImporter importer, CancellationToken cancellationToken)
    {
        var project = await projects.GetOwnedAsync(id, user.UserId(), user.Role(), cancellationToken);
        return TypedResults.Ok(await importer.ImportAsync(project, request.Body, cancellationToken: cancellationToken));
    }
}
