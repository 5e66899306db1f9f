using Verity.Core.Quality;
using Verity.Core.Work;
using Verity.Core.Workforce;

namespace Verity.Core.Projects;

/// <summary>What a requester chooses when creating a project; validated before anything is stored.</summary>
/// <param name="Name">Shown to annotators and requesters.</param>
/// <param name="Kind">One of <see cref="TaskKind.Supported"/>.</param>
/// <param name="Overlap">How many distinct annotators label each item.</param>
/// <param name="Guidelines">Markdown shown to annotators beside every task.</param>
/// <param name="RationaleRequired">Whether a written rationale must accompany each answer.</param>
/// <param name="RationaleMinChars">The shortest rationale accepted when one is given or required.</param>
/// <param name="RubricJson">The rubric as JSON, or null for the kind's defaults.</param>
/// <param name="Gold">How gold items are served.</param>
/// <param name="Repeats">How often answered items come back, to measure self-consistency.</param>
/// <param name="DynamicOverlap">When set, <paramref name="Overlap"/> is the minimum and items get more annotators, up to
/// the maximum, only while their label is less confident than the target.</param>
/// <param name="Aggregation">How answers become an item's label, one of the kind's <see cref="TaskKind.AggregationMethods"/>; null for the kind's default.</param>
/// <param name="Rules">The quality rules judging annotators, most severe first; null for <see cref="QualityRules.Defaults"/>.</param>
/// <param name="Review">Which annotations go to the review queue besides the flagged, escalated and least confident, and
/// whether reviewers see who answered.</param>
/// <param name="Defences">The defences against annotators who poison labels on purpose; null for <see cref="DefenceSettings"/>'s defaults (on).</param>
/// <param name="ServingPolicy">The order open items are served in, one of <see cref="ServingPolicies.All"/>; null for <see cref="ServingPolicies.Default"/>.</param>
/// <param name="Purpose">One of <see cref="Purposes.All"/>; null for work.</param>
/// <param name="Track">For an assessment, the track passing it qualifies for.</param>
/// <param name="PassScore">For an assessment, the score (0–1) that passes.</param>
/// <param name="TimeLimitMinutes">For an assessment, how long after starting answers count.</param>
/// <param name="Access">For work, the tracks and tier it needs; null for any admitted person.</param>
/// <param name="Pay">The project's own hourly rate and expected task time; null for the track's rate and the default time.</param>
public sealed record ProjectSettings(
    string Name,
    string Kind,
    int Overlap,
    string Guidelines,
    bool RationaleRequired,
    int RationaleMinChars,
    string? RubricJson = null,
    GoldSettings? Gold = null,
    RepeatSettings? Repeats = null,
    DynamicOverlapSettings? DynamicOverlap = null,
    string? Aggregation = null,
    IReadOnlyList<QualityRule>? Rules = null,
    ReviewSettings? Review = null,
    DefenceSettings? Defences = null,
    string? ServingPolicy = null,
    string? Purpose = null,
    string? Track = null,
    double? PassScore = null,
    int? TimeLimitMinutes = null,
    AccessSettings? Access = null,
    PaySettings? Pay = null)
{
    /// <summary>The largest overlap a project may ask for.</summary>
    public const int MaxOverlap = 50;

    /// <summary>Returns the parsed rubric, or throws a <see cref="ValidationException"/> naming every bad field.</summary>
    public Rubric Validate()
    {
        var errors = new ErrorList();
        if (string.IsNullOrWhiteSpace(Name))
            errors.Add("name", "is required.");
        else if (Name.Length > 200)
            errors.Add("name", "must be at most 200 characters.");
        else if (TextRules.Unsafe(Name) is { } unsafeName)
            errors.Add("name", unsafeName);
        if (!TaskKind.Exists(Kind))
            errors.Add("kind", $"must be one of: {string.Join(", ", TaskKind.Supported)}.");
        if (Overlap is < 1 or > MaxOverlap)
            errors.Add("overlap", $"must be between 1 and {MaxOverlap}.");
        if (Guidelines.Length > 200_000)
            errors.Add("guidelines", "must be at most 200,000 characters.");
        if (RationaleMinChars is < 0 or > 10_000)
            errors.Add("rationale.minChars", "must be between 0 and 10,000.");
        ValidateQuality(Overlap, Gold, Repeats, DynamicOverlap, Review, errors);
        if (Aggregation is not null && TaskKind.Exists(Kind) && TaskKind.Named(Kind).AggregationMethods is var methods && !methods.Contains(Aggregation, StringComparer.Ordinal))
            errors.Add("aggregation", methods.Count == 0 ? $"does not apply to {Kind} projects: their answers are not aggregated." : $"must be one of: {string.Join(", ", methods)}.");
        if (ServingPolicy is not null && !ServingPolicies.Exists(ServingPolicy))
            errors.Add("servingPolicy", ServingPolicies.Problem);
        Defences?.Validate(errors);
        ValidatePurpose(errors);
        Pay?.Validate(errors);
        QualityRules.Validate(Rules ?? [], errors);
        errors.ThrowIfAny();
        var rubric = Rubric.Parse(RubricJson, Kind);
        if (rubric.MultiLabel && Aggregation is AggregationMethods.DawidSkene or AggregationMethods.Mace)
            throw ValidationException.For("aggregation", $"{Aggregation} needs one label per answer; a multi-label project takes trust-weighted or majority.");
        return rubric;
    }

    /// <summary>
    /// Adds an error, naming the field, for each quality setting out of range: the checks a new project and a change to a
    /// running one (PATCH) share, so both answer with the same messages.
    /// </summary>
    public static void ValidateQuality(
        int overlap, GoldSettings? gold, RepeatSettings? repeats, DynamicOverlapSettings? dynamicOverlap, ReviewSettings? review, ErrorList errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (gold is { Rate: not (>= 0 and <= 0.5) })
            errors.Add("gold.rate", "must be between 0 and 0.5: gold measures the work, it is not the work.");
        if (repeats is { Rate: not (>= 0 and <= 0.5) })
            errors.Add("repeats.rate", "must be between 0 and 0.5.");
        if (repeats is { DelayMinutes: < 1 or > 60 * 24 * 90 })
            errors.Add("repeats.delayMinutes", "must be between 1 minute and 90 days.");
        if (dynamicOverlap is { } dynamic && (dynamic.Max < overlap || dynamic.Max > MaxOverlap))
            errors.Add("dynamicOverlap.max", $"must be between the overlap ({overlap}) and {MaxOverlap}.");
        if (dynamicOverlap is { TargetConfidence: not (> 0.5 and <= 1) })
            errors.Add("dynamicOverlap.targetConfidence", "must be above 0.5 and at most 1.");
        if (gold is { Calibration: < 0 or > 50 })
            errors.Add("gold.calibration", "must be between 0 and 50 items.");
        if (review is { SampleRate: not (>= 0 and <= 1) })
            errors.Add("review.sampleRate", "must be between 0 and 1.");
    }

    /// <summary>The longest assessment, in minutes.</summary>
    public const int MaxTimeLimitMinutes = 600;

    private void ValidatePurpose(ErrorList errors)
    {
        if (Purpose is not null && !Purposes.All.Contains(Purpose, StringComparer.Ordinal))
        {
            errors.Add("purpose", $"must be one of: {string.Join(", ", Purposes.All)}.");
            return;
        }

        if (Purpose == Purposes.Assessment)
        {
            if (string.IsNullOrWhiteSpace(Track))
                errors.Add("track", "is required for an assessment: the track passing it qualifies for.");
            if (PassScore is not (> 0 and <= 1))
                errors.Add("passScore", "is required for an assessment: the score that passes, above 0 and at most 1.");
            if (TimeLimitMinutes is not (>= 1 and <= MaxTimeLimitMinutes))
                errors.Add("timeLimitMinutes", $"is required for an assessment: between 1 and {MaxTimeLimitMinutes}.");
            if (Gold is { Feedback: true })
                errors.Add("gold.feedback", "must be off for an assessment: its answers are never revealed.");
            if (Review is { SampleRate: > 0 } or { ShowAnnotators: true })
                errors.Add("review", "does not apply to an assessment: reviewers score its free-text answers anonymously instead.");
            if (Access is not null)
                errors.Add("access", "does not apply to an assessment: it is open to the people who applied for its track.");
            return;
        }

        if (Track is not null)
            errors.Add("track", "applies only to an assessment (purpose \"assessment\"); a work project names its tracks in access.tracks.");
        if (PassScore is not null)
            errors.Add("passScore", "applies only to an assessment.");
        if (TimeLimitMinutes is not null)
            errors.Add("timeLimitMinutes", "applies only to an assessment.");
        Access?.Validate(errors);
    }
}

