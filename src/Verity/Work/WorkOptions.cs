using System.ComponentModel.DataAnnotations;

namespace Verity.Work;

/// <summary>Section "Work".</summary>
public sealed class WorkOptions
{
    /// <summary>How long an item stays leased to one annotator before it returns to the pool.</summary>
    [Range(1, 24 * 60)]
    public int LeaseMinutes { get; set; } = 15;

    /// <summary>
    /// How long after a gold answer it may show in what the annotator sees (their standing and, with gold feedback, their
    /// misses): long enough that many answers lie between, so no single answer can be tied to a change.
    /// </summary>
    [Range(0, 24 * 30)]
    public int GoldRevealHours { get; set; } = 24;

    /// <summary>
    /// Share (0–1] of a project's gold pool each annotator may be served, at least the calibration count: every
    /// annotator meets their own subset, so accounts pooling what they saw still miss much of the key.
    /// </summary>
    [Range(0.01, 1.0)]
    public double GoldPoolShare { get; set; } = 0.5;

    /// <summary>How long after submitting an annotator may reopen the task and change the answer.</summary>
    [Range(0, 24 * 60)]
    public int UndoMinutes { get; set; } = 5;

    /// <summary>Seed for response order and gold and repeat draws; unset, every start differs.</summary>
    public int? Seed { get; set; }
}
