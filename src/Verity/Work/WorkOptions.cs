using System.ComponentModel.DataAnnotations;

namespace Verity.Work;

/// <summary>Section "Work".</summary>
public sealed class WorkOptions
{
    /// <summary>How long an item stays leased to one annotator before it returns to the pool.</summary>
    [Range(1, 24 * 60)]
    public int LeaseMinutes { get; set; } = 15;

    /// <summary>How long after submitting an annotator may reopen the task and change the answer.</summary>
    [Range(0, 24 * 60)]
    public int UndoMinutes { get; set; } = 5;

    /// <summary>Seed for response order and gold and repeat draws; unset, every start differs.</summary>
    public int? Seed { get; set; }
}
