using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Core;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Core.Workforce;
using Verity.Data;
using Verity.Infrastructure;
using Verity.Workforce;

namespace Verity.Projects;

/// <summary>A project as its owner and its annotators see it, with live counts.</summary>
public sealed record ProjectView(
    Guid Id,
    string Name,
    string Kind,
    int Overlap,
    int GuidelineVersion,
    RationaleView Rationale,
    Rubric Rubric,
    GoldSettings? Gold,
    RepeatSettings? Repeats,
    DynamicOverlapSettings? DynamicOverlap,
    string? Aggregation,
    IReadOnlyList<QualityRule>? Rules,
    ReviewSettings? Review,
    DefenceSettings? Defences,
    string ServingPolicy,
    PaySettings Pay,
    int Items,
    int? GoldItems,
    int CompletedItems,
    int Annotations,
    int Escalated,
    DateTime CreatedAt,
    string Purpose,
    string? Track,
    double? PassScore,
    int? TimeLimitMinutes,
    AccessSettings? Access);

public sealed record RationaleView(bool Required, int MinChars);

/// <summary>The body of PATCH /api/v1/projects/{id}: the settings a running project may change; omitted ones stay.</summary>
/// <param name="ServingPolicy">The order open items are served in: import-order, random or uncertainty-first.</param>
/// <param name="Pay">The project's hourly rate and expected task time, from now on (entries already written keep their rate).</param>
/// <param name="Access">The tracks and minimum tier a work project needs; <c>{"tracks":[]}</c> opens it to any admitted person.</param>
/// <param name="Gold">Gold rate, feedback and calibration, for the leases from now on.</param>
/// <param name="Repeats">Repeat rate and delay, for the leases from now on; a rate of 0 serves no repeats.</param>
/// <param name="DynamicOverlap">The most annotators and the confidence that stops an item, applied to each item when it is
/// next answered; a max of 0 turns dynamic overlap off (every item stops at the overlap).</param>
/// <param name="Review">The share of answers sampled for review from now on, and whether reviewers see who answered.</param>
public sealed record ProjectChanges(
    string? ServingPolicy = null, AccessSettings? Access = null, PaySettings? Pay = null,
    GoldSettings? Gold = null, RepeatSettings? Repeats = null, DynamicOverlapSettings? DynamicOverlap = null, ReviewSettings? Review = null);

/// <summary>An item's live label: the leading answer, its posterior, and how many annotators it has.</summary>
public sealed record ItemLabel(string ExternalId, string? Label, double? Confidence, int Annotators);

/// <summary>An annotation whose flags asked for the owner's attention.</summary>
public sealed record EscalationView(Guid AnnotationId, Guid ItemId, string ExternalId, string Prompt, string Annotator, IReadOnlyList<FlagInput> Flags, string? Rationale, DateTime CreatedAt);

