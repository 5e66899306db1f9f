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
        api.MapPut("/assignments/{id:guid}/draft", SaveDraftAsync)
            .WithTags("Work")
            .WithName("SaveDraft")
            .WithSummary("Keep the answer typed so far (the submission shape, unchecked) for this lease; it comes back on GET, "
                + "on the workbench page, and when an expired lease of the same item is renewed. Deleted on submit or skip.")
            .RequireAuthorization(Policies.Annotate);
        api.MapGet("/assignments/{id:guid}/draft", DraftAsync)
            .WithTags("Work")
            .WithName("Draft")
            .WithSummary("The draft kept for one of the caller's leases; 204 when nothing was typed.")
            .RequireAuthorization(Policies.Annotate);
        api.MapPost("/assignments/{id:guid}/skip", SkipAsync)
            .WithTags("Work")
            .WithName("SkipTask")
            .WithSummary("Give the item back without answering, with one of the project's skip reasons or a flag that needs no answer "
                + "(cannot-assess); recorded, counts towards nothing, and the item is not served to the caller again.")
            .RequireAuthorization(Policies.Annotate)
            .RequireRateLimiting(SubmissionLimit);
        api.MapPost("/annotations/{id:guid}/revise", ReviseAsync)
            .WithTags("Work")
            .WithName("ReviseAnnotation")
            .WithSummary("Change an answer within a few minutes of submitting it (Work:UndoMinutes): a new annotation supersedes it; "
                + "history is kept, and labels, quality and exports count only the newest.")
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

    private static async Task<Ok<DraftView>> SaveDraftAsync(
        Guid id, Submission draft, ClaimsPrincipal user, DraftService drafts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await drafts.SaveAsync(id, user.UserId(), draft, cancellationToken));

    private static async Task<Results<Ok<DraftView>, NoContent>> DraftAsync(
        Guid id, ClaimsPrincipal user, DraftService drafts, CancellationToken cancellationToken) =>
        await drafts.FindAsync(id, user.UserId(), cancellationToken) is { } draft ? TypedResults.Ok(draft) : TypedResults.NoContent();

    private static async Task<Ok<SkipResult>> SkipAsync(
        Guid id, SkipRequest request, ClaimsPrincipal user, SkipService skips, CancellationToken cancellationToken) =>
        TypedResults.Ok(await skips.SkipAsync(id, user.UserId(), request, cancellationToken));

    private static async Task<Ok<SubmissionResult>> ReviseAsync(
        Guid id, Submission submission, ClaimsPrincipal user, SubmissionService submissions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await submissions.ReviseAsync(id, user.UserId(), submission, cancellationToken));

    private static async Task<Ok<SubmissionResult>> SubmitAsync(
        Guid id, Submission submission, ClaimsPrincipal user, SubmissionService submissions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await submissions.SubmitAsync(id, user.UserId(), submission, measuredActiveSeconds: null, cancellationToken));
}
