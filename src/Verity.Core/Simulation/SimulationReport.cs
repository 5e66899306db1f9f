using Verity.Core.Quality;

namespace Verity.Core.Simulation;

/// <summary>An answer the simulator submitted and the server accepted.</summary>
public sealed record SubmittedAnswer(int Annotator, int Item, string Choice);

/// <summary>A preference record of the export: which response of which item it chose.</summary>
public sealed record ExportedChoice(string ExternalId, string ChosenId);

/// <summary>How many of a slice's items end up choosing the worse (on a targeted slice: harmful) response.</summary>
/// <param name="Topic">The slice.</param>
/// <param name="Targeted">Whether adversaries target it.</param>
/// <param name="Items">Regular items in the slice (the denominator: an item left out of the export is not poisoned).</param>
/// <param name="Poisoned">Items whose record chooses the worse response.</param>
public sealed record SliceShare(string Topic, bool Targeted, int Items, int Poisoned)
{
    /// <summary>Poisoned items over items.</summary>
    public double Share => Items == 0 ? 0 : (double)Poisoned / Items;
}

/// <summary>An annotator as the server judged it, next to what the simulator knows it is.</summary>
/// <param name="Annotator">Who it really is.</param>
/// <param name="Pseudonym">Its name in the server's reports.</param>
/// <param name="Labels">Answers the server accepted from it.</param>
/// <param name="Trust">The server's trust, or null when the server does not list it (it answered nothing).</param>
/// <param name="Status">The server's status.</param>
/// <param name="Flags">The names of the server's flags.</param>
public sealed record JudgedAnnotator(SimAnnotator Annotator, string Pseudonym, int Labels, double? Trust, string Status, IReadOnlyList<string> Flags)
{
    /// <summary>Flags that scripted clients raise whatever they do, set aside when counting who was caught.</summary>
    public static readonly IReadOnlyList<string> NoiseFlags = ["too-fast"];

    /// <summary>Flagged or held out: a status other than active, or a flag other than noise.</summary>
    public bool Caught => Status != QualityRules.Active || Flags.Any(f => !NoiseFlags.Contains(f, StringComparer.Ordinal));
}

/// <summary>What one run against the server produced.</summary>
/// <param name="Export">Poisoned share per slice in the server's preference export.</param>
/// <param name="Majority">The same from a plain majority vote of the submitted answers.</param>
/// <param name="Labels">Answers submitted to regular (not gold) items.</param>
/// <param name="GoldLabels">Answers submitted to gold items.</param>
/// <param name="Annotators">Every annotator with the server's judgement.</param>
/// <param name="Seconds">Wall time of the run.</param>
public sealed record RunResult(
    IReadOnlyList<SliceShare> Export, IReadOnlyList<SliceShare> Majority, int Labels, int GoldLabels, IReadOnlyList<JudgedAnnotator> Annotators, double Seconds)
{
    /// <summary>Adversaries caught.</summary>
    public int AdversariesCaught => Annotators.Count(a => a.Annotator.Adversary && a.Caught);

    /// <summary>Adversaries in the crowd.</summary>
    public int Adversaries => Annotators.Count(a => a.Annotator.Adversary);

    /// <summary>Honest annotators caught (false alarms).</summary>
    public int HonestFlagged => Annotators.Count(a => !a.Annotator.Adversary && a.Caught);

    /// <summary>Honest annotators in the crowd.</summary>
    public int Honest => Annotators.Count(a => !a.Annotator.Adversary);

    /// <summary>The targeted slice's share in the export, or null when nothing is targeted.</summary>
    public SliceShare? TargetedExport => Export.FirstOrDefault(s => s.Targeted);
}

/// <summary>A scenario's attacked run beside its honest-crowd baseline (null when the scenario has no adversaries).</summary>
public sealed record ScenarioResult(Scenario Scenario, RunResult Attacked, RunResult? Baseline)
{
    /// <summary>Labels spent beyond the baseline's (more annotators on suspect items), or null without a baseline.</summary>
    public int? ExtraLabels => Baseline is null ? null : Attacked.Labels + Attacked.GoldLabels - Baseline.Labels - Baseline.GoldLabels;
}

/// <summary>The arithmetic of the report: poisoned shares from an export or from a majority vote.</summary>
public static class PoisonedShares
{
    /// <summary>Per slice, the share of regular items whose exported record chooses the worse response.</summary>
    public static IReadOnlyList<SliceShare> OfExport(IReadOnlyList<SimItem> items, IEnumerable<ExportedChoice> export)
    {
        var chosen = export.ToDictionary(e => e.ExternalId, e => e.ChosenId, StringComparer.Ordinal);
        return Shares(items, item => chosen.GetValueOrDefault(item.ExternalId));
    }

    /// <summary>
    /// Per slice, the share of regular items whose plain majority (one vote per annotator, the first it gave; a tie
    /// decides nothing) chooses the worse response.
    /// </summary>
    public static IReadOnlyList<SliceShare> OfMajority(IReadOnlyList<SimItem> items, IEnumerable<SubmittedAnswer> answers)
    {
        var majority = answers
            .DistinctBy(a => (a.Annotator, a.Item))
            .GroupBy(a => a.Item)
            .ToDictionary(g => g.Key, g =>
            {
                var votes = g.GroupBy(a => a.Choice, StringComparer.Ordinal).Select(v => (Choice: v.Key, Count: v.Count())).OrderByDescending(v => v.Count).ToList();
                return votes.Count > 1 && votes[0].Count == votes[1].Count ? null : votes[0].Choice;
            });
        return Shares(items, item => majority.GetValueOrDefault(item.Index));
    }

    private static List<SliceShare> Shares(IReadOnlyList<SimItem> items, Func<SimItem, string?> chosen) =>
    [
        .. items.Where(i => !i.IsGold)
            .GroupBy(i => i.Topic, StringComparer.Ordinal)
            .Select(g => new SliceShare(g.Key, g.First().Targeted, g.Count(), g.Count(i => chosen(i) == i.WorseId)))
            .OrderByDescending(s => s.Targeted).ThenBy(s => s.Topic, StringComparer.Ordinal),
    ];
}
