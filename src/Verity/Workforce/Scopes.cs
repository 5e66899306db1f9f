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

    /// <summary>
    /// Grants nothing by itself: a token that carries it is held to the submission limit configured for it
    /// (<c>RateLimits:ScopeSubmissionsPerMinute</c>), for machine judges and bulk corrections. Never given by default.
    /// </summary>
    public const string Bulk = "bulk";

    /// <summary>The claim type a token's scopes travel in.</summary>
    public const string Claim = "scope";

    public static readonly IReadOnlyList<string> All = [Annotate, Review, Projects, Export, Admin, Bulk];

    /// <summary>The scopes a token of the role may carry.</summary>
    public static IReadOnlyList<string> ForRole(string role) => role switch
    {
        Roles.Annotator => [Annotate, Bulk],
        Roles.Reviewer => [Review],
        Roles.Requester => [Projects, Review, Export],
        _ => All,
    };

    /// <summary>What a browser session and a token issued without scopes get: the role's scopes but <see cref="Bulk"/>, which is asked for by name.</summary>
    public static IReadOnlyList<string> DefaultFor(string role) => [.. ForRole(role).Where(s => s != Bulk)];
}
