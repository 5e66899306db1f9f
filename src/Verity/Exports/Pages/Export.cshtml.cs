using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;

namespace Verity.Exports.Pages;

/// <summary>The API's export, as a download for a signed-in owner.</summary>
[Authorize(Roles = Roles.Requester + "," + Roles.Admin)]
public sealed class ExportModel(ProjectService projects, ExportService exports) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, string format, CancellationToken cancellationToken)
    {
        var project = await projects.GetOwnedAsync(id, User.UserId(), User.Role(), cancellationToken);
        var (file, summary) = await ExportsApi.ExportToTempFileAsync(exports, project, format, "all", cancellationToken);
        Response.Headers["X-Verity-Skipped"] = summary.SkippedText;
        return File(file, "application/jsonl", $"{summary.Format}.jsonl");
    }
}
