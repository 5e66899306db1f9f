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
            .WithSummary("Lease the next item to the caller (or return the caller's open lease); 204 when nothing is left (annotator). "
                + "With externalId and annotator (a pseudonym), the owner or an admin leases that item to that annotator if the rules "
                + "allow (204 otherwise), for replays and targeted relabelling; an annotator may not choose (403).")
            .RequireAuthorization(Policies.NextTask);
        api.MapPost("/assignments/{id:guid}/submit", SubmitAsync)
            .WithTags("Work")
            .WithName("SubmitTask")
            .WithSummary("Submit the answer for a leased item; replaying the same idempotency key returns the same result.")
            .RequireAuthorization(Policies.Annotate)
            .RequireRateLimiting(SubmissionLimit);
        return api;
    }

    private static async Task<Results<Ok<TaskView>, NoContent>> NextAsync(
        string? externalId, string? annotator, HttpContext context, LeaseService leases, CancellationToken cancellationToken)
    {
        var project = context.AuthorizedProject();
        var task = externalId is null
            ? await leases.NextAsync(project, context.User.UserId(), cancellationToken)
            : await leases.ChooseAsync(project, externalId, annotator, cancellationToken);
        return task is null ? TypedResults.NoContent() : TypedResults.Ok(task);
    }

    private static async Task<Ok<SubmissionResult>> SubmitAsync(
        Guid id, Submission submission, ClaimsPrincipal user, SubmissionService submissions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await submissions.SubmitAsync(id, user.UserId(), submission, cancellationToken));
}
