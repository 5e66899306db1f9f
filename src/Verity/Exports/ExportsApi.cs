using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Infrastructure;
using Verity.Security;

namespace Verity.Exports;

internal static class ExportsApi
{
    public static RouteGroupBuilder MapExportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/projects/{id:guid}/export", ExportAsync)
            .WithTags("Exports")
            .WithName("ExportProject")
            .WithSummary("Export as JSON Lines (owner): format=preference|preference-chat (pairwise, ranking; pairs=all|best-worst), "
                + "sft (demonstration, rewrite), ratings, classification, or annotations (every label with provenance). "
                + "Headers X-Verity-Records and X-Verity-Skipped say how many records were written and why items were left out.")
            .Produces(StatusCodes.Status200OK, contentType: "application/jsonl")
            .RequireAuthorization(Policies.ExportProject);
        return api;
    }

    private static async Task<FileStreamHttpResult> ExportAsync(
        string? format, string? pairs, HttpContext context, ExportService exports, AuditLog audit, CancellationToken cancellationToken)
    {
        var project = context.AuthorizedProject();
        var (file, summary) = await ExportToTempFileAsync(exports, project, format ?? "preference", pairs ?? "all", cancellationToken);
        await audit.RecordAsync(AuditKinds.Exported, project.Id, summary.Format, $"{summary.Records} records", cancellationToken);
        context.Response.Headers["X-Verity-Records"] = summary.Records.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["X-Verity-Skipped"] = summary.SkippedText;
        return TypedResults.Stream(file, "application/jsonl", $"{Slug(project.Name)}-{summary.Format}.jsonl");
    }

    /// <summary>
    /// The summary must go in the headers, which leave before the body; so the export is written to a temporary file
    /// (deleted when the response ends) and then streamed.
    /// </summary>
    internal static async Task<(FileStream File, ExportSummary Summary)> ExportToTempFileAsync(
        ExportService exports, Data.Project project, string format, string pairs, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var summary = await exports.WriteAsync(project, format, file, pairs, cancellationToken: cancellationToken);
            file.Position = 0;
            return (file, summary);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static string Slug(string name)
    {
        var slug = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return slug.Length == 0 ? "project" : slug[..Math.Min(slug.Length, 60)];
    }
}