/// <summary>How a project serves gold items.</summary>
/// <param name="Rate">Share of tasks (0–0.5) served from gold items, at random.</param>
/// <param name="Feedback">After a gold item, tell the annotator whether they matched, and why.</param>
/// <param name="Calibration">Gold items every annotator answers first, before real work.</param>
public sealed record GoldSettings(double Rate = GoldSettings.DefaultRate, bool Feedback = false, int Calibration = 0)
{
    /// <summary>
    /// The share of leases that serve gold when a project does not say: a project with gold uses it; one without gold
    /// is unaffected (gold is only served while some is left).
    /// </summary>
    public const double DefaultRate = 0.1;
}

/// <summary>How a project serves repeats.</summary>
/// <param name="Rate">Share of tasks (0–0.5) that serve an annotator an item they already answered.</param>
/// <param name="DelayMinutes">How long after the first answer the item may come back (default: a day).</param>
public sealed record RepeatSettings(double Rate = 0, int DelayMinutes = 1440);

/// <summary>Dynamic overlap: stop giving an item out once its label reaches the target confidence, up to a maximum.</summary>
/// <param name="Max">The most annotators an item may get.</param>
/// <param name="TargetConfidence">The label confidence at which an item stops.</param>
public sealed record DynamicOverlapSettings(int Max, double TargetConfidence = 0.95);

