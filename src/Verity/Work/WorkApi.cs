using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Core.Work;
using Verity.Infrastructure;

namespace Verity.Work;

internal static class WorkApi
{
    public const string SubmissionLimit = "submission";

    public static RouteGroupBuilder MapWorkApi(this RouteGroupBuilder api)
    {
        api.MapGet("/projects/{id:guid}/next", NextAsync)
            .WithTags("Work")
            .WithName("NextTask")
            .WithSummary("Lease the next item to the caller (or return the caller's open lease); 204 when nothing is left. "
                + "With externalId, lease that item if the rules allow (204 otherwise).")
            .RequireAuthorization(Policies.Annotate);
        api.MapPost("/assignments/{id:guid}/submit", SubmitAsync)
            .WithTags("Work")
            .WithName("SubmitTask")
            .WithSummary("Submit the answer for a leased item; replaying the same idempotency key returns the same result.")
            .RequireAuthorization(Policies.Annotate)
            .RequireRateLimiting(SubmissionLimit);
        return api;
    }

    private static async Task<Results<Ok<TaskView>, NoContent>> NextAsync(
        Guid id, string? externalId, ClaimsPrincipal user, WorkService work, CancellationToken cancellationToken) =>
        await work.NextAsync(id, user.UserId(), externalId, cancellationToken) is { } task ? TypedResults.Ok(task) : TypedResults.NoContent();

    private static async Task<Ok<SubmissionResult>> SubmitAsync(
        Guid id, Submission submission, ClaimsPrincipal user, WorkService work, CancellationToken cancellationToken) =>
        TypedResults.Ok(await work.SubmitAsync(id, user.UserId(), submission, cancellationToken));
}
