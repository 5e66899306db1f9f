using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;

namespace Verity.Quality.Pages;

/// <summary>
/// A project's quality at a glance for its owner: agreement over time, the annotators, item confidence, the
/// confusion against gold and the escalation queue. Another requester gets 404, so project ids do not leak.
/// </summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class ProjectModel(ProjectService projects, QualityRefresh quality, QualityDashboard dashboard, QualityCache cache, Security.Pseudonyms pseudonyms) : PageModel
{
    public Project Project { get; private set; } = null!;
    public QualitySummary Summary { get; private set; } = null!;
    public IReadOnlyList<AnnotatorReport> Annotators { get; private set; } = [];
    public IReadOnlyList<EscalationView> Escalations { get; private set; } = [];
    public DateTime? ComputedAt { get; private set; }

    /// <summary>
    /// Shows what the background pass last computed, so the page stays fast however many annotations there are; only
    /// the first opening of a project computes while the owner waits. Escalations are read live.
    /// </summary>
    public async Task OnGetAsync(Guid projectId, CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        ComputedAt = await quality.ComputedAtAsync(projectId, cancellationToken);
        if (ComputedAt is null)
        {
            await quality.RefreshIfStaleAsync(Project, cancellationToken);
            ComputedAt = await quality.ComputedAtAsync(projectId, cancellationToken);
        }

        var stamp = await quality.StoredStampAsync(projectId, cancellationToken);
        if (!cache.Summaries.TryGetValue(projectId, out var cached) || cached.Stamp != stamp)
            cache.Summaries[projectId] = cached = (stamp ?? "", await dashboard.ForProjectAsync(Project, cancellationToken));
        Summary = cached.Summary;
        Annotators = await quality.ReportsAsync(projectId, cancellationToken);
        Escalations = await projects.EscalationsAsync(projectId, pseudonyms, cancellationToken);
    }

    /// <summary>A share as people read it in a table; a dash when it is not known yet.</summary>
    public static string Share(double? value) =>
        value is { } v ? v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "–";
}