/// <summary>How a project's annotations reach reviewers.</summary>
/// <param name="SampleRate">Share of submitted annotations (0–1), drawn at random on submission, that go to the review queue
/// even when nothing else sends them there.</param>
/// <param name="ShowAnnotators">Whether reviewers see the pseudonym of the annotator whose work they review.</param>
public sealed record ReviewSettings(double SampleRate = 0, bool ShowAnnotators = false);

/// <summary>
/// A project's defences against annotators who poison labels on purpose (docs/quality.md). On by default, so a new
/// project is defended without configuring anything.
/// </summary>
/// <param name="Enabled">Run the adversary detectors (slice disagreement, collusion, shared rationales) and the influence cap.</param>
/// <param name="AutoQuarantine">Quarantine an annotator when an adversary detector fires: their labels stop counting until
/// an admin restores them.</param>
/// <param name="Alpha">Family-wise false-alarm rate of the collusion detector over the whole project (Bonferroni).</param>
/// <param name="FalseDiscoveryRate">Share of honest annotators the slice detector may expect among those it flags
/// (Benjamini–Hochberg); on a project without adversaries, the chance of flagging anyone at all.</param>
/// <param name="InfluenceCap">Largest share of a slice's labels one annotator, or one group behaving as one, may decide.</param>
/// <param name="SliceClusters">How many slices to find in the prompts of items without <c>metadata.topic</c>.</param>
/// <param name="MinSliceAnswers">Fewest answers an annotator must give in a slice (and outside it) before the slice is tested.</param>
/// <param name="RecheckOverlap">How many annotators beyond the overlap an item may get while its answers disagree, in a
/// slice where an annotator whose labels no longer count was caught disagreeing on purpose; 0 turns rechecks off.</param>
public sealed record DefenceSettings(
    bool Enabled = true, bool AutoQuarantine = true, double Alpha = 0.01, double InfluenceCap = 0.2, int SliceClusters = 8, int MinSliceAnswers = 5,
    double FalseDiscoveryRate = 0.05, int RecheckOverlap = 2)
{
    /// <summary>Adds an error, naming the field, for each setting out of range.</summary>
    public void Validate(ErrorList errors)
    {
        if (!(Alpha is > 0 and <= 0.2))
            errors.Add("defences.alpha", "must be above 0 and at most 0.2.");
        if (!(FalseDiscoveryRate is > 0 and <= 0.2))
            errors.Add("defences.falseDiscoveryRate", "must be above 0 and at most 0.2.");
        if (!(InfluenceCap is >= 0.05 and <= 1))
            errors.Add("defences.influenceCap", "must be between 0.05 and 1 (1 turns the cap off).");
        if (SliceClusters is < 1 or > 50)
            errors.Add("defences.sliceClusters", "must be between 1 and 50.");
        if (MinSliceAnswers is < 3 or > 1000)
            errors.Add("defences.minSliceAnswers", "must be between 3 and 1,000.");
        if (RecheckOverlap is < 0 or > 10)
            errors.Add("defences.recheckOverlap", "must be between 0 and 10 (0 turns rechecks off).");
    }
}

/// <summary>What a project pays (docs/pay.md).</summary>
/// <param name="HourlyRate">The hourly rate paid here instead of the track's, still times the person's tier multiplier; null for the track's.</param>
/// <param name="ExpectedTaskMinutes">How long a task should take: the time paid for a task submitted without a browser's
/// measurement (through the API) stops there.</param>
public sealed record PaySettings(decimal? HourlyRate = null, int ExpectedTaskMinutes = Workforce.PayRules.DefaultExpectedTaskMinutes)
{
    /// <summary>The highest hourly rate a project may set.</summary>
    public const decimal MaxHourlyRate = 10_000m;

    /// <summary>Adds an error, naming the field, for each setting out of range.</summary>
    public void Validate(ErrorList errors)
    {
        if (HourlyRate is { } rate && (rate <= 0 || rate > MaxHourlyRate || decimal.Round(rate, 2) != rate))
            errors.Add("pay.hourlyRate", $"must be above 0 and at most {MaxHourlyRate:0}, in whole cents.");
        if (ExpectedTaskMinutes is < 1 or > 600)
            errors.Add("pay.expectedTaskMinutes", "must be between 1 and 600 minutes.");
    }
}
