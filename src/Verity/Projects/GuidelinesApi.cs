using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;

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
            .RequireAuthorization(Policies.ReadProject);
        group.MapPut("/guidelines", ReviseAsync)
            .WithName("ReviseGuidelines")
            .WithSummary("Publish a new guideline version (owner). Annotators who worked under an older version must open it before their next task.")
            .RequireAuthorization(Policies.OwnProject);
        group.MapPost("/guidelines/ack", AcknowledgeAsync)
            .WithName("AcknowledgeGuidelines")
            .WithSummary("Record that the caller has opened the current guideline version (annotator).")
            .RequireAuthorization(Policies.Annotate);
        group.MapGet("/escalations", EscalationsAsync)
            .WithName("ListEscalations")
            .WithSummary("Annotations whose flags escalated their item to the owner (owner).")
            .RequireAuthorization(Policies.OwnProject);
        return api;
    }

    private static async Task<Ok<GuidelinesView>> GetAsync(Guid id, GuidelineService guidelines, CancellationToken cancellationToken) =>
        TypedResults.Ok(await guidelines.CurrentAsync(id, cancellationToken));

    private static async Task<Ok<GuidelineVersionResult>> ReviseAsync(
        Guid id, ReviseGuidelinesRequest request, GuidelineService guidelines, Security.AuditLog audit, CancellationToken cancellationToken)
    {
        var version = await guidelines.ReviseAsync(id, request.Markdown ?? "", cancellationToken);
        await audit.RecordAsync(Security.AuditKinds.GuidelinesRevised, id, $"version {version}", cancellationToken: cancellationToken);
        return TypedResults.Ok(new GuidelineVersionResult(version));
    }

    private static async Task<NoContent> AcknowledgeAsync(
        Guid id, AcknowledgeGuidelinesRequest request, ClaimsPrincipal user, GuidelineService guidelines, CancellationToken cancellationToken)
    {
        await guidelines.AcknowledgeAsync(id, user.UserId(), request.Version, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<EscalationView>>> EscalationsAsync(
        Guid id, ProjectService projects, Security.Pseudonyms pseudonyms, CancellationToken cancellationToken) =>
        TypedResults.Ok(await projects.EscalationsAsync(id, pseudonyms, cancellationToken));
}
