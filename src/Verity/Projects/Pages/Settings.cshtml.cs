using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Projects.Pages;

/// <summary>
/// The settings a running project may change, for its owner: the order its items are served in, what it pays, its
/// quality settings and its guidelines. The form becomes the API's <see cref="ProjectChanges"/>, so the same validation
/// answers with the same messages, shown beside the field they name; each change is recorded as <c>project.changed</c>.
/// </summary>
[Authorize(Policy = Policies.OwnProject)]
public sealed class SettingsModel(ProjectService projects, GuidelineService guidelines, Security.AuditLog audit) : PageModel
{
    [FromRoute]
    public Guid ProjectId { get; set; }

    public Project Project { get; private set; } = null!;

    /// <summary>The validation's messages by the API's field names (<c>gold.rate</c>, <c>pay.hourlyRate</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    /// <summary>The current guidelines, to edit; a change publishes a new version that annotators confirm.</summary>
    public string Guidelines { get; private set; } = "";

    /// <summary>The fields as posted, to show again beside their errors; on a GET, the project's values.</summary>
    public IReadOnlyDictionary<string, string> Values { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<string> ErrorsFor(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        Guidelines = (await guidelines.CurrentAsync(ProjectId, cancellationToken)).Markdown;
        Values = Current(Project);
    }

    /// <summary>Publishes the edited guidelines as a new version, as <c>PUT /projects/{id}/guidelines</c> does; unchanged text publishes nothing.</summary>
    public async Task<IActionResult> OnPostGuidelinesAsync(string? markdown, CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        Values = Current(Project);
        Guidelines = (await guidelines.CurrentAsync(ProjectId, cancellationToken)).Markdown;
        if (string.Equals((markdown ?? "").ReplaceLineEndings("\n"), Guidelines.ReplaceLineEndings("\n"), StringComparison.Ordinal))
            return Redirect($"/projects/{ProjectId}/settings");
        try
        {
            var version = await guidelines.ReviseAsync(ProjectId, markdown ?? "", cancellationToken);
            await audit.RecordAsync(Security.AuditKinds.GuidelinesRevised, ProjectId, $"version {version}", cancellationToken: cancellationToken);
        }
        catch (ValidationException e)
        {
            Guidelines = markdown ?? "";
            Errors = e.Errors.ToDictionary(x => x.Key, x => x.Value.ToArray(), StringComparer.Ordinal);
            return Page();
        }

        return Redirect($"/projects/{ProjectId}/settings");
    }

    /// <summary>Every setting on the form at once: a blank hourly rate is the track's, a blank most-annotators turns dynamic overlap off.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Project = HttpContext.AuthorizedProject();
        Guidelines = (await guidelines.CurrentAsync(ProjectId, cancellationToken)).Markdown;
        var form = Request.Form;
        Values = Fields.ToDictionary(f => f, f => form[f].ToString(), StringComparer.Ordinal);
        try
        {
            var errors = new ErrorList();
            var rate = string.IsNullOrWhiteSpace(Values["pay.hourlyRate"]) ? (decimal?)null : Number<decimal>("pay.hourlyRate", "a number such as 35.50, or blank for the track's rate", errors);
            var changes = new ProjectChanges(
                ServingPolicy: Values["servingPolicy"],
                Pay: new PaySettings(rate, Number<int>("pay.expectedTaskMinutes", "a whole number of minutes", errors)),
                Gold: new GoldSettings(Number<double>("gold.rate", "a number such as 0.1", errors), Checked("gold.feedback"), Number<int>("gold.calibration", "a whole number", errors)),
                Repeats: new RepeatSettings(Number<double>("repeats.rate", "a number such as 0.05", errors), Number<int>("repeats.delayMinutes", "a whole number of minutes", errors)),
                DynamicOverlap: new DynamicOverlapSettings(
                    string.IsNullOrWhiteSpace(Values["dynamicOverlap.max"]) ? 0 : Number<int>("dynamicOverlap.max", "a whole number, or blank to turn it off", errors),
                    Number<double>("dynamicOverlap.targetConfidence", "a number such as 0.95", errors)),
                Review: new ReviewSettings(Number<double>("review.sampleRate", "a number such as 0.1", errors), Checked("review.showAnnotators")));
            errors.ThrowIfAny();
            await audit.RecordChangesAsync(ProjectId, await projects.ChangeAsync(ProjectId, changes, cancellationToken), cancellationToken);
        }
        catch (ValidationException e)
        {
            Errors = e.Errors.ToDictionary(x => x.Key, x => x.Value.ToArray(), StringComparer.Ordinal);
            return Page();
        }

        TempData["notice"] = "Saved. The project's history lists what changed.";
        return Redirect($"/projects/{ProjectId}/settings");
    }

    public string? Notice => TempData["notice"] as string;

    /// <summary>The form's fields, named as the API names them, so its messages land beside the right field.</summary>
    private static readonly string[] Fields =
    [
        "servingPolicy", "pay.hourlyRate", "pay.expectedTaskMinutes", "gold.rate", "gold.feedback", "gold.calibration", "repeats.rate",
        "repeats.delayMinutes", "dynamicOverlap.max", "dynamicOverlap.targetConfidence", "review.sampleRate", "review.showAnnotators",
    ];

    private static Dictionary<string, string> Current(Project project) => new(StringComparer.Ordinal)
    {
        ["servingPolicy"] = project.ServingPolicy,
        ["pay.hourlyRate"] = project.HourlyRate?.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
        ["pay.expectedTaskMinutes"] = project.ExpectedTaskMinutes.ToString(CultureInfo.InvariantCulture),
        ["gold.rate"] = project.GoldRate.ToString(CultureInfo.InvariantCulture),
        ["gold.feedback"] = project.GoldFeedback ? "true" : "",
        ["gold.calibration"] = project.CalibrationItems.ToString(CultureInfo.InvariantCulture),
        ["repeats.rate"] = project.RepeatRate.ToString(CultureInfo.InvariantCulture),
        ["repeats.delayMinutes"] = project.RepeatDelayMinutes.ToString(CultureInfo.InvariantCulture),
        ["dynamicOverlap.max"] = project.DynamicMax > 0 ? project.DynamicMax.ToString(CultureInfo.InvariantCulture) : "",
        ["dynamicOverlap.targetConfidence"] = project.TargetConfidence.ToString(CultureInfo.InvariantCulture),
        ["review.sampleRate"] = project.ReviewSampleRate.ToString(CultureInfo.InvariantCulture),
        ["review.showAnnotators"] = project.ReviewersSeeAnnotators ? "true" : "",
    };

    private bool Checked(string field) => Values[field] == "true";

    private T Number<T>(string field, string what, ErrorList errors)
        where T : struct, IParsable<T>
    {
        if (T.TryParse(Values[field].Trim(), CultureInfo.InvariantCulture, out var value))
            return value;
        errors.Add(field, $"must be {what}.");
        return default;
    }
}
