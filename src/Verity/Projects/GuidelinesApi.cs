using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Work;

namespace Verity.Projects;

public sealed record ReviseGuidelinesRequest(string Markdown);

public sealed record AcknowledgeGuidelinesRequest(int Version);

public sealed record GuidelineVersionResult(int Version);

internal static class GuidelinesApi
{
    public static RouteGroupBuilder MapGuidelinesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects/{id:guid}").WithTags("Guidelines");
        group.MapGet("/guidelines", GetAsync)
            .WithName("GetGuidelines")
            .WithSummary("The current guideline version, with the lines changed since the previous version.")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Annotator, Roles.Reviewer, Roles.Requester, Roles.Admin));
        group.MapPut("/guidelines", ReviseAsync)
            .WithName("ReviseGuidelines")
            .WithSummary("Publish a new guideline version (owner). Annotators who worked under an older version must open it before their next task.")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Requester, Roles.Admin));
        group.MapPost("/guidelines/ack", AcknowledgeAsync)
            .WithName("AcknowledgeGuidelines")
            .WithSummary("Record that the caller has opened the current guideline version (annotator).")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Annotator));
        group.MapGet("/escalations", EscalationsAsync)
            .WithName("ListEscalations")
            .WithSummary("Annotations whose flags escalated their item to the owner (owner).")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Requester, Roles.Admin));
        return api;
    }

    private static async Task<Ok<GuidelinesView>> GetAsync(Guid id, ClaimsPrincipal user, ProjectService projects, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Requester))
            await projects.GetOwnedAsync(id, user.UserId(), user.Role(), cancellationToken);
        return TypedResults.Ok(await projects.GuidelinesAsync(id, cancellationToken));
    }

    private static async Task<Ok<GuidelineVersionResult>> ReviseAsync(
        Guid id, ReviseGuidelinesRequest request, ClaimsPrincipal user, ProjectService projects, CancellationToken cancellationToken)
    {
        await projects.GetOwnedAsync(id, user.UserId(), user.Role(), cancellationToken);
        return TypedResults.Ok(new GuidelineVersionResult(await projects.ReviseGuidelinesAsync(id, request.Markdown ?? "", cancellationToken)));
    }

    private static async Task<NoContent> AcknowledgeAsync(
        Guid id, AcknowledgeGuidelinesRequest request, ClaimsPrincipal user, WorkService work, CancellationToken cancellationToken)
    {
        await work.AcknowledgeGuidelinesAsync(id, user.UserId(), request.Version, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<EscalationView>>> EscalationsAsync(
        Guid id, ClaimsPrincipal user, ProjectService projects, CancellationToken cancellationToken)
    {
        await projects.GetOwnedAsync(id, user.UserId(), user.Role(), cancellationToken);
        return TypedResults.Ok(await projects.EscalationsAsync(id, cancellationToken));
    }
}
