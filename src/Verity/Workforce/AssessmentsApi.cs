using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;

namespace Verity.Workforce;

/// <summary>Taking assessments (annotators), scoring their free-text answers (reviewers), and the caller's standing.</summary>
internal static class AssessmentsApi
{
    public static RouteGroupBuilder MapAssessmentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/assessments").WithTags("Workforce");
        group.MapGet("/", ListAsync)
            .WithName("ListAssessments")
            .WithSummary("The assessments the caller may take, and those they took with their result (annotator).")
            .RequireAuthorization(Policies.Annotate);
        group.MapPost("/{projectId:guid}/start", StartAsync)
            .WithName("StartAssessment")
            .WithSummary("Start the caller's one attempt; the time limit runs from now. A second start is 409, whatever the browser or token (annotator).")
            .RequireAuthorization(Policies.Annotate);
        group.MapGet("/{projectId:guid}/attempt", AttemptAsync)
            .WithName("AssessmentAttempt")
            .WithSummary("The caller's attempt: progress, and the score once every part is scored; never which answers were right (annotator).")
            .RequireAuthorization(Policies.Annotate);
        group.MapGet("/answers", ToScoreAsync)
            .WithName("AssessmentAnswersToScore")
            .WithSummary("Free-text assessment answers waiting for a score, with the question's rubric, without who wrote them (reviewer).")
            .RequireAuthorization(Policies.Review);
        group.MapPost("/answers/{annotationId:guid}/score", ScoreAsync)
            .WithName("ScoreAssessmentAnswer")
            .WithSummary("Score a free-text answer from 0 to 1 against its rubric; the attempt is decided when nothing is left to score (reviewer).")
            .RequireAuthorization(Policies.Review);

        api.MapGet("/me", MeAsync)
            .WithTags("Workforce")
            .WithName("Me")
            .WithSummary("The caller's standing: tracks, tiers, rates (track rate times the tier's multiplier) and the history of tier changes with reasons.")
            .RequireAuthorization(Policies.SignedIn);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AssessmentListing>>> ListAsync(ClaimsPrincipal user, AssessmentService assessments, CancellationToken cancellationToken) =>
        TypedResults.Ok(await assessments.ListForAsync(user.UserId(), cancellationToken));

    private static async Task<Created<AttemptView>> StartAsync(Guid projectId, ClaimsPrincipal user, AssessmentService assessments, CancellationToken cancellationToken) =>
        TypedResults.Created($"/api/v1/assessments/{projectId}/attempt", await assessments.StartAsync(projectId, user.UserId(), cancellationToken));

    private static async Task<Results<Ok<AttemptView>, NotFound>> AttemptAsync(Guid projectId, ClaimsPrincipal user, AssessmentService assessments, CancellationToken cancellationToken) =>
        await assessments.AttemptAsync(projectId, user.UserId(), cancellationToken) is { } attempt ? TypedResults.Ok(attempt) : TypedResults.NotFound();

    private static async Task<Ok<IReadOnlyList<AnswerToScore>>> ToScoreAsync(ClaimsPrincipal user, AssessmentService assessments, CancellationToken cancellationToken) =>
        TypedResults.Ok(await assessments.ToScoreAsync([.. await assessments.ScorableProjectsAsync(user.UserId(), user.Role(), cancellationToken)], cancellationToken));

    private static async Task<NoContent> ScoreAsync(Guid annotationId, ScoreRequest request, ClaimsPrincipal user, AssessmentService assessments, CancellationToken cancellationToken)
    {
        await assessments.ScoreAsync(annotationId, user.UserId(), user.Role(), request, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MeView>> MeAsync(ClaimsPrincipal user, MeService me, CancellationToken cancellationToken) =>
        TypedResults.Ok(await me.ForAsync(user.UserId(), cancellationToken));
}
