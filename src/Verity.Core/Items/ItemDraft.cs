namespace Verity.Core.Items;

/// <summary>One response shown to annotators, named by an id the requester chose ("a", "b", …).</summary>
public sealed record Response(string Id, string Text);

/// <summary>A validated import line, not yet stored.</summary>
/// <param name="ExternalId">The requester's own id, unique within the project.</param>
/// <param name="Prompt">What the model was asked.</param>
/// <param name="Responses">The model responses to judge, in the requester's order.</param>
/// <param name="MetadataJson">The line's metadata object as JSON text, kept verbatim; "{}" when absent.</param>
/// <param name="Reference">Material shown beside the task (a source to summarise, an API to use), if any.</param>
/// <param name="Gold">For a gold item, the expected answer in the stored shape of the kind; null otherwise.</param>
/// <param name="GoldExplanation">Why the gold answer is right, shown to annotators after they submit if the project allows.</param>
/// <param name="ScoresJson">A model's scores for the item (see <see cref="ModelScores"/>), canonical JSON; null when none were given.</param>
public sealed record ItemDraft(
    string ExternalId, string Prompt, IReadOnlyList<Response> Responses, string MetadataJson, string? Reference = null, object? Gold = null, string? GoldExplanation = null, string? ScoresJson = null);
