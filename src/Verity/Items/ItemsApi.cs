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
        api.MapPost("/projects/{id:guid}/scores", ScoreAsync)
            .WithTags("Items")
            .WithName("UpdateScores")
            .WithSummary("Replace the model scores of any set of the project's items (owner): {\"items\":[{\"externalId\":\"q1\",\"scores\":{\"a\":1.3,\"b\":-0.2}}]}. "
                + "All items change or none; the uncertainty-first order follows at once.")
            .RequireAuthorization(Policies.OwnProject);
        api.MapGet("/projects/{id:guid}/items/{externalId}/servings", ServingsAsync)
            .WithTags("Items")
            .WithName("ItemServings")
            .WithSummary("Every lease of one item with the model scores in force when it was served (owner).")
            .RequireAuthorization(Policies.OwnProject);
        return api;
    }

    private static async Task<Ok<ScoresResult>> ScoreAsync(ScoresRequest request, HttpContext context, ScoreService scores, CancellationToken cancellationToken) =>
        TypedResults.Ok(await scores.UpdateAsync(context.AuthorizedProject(), request, cancellationToken));

    private static async Task<Ok<IReadOnlyList<Serving>>> ServingsAsync(string externalId, HttpContext context, ScoreService scores, CancellationToken cancellationToken) =>
        TypedResults.Ok(await scores.ServingsAsync(context.AuthorizedProject(), externalId, cancellationToken));

    private static async Task<Ok<ImportResult>> ImportAsync(HttpRequest request, ItemImporter importer, CancellationToken cancellationToken) =>
        TypedResults.Ok(await importer.ImportAsync(request.HttpContext.AuthorizedProject(), request.Body, cancellationToken: cancellationToken));
}
