namespace Verity.Core.Labels;

/// <summary>Why an item produced no label or export record.</summary>
public enum SkipReason
{
    /// <summary>Fewer submitted annotations than the project's overlap.</summary>
    NotEnoughAnnotations,

    /// <summary>The item's label is a tie: there is no chosen response.</summary>
    Tie,

    /// <summary>The annotators did not settle it: two answers share the most votes, or the label is no more likely than not.</summary>
    SplitVote,
}
