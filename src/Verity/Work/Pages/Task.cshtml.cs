using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Core.Work;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Projects;
using Verity.Workforce.Pay;

namespace Verity.Work.Pages;

/// <summary>The messages for one form field, rendered beside it.</summary>
public sealed record FieldErrors(string Field, string[] Messages);

/// <summary>The workbench: one leased item at a time, for every task kind; a submit stores the answer and shows the next item.</summary>
[Authorize(Policy = Policies.Annotate)]
public sealed class TaskModel(
    LeaseService leases, SubmissionService submissions, DraftService drafts, SkipService skips, GuidelineService guidelines, VerityDbContext db, TimeProvider clock,
    IOptions<PayOptions> pay)
    : PageModel
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

    /// <summary>When changing an answer just submitted (undo): the annotation the new answer supersedes.</summary>
    [BindProperty]
    public Guid? Supersedes { get; set; }

    [BindProperty]
    public string? SkipReason { get; set; }

    [BindProperty]
    public string? SkipNote { get; set; }

    /// <summary>The page's count of active seconds (tab visible, input in the last two minutes), set by its script on submit.</summary>
    [BindProperty]
    public int? ActiveSeconds { get; set; }

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

    /// <summary>This task's place in the annotator's work here: answers given so far, and items still open to them.</summary>
    public int Done { get; private set; }
    public int Remaining { get; private set; }

    /// <summary>Seconds since the lease began and until it ends, as the server counts them (the page's clock may differ).</summary>
    public int SecondsSpent => (int)Math.Max(0, (clock.GetUtcNow().UtcDateTime - Task!.LeasedAt).TotalSeconds);
    /// <summary>Seconds without input after which the page stops counting active time.</summary>
    public int IdleSeconds => pay.Value.IdleSeconds;

    public int SecondsLeft => (int)Math.Max(0, (Task!.ExpiresAt - clock.GetUtcNow().UtcDateTime).TotalSeconds);

    /// <summary>Whether the form shows a draft kept from earlier.</summary>
    public bool DraftSaved { get; private set; }

    /// <summary>Every key the page answers to, for the cheat sheet (<c>?</c>).</summary>
    public IReadOnlyList<(string Keys, string What)> Keys
    {
        get
        {
            var keys = new List<(string, string)>();
            switch (Kind.Partial)
            {
                case "Pairwise":
                    keys.Add(("1 / 2", "Response A / B is better, then type the rationale"));
                    keys.Add(("3", "Tie"));
                    break;
                case "Ranking":
                    keys.Add(("1–9 on a response", "Give the focused response that rank"));
                    keys.Add(("Alt+↑ / Alt+↓", "Move the focused response up or down"));
                    break;
                case "Rating":
                    keys.Add(("Tab", "Next dimension"));
                    keys.Add(("a number in a dimension", "Score the focused dimension"));
                    keys.Add(("← / →", "Lower or higher score in the focused dimension"));
                    break;
                case "Classification":
                    keys.Add(("1–9", "Choose (or toggle) that label"));
                    break;
            }

            keys.Add(("Ctrl+Enter (⌘+Enter)", "Submit and get the next task"));
            keys.Add(("Ctrl+← (⌘+←)", "Reopen your last answer to change it, for a few minutes after submitting"));
            keys.Add(("Esc", "Leave the text box (then the keys above work)"));
            keys.Add(("?", "Show this list"));
            return keys;
        }
    }

    /// <summary>Whether the annotator's last answer here can still be reopened and changed.</summary>
    public bool CanUndo { get; private set; }

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadProjectAsync(cancellationToken);
        if (await guidelines.ToOpenAsync(Project, User.UserId(), cancellationToken) is not null)
            return Redirect($"/work/{ProjectId}/guidelines");
        Notice = TempData["notice"] as string;
        try
        {
            var task = await leases.NextAsync(Project, User.UserId(), cancellationToken);
            if (task is not null && await drafts.FindAsync(task.AssignmentId, User.UserId(), cancellationToken) is { } draft)
            {
                Fill(draft.Answer);
                DraftSaved = true;
            }
            await ShowAsync(task, cancellationToken);
        }
        catch (Exception e) when (e is ForbiddenException or ConflictException)
        {
            // Not admitted to the project, or an assessment not started or past its time limit.
            Stopped = e.Message;
        }

        return Page();
    }

    /// <summary>Undo: the task just submitted, with its answer, to change for a few minutes after submitting.</summary>
    public async Task<IActionResult> OnGetPreviousAsync(CancellationToken cancellationToken)
    {
        await LoadProjectAsync(cancellationToken);
        var last = await submissions.UndoableAsync(ProjectId, User.UserId(), cancellationToken);
        if (last is null)
        {
            TempData["notice"] = "There is no answer to go back to: answers can be changed only for a few minutes after submitting.";
            return Redirect($"/work/{ProjectId}");
        }

        Supersedes = last.Id;
        Fill(Stored(last));
        await ShowAsync(await leases.SubmittedTaskAsync(last.AssignmentId, cancellationToken), cancellationToken);
        return Page();
    }

    /// <summary>Keeps what is typed so far (the page's script posts the form here as the annotator types).</summary>
    public async Task<IActionResult> OnPostDraftAsync(CancellationToken cancellationToken)
    {
        await LoadProjectAsync(cancellationToken);
        var saved = await drafts.SaveAsync(AssignmentId, User.UserId(), ToSubmission(), cancellationToken);
        return new JsonResult(new { saved.UpdatedAt });
    }

    public async Task<IActionResult> OnPostSkipAsync(CancellationToken cancellationToken)
    {
        await LoadProjectAsync(cancellationToken);
        try
        {
            await skips.SkipAsync(AssignmentId, User.UserId(), new SkipRequest(SkipReason, SkipNote), cancellationToken);
        }
        catch (ValidationException)
        {
            Errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["skip"] = ["Choose why you skip this item."] };
            await ShowAsync(await leases.OpenTaskAsync(AssignmentId, User.UserId(), cancellationToken), cancellationToken);
            return Page();
        }

        TempData["notice"] = "Skipped. It goes to someone else; here is your next one.";
        return Redirect($"/work/{ProjectId}");
    }

    [EnableRateLimiting(WorkApi.SubmissionLimit)]
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadProjectAsync(cancellationToken);
        try
        {
            if (Supersedes is { } supersedes)
            {
                await submissions.ReviseAsync(supersedes, User.UserId(), ToSubmission(), cancellationToken);
                TempData["notice"] = "Changed. Your earlier answer is replaced; back to where you were.";
                return Redirect($"/work/{ProjectId}");
            }

            await submissions.SubmitAsync(AssignmentId, User.UserId(), ToSubmission(), ActiveSeconds, cancellationToken);
            TempData["notice"] = "Saved. Here is the next one.";
            return Redirect($"/work/{ProjectId}");
        }
        catch (ValidationException) when (Supersedes is null && Rubric.Flags.FirstOrDefault(f => f.NoAnswer && Flags.Contains(f.Name)) is { } cannotAssess)
        {
            // The flag says the item cannot be assessed, so no answer is due: the item is skipped with the flag as reason.
            await skips.SkipAsync(AssignmentId, User.UserId(), new SkipRequest(cannotAssess.Name, FlagNotes.GetValueOrDefault(cannotAssess.Name)), cancellationToken);
            TempData["notice"] = $"Flagged \"{cannotAssess.Title}\" without an answer. Here is your next one.";
            return Redirect($"/work/{ProjectId}");
        }
        catch (ValidationException e)
        {
            Errors = e.Errors;
            await ShowAsync(Supersedes is null
                ? await leases.OpenTaskAsync(AssignmentId, User.UserId(), cancellationToken)
                : await leases.SubmittedTaskAsync(AssignmentId, cancellationToken), cancellationToken);
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

    public FieldErrors ErrorsFor(string field) => new(field, Errors.TryGetValue(field, out var messages) ? [.. messages.Select(m => Worded(field, m))] : []);

    /// <summary>
    /// The API's messages name fields and ids ("choice: is required: one of a, b, tie"); the page says the same in the
    /// annotator's words, with the responses as they are labelled on screen.
    /// </summary>
    private string Worded(string field, string message) => field switch
    {
        "choice" => "Choose Response A, Response B or Tie.",
        "strength" => "Say how much better: slightly, clearly or much.",
        _ when field.StartsWith("dimensions.", StringComparison.Ordinal) =>
            $"Choose Response A, Response B or Tie for {Rubric.Dimensions.FirstOrDefault(d => d.Name == field["dimensions.".Length..])?.Title ?? field}.",
        "ranks" or _ when field.StartsWith("ranks.", StringComparison.Ordinal) => $"Rank every response, 1 for the best ({message})",
        "rationale" => $"Your rationale {message}",
        "text" => $"Your text {message}",
        "idealAnswer" => $"The ideal answer {message}",
        "labels" => char.ToUpperInvariant(message[0]) + message[1..],
        _ => message,
    };

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

    /// <summary>Shows an item as the workbench would, for its owner's preview (Projects/Pages/Preview): no lease, nothing stored.</summary>
    internal void ShowPreview(Project project, TaskView task)
    {
        Project = project;
        Rubric = project.Rubric();
        Task = task;
        Text ??= Kind.DraftText(task.Item.Responses);
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
        var me = User.UserId();
        Done = await db.LatestAnnotations.CountAsync(a => a.ProjectId == ProjectId && a.AnnotatorId == me, cancellationToken);
        // Items skipped by this annotator are not theirs to do any more.
        Remaining = await db.Items.CountAsync(i => i.ProjectId == ProjectId && !i.IsGold && i.SubmittedCount < i.TargetOverlap
            && !db.Assignments.Any(a => a.ItemId == i.Id && a.AnnotatorId == me && (a.SubmittedAt != null || db.Skips.Any(s => s.AssignmentId == a.Id))), cancellationToken);
        CanUndo = Supersedes is null && await submissions.UndoableAsync(ProjectId, me, cancellationToken) is not null;
    }

    /// <summary>Puts an answer (a draft, or a stored answer to change) into the form.</summary>
    private void Fill(Submission answer)
    {
        Choice = answer.Choice;
        Strength = answer.Strength;
        Dimensions = new(answer.Dimensions ?? new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        Ranks = new(answer.Ranks ?? new Dictionary<string, int>(StringComparer.Ordinal), StringComparer.Ordinal);
        Scores = (answer.Scores ?? new Dictionary<string, int?>(StringComparer.Ordinal)).ToDictionary(
            s => s.Key, s => s.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "na", StringComparer.Ordinal);
        Text = answer.Text;
        Labels = [.. answer.Labels ?? []];
        Other = answer.Other;
        IdealAnswer = answer.IdealAnswer;
        Flags = [.. (answer.Flags ?? []).Select(f => f.Name)];
        FlagNotes = (answer.Flags ?? []).Where(f => f.Note is not null).ToDictionary(f => f.Name, f => f.Note!, StringComparer.Ordinal);
        Rationale = answer.Rationale;
    }

    /// <summary>
    /// A stored annotation in the submission shape (the stored answer names the fields as a submission does, but for a
    /// written prompt); the review page starts a correction from it.
    /// </summary>
    internal static Submission Stored(Annotation annotation)
    {
        var answer = System.Text.Json.Nodes.JsonNode.Parse(annotation.AnswerJson)!.AsObject();
        if (answer.Remove("prompt", out var prompt))
            answer["text"] = prompt;
        answer.Remove("diff");
        answer.Remove("changed");
        return System.Text.Json.JsonSerializer.Deserialize<Submission>(answer, Json.Options)! with
        {
            Flags = System.Text.Json.JsonSerializer.Deserialize<List<FlagInput>>(annotation.FlagsJson, Json.Options),
            Rationale = annotation.Rationale,
        };
    }
}
