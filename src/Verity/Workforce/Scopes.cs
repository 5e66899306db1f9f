using Verity.Data;

namespace Verity.Workforce;

/// <summary>
/// What an API token may be used for. A token carries a subset of the scopes its user's role allows; a signed-in
/// browser session carries them all. The authorization policies name the scope each one needs.
/// </summary>
public static class Scopes
{
    public const string Annotate = "annotate";
    public const string Review = "review";
    public const string Projects = "projects";
    public const string Export = "export";
    public const string Admin = "admin";

    /// <summary>The claim type a token's scopes travel in.</summary>
    public const string Claim = "scope";

    public static readonly IReadOnlyList<string> All = [Annotate, Review, Projects, Export, Admin];

    /// <summary>The scopes that mean something for a role; a token of that role defaults to all of them.</summary>
    public static IReadOnlyList<string> ForRole(string role) => role switch
    {
        Roles.Annotator => [Annotate],
        Roles.Reviewer => [Review],
        Roles.Requester => [Projects, Review, Export],
        _ => All,
    };
}
