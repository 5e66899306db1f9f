using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Workforce;
using Verity.Infrastructure;

namespace Verity.Projects;

/// <summary>
/// The body of POST /api/v1/projects. Omitted fields take the defaults shown. The rubric is documented in the
/// README: dimensions (name, label, min, max, anchors, allowNa), labels, multiLabel, allowOther, allowTies,
/// minChars, and flags (name, label, escalate). <c>servingPolicy</c> is import-order, random (the default) or
/// uncertainty-first. <c>"purpose":"assessment"</c> with <c>track</c>, <c>passScore</c> and <c>timeLimitMinutes</c> makes
/// an assessment (docs/workforce.md); a work project takes <c>access</c> (tracks and minTier).
/// </summary>
public sealed record CreateProjectRequest(
    string Name,
    string Kind = TaskKind.Pairwise,
    int Overlap = 3,
    string? Guidelines = null,
    RationaleView? Rationale = null,
    Rubric? Rubric = null,
    GoldSettings? Gold = null,
    RepeatSettings? Repeats = null,
    DynamicOverlapSettings? DynamicOverlap = null,
    string? Aggregation = null,
    IReadOnlyList<QualityRule>? Rules = null,
    ReviewSettings? Review = null,
    DefenceSettings? Defences = null,
    string? ServingPolicy = null,
    string? Purpose = null,
    string? Track = null,
    double? PassScore = null,
    int? TimeLimitMinutes = null,
    AccessSettings? Access = null,
    PaySettings? Pay = null)
{
    /// <summary>The settings to create, with the API's defaults; the console's form makes one of these too, so both are validated alike.</summary>
    public ProjectSettings ToSettings()
    {
        var rationale = Rationale ?? new RationaleView(Required: true, MinChars: 20);
        return new ProjectSettings(Name ?? "", Kind, Overlap, Guidelines ?? "", rationale.Required, rationale.MinChars, Rubric?.ToJson(), Gold, Repeats, DynamicOverlap, Aggregation, Rules, Review, Defences,
            ServingPolicy, Purpose, Track, PassScore, TimeLimitMinutes, Access, Pay);
    }
}

internal static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects");
        group.MapPost("/", CreateAsync)
            .WithName("CreateProject")
            .WithSummary("Create a project (requester).")
            .RequireAuthorization(Policies.ManageProjects);
        group.MapGet("/", ListAsync)
            .WithName("ListProjects")
            .WithSummary("List the projects the caller may see, with counts.")
            .RequireAuthorization(Policies.SignedIn);
        var owned = group.MapGroup("/{id:guid}").RequireAuthorization(Policies.OwnProject);
        owned.MapGet("/labels", LabelsAsync)
            .WithName("ProjectLabels")
            .WithSummary("Every item's label under the project's aggregation method, with its confidence and annotator count (owner).");
        owned.MapGet("", GetAsync)
            .WithName("GetProject")
            .WithSummary("One project with counts (owner).");
        owned.MapPatch("", ChangeAsync)
            .WithName("ChangeProject")
            .WithSummary("Change the settings a running project may change: serving policy, access, pay, gold, repeats, dynamic overlap, review sampling; each change is audited (owner).");
        return group;
    }

    private static async Task<Created<ProjectView>> CreateAsync(
        CreateProjectRequest request, ClaimsPrincipal user, ProjectService projects, Security.AuditLog audit, CancellationToken cancellationToken)
    {
        var project = await projects.CreateAsync(user.UserId(), request.ToSettings(), cancellationToken);
        await audit.RecordAsync(Security.AuditKinds.ProjectCreated, project.Id, project.Name, cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{project.Id}", await projects.ViewAsync(project.Id, cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<ProjectView>>> ListAsync(
        ClaimsPrincipal user, ProjectService projects, CancellationToken cancellationToken) =>
        TypedResults.Ok(await projects.ListAsync(user.UserId(), user.Role(), cancellationToken));

    private static async Task<Ok<IReadOnlyList<ItemLabel>>> LabelsAsync(
        HttpContext context, ProjectService projects, CancellationToken cancellationToken) =>
        TypedResults.Ok(await projects.LabelsAsync(context.AuthorizedProject(), cancellationToken));

    private static async Task<Ok<ProjectView>> ChangeAsync(Guid id, ProjectChanges changes, ProjectService projects, Security.AuditLog audit, CancellationToken cancellationToken)
    {
        await audit.RecordChangesAsync(id, await projects.ChangeAsync(id, changes, cancellationToken), cancellationToken);
        return TypedResults.Ok(await projects.ViewAsync(id, cancellationToken));
    }

    private static async Task<Ok<ProjectView>> GetAsync(Guid id, ProjectService projects, CancellationToken cancellationToken) =>
        TypedResults.Ok(await projects.ViewAsync(id, cancellationToken));
}
