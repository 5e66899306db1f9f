using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;

namespace Verity.Work.Pages;

/// <summary>The messages for one form field, rendered beside it.</summary>
public sealed record FieldErrors(string Field, string[] Messages);

/// <summary>The workbench: one leased item at a time, for every task kind; a submit stores the answer and shows the next item.</summary>
[Authorize(Policy = Policies.Annotate)]
public sealed class TaskModel(LeaseService leases, SubmissionService submissions, GuidelineService guidelines, VerityDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid ProjectId { get; set; }

    [BindProperty]
    public Guid AssignmentId { get; set; }

    [BindProperty]
    public string? Choice { get; set; }

    [BindProperty]
    public int? Strength { get; set; } = 2;

    [BindProperty]
    public Dictionary<string, string> Dimensions { get; set; } = new(StringComparer.Ordinal);

    [BindProperty]
    public Dictionary<string, int> Ranks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Rating scores as posted: a number, or "na".</summary>
    [BindProperty]
    public Dictionary<string, string> Scores { get; set; } = new(StringComparer.Ordinal);

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public List<string> Labels { get; set; } = [];

    [BindProperty]
    public string? Other { get; set; }

    [BindProperty]
    public string? IdealAnswer { get; set; }

    [BindProperty]
    public List<string> Flags { get; set; } = [];

    [BindProperty]
    public Dictionary<string, string> FlagNotes { get; set; } = new(StringComparer.Ordinal);

    [BindProperty]
    public string? Rationale { get; set; }

    /// <summary>Made when the page is shown, so a resent form is stored once.</summary>
    [BindProperty]
    public string IdempotencyKey { get; set; } = Guid.NewGuid().ToString("N");

    public TaskView? Task { get; private set; }
    public Project Project { get; private set; } = null!;
    public Rubric Rubric { get; private set; } = null!;
    public TaskKind Kind => Project.TaskKind();
    public string Guidelines { get; private set; } = "";
    public string? Notice { get; private set; }

    /// <summary>Why this annotator gets no more work here, when the project's rules removed them.</summary>
    public string? Stopped { get; private set; }

    /// <summary>A rendered preview of a demonstration or rewrite, and a rewrite's diff against the original.</summary>
    public string? Preview { get; private set; }
    public IReadOnlyList<DiffPart>? Diff { get; private set; }

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadProjectAsync(cancellationToken);
        if (await guidelines.ToOpenAsync(Project, User.UserId(), cancellationToken) is not null)
            return Redirect($"/work/{ProjectId}/guidelines");
        Notice = TempData["notice"] as string;
        try
        {
            await ShowAsync(await leases.NextAsync(Project, User.UserId(), cancellationToken), cancellationToken);
        }
        catch (ForbiddenException e)
        {
            Stopped = e.Message;
        }

        return Page();
    }

    [EnableRateLimiting(WorkApi.SubmissionLimit)]
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadProjectAsync(cancellationToken);
        try
        {
            await submissions.SubmitAsync(AssignmentId, User.UserId(), ToSubmission(), cancellationToken);
            TempData["notice"] = "Saved. Here is the next one.";
            return Redirect($"/work/{ProjectId}");
        }
        catch (ValidationException e)
        {
            Errors = e.Errors;
            await ShowAsync(await leases.OpenTaskAsync(AssignmentId, User.UserId(), cancellationToken), cancellationToken);
            return Page();
        }
        catch (ConflictException e)
        {
            TempData["notice"] = e.Message;
            return Redirect($"/work/{ProjectId}");
        }
    }

    /// <summary>Shows the written text rendered (and, for a rewrite, its changes) without submitting.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        await LoadProjectAsync(cancellationToken);
        await ShowAsync(await leases.OpenTaskAsync(AssignmentId, User.UserId(), cancellationToken), cancellationToken);
        Preview = Text ?? "";
        if (Task is { } task && Kind.DraftText(task.Item.Responses) is { } original)
            Diff = TextDiff.Words(original, Preview.Trim());
        return Page();
    }

    public FieldErrors ErrorsFor(string field) => new(field, Errors.TryGetValue(field, out var messages) ? messages : []);

    public FieldErrors FlagErrors => new("flags", Errors.Where(e => e.Key.StartsWith("flags", StringComparison.Ordinal)).SelectMany(e => e.Value).ToArray());

    private Submission ToSubmission()
    {
        var flags = Flags.Select(f => new FlagInput(f, FlagNotes.GetValueOrDefault(f))).ToList();
        // "na" (or anything else that is not a number) is N/A. A dictionary the form has no entries for binds every
        // posted field, so the scores of another kind's form are junk; the kind keeps only its own fields.
        var scores = Scores.ToDictionary(
            s => s.Key, s => int.TryParse(s.Value, System.Globalization.CultureInfo.InvariantCulture, out var score) ? score : (int?)null, StringComparer.Ordinal);
        // ...but a rubric dimension's own field is a level or "na"; anything else (a word, a number past int) is refused, not taken as N/A.
        var garbled = Scores.Where(s => Rubric.Dimensions.Any(d => d.Name == s.Key) && scores[s.Key] is null && !string.Equals(s.Value, "na", StringComparison.Ordinal)).ToList();
        if (garbled.Count > 0)
            throw new ValidationException(garbled.ToDictionary(s => $"scores.{s.Key}", _ => (string[])["must be one of the scale's levels, or na."], StringComparer.Ordinal));
        return Kind.OwnFields(new Submission(
            Choice, Strength, Rubric.Dimensions.Count > 0 ? Dimensions : null, Ranks, scores, Text, Labels, Other, flags, Rationale, IdempotencyKey, IdealAnswer));
    }

    private async Task LoadProjectAsync(CancellationToken cancellationToken)
    {
        Project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == ProjectId, cancellationToken)
            ?? throw new NotFoundException($"Project {ProjectId} does not exist.");
        Rubric = Project.Rubric();
    }

    private async Task ShowAsync(TaskView? task, CancellationToken cancellationToken)
    {
        Task = task;
        if (task is null)
            return;
        Guidelines = await guidelines.VersionAsync(ProjectId, task.GuidelineVersion, cancellationToken);
        Text ??= Kind.DraftText(task.Item.Responses);
    }
}
