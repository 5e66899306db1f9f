namespace Verity.Data;

/// <summary>A person or automation account. Role is one of <see cref="Roles"/>.</summary>
public sealed class User
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }
    public string? PasswordHash { get; set; }

    /// <summary>What operators' lists show beside the name; requesters, reviewers and exports see the per-project pseudonym instead.</summary>
    public required string Pseudonym { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Set when an admin disabled the user: no sign-in, no session, no token works until enabled again.</summary>
    public DateTime? DisabledAt { get; set; }

    /// <summary>Failed sign-ins since the last success; each one past the allowance doubles the wait.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>No sign-in attempt for this account is checked before this time.</summary>
    public DateTime? SignInBlockedUntil { get; set; }

    /// <summary>What an applicant wrote about themselves when signing up; untrusted text.</summary>
    public string? Background { get; set; }

    /// <summary>Space-separated ids of the tracks the person applied for; their assessments are the ones they may take.</summary>
    public string AppliedTracks { get; set; } = "";
}

/// <summary>A kind of work people qualify for, with its starting hourly rate (tier 1).</summary>
public sealed class Track
{
    /// <summary>A slug such as general, coding or stem.</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    public decimal HourlyRate { get; set; }
    public required string Currency { get; set; }

    /// <summary>Where the track is listed.</summary>
    public int Position { get; set; }
}

/// <summary>A person may work in a track at a tier; without a row here they may not. Changed only with a <see cref="TierChange"/>.</summary>
public sealed class Qualification
{
    public Guid UserId { get; set; }
    public required string TrackId { get; set; }

    /// <summary>1 is the first tier.</summary>
    public int Tier { get; set; }
    public DateTime QualifiedAt { get; set; }
}

/// <summary>One change of a person's standing in a track, with its reason; the history shown to them and to operators.</summary>
public sealed class TierChange
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string TrackId { get; set; }

    /// <summary>Null when the person qualified by this change.</summary>
    public int? FromTier { get; set; }

    /// <summary>Null when the person lost the track by this change.</summary>
    public int? ToTier { get; set; }
    public required string Reason { get; set; }
    public DateTime At { get; set; }

    /// <summary>Who decided; null for an automatic change.</summary>
    public Guid? ByUserId { get; set; }
}

/// <summary>
/// A person's one attempt at an assessment project. The database allows one unreset attempt per person and
/// assessment; an operator's reset (with a reason) allows another.
/// </summary>
public sealed class AssessmentAttempt
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid UserId { get; set; }
    public DateTime StartedAt { get; set; }

    /// <summary>Answers submitted after this time do not count.</summary>
    public DateTime DeadlineAt { get; set; }

    /// <summary>The final score (0–1), set when every part is scored.</summary>
    public double? Score { get; set; }
    public bool? Passed { get; set; }
    public DateTime? DecidedAt { get; set; }
    public DateTime? ResetAt { get; set; }
    public Guid? ResetById { get; set; }
    public string? ResetReason { get; set; }
}

/// <summary>A reviewer's score (0–1) of one free-text answer in an assessment, against the question's rubric.</summary>
public sealed class AssessmentScore
{
    public Guid Id { get; set; }
    public Guid AnnotationId { get; set; }
    public Guid ProjectId { get; set; }
    public Guid ReviewerId { get; set; }
    public double Score { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A bearer token for automation; only its SHA-256 is stored.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>What the owner calls it, to tell tokens apart when listing or revoking.</summary>
    public string Name { get; set; } = "";

    /// <summary>Space-separated scopes (see Verity.Workforce.Scopes); a token can do no more than its scopes and its user's role allow.</summary>
    public string Scopes { get; set; } = "";
    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>
/// A browser sign-in. The cookie names the session; ending the row (sign-out, password change, disabling the user)
/// ends the cookie's access on its next request.
/// </summary>
public sealed class Session
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    public DateTime? EndedAt { get; set; }
}

/// <summary>One security-relevant event. Append-only: the database refuses updates and deletes.</summary>
public sealed class AuditEvent
{
    public Guid Id { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>A dotted name such as sign-in.failed or token.revoked.</summary>
    public required string Kind { get; set; }

    /// <summary>Who acted, when known; the name is kept as typed for failed sign-ins of unknown names.</summary>
    public Guid? ActorId { get; set; }
    public string? ActorName { get; set; }
    public Guid? ProjectId { get; set; }

    /// <summary>What the event is about: a user name, a token id, a pseudonym, an export format.</summary>
    public string? Subject { get; set; }
    public string? Detail { get; set; }

    /// <summary>The client address as the server saw it (after a configured proxy's forwarded headers).</summary>
    public string? Address { get; set; }
}

public sealed class Project
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public int Overlap { get; set; }
    public bool RationaleRequired { get; set; }
    public int RationaleMinChars { get; set; }

