using System.Runtime.CompilerServices;
using Verity.Core.Projects;
using Verity.Data;

namespace Verity.Infrastructure;

/// <summary>The typed values behind a stored project's JSON columns, read one way everywhere.</summary>
internal static class Stored
{
    private static readonly ConditionalWeakTable<Project, Tuple<string?, Rubric>> Rubrics = [];

    /// <summary>The project's task kind.</summary>
    public static TaskKind TaskKind(this Project project) => Core.Projects.TaskKind.Named(project.Kind);

    /// <summary>The project's rubric, parsed once per loaded project (a request's) rather than at every use.</summary>
    public static Rubric Rubric(this Project project)
    {
        if (Rubrics.TryGetValue(project, out var cached) && ReferenceEquals(cached.Item1, project.RubricJson))
            return cached.Item2;
        var rubric = Core.Projects.Rubric.Parse(project.RubricJson, project.Kind);
        Rubrics.AddOrUpdate(project, new Tuple<string?, Rubric>(project.RubricJson, rubric));
        return rubric;
    }
}
