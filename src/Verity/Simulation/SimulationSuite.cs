using System.Text.Json;
using Verity.Core.Simulation;

namespace Verity.Simulation;

/// <summary>Runs scenarios, each beside its honest-crowd baseline; scenarios that share a baseline run it once.</summary>
internal static class SimulationSuite
{
    /// <summary>The scenario files named: files as they are, folders as their *.json files in name order.</summary>
    public static IReadOnlyList<(string Path, Scenario Scenario)> Load(IEnumerable<string> paths) =>
    [
        .. paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*.json").Order(StringComparer.Ordinal) : new[] { p }.AsEnumerable())
            .Select(path =>
            {
                try
                {
                    return (path, Scenario.Parse(File.ReadAllText(path)));
                }
                catch (Core.ValidationException e)
                {
                    throw new Core.ValidationException(e.Errors.ToDictionary(x => $"{Path.GetFileName(path)}: {x.Key}", x => x.Value, StringComparer.Ordinal));
                }
            }),
    ];

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(
        IReadOnlyList<Scenario> scenarios, ScenarioSize size, string? db, Action<string> progress, CancellationToken cancellationToken)
    {
        var baselines = new Dictionary<string, RunResult>(StringComparer.Ordinal);
        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            progress($"{scenario.Name}: running {Behaviours.Crowd(scenario).Count} annotators on {scenario.Items(size)} items");
            var attacked = await SimulationRun.RunAsync(scenario, size, db, progress, cancellationToken);
            progress($"{scenario.Name}: {attacked.Labels + attacked.GoldLabels} answers in {attacked.Seconds:0.0} s");
            RunResult? baseline = null;
            if (scenario.HasAdversaries)
            {
                var honest = scenario.HonestCrowd();
                // What differs only in name or description is the same run.
                var key = JsonSerializer.Serialize(honest with { Name = "", Description = "", Gated = false });
                if (!baselines.TryGetValue(key, out baseline))
                {
                    progress($"{scenario.Name}: running the honest-crowd baseline");
                    baseline = baselines[key] = await SimulationRun.RunAsync(honest, size, db, progress, cancellationToken);
                }
            }

            results.Add(new ScenarioResult(scenario, attacked, baseline));
        }

        return results;
    }
}
