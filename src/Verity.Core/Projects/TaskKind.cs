namespace Verity.Core.Projects;

/// <summary>The kinds of work a project can ask for. Stored by name.</summary>
public static class TaskKind
{
    /// <summary>Compare two responses to one prompt and choose the better (or a tie).</summary>
    public const string Pairwise = "pairwise";

    /// <summary>Kinds this version accepts on create.</summary>
    public static readonly IReadOnlyList<string> Supported = [Pairwise];
}
