using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Infrastructure;

namespace Verity.Projects.Pages;

/// <summary>
/// A requester creates a project in the browser. The form becomes the API's <see cref="CreateProjectRequest"/>, so the
/// same validation answers with the same messages, shown beside the field they name.
/// </summary>
[Authorize(Policy = Policies.ManageProjects)]
public sealed class NewModel(ProjectService projects, Security.AuditLog audit) : PageModel
{
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Kind { get; set; } = TaskKind.Pairwise;
    [BindProperty] public int Overlap { get; set; } = 3;
    [BindProperty] public string? Guidelines { get; set; }
    [BindProperty] public bool RationaleRequired { get; set; } = true;
    [BindProperty] public int RationaleMinChars { get; set; } = 20;
    [BindProperty] public string? Rubric { get; set; }
    [BindProperty] public double GoldRate { get; set; } = GoldSettings.DefaultRate;
    [BindProperty] public bool GoldFeedback { get; set; }
    [BindProperty] public int GoldCalibration { get; set; }
    [BindProperty] public double RepeatRate { get; set; }
    [BindProperty] public int RepeatDelayMinutes { get; set; } = 1440;
    [BindProperty] public int? DynamicMax { get; set; }
    [BindProperty] public double TargetConfidence { get; set; } = 0.95;
    [BindProperty] public double ReviewSampleRate { get; set; }
    [BindProperty] public bool ReviewShowAnnotators { get; set; }
    [BindProperty] public string? Aggregation { get; set; }
    [BindProperty] public string ServingPolicy { get; set; } = Core.Work.ServingPolicies.Default;

    /// <summary>What the rubric preview shows when the rubric leaves them out: the default flags, skip reasons and rating dimensions.</summary>
    public string RubricDefaults => JsonSerializer.Serialize(
        new { flags = Core.Projects.Rubric.DefaultFlags, skipReasons = Core.Projects.Rubric.DefaultSkipReasons, ratingDimensions = Core.Projects.Rubric.DefaultRatingDimensions },
        Json.Options);

    /// <summary>The API's name of each numeric form field, the name its errors go by.</summary>
    private static readonly Dictionary<string, string> ApiNames = new(StringComparer.Ordinal)
    {
        [nameof(Overlap)] = "overlap",
        [nameof(RationaleMinChars)] = "rationale.minChars",
        [nameof(GoldRate)] = "gold.rate",
        [nameof(GoldCalibration)] = "gold.calibration",
        [nameof(RepeatRate)] = "repeats.rate",
        [nameof(RepeatDelayMinutes)] = "repeats.delayMinutes",
        [nameof(DynamicMax)] = "dynamicOverlap.max",
        [nameof(TargetConfidence)] = "dynamicOverlap.targetConfidence",
        [nameof(ReviewSampleRate)] = "review.sampleRate",
    };

    /// <summary>The validation's messages by the API's field names (<c>gold.rate</c>, <c>rubric.dimensions[0].max</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    /// <summary>The messages for a field and everything under it (the rubric's own fields under <c>rubric</c>).</summary>
    public IReadOnlyList<string> ErrorsFor(string field) =>
        [.. Errors.Where(e => e.Key == field || e.Key.StartsWith(field + ".", StringComparison.Ordinal) || e.Key.StartsWith(field + "[", StringComparison.Ordinal))
            .SelectMany(e => e.Value.Select(m => e.Key == field ? m : $"{e.Key}: {m}"))];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A number the browser let through as text is named like any other bad field.
            var unreadable = ModelState.Where(e => e.Value?.Errors.Count > 0).Select(e => ApiNames.GetValueOrDefault(e.Key, e.Key)).ToList();
            if (unreadable.Count > 0)
                throw new ValidationException(unreadable.ToDictionary(k => k, _ => (string[])["must be a number."], StringComparer.Ordinal));

            var project = await projects.CreateAsync(User.UserId(), AsRequest().ToSettings(), cancellationToken);
            await audit.RecordAsync(Security.AuditKinds.ProjectCreated, project.Id, project.Name, cancellationToken: cancellationToken);
            return Redirect($"/projects/{project.Id}/items");
        }
        catch (ValidationException e)
        {
            Errors = e.Errors.ToDictionary(x => x.Key, x => x.Value.ToArray(), StringComparer.Ordinal);
            return Page();
        }
    }

    private CreateProjectRequest AsRequest()
    {
        Rubric? rubric = null;
        if (!string.IsNullOrWhiteSpace(Rubric))
        {
            try
            {
                rubric = JsonSerializer.Deserialize<Rubric>(Rubric, Json.Options);
            }
            catch (JsonException e)
            {
                throw ValidationException.For("rubric", $"is not valid JSON: {e.Message}");
            }
        }

        return new CreateProjectRequest(
            Name, Kind, Overlap, Guidelines, new RationaleView(RationaleRequired, RationaleMinChars), rubric,
            new GoldSettings(GoldRate, GoldFeedback, GoldCalibration),
            RepeatRate > 0 ? new RepeatSettings(RepeatRate, RepeatDelayMinutes) : null,
            DynamicMax is { } max ? new DynamicOverlapSettings(max, TargetConfidence) : null,
            string.IsNullOrEmpty(Aggregation) ? null : Aggregation,
            Review: ReviewSampleRate > 0 || ReviewShowAnnotators ? new ReviewSettings(ReviewSampleRate, ReviewShowAnnotators) : null,
            ServingPolicy: ServingPolicy);
    }
}
