using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Items;
using Verity.Quality;

namespace Verity.Projects.Pages;

/// <summary>The owner uploads items as JSONL or CSV; every line is stored or none, and each bad line is listed.</summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class ItemsModel(ItemImporter importer, Security.AuditLog audit) : PageModel
{
    [FromRoute]
    public Guid ProjectId { get; set; }

    public Project Project { get; private set; } = null!;

    public ImportResult? Result { get; private set; }

    /// <summary>Where (a line, or the file) and what is wrong, in the order the import found them.</summary>
    public IReadOnlyList<(string Where, string Problem)> Problems { get; private set; } = [];

    public void OnGet() => Project = HttpContext.AuthorizedProject();

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        IReadOnlyList<int>? csvLines = null;
        try
        {
            if (file is null || file.Length == 0)
                throw ValidationException.For("file", "choose a JSONL or CSV file with at least one item.");
            await using var upload = file.OpenReadStream();
            Stream jsonl = upload;
            if (file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                jsonl = CsvItems.ToJsonl(await CsvItems.ReadTextAsync(upload, cancellationToken), out csvLines);
            Result = await importer.ImportAsync(Project, jsonl, cancellationToken: cancellationToken);
            await audit.RecordAsync(Security.AuditKinds.Imported, Project.Id, detail: $"{Result.Imported} items, {Result.Gold} gold", cancellationToken: cancellationToken);
        }
        catch (ValidationException e)
        {
            var errors = csvLines is null ? e : CsvItems.OnCsvLines(e, csvLines);
            Problems = [.. errors.Errors.SelectMany(x => x.Value.Select(m => (x.Key, m)))];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        catch (InputException e)
        {
            Problems = [("file", e.Message)];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
