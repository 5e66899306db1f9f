using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;

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
            .RequireAuthorization(Policies.OwnProject);
        return api;
    }

    private static async Task<Ok<ImportResult>> ImportAsync(HttpRequest request, ItemImporter importer, CancellationToken cancellationToken) =>
        TypedResults.Ok(await importer.ImportAsync(request.HttpContext.AuthorizedProject(), request.Body, cancellationToken: cancellationToken));
}
