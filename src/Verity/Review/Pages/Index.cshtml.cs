using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Items;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Review.Pages;

/// <summary>One annotation as a reviewer reads it: the item, the answer in its kind's shape, flags and rationale.</summary>
public sealed record ReviewRow(
    string ExternalId, string Prompt, IReadOnlyList<Response> Responses, string AnswerJson, IReadOnlyList<FlagInput> Flags, string? Rationale, int GuidelineVersion, DateTime CreatedAt);

/// <summary>
/// Recent annotations of a project, escalated ones first, for reviewers and the owner. Annotators stay anonymous
/// here: a reviewer judges the work, not the person.
/// </summary>
[Authorize(Roles = Roles.Reviewer + "," + Roles.Requester + "," + Roles.Admin)]
public sealed class IndexModel(VerityDbContext db) : PageModel
{
    private const int Shown = 100;

    public Project Project { get; private set; } = null!;
    public IReadOnlyList<ReviewRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(Guid projectId, CancellationToken cancellationToken)
    {
        Project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken) is { } project
            && (!User.IsInRole(Roles.Requester) || project.OwnerId == User.UserId())
            ? project
            : throw new NotFoundException($"Project {projectId} does not exist or is not yours.");

        var rows = await db.Annotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId)
            .OrderByDescending(a => a.Escalated).ThenByDescending(a => a.Id)
            .Take(Shown)
            .Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => new { Annotation = a, Item = i })
            .ToListAsync(cancellationToken);
        Rows = rows.Select(r => new ReviewRow(
            r.Item.ExternalId,
            r.Item.Prompt,
            JsonSerializer.Deserialize<List<Response>>(r.Item.ResponsesJson, Json.Options)!,
            r.Annotation.AnswerJson,
            JsonSerializer.Deserialize<List<FlagInput>>(r.Annotation.FlagsJson, Json.Options)!,
            r.Annotation.Rationale,
            r.Annotation.GuidelineVersion,
            r.Annotation.CreatedAt)).ToList();
    }

    public static T Answer<T>(ReviewRow row) => JsonSerializer.Deserialize<T>(row.AnswerJson, Json.Options)!;
}