public sealed class ProjectService(VerityDbContext db, TimeProvider clock)
{
    public async Task<Project> CreateAsync(Guid ownerId, ProjectSettings settings, CancellationToken cancellationToken = default)
    {
        var rubric = settings.Validate();
        await CheckTracksAsync(settings.Track is null ? settings.Access?.Tracks ?? [] : [settings.Track], settings.Track is null ? "access.tracks" : "track", cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var project = new Project
        {
            Id = Guid.CreateVersion7(),
            OwnerId = ownerId,
            Name = settings.Name.Trim(),
            Kind = settings.Kind,
            Overlap = settings.Overlap,
            RationaleRequired = settings.RationaleRequired,
            RationaleMinChars = settings.RationaleMinChars,
            RubricJson = rubric.ToJson(),
            GoldRate = settings.Gold?.Rate ?? GoldSettings.DefaultRate,
            GoldFeedback = settings.Gold?.Feedback ?? false,
            CalibrationItems = settings.Gold?.Calibration ?? 0,
            RepeatRate = settings.Repeats?.Rate ?? 0,
            RepeatDelayMinutes = settings.Repeats?.DelayMinutes ?? 1440,
            DynamicMax = settings.DynamicOverlap?.Max ?? 0,
            TargetConfidence = settings.DynamicOverlap?.TargetConfidence ?? 0.95,
            Aggregation = settings.Aggregation ?? AggregationMethods.Default(settings.Kind, rubric.MultiLabel) ?? "",
            RulesJson = settings.Rules is null ? null : JsonSerializer.Serialize(settings.Rules, Json.Options),
            DefencesJson = settings.Defences is null ? null : JsonSerializer.Serialize(settings.Defences, Json.Options),
            ReviewSampleRate = settings.Review?.SampleRate ?? 0,
            ReviewersSeeAnnotators = settings.Review?.ShowAnnotators ?? false,
            GuidelineVersion = 1,
            ServingPolicy = settings.ServingPolicy ?? ServingPolicies.Default,
            HourlyRate = settings.Pay?.HourlyRate,
            ExpectedTaskMinutes = settings.Pay?.ExpectedTaskMinutes ?? Core.Workforce.PayRules.DefaultExpectedTaskMinutes,
            CreatedAt = now,
            Purpose = settings.Purpose ?? Purposes.Work,
            AssessmentTrackId = settings.Track,
            PassScore = settings.PassScore,
            TimeLimitMinutes = settings.TimeLimitMinutes,
            AccessTracks = AccessSettings.Store(settings.Access?.Tracks ?? []),
            MinTier = settings.Access?.MinTier ?? 1,
        };
        db.Projects.Add(project);
        db.GuidelineVersions.Add(new GuidelineVersion
        {
            Id = Guid.CreateVersion7(),
            ProjectId = project.Id,
            Version = 1,
            Markdown = settings.Guidelines,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return project;
    }

    /// <summary>Changes the settings a project may change while it runs; null fields stay as they are.</summary>
    /// <returns>What changed, as "field: before → after" lines, for the audit log; empty when nothing did.</returns>
    public async Task<IReadOnlyList<string>> ChangeAsync(Guid projectId, ProjectChanges changes, CancellationToken cancellationToken = default)
    {
        var errors = new ErrorList();
        if (changes.ServingPolicy is not null && !ServingPolicies.Exists(changes.ServingPolicy))
            errors.Add("servingPolicy", ServingPolicies.Problem);
        changes.Access?.Validate(errors);
        changes.Pay?.Validate(errors);
        var project = await db.Projects.SingleAsync(p => p.Id == projectId, cancellationToken);
        ProjectSettings.ValidateQuality(
            project.Overlap, changes.Gold, changes.Repeats, changes.DynamicOverlap is { Max: 0 } ? null : changes.DynamicOverlap, changes.Review, errors);
        // The same rules as at creation (ProjectSettings.ValidatePurpose), with the same messages.
        if (project.Purpose == Purposes.Assessment && changes.Gold is { Feedback: true })
            errors.Add("gold.feedback", "must be off for an assessment: its answers are never revealed.");
        if (project.Purpose == Purposes.Assessment && changes.Review is { SampleRate: > 0 } or { ShowAnnotators: true })
            errors.Add("review", "does not apply to an assessment: reviewers score its free-text answers anonymously instead.");
        errors.ThrowIfAny();
        var before = Described(project);
        if (changes.Access is { } access)
        {
            if (project.Purpose == Purposes.Assessment)
                throw ValidationException.For("access", "does not apply to an assessment: it is open to the people who applied for its track.");
            await CheckTracksAsync(access.Tracks ?? [], "access.tracks", cancellationToken);
            project.AccessTracks = AccessSettings.Store(access.Tracks ?? []);
            project.MinTier = access.MinTier;
        }

        project.ServingPolicy = changes.ServingPolicy ?? project.ServingPolicy;
        if (changes.Pay is { } pay)
        {
            project.HourlyRate = pay.HourlyRate;
            project.ExpectedTaskMinutes = pay.ExpectedTaskMinutes;
        }
        if (changes.Gold is { } gold)
        {
            project.GoldRate = gold.Rate;
            project.GoldFeedback = gold.Feedback;
            project.CalibrationItems = gold.Calibration;
        }

        if (changes.Repeats is { } repeats)
        {
            project.RepeatRate = repeats.Rate;
            project.RepeatDelayMinutes = repeats.DelayMinutes;
        }

        if (changes.DynamicOverlap is { } dynamicOverlap)
        {
            project.DynamicMax = dynamicOverlap.Max;
            project.TargetConfidence = dynamicOverlap.TargetConfidence;
        }

        if (changes.Review is { } review)
        {
            project.ReviewSampleRate = review.SampleRate;
            project.ReviewersSeeAnnotators = review.ShowAnnotators;
        }

        await db.SaveChangesAsync(cancellationToken);
        var after = Described(project);
        return [.. before.Where(b => after[b.Key] != b.Value).Select(b => $"{b.Key}: {b.Value} → {after[b.Key]}")];
    }

    private static Dictionary<string, string> Described(Project project) => new(StringComparer.Ordinal)
    {
        ["servingPolicy"] = project.ServingPolicy,
        ["pay.hourlyRate"] = project.HourlyRate?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "the track's",
        ["pay.expectedTaskMinutes"] = project.ExpectedTaskMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["access.tracks"] = project.AccessTracks is { Length: > 0 } tracks ? tracks : "any",
        ["access.minTier"] = project.MinTier.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["gold.rate"] = project.GoldRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["gold.feedback"] = project.GoldFeedback ? "on" : "off",
        ["gold.calibration"] = project.CalibrationItems.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["repeats.rate"] = project.RepeatRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["repeats.delayMinutes"] = project.RepeatDelayMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["dynamicOverlap.max"] = project.DynamicMax > 0 ? project.DynamicMax.ToString(System.Globalization.CultureInfo.InvariantCulture) : "off",
        ["dynamicOverlap.targetConfidence"] = project.TargetConfidence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["review.sampleRate"] = project.ReviewSampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["review.showAnnotators"] = project.ReviewersSeeAnnotators ? "on" : "off",
    };

    private async Task CheckTracksAsync(IReadOnlyList<string> tracks, string field, CancellationToken cancellationToken)
    {
        var known = await db.Tracks.Where(t => tracks.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        if (tracks.Except(known, StringComparer.Ordinal).ToList() is [_, ..] unknown)
            throw ValidationException.For(field, $"no track {string.Join(", ", unknown.Select(t => $"\"{t}\""))}; GET /api/v1/tracks lists them.");
    }

    /// <summary>
    /// Requesters see their own projects, admins all, annotators every project they can work on, reviewers the projects
    /// they are assigned to. Annotators and reviewers see them without the settings that measure annotators (gold,
    /// repeats, overlap rules, quality rules, review sampling, defences): knowing the gold rate or the calibration count
    /// helps game them, and doing the work needs none of it.
    /// </summary>
    public async Task<IReadOnlyList<ProjectView>> ListAsync(Guid userId, string role, CancellationToken cancellationToken = default)
    {
        var query = db.Projects.AsNoTracking();
        if (role == Roles.Requester)
            query = query.Where(p => p.OwnerId == userId);
        if (role == Roles.Reviewer)
            query = query.Where(p => db.ProjectReviewers.Any(r => r.ProjectId == p.Id && r.ReviewerId == userId));
        var views = await ViewsAsync(query, cancellationToken);
        if (role == Roles.Annotator)
        {
            // People see only the projects they may work on (Verity.Workforce.Access); the rule is the lease's.
            var person = await Access.PersonAsync(db, userId, cancellationToken);
            var allowed = (await query.ToListAsync(cancellationToken)).Where(p => Access.Refusal(p, person) is null).Select(p => p.Id).ToHashSet();
            views = views.Where(v => allowed.Contains(v.Id)).ToList();
        }

        return role is Roles.Requester or Roles.Admin
            ? views
            : views.Select(v => v with { Gold = null, Repeats = null, DynamicOverlap = null, Rules = null, Review = null, Defences = null, GoldItems = null }).ToList();
    }

    public async Task<ProjectView> ViewAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        (await ViewsAsync(db.Projects.AsNoTracking().Where(p => p.Id == projectId), cancellationToken)).Single();

    /// <summary>
    /// Every item's live label under the project's aggregation method, kept current on each submission and brought up
    /// to date with the annotators' measures by the background pass.
    /// </summary>
    public async Task<IReadOnlyList<ItemLabel>> LabelsAsync(Project project, CancellationToken cancellationToken = default) =>
        await db.Items.AsNoTracking()
            .Where(i => i.ProjectId == project.Id && !i.IsGold)
            .OrderBy(i => i.Id)
            .Select(i => new ItemLabel(i.ExternalId, i.Label, i.Confidence, i.SubmittedCount))
            .ToListAsync(cancellationToken);

    /// <summary>The escalation queue, newest first, each with the annotator's pseudonym in this project.</summary>
    public async Task<IReadOnlyList<EscalationView>> EscalationsAsync(Guid projectId, Security.Pseudonyms pseudonyms, CancellationToken cancellationToken = default)
    {
        var rows = await db.LatestAnnotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.Escalated)
            .OrderByDescending(a => a.Id)
            .Take(500)
            .Join(db.Items, a => a.ItemId, i => i.Id, (a, i) => new { Annotation = a, i.ExternalId, i.Prompt })
            .ToListAsync(cancellationToken);
        var pseudonym = await pseudonyms.ForProjectAsync(projectId, cancellationToken);
        return rows.Select(r => new EscalationView(
            r.Annotation.Id,
            r.Annotation.ItemId,
            r.ExternalId,
            r.Prompt,
            pseudonym(r.Annotation.AnnotatorId),
            JsonSerializer.Deserialize<List<FlagInput>>(r.Annotation.FlagsJson, Json.Options)!,
            r.Annotation.Rationale,
            r.Annotation.CreatedAt)).ToList();
    }

    private async Task<List<ProjectView>> ViewsAsync(IQueryable<Project> projects, CancellationToken cancellationToken)
    {
        var rows = await projects.OrderBy(p => p.Id).Select(p => new
        {
            Project = p,
            Items = db.Items.Count(i => i.ProjectId == p.Id && !i.IsGold),
            GoldItems = db.Items.Count(i => i.ProjectId == p.Id && i.IsGold),
            Completed = db.Items.Count(i => i.ProjectId == p.Id && !i.IsGold && i.SubmittedCount >= i.TargetOverlap),
            Annotations = db.LatestAnnotations.Count(a => a.ProjectId == p.Id),
            Escalated = db.LatestAnnotations.Where(a => a.ProjectId == p.Id && a.Escalated).Select(a => a.ItemId).Distinct().Count(),
        }).ToListAsync(cancellationToken);
        return rows.Select(r => new ProjectView(
            r.Project.Id,
            r.Project.Name,
            r.Project.Kind,
            r.Project.Overlap,
            r.Project.GuidelineVersion,
            new RationaleView(r.Project.RationaleRequired, r.Project.RationaleMinChars),
            r.Project.Rubric(),
            new GoldSettings(r.Project.GoldRate, r.Project.GoldFeedback, r.Project.CalibrationItems),
            new RepeatSettings(r.Project.RepeatRate, r.Project.RepeatDelayMinutes),
            r.Project.DynamicMax > 0 ? new DynamicOverlapSettings(r.Project.DynamicMax, r.Project.TargetConfidence) : null,
            r.Project.Aggregation.Length == 0 ? null : r.Project.Aggregation,
            r.Project.Rules(),
            new ReviewSettings(r.Project.ReviewSampleRate, r.Project.ReviewersSeeAnnotators),
            r.Project.Defences(),
            r.Project.ServingPolicy,
            new PaySettings(r.Project.HourlyRate, r.Project.ExpectedTaskMinutes),
            r.Items,
            r.GoldItems,
            r.Completed,
            r.Annotations,
            r.Escalated,
            r.Project.CreatedAt,
            r.Project.Purpose,
            r.Project.AssessmentTrackId,
            r.Project.PassScore,
            r.Project.TimeLimitMinutes,
            r.Project.Purpose == Purposes.Work ? new AccessSettings(AccessSettings.Parse(r.Project.AccessTracks), r.Project.MinTier) : null)).ToList();
    }
}
