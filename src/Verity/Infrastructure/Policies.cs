using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Data;
using Verity.Workforce;

namespace Verity.Infrastructure;

/// <summary>
/// Who may do what, named once: every endpoint group and page declares one of these (a test checks it). A policy
/// that names a project reads it from the route (<c>id</c> in the API, <c>projectId</c> on pages) and confines
/// requesters to their own projects; another requester's project answers 404, so project ids do not leak.
/// </summary>
internal static class Policies
{
    /// <summary>Any signed-in user.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>Annotators, doing the work they are served.</summary>
    public const string Annotate = "annotate";

    /// <summary>Requesters and admins: create projects and list their own.</summary>
    public const string ManageProjects = "manage-projects";

    /// <summary>The project's owner, or an admin.</summary>
    public const string OwnProject = "own-project";

    /// <summary>Reviewers, requesters and admins, before the annotation's project is known.</summary>
    public const string Review = "review";

    /// <summary>Reviewers assigned to the project, its owner, or an admin.</summary>
    public const string ReviewProject = "review-project";

    /// <summary>Every role reads a project's guidelines; requesters only their own project's, reviewers only their assigned projects'.</summary>
    public const string ReadProject = "read-project";

    /// <summary>An annotator takes the next task as served; only the owner or an admin chooses the item (<c>externalId</c>).</summary>
    public const string NextTask = "next-task";

    /// <summary>The project's owner, or an admin, downloading its data (a token needs the export scope).</summary>
    public const string ExportProject = "export-project";

    /// <summary>Admins only.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [SignedIn, Annotate, ManageProjects, OwnProject, ExportProject, Review, ReviewProject, ReadProject, NextTask, Admin];

    public static IServiceCollection AddVerityPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(SignedIn, p => p.RequireAuthenticatedUser())
            .AddPolicy(Annotate, p => p.RequireRole(Roles.Annotator).RequireClaim(Scopes.Claim, Scopes.Annotate))
            .AddPolicy(ManageProjects, p => p.RequireRole(Roles.Requester, Roles.Admin).RequireClaim(Scopes.Claim, Scopes.Projects))
            .AddPolicy(OwnProject, p => p.RequireRole(Roles.Requester, Roles.Admin).RequireClaim(Scopes.Claim, Scopes.Projects).AddRequirements(new ProjectScopeRequirement()))
            .AddPolicy(ExportProject, p => p.RequireRole(Roles.Requester, Roles.Admin).RequireClaim(Scopes.Claim, Scopes.Export).AddRequirements(new ProjectScopeRequirement()))
            .AddPolicy(Review, p => p.RequireRole(Roles.Reviewer, Roles.Requester, Roles.Admin).RequireClaim(Scopes.Claim, Scopes.Review))
            .AddPolicy(ReviewProject, p => p.RequireRole(Roles.Reviewer, Roles.Requester, Roles.Admin).RequireClaim(Scopes.Claim, Scopes.Review).AddRequirements(new ProjectScopeRequirement()))
            .AddPolicy(ReadProject, p => p.RequireRole(Roles.All).AddRequirements(new ProjectScopeRequirement()))
            .AddPolicy(NextTask, p => p.RequireClaim(Scopes.Claim, Scopes.Annotate, Scopes.Projects).AddRequirements(new ItemChoiceRequirement(), new ProjectScopeRequirement()))
            .AddPolicy(Admin, p => p.RequireRole(Roles.Admin).RequireClaim(Scopes.Claim, Scopes.Admin));
        services.AddScoped<IAuthorizationHandler, ProjectScopeHandler>();
        services.AddSingleton<IAuthorizationHandler, ItemChoiceHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProjectAwareResultHandler>();
        return services;
    }

    /// <summary>The project a project policy authorized for this request, read once by the policy.</summary>
    public static Project AuthorizedProject(this HttpContext context) =>
        context.Items[typeof(Project)] as Project
            ?? throw new InvalidOperationException("The endpoint must require a policy that names a project.");

    /// <summary>Resource-based check for a project found from something else (an annotation): not found unless allowed.</summary>
    public static async Task RequireAsync(this IAuthorizationService authorization, System.Security.Claims.ClaimsPrincipal user, Project project, string policy, string notFound)
    {
        if (!(await authorization.AuthorizeAsync(user, project, policy)).Succeeded)
            throw new NotFoundException(notFound);
    }
}

/// <summary>
/// The project exists, a requester owns it, and a reviewer is assigned to it (other roles are limited by the policy's roles).
/// </summary>
internal sealed class ProjectScopeRequirement : IAuthorizationRequirement;

/// <summary>Without <c>externalId</c> the caller must be an annotator; with it, a requester (the owner, by scope) or an admin.</summary>
internal sealed class ItemChoiceRequirement : IAuthorizationRequirement
{
    public const string Refusal = "Choosing an item (externalId) is for the project's owner or an admin, so that calibration, "
        + "gold and repeats cannot be skipped; ask for the next task without it.";
}

internal sealed class ProjectScopeHandler(VerityDbContext db) : AuthorizationHandler<ProjectScopeRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ProjectScopeRequirement requirement)
    {
        var project = context.Resource switch
        {
            Project given => given,
            HttpContext http => await FromRouteAsync(http),
            _ => null,
        };
        if (project is null)
            return;
        var user = context.User;
        if (user.IsInRole(Roles.Requester) ? project.OwnerId == user.UserId()
            : !user.IsInRole(Roles.Reviewer) || await db.ProjectReviewers.AnyAsync(r => r.ProjectId == project.Id && r.ReviewerId == user.UserId()))
            context.Succeed(requirement);
    }

    private async Task<Project?> FromRouteAsync(HttpContext http)
    {
        var value = http.GetRouteValue("projectId") ?? http.GetRouteValue("id");
        if (!Guid.TryParse(value?.ToString(), out var id))
            return null;
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, http.RequestAborted);
        http.Items[typeof(Project)] = project;
        return project;
    }
}

internal sealed class ItemChoiceHandler : AuthorizationHandler<ItemChoiceRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ItemChoiceRequirement requirement)
    {
        var choosing = context.Resource is HttpContext http && http.Request.Query.ContainsKey("externalId");
        var user = context.User;
        if (choosing ? user.IsInRole(Roles.Requester) || user.IsInRole(Roles.Admin) : user.IsInRole(Roles.Annotator))
            context.Succeed(requirement);
        else if (choosing && user.IsInRole(Roles.Annotator))
            context.Fail(new AuthorizationFailureReason(this, ItemChoiceRequirement.Refusal));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Turns a project policy's refusal into the domain errors the one problem-details handler maps: a project that is
/// missing or not the caller's is not found; a refusal with a reason is forbidden with that reason. Any other refusal
/// (a role) keeps the default: 403 on the API, the denied page in the browser.
/// </summary>
internal sealed class ProjectAwareResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult is { Forbidden: true, AuthorizationFailure: { } failure })
        {
            if (failure.FailureReasons.FirstOrDefault() is { } reason)
                throw new ForbiddenException(reason.Message);
            if (failure.FailedRequirements.All(r => r is ProjectScopeRequirement))
            {
                var id = context.GetRouteValue("projectId") ?? context.GetRouteValue("id");
                throw new NotFoundException($"Project {id} does not exist or is not yours.");
            }
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
