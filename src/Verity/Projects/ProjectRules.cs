using System.Text.Json;
using Verity.Core.Projects;
using Verity.Core.Quality;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Projects;

/// <summary>The project's quality rules and defences.</summary>
public static class ProjectRules
{
    public static IReadOnlyList<QualityRule> Rules(this Project project) =>
        project.RulesJson is null ? QualityRules.Defaults : JsonSerializer.Deserialize<List<QualityRule>>(project.RulesJson, Json.Options)!;

    public static DefenceSettings Defences(this Project project) =>
        project.DefencesJson is null ? new DefenceSettings() : JsonSerializer.Deserialize<DefenceSettings>(project.DefencesJson, Json.Options)!;
}
