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

    private static async Task<Ok<ImportResult>> ImportAsync(HttpRequest request, ItemImporter importer, Security.AuditLog audit, CancellationToken cancellationToken)
    {
        var project = request.HttpContext.AuthorizedProject();
        var result = await importer.ImportAsync(project, request.Body, cancellationToken: cancellationToken);
        await audit.RecordAsync(Security.AuditKinds.Imported, project.Id, detail: $"{result.Imported} items, {result.Gold} gold", cancellationToken: cancellationToken);
        return TypedResults.Ok(result);
    }
}
