namespace Verity.Core.Simulation;

/// <summary>One simulated annotator.</summary>
/// <param name="Index">Place in the crowd (0-based); the honest-crowd baseline keeps it.</param>
/// <param name="Behaviour">One of <see cref="Behaviours.All"/>.</param>
/// <param name="Skill">Probability of choosing the better response where the annotator tries to.</param>
/// <param name="Sleep">Flippers: tasks answered well before flipping.</param>
/// <param name="PerfectGold">Answers gold items right, whatever else it does.</param>
/// <param name="SharedRationale">Pastes one rationale for every task.</param>
/// <param name="Group">The colluding group (index of its scenario entry), or null.</param>
public sealed record SimAnnotator(int Index, string Behaviour, double Skill, int Sleep, bool PerfectGold, bool SharedRationale, int? Group)
{
    /// <summary>Whether the annotator counts as an adversary in reports (every behaviour but honest).</summary>
    public bool Adversary => Behaviour != Behaviours.Honest;

    /// <summary>A readable name for the account.</summary>
    public string Name => $"{Behaviour}-{Index + 1:D2}";
}

/// <summary>A task as the annotator sees it: the item it recognises, the responses in shown order, and how many tasks it did before.</summary>
public sealed record SimTask(SimItem Item, IReadOnlyList<string> Shown, int Done);

/// <summary>The annotator behaviours and the choice each makes.</summary>
public static class Behaviours
{
    /// <summary>Chooses the better response with probability skill.</summary>
    public const string Honest = "honest";

    /// <summary>Chooses at random.</summary>
    public const string Spammer = "spammer";

    /// <summary>Always chooses the response shown first.</summary>
    public const string PositionBiased = "position-biased";

    /// <summary>Always chooses the longer response.</summary>
    public const string LengthBiased = "length-biased";

    /// <summary>Chooses the harmful response on the targeted slice (after its sleep), and answers everything else like an honest annotator.</summary>
    public const string Flipper = "flipper";

    /// <summary>Every behaviour a scenario may name.</summary>
    public static readonly IReadOnlyList<string> All = [Honest, Spammer, PositionBiased, LengthBiased, Flipper];

    /// <summary>Expands a scenario's groups into annotators; a group's skill range is spread evenly over its members.</summary>
    public static IReadOnlyList<SimAnnotator> Crowd(Scenario scenario)
    {
        var crowd = new List<SimAnnotator>();
        for (var g = 0; g < scenario.Annotators.Count; g++)
        {
            var spec = scenario.Annotators[g];
            for (var k = 0; k < spec.Count; k++)
            {
                var skill = spec.Skill.Length == 1 ? spec.Skill[0]
                    : spec.Count == 1 ? (spec.Skill[0] + spec.Skill[1]) / 2
                    : spec.Skill[0] + ((spec.Skill[1] - spec.Skill[0]) * k / (spec.Count - 1));
                crowd.Add(new SimAnnotator(crowd.Count, spec.Behaviour, skill, spec.Sleep, spec.PerfectGold, spec.SharedRationale, spec.Collude ? g : null));
            }
        }

        return crowd;
    }

    /// <summary>The response id the annotator chooses.</summary>
    /// <param name="skillDraw">A uniform draw in [0, 1), asked for only when the choice depends on skill; the simulator
    /// passes the annotator's <see cref="Luck"/> on the item.</param>
    /// <param name="random">The annotator's own randomness, for choices that do not depend on skill.</param>
    public static string Choose(SimAnnotator annotator, SimTask task, Func<double> skillDraw, Random random)
    {
        var item = task.Item;
        if (item.IsGold && annotator.PerfectGold)
            return item.BetterId;
        return annotator.Behaviour switch
        {
            Spammer => task.Shown[random.Next(task.Shown.Count)],
            PositionBiased => task.Shown[0],
            LengthBiased => item.LongerId,
            Flipper when item.Targeted && task.Done >= annotator.Sleep => item.WorseId,
            _ => skillDraw() < annotator.Skill ? item.BetterId : item.WorseId,
        };
    }
}
