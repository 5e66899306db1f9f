using System.Text.Json;
using Verity.Core.Quality;
using Verity.Data;
using Verity.Infrastructure;

namespace Verity.Projects;

/// <summary>The project's quality rules.</summary>
public static class ProjectRules
{
    public static IReadOnlyList<QualityRule> Rules(this Project project) =>
        project.RulesJson is null ? QualityRules.Defaults : JsonSerializer.Deserialize<List<QualityRule>>(project.RulesJson, Json.Options)!;
}
