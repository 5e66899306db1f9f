using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core.Items;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Review.Pages;

/// <summary>
/// One annotation as a reviewer reads it: the item, the answer in its kind's shape, flags, rationale, why it is
/// queued, and the annotator's pseudonym only when the project allows it.
/// </summary>
public sealed record ReviewRow(
    string ExternalId,
    string Prompt,
    IReadOnlyList<Response> Responses,
    string AnswerJson,
    IReadOnlyList<FlagInput> Flags,
    string? Rationale,
    int GuidelineVersion,
    DateTime CreatedAt,
    IReadOnlyList<string> Reasons,
    string? Annotator);

/// <summary>
/// A project's review queue, for reviewers and the owner. Annotators stay anonymous unless the project says
/// otherwise: a reviewer judges the work, not the person.
/// </summary>
[Authorize(Policy = Policies.ReviewProject)]
public sealed class IndexModel(ReviewService reviews) : PageModel
{
    private const int Shown = 100;

    public Project Project { get; private set; } = null!;
    public IReadOnlyList<ReviewRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();

        Rows = (await reviews.QueuedAsync(Project, Shown, cancellationToken)).Select(q => new ReviewRow(
            q.Item.ExternalId,
            q.Item.Prompt,
            JsonSerializer.Deserialize<List<Response>>(q.Item.ResponsesJson, Json.Options)!,
            q.Annotation.AnswerJson,
            JsonSerializer.Deserialize<List<FlagInput>>(q.Annotation.FlagsJson, Json.Options)!,
            q.Annotation.Rationale,
            q.Annotation.GuidelineVersion,
            q.Annotation.CreatedAt,
            q.Reasons,
            q.Annotator)).ToList();
    }

    public static T Answer<T>(ReviewRow row) => JsonSerializer.Deserialize<T>(row.AnswerJson, Json.Options)!;
}