    /// <summary>The answer schema (dimensions, labels, flags, options) as JSON; see Verity.Core.Projects.Rubric.</summary>
    public required string RubricJson { get; set; }

    /// <summary>With dynamic overlap, the most annotators an item may get (0: fixed overlap). <see cref="Overlap"/> is then the minimum.</summary>
    public int DynamicMax { get; set; }

    /// <summary>With dynamic overlap, the confidence at which an item stops receiving annotators.</summary>
    public double TargetConfidence { get; set; } = 0.95;

    /// <summary>Share of tasks (0–1) served from gold items.</summary>
    public double GoldRate { get; set; }

    /// <summary>Whether an annotator is told, after submitting a gold item, if they matched and why.</summary>
    public bool GoldFeedback { get; set; }

    /// <summary>Gold items every annotator answers before real work.</summary>
    public int CalibrationItems { get; set; }

    /// <summary>Share of tasks (0–1) that serve an annotator an item they already answered, once, after the delay.</summary>
    public double RepeatRate { get; set; }

    /// <summary>How long after the first answer an item may come back as a repeat.</summary>
    public int RepeatDelayMinutes { get; set; } = 1440;

    /// <summary>How answers become an item's label (see Verity.Core.Projects.AggregationMethods); empty for kinds not aggregated.</summary>
    public required string Aggregation { get; set; }

    /// <summary>The quality rules as JSON, most severe first; null for the platform defaults.</summary>
    public string? RulesJson { get; set; }

    /// <summary>The defences against poisoning annotators as JSON; null for the defaults (on).</summary>
    public string? DefencesJson { get; set; }

    /// <summary>Share of annotations (0–1) drawn into the review queue on submission.</summary>
    public double ReviewSampleRate { get; set; }

    /// <summary>Whether the review queue shows each annotation's annotator pseudonym; anonymous otherwise.</summary>
    public bool ReviewersSeeAnnotators { get; set; }

    /// <summary>The guideline version annotators work under now.</summary>
    public int GuidelineVersion { get; set; }

    /// <summary>The order open items are served in, one of Verity.Core.Work.ServingPolicies.</summary>
    public required string ServingPolicy { get; set; }

    /// <summary>"work", or "assessment": a test that qualifies people for <see cref="AssessmentTrackId"/>.</summary>
    public string Purpose { get; set; } = "work";
    public string? AssessmentTrackId { get; set; }

    /// <summary>For an assessment, the score (0–1) that passes.</summary>
    public double? PassScore { get; set; }
    public int? TimeLimitMinutes { get; set; }

    /// <summary>Space-separated ids of the tracks that may work here (any one suffices); empty: any admitted annotator.</summary>
    public string AccessTracks { get; set; } = "";

    /// <summary>The lowest tier, in one of <see cref="AccessTracks"/>, that may work here.</summary>
    public int MinTier { get; set; } = 1;
    /// <summary>The hourly rate paid here instead of the track's (still times the tier's multiplier); null for the track's.</summary>
    public decimal? HourlyRate { get; set; }

