using System.Text.Json;
using Verity.Core.Simulation;

namespace Verity.Simulation;

/// <summary>The shape of <c>verity simulate --json</c>: one object per scenario.</summary>
internal static class SimulationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static object Of(ScenarioResult result) => new
    {
        scenario = result.Scenario.Name,
        description = result.Scenario.Description,
        gated = result.Scenario.Gated,
        attacked = Of(result.Attacked),
        honestCrowd = result.Baseline is null ? null : Of(result.Baseline),
        extraLabels = result.ExtraLabels,
    };

    private static object Of(RunResult run) => new
    {
        export = run.Export,
        majorityVote = run.Majority,
        labels = run.Labels,
        goldLabels = run.GoldLabels,
        adversaries = run.Adversaries,
        adversariesCaught = run.AdversariesCaught,
        honest = run.Honest,
        honestFlagged = run.HonestFlagged,
        seconds = Math.Round(run.Seconds, 1),
        annotators = run.Annotators.Select(a => new
        {
            name = a.Annotator.Name,
            behaviour = a.Annotator.Behaviour,
            skill = a.Annotator.Skill,
            adversary = a.Annotator.Adversary,
            pseudonym = a.Pseudonym,
            labels = a.Labels,
            trust = a.Trust,
            status = a.Status,
            flags = a.Flags,
            caught = a.Caught,
        }),
    };
}
