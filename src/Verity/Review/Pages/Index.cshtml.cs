using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Core.Items;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Review.Pages;

/// <summary>
/// One annotation as a reviewer reads it: the item with its responses, the answer in its kind's shape, flags,
/// rationale, why it is queued, and the annotator's pseudonym only when the project allows it. <paramref name="Correction"/>
/// is the answer in the submission shape, where a correction starts.
/// </summary>
public sealed record ReviewRow(
    Guid AnnotationId,
    string ExternalId,
    string Prompt,
    IReadOnlyList<Response> Responses,
    object Answer,
    IReadOnlyList<FlagInput> Flags,
    string? Rationale,
    int GuidelineVersion,
    DateTime CreatedAt,
    IReadOnlyList<string> Reasons,
    string? Annotator,
    string Correction);

/// <summary>
/// A project's review queue, for reviewers and the owner: accept, reject with feedback, or correct each annotation
/// (<see cref="ReviewService.DecideAsync"/>, as the API does). Annotators stay anonymous unless the project says
/// otherwise: a reviewer judges the work, not the person.
/// </summary>
[Authorize(Policy = Policies.ReviewProject)]
public sealed class IndexModel(ReviewService reviews) : PageModel
{
    private const int Shown = 100;

    private static readonly JsonSerializerOptions Indented = new(Json.Options) { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public Project Project { get; private set; } = null!;
    public IReadOnlyList<ReviewRow> Rows { get; private set; } = [];

    public string? Notice { get; private set; }

    /// <summary>The annotation a refused decision was about, and the API's messages by field (<c>feedback</c>, <c>correction.choice</c>).</summary>
    public Guid? Refused { get; private set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    /// <summary>What was typed into the refused form, shown again.</summary>
    public string? Feedback { get; private set; }
    public string? Correction { get; private set; }

    public IReadOnlyList<string> ErrorsFor(Guid annotationId, string field) =>
        Refused == annotationId
            ? [.. Errors.Where(e => e.Key == field || e.Key.StartsWith(field + ".", StringComparison.Ordinal)).SelectMany(e => e.Value.Select(m => e.Key == field ? m : $"{e.Key}: {m}"))]
            : [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Notice = TempData["notice"] as string;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(Guid annotationId, string? decision, string? feedback, string? correction, CancellationToken cancellationToken)
    {
        try
        {
            Submission? parsed = null;
            if (decision == "correct")
            {
                try
                {
                    parsed = JsonSerializer.Deserialize<Submission>(correction ?? "", Json.Options);
                }
                catch (JsonException e)
                {
                    throw ValidationException.For("correction", $"is not valid JSON: {e.Message}");
                }
            }

            var result = await reviews.DecideAsync(annotationId, User, new ReviewRequest(decision ?? "", feedback, parsed), cancellationToken);
            TempData["notice"] = result.Decision switch
            {
                "accept" => "Accepted.",
                "reject" => "Rejected: the annotator sees your feedback, and the item goes back to the pool.",
                _ => "Corrected: your answer counts instead of theirs.",
            };
            return Redirect($"/review/{HttpContext.AuthorizedProject().Id}");
        }
        catch (ValidationException e)
        {
            (Refused, Errors, Feedback, Correction) = (annotationId, e.Errors, feedback, correction);
        }
        catch (Exception e) when (e is ConflictException or ForbiddenException)
        {
            Notice = e.Message;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        Rows = (await reviews.QueuedAsync(Project, Shown, cancellationToken)).Select(q => new ReviewRow(
            q.Annotation.Id,
            q.Item.ExternalId,
            q.Item.Prompt,
            q.Item.Responses(),
            Project.TaskKind().ParseAnswer(q.Annotation.AnswerJson),
            JsonSerializer.Deserialize<List<FlagInput>>(q.Annotation.FlagsJson, Json.Options)!,
            q.Annotation.Rationale,
            q.Annotation.GuidelineVersion,
            q.Annotation.CreatedAt,
            q.Reasons,
            q.Annotator,
            JsonSerializer.Serialize(Work.Pages.TaskModel.Stored(q.Annotation) with { Flags = null, Rationale = null, IdempotencyKey = null }, Indented))).ToList();
    }
}