    /// <summary>How long a task here should take; the time paid for a task submitted without a browser's measurement stops there.</summary>
    public int ExpectedTaskMinutes { get; set; } = 10;
    public DateTime CreatedAt { get; set; }
}

public sealed class GuidelineVersion
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public int Version { get; set; }
    public required string Markdown { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class Item
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public required string ExternalId { get; set; }
    public required string Prompt { get; set; }

    /// <summary>JSON array of {id,text} in the requester's order.</summary>
    public required string ResponsesJson { get; set; }
    public required string MetadataJson { get; set; }

    /// <summary>Material shown beside the task, if the requester gave any.</summary>
    public string? Reference { get; set; }

    /// <summary>A gold item carries a hidden expected answer; it is served to every annotator once and never aggregated.</summary>
    public bool IsGold { get; set; }

    /// <summary>The expected answer, in the stored answer shape of the project's kind; never sent before submission.</summary>
    public string? GoldJson { get; set; }
    public string? GoldExplanation { get; set; }

    /// <summary>How many annotations the item needs now: the project's overlap, or, with dynamic overlap, fewer once
    /// the label is confident and more (up to the maximum) while annotators disagree.</summary>
    public int TargetOverlap { get; set; }

    /// <summary>The live aggregated label (a response id, "tie", or a class label), null until labelled or for kinds without one.</summary>
    public string? Label { get; set; }

    /// <summary>Posterior probability of <see cref="Label"/>.</summary>
    public double? Confidence { get; set; }

    /// <summary>Submitted annotations; only ever changed while the item row is locked by the work service.</summary>
    public int SubmittedCount { get; set; }

    /// <summary>The item's place in the project's import order (ids made in the same millisecond do not sort by it).</summary>
    public long Position { get; set; }

    /// <summary>The item's fixed random key in [0, 1), which the random policy walks (Verity.Core.Work.ServingPolicies.ItemKey).</summary>
    public double ServeKey { get; set; }

    /// <summary>How certain the item's label is now (Verity.Core.Work.Certainty), kept current with the label and the
    /// model's scores; the uncertainty-first policy serves the lowest first.</summary>
    public double Certainty { get; set; }

    /// <summary>
    /// The item lies in a slice where an excluded annotator was caught disagreeing on purpose, so its label is decided
    /// under a stricter overlap (contested answers get more annotators); set and cleared by the quality pass.
    /// </summary>
    public bool Recheck { get; set; }

    /// <summary>The model's scores for the item as JSON (Verity.Core.Items.ModelScores), null until a model scored it.</summary>
    public string? ScoresJson { get; set; }

    /// <summary>
    /// The item's counted leases: open (unsubmitted) real leases, including every one that has not expired, so the lease
    /// queries read the item's live leases from its own row. Leases run out without a write, so the count may still hold
    /// lapsed ones; it is exact while <see cref="LeaseExpiresAt"/> lies in the future, and is recounted from the
    /// assignments when it does not. Kept for real items only (not gold, not repeats), while the item row is locked.
    /// </summary>
    public int LeasedCount { get; set; }

    /// <summary>No counted lease expires before this (null when none is counted).</summary>
    public DateTime? LeaseExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>An item leased to one annotator until <see cref="ExpiresAt"/>; at most one per item and annotator, plus one repeat.</summary>
public sealed class Assignment
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid ItemId { get; set; }
    public Guid AnnotatorId { get; set; }

    /// <summary>JSON array of response ids in the order this annotator saw them.</summary>
    public required string ShownOrderJson { get; set; }
    public DateTime LeasedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? SubmittedAt { get; set; }

    /// <summary>A reviewer rejected the answer: the lease no longer counts toward the item's overlap.</summary>
    public bool Rejected { get; set; }

    /// <summary>A second serving of an item the annotator already answered, to measure self-consistency; never a label.</summary>
    public bool IsRepeat { get; set; }

    /// <summary>The model's scores for the item when it was leased (its <see cref="Item.ScoresJson"/> then), null when it had none.</summary>
    public string? ServedScoresJson { get; set; }
}

/// <summary>One submitted answer. Append-only: the database refuses updates and deletes.</summary>
public sealed class Annotation
{
    public Guid Id { get; set; }
    public Guid AssignmentId { get; set; }
    public Guid ProjectId { get; set; }
    public Guid ItemId { get; set; }
    public Guid AnnotatorId { get; set; }
    public int GuidelineVersion { get; set; }
    public required string ShownOrderJson { get; set; }

