using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Quality.Pages;

/// <summary>A suspect annotator: their measures and flags with evidence, and the exported records their answers decided.</summary>
public sealed record Suspect(AnnotatorReport Report, Influence Influence);

/// <summary>
/// The owner's view of whom to distrust: annotators who are flagged (anything but too-fast, which scripted and
/// practised hands both trip) or not active, with the evidence and the records they decided, and the annotators whose
/// removal would change the export most. Quarantine and restore are buttons here.
/// </summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class SuspectsModel(QualityRefresh quality, Provenance provenance, Standings standings) : PageModel
{
    /// <summary>Decided records shown per format; the API lists them all.</summary>
    public const int RecordsShown = 50;

    /// <summary>Rows of the leave-one-out audit shown.</summary>
    public const int AuditShown = 10;

    [BindProperty(SupportsGet = true)]
    public Guid ProjectId { get; set; }

    public Project Project { get; private set; } = null!;
    public IReadOnlyList<Suspect> Suspects { get; private set; } = [];
    public ExportAudit Audit { get; private set; } = null!;
    public string? Error { get; private set; }

    public static bool IsSuspect(AnnotatorReport report) =>
        report.Status != Core.Quality.QualityRules.Active || report.Flags.Any(f => f.Name != "too-fast");

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        await quality.RefreshIfStaleAsync(Project, cancellationToken);
        var suspects = new List<Suspect>();
        foreach (var report in (await quality.ReportsAsync(ProjectId, cancellationToken)).Where(IsSuspect))
            suspects.Add(new Suspect(report, await provenance.InfluenceAsync(Project, report.Annotator, cancellationToken)));
        Suspects = suspects;
        Audit = await provenance.AuditAsync(Project, format: null, cancellationToken);
    }

    public async Task<IActionResult> OnPostQuarantineAsync(string pseudonym, string? reason, CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        try
        {
            await provenance.QuarantineAsync(Project, pseudonym, reason, User.UserId(), cancellationToken);
        }
        catch (ValidationException e)
        {
            Error = $"{pseudonym} was not quarantined: {string.Join(" ", e.Errors.SelectMany(x => x.Value.Select(m => $"{x.Key} {m}")))}";
            await OnGetAsync(cancellationToken);
            return Page();
        }

        return Redirect($"/projects/{ProjectId}/suspects");
    }

    public async Task<IActionResult> OnPostRestoreAsync(string pseudonym, CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        await standings.RestoreAsync(ProjectId, pseudonym, User.UserId(), cancellationToken);
        await quality.RefreshIfStaleAsync(Project, cancellationToken);
        return Redirect($"/projects/{ProjectId}/suspects");
    }
}
