using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Infrastructure;

namespace Verity.Exports.Pages;

/// <summary>The API's export, as a download for a signed-in owner; recorded in the project's history as the API's is.</summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class ExportModel(ExportService exports, Security.AuditLog audit) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string format, CancellationToken cancellationToken)
    {
        var project = HttpContext.AuthorizedProject();
        var (file, summary) = await ExportsApi.ExportToTempFileAsync(exports, project, format, "all", cancellationToken);
        await audit.RecordAsync(Security.AuditKinds.Exported, project.Id, summary.Format, $"{summary.Records} records", cancellationToken);
        Response.Headers["X-Verity-Skipped"] = summary.SkippedText;
        return File(file, "application/jsonl", $"{summary.Format}.jsonl");
    }
}