    /// <summary>The answer in the task kind's JSON shape, e.g. {"choice":"a","strength":2}.</summary>
    public required string AnswerJson { get; set; }
    public string? Rationale { get; set; }

    /// <summary>JSON array of {name, note} flags raised with this answer.</summary>
    public string FlagsJson { get; set; } = "[]";

    /// <summary>A raised flag asks for the owner's attention; the item is in the escalation queue.</summary>
    public bool Escalated { get; set; }

    /// <summary>On a gold item, how well the answer matched the expected one (0–1); null elsewhere or when not scored.</summary>
    public double? GoldScore { get; set; }

    /// <summary>Drawn once on submission at the project's review sample rate; the annotation waits in the review queue.</summary>
    public bool ReviewSampled { get; set; }
    public double SecondsSpent { get; set; }
    /// <summary>
    /// The seconds paid for this task: the browser's count of time with the tab visible and recent input (never more
    /// than lease to submit), or, without a browser, lease to submit capped by the project's expected task time. Null
    /// for annotations stored before time was measured.
    /// </summary>
    public int? ActiveSeconds { get; set; }
    public required string IdempotencyKey { get; set; }

    /// <summary>The annotation of the same lease this one replaces (an annotator's undo); only the newest counts.</summary>
    public Guid? SupersedesId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The unsubmitted answer of one lease as last typed, in the submission shape; deleted on submit or skip.</summary>
public sealed class Draft
{
    public Guid AssignmentId { get; set; }
    public required string AnswerJson { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An annotator gave a leased item back without answering, for one of the project's reasons; it counts towards nothing.</summary>
public sealed class Skip
{
    public Guid Id { get; set; }
    public Guid AssignmentId { get; set; }
    public Guid ProjectId { get; set; }
    public Guid ItemId { get; set; }
    public Guid AnnotatorId { get; set; }
    public required string Reason { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A reviewer's decision on one annotation; a correction is a new annotation by the reviewer.</summary>
public sealed class Review
{
    public Guid Id { get; set; }
    public Guid AnnotationId { get; set; }
    public Guid ProjectId { get; set; }
    public Guid ReviewerId { get; set; }

    /// <summary>accept, reject or correct.</summary>
    public required string Decision { get; set; }
    public string? Feedback { get; set; }
    public Guid? CorrectionId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// An admin or the project's owner restored an annotator whom the project's rules removed or who was quarantined;
/// nothing about their work is deleted. AdminId is whoever decided.
/// </summary>
public sealed class Restoration
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid AnnotatorId { get; set; }
    public Guid AdminId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// An owner or admin held an annotator's labels out of a project pending their decision, and said why. A later
/// <see cref="Restoration"/> lifts it; nothing about their work is deleted.
/// </summary>
public sealed class Quarantine
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid AnnotatorId { get; set; }
    public Guid DecidedById { get; set; }
    public required string Reason { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// An annotator's measures in one project as last computed from the annotations: derived data, replaced on each
/// recomputation (the annotations it comes from stay append-only).
/// </summary>
public sealed class AnnotatorQuality
{
    public Guid ProjectId { get; set; }
    public Guid AnnotatorId { get; set; }

    /// <summary>The weight of their labels: their trust, or 0 when a rule removed them or weighs them zero.</summary>
    public double Weight { get; set; }

    /// <summary>active, or the status of the first rule that fired.</summary>
    public required string Status { get; set; }

    /// <summary>Their confusion matrix under the project's fitted model (JSON, true class by given class), when fitted.</summary>
    public string? MatrixJson { get; set; }

    /// <summary>The report GET /projects/{id}/annotators returns for them, as JSON.</summary>
    public required string ReportJson { get; set; }
}

/// <summary>
/// One key of the ASP.NET Core data-protection key ring (it signs and encrypts sign-in cookies and antiforgery tokens),
/// kept in the database so every node serving it reads the same ring.
/// </summary>
public sealed class DataProtectionKeyRow
{
    public Guid Id { get; set; }
    public required string FriendlyName { get; set; }
    public required string Xml { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>When a project's measures were last computed, from what, and the fitted model's classes.</summary>
public sealed class ProjectQuality
{
    public Guid ProjectId { get; set; }

    /// <summary>Counts of what the measures depend on (annotations, reviews, restorations and quarantines); another stamp means stale.</summary>
    public required string Stamp { get; set; }

    /// <summary>The fitted model's class names and prior as JSON, when the project's method fits one.</summary>
    public string? ClassesJson { get; set; }
    public string? PriorJson { get; set; }
    public DateTime ComputedAt { get; set; }
}

/// <summary>An annotator opened this guideline version; work continues only after the current version is opened.</summary>
public sealed class GuidelineAck
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid AnnotatorId { get; set; }
    public int Version { get; set; }
    public DateTime AcknowledgedAt { get; set; }
}

/// <summary>A reviewer assigned to a project: reviewers see and decide only the review queues of their projects.</summary>
public sealed class ProjectReviewer
{
    public Guid Id { get; set; }
    public Guid ProjectId { get; set; }
    public Guid ReviewerId { get; set; }
    public DateTime AssignedAt { get; set; }
}

/// <summary>A secret the server keeps in its database so every node on it agrees, such as the key of the per-project pseudonyms.</summary>
public sealed class ServerSecret
{
    public required string Name { get; set; }

    /// <summary>Base64.</summary>
    public required string Value { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The roles a user can hold.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Requester = "requester";
    public const string Reviewer = "reviewer";
    public const string Annotator = "annotator";

    public static readonly IReadOnlyList<string> All = [Admin, Requester, Reviewer, Annotator];
}

/// <summary>
/// One line of a person's earnings. Append-only: the database refuses updates and deletes, so a mistake is corrected
/// by a new entry (an adjustment naming the one it corrects), never by editing. Amounts are exact decimals.
/// </summary>
public sealed class LedgerEntry
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }

    /// <summary>One of <see cref="LedgerKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The project the work or the adjustment is about, if any.</summary>
    public Guid? ProjectId { get; set; }

    /// <summary>The track that paid a time entry; null for a project rate paid without a qualification, and for money entries without one.</summary>
    public string? TrackId { get; set; }

    /// <summary>The annotation a time entry pays; at most one time entry per annotation.</summary>
    public Guid? AnnotationId { get; set; }

    /// <summary>Active seconds paid (time entries); 0 for adjustments and bonuses.</summary>
    public int Seconds { get; set; }

    /// <summary>The base hourly rate a time entry was paid at (the project's or the track's).</summary>
    public decimal? HourlyRate { get; set; }

    /// <summary>The tier multiplier a time entry was paid at.</summary>
    public decimal? Multiplier { get; set; }

    /// <summary>The money, rounded to the cent once, when the entry was written; negative for a correction that takes back.</summary>
    public decimal Amount { get; set; }
    public required string Currency { get; set; }

    /// <summary>Why an operator wrote an adjustment or bonus; null for time entries.</summary>
    public string? Reason { get; set; }

    /// <summary>The entry an adjustment corrects, if it corrects one.</summary>
    public Guid? CorrectsId { get; set; }

    /// <summary>The operator who wrote it; null for time entries, which the submission writes.</summary>
    public Guid? ByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The kinds of ledger entry.</summary>
public static class LedgerKinds
{
    public const string Time = "time";
    public const string Adjustment = "adjustment";
    public const string Bonus = "bonus";

    public static readonly IReadOnlyList<string> All = [Time, Adjustment, Bonus];
}

/// <summary>An operator paid a period: every entry it paid is listed in <see cref="PayoutEntry"/>. Append-only.</summary>
public sealed class Payout
{
    public Guid Id { get; set; }

    /// <summary>The period's first and last day (UTC), inclusive.</summary>
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public Guid ByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A ledger entry paid by a payout. The entry is the key, so no entry is ever paid twice. Append-only.</summary>
public sealed class PayoutEntry
{
    public Guid EntryId { get; set; }
    public Guid PayoutId { get; set; }
}
