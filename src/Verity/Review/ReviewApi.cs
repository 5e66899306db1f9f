using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;

namespace Verity.Review;

internal static class ReviewApi
{
    public static RouteGroupBuilder MapReviewApi(this RouteGroupBuilder api)
    {
        api.MapGet("/projects/{id:guid}/review-queue", QueueAsync)
            .WithTags("Review")
            .WithName("ReviewQueue")
            .WithSummary("Unreviewed annotations that are escalated, flagged, on a low-confidence item or sampled, each with its reasons; "
                + "the annotator's pseudonym only when the project shows it (reviewer, owner).")
            .RequireAuthorization(Policies.ReviewProject);
        api.MapPost("/annotations/{id:guid}/review", DecideAsync)
            .WithTags("Review")
            .WithName("ReviewAnnotation")
            .WithSummary("Accept, reject with feedback (the item returns to the pool; the annotation stops counting), or correct "
                + "(the reviewer's answer is stored as a new annotation) (reviewer, owner).")
            .RequireAuthorization(Policies.Review);
        api.MapGet("/me/reviews", FeedbackAsync)
            .WithTags("Review")
            .WithName("MyReviews")
            .WithSummary("The reviews of the caller's own annotations, with the reviewers' feedback (annotator).")
            .RequireAuthorization(Policies.Annotate);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<QueueEntry>>> QueueAsync(
        int? limit, HttpContext context, ReviewService reviews, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reviews.QueueAsync(context.AuthorizedProject(), limit ?? 50, cancellationToken));

    private static async Task<Ok<ReviewResult>> DecideAsync(
        Guid id, ReviewRequest request, ClaimsPrincipal user, ReviewService reviews, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reviews.DecideAsync(id, user, request, cancellationToken));

    private static async Task<Ok<IReadOnlyList<FeedbackEntry>>> FeedbackAsync(
        ClaimsPrincipal user, ReviewService reviews, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reviews.FeedbackAsync(user.UserId(), cancellationToken));
}
