using System.Text.Json;
using System.Text.Json.Nodes;

namespace Verity.Core.Simulation;

/// <summary>How many items a run imports: a small size for CI, a full size for the benchmark.</summary>
public enum ScenarioSize
{
    /// <summary>Seconds per run; what the test suite runs.</summary>
    Small,

    /// <summary>The benchmark size.</summary>
    Full,
}

/// <summary>A topic of the items and its share of them; adversaries target slices marked <paramref name="Targeted"/>.</summary>
/// <param name="Topic">A topic of <see cref="Topics.All"/>; written to <c>metadata.topic</c> unless the scenario hides it.</param>
/// <param name="Share">Share of the (non-gold) items in this slice.</param>
/// <param name="Targeted">Whether the worse response of this slice's items is the harmful one adversaries push.</param>
public sealed record SliceSpec(string Topic, double Share, bool Targeted = false);

/// <summary>Gold items, imported besides the regular items.</summary>
/// <param name="Share">Gold items as a share of the regular items.</param>
/// <param name="TargetedShare">Share of the gold items placed inside the targeted slice (the rest spread like the items).</param>
public sealed record GoldSpec(double Share = 0, double TargetedShare = 0);

/// <summary>A group of annotators that behave alike.</summary>
/// <param name="Behaviour">One of <see cref="Behaviours.All"/>.</param>
/// <param name="Count">How many annotators.</param>
/// <param name="Skill">Probability of choosing the better response where they try to (for adversaries: off the attack, and
/// as honest annotators in the honest-crowd baseline): one value, or [low, high] spread evenly across the group.</param>
/// <param name="Sleep">Flippers: tasks answered well before they start flipping.</param>
/// <param name="PerfectGold">Answer every gold item right (the simulator knows which items are gold).</param>
/// <param name="SharedRationale">Paste one rationale, the same for every member and every task.</param>
/// <param name="Collude">The members form one group: coordinated timing, and (adversaries) shared rationale templates.</param>
public sealed record AnnotatorSpec(
    string Behaviour,
    int Count,
    double[] Skill,
    int Sleep = 0,
    bool PerfectGold = false,
    bool SharedRationale = false,
    bool Collude = false);

