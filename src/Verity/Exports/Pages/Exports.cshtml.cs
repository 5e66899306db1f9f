using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core.Projects;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Exports.Pages;

/// <summary>
/// The owner's downloads: each of the kind's formats with how many records it holds now and, per reason, how many
/// items or answers it leaves out and why, so a short export is never a mystery.
/// </summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class ExportsModel(ExportService exports) : PageModel
{
    public Project Project { get; private set; } = null!;

    public IReadOnlyList<ExportSummary> Summaries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        var summaries = new List<ExportSummary>();
        // Counted by writing each export to nowhere: the same code as the download, so the numbers match it.
        foreach (var format in TaskKind.Named(Project.Kind).ExportFormats)
            summaries.Add(await exports.WriteAsync(Project, format, Stream.Null, cancellationToken: cancellationToken));
        Summaries = summaries;
    }
}