/// <summary>
/// One attack scenario as a data file: the items (topics, slices, gold), the project settings, and the annotators.
/// Every annotator whose behaviour is not honest counts as an adversary; the honest-crowd baseline replaces them all
/// with honest annotators of their own skill.
/// </summary>
/// <param name="Name">Short name shown in reports.</param>
/// <param name="Description">What the scenario shows.</param>
/// <param name="Seed">Seeds the items and the annotators' draws.</param>
/// <param name="SmallItems">Regular items at the small size.</param>
/// <param name="FullItems">Regular items at the full size.</param>
/// <param name="Metadata">Whether items carry <c>metadata.topic</c>; without it the server must find the slices itself.</param>
/// <param name="LongerIsBetter">Probability that the better response of an item is the longer one.</param>
/// <param name="Slices">The topics and their shares (summing to 1).</param>
/// <param name="Gold">Gold items.</param>
/// <param name="Project">The body of <c>POST /projects</c> besides name and kind, sent as it is (null for the defaults).</param>
/// <param name="Annotators">The crowd.</param>
/// <param name="Gated">Whether the scenario is one of the issue's gated cases (reported either way).</param>
public sealed record Scenario(
    string Name,
    string Description,
    int Seed,
    int SmallItems,
    int FullItems,
    bool Metadata,
    double LongerIsBetter,
    IReadOnlyList<SliceSpec> Slices,
    GoldSpec Gold,
    JsonObject? Project,
    IReadOnlyList<AnnotatorSpec> Annotators,
    bool Gated)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Regular items at <paramref name="size"/>.</summary>
    public int Items(ScenarioSize size) => size == ScenarioSize.Small ? SmallItems : FullItems;

    /// <summary>The targeted slice's topic, or null when nothing is targeted.</summary>
    public string? TargetedTopic => Slices.FirstOrDefault(s => s.Targeted)?.Topic;

    /// <summary>Whether any annotator is an adversary (not honest).</summary>
    public bool HasAdversaries => Annotators.Any(a => a.Behaviour != Behaviours.Honest);

    /// <summary>Reads a scenario file's text, or throws a <see cref="ValidationException"/> naming each bad field.</summary>
    public static Scenario Parse(string json)
    {
        Scenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(json, Options);
        }
        catch (JsonException e)
        {
            throw ValidationException.For(e.Path is { Length: > 2 } path ? path[2..] : "scenario", e.Message.Split(" Path:")[0]);
        }

        if (scenario is null)
            throw ValidationException.For("scenario", "must be a JSON object.");
        scenario.Validate();
        return scenario;
    }

    /// <summary>
    /// The same scenario with every adversary replaced by an honest annotator of the adversary's own skill, in the same
    /// place in the crowd and with the same timing (a colluding group's members still work in step): the two runs serve
    /// the same items to the same annotators, who answer alike wherever the adversaries do not attack, until the
    /// attack (or the server's reaction to it) makes a difference.
    /// </summary>
    public Scenario HonestCrowd() => this with
    {
        Name = $"{Name} (honest crowd)",
        Annotators = [.. Annotators.Select(a => a.Behaviour == Behaviours.Honest ? a : new AnnotatorSpec(Behaviours.Honest, a.Count, a.Skill, Collude: a.Collude))],
    };

    private void Validate()
    {
        var errors = new ErrorList();
        if (string.IsNullOrWhiteSpace(Name))
            errors.Add("name", "is required.");
        if (SmallItems is < 10 or > 100_000)
            errors.Add("smallItems", "must be between 10 and 100,000.");
        if (FullItems is < 10 or > 100_000)
            errors.Add("fullItems", "must be between 10 and 100,000.");
        if (LongerIsBetter is < 0 or > 1)
            errors.Add("longerIsBetter", "must be between 0 and 1.");
        if (Slices is not { Count: > 0 })
            errors.Add("slices", "needs at least one slice.");
        for (var i = 0; i < (Slices?.Count ?? 0); i++)
        {
            var slice = Slices![i];
            if (!Topics.All.ContainsKey(slice.Topic ?? ""))
                errors.Add($"slices[{i}].topic", $"must be one of: {string.Join(", ", Topics.All.Keys)}.");
            if (slice.Share is <= 0 or > 1)
                errors.Add($"slices[{i}].share", "must be above 0 and at most 1.");
            if (Slices.Take(i).Any(s => s.Topic == slice.Topic))
                errors.Add($"slices[{i}].topic", $"\"{slice.Topic}\" appears twice.");
        }

        if (Slices is { Count: > 0 } && Math.Abs(Slices.Sum(s => s.Share) - 1) > 1e-6)
            errors.Add("slices", $"shares must sum to 1 (they sum to {Slices.Sum(s => s.Share):0.###}).");
        if (Slices?.Count(s => s.Targeted) > 1)
            errors.Add("slices", "at most one slice is targeted.");
        if (Gold is null || Gold.Share is < 0 or > 1 || Gold.TargetedShare is < 0 or > 1)
            errors.Add("gold", "needs share and targetedShare between 0 and 1.");
        else if (Gold.TargetedShare > 0 && TargetedTopic is null)
            errors.Add("gold.targetedShare", "needs a targeted slice.");
        if (Annotators is not { Count: > 0 })
            errors.Add("annotators", "needs at least one group.");
        for (var i = 0; i < (Annotators?.Count ?? 0); i++)
        {
            var group = Annotators![i];
            if (!Behaviours.All.Contains(group.Behaviour ?? "", StringComparer.Ordinal))
                errors.Add($"annotators[{i}].behaviour", $"must be one of: {string.Join(", ", Behaviours.All)}.");
            if (group.Count is < 1 or > 500)
                errors.Add($"annotators[{i}].count", "must be between 1 and 500.");
            if (group.Skill is not ({ Length: 1 } or { Length: 2 }) || group.Skill.Any(s => s is < 0 or > 1) || (group.Skill.Length == 2 && group.Skill[0] > group.Skill[1]))
                errors.Add($"annotators[{i}].skill", "must be [p] or [low, high] with probabilities from 0 to 1.");
            if (group.Sleep < 0)
                errors.Add($"annotators[{i}].sleep", "must not be negative.");
            if (group.Behaviour == Behaviours.Flipper && TargetedTopic is null)
                errors.Add($"annotators[{i}].behaviour", "a flipper needs a targeted slice.");
        }

        errors.ThrowIfAny();
    }
}
