namespace Verity.Core.Quality;

/// <summary>One single-label answer to a real item: item and annotator by index, the class chosen.</summary>
public sealed record ScanAnswer(int Item, int Annotator, string Class);

/// <summary>One answer to a gold item: who, in which slice, and whether it matched the gold answer.</summary>
public sealed record ScanGold(int Annotator, string Slice, bool Right);

/// <summary>An annotator's quality in one slice: agreement with the consensus of the others, and gold.</summary>
/// <param name="Slice">The slice.</param>
/// <param name="Compared">Answers compared with a consensus of the others.</param>
/// <param name="Agreement">Share of those that agreed with it; null when none was compared.</param>
/// <param name="GoldSeen">Gold items answered in the slice.</param>
/// <param name="GoldRight">Of which right.</param>
public sealed record SliceQuality(string Slice, int Compared, double? Agreement, int GoldSeen, int GoldRight);

/// <summary>What the scan found: per annotator (by index) their slice test, per-slice quality and group, and the pairs that fire.</summary>
/// <param name="Slices">Each annotator's most surprising slice, or null when no slice had enough answers.</param>
/// <param name="Quality">Each annotator's quality per slice, slices in name order.</param>
/// <param name="Collusions">Pairs agreeing against the consensus beyond chance.</param>
/// <param name="SharedRationales">Pairs (each direction) writing near-copies of each other's rationales.</param>
/// <param name="Timings">Pairs submitting at the same moments beyond chance.</param>
/// <param name="Groups">Each annotator's group: annotators linked by a firing pair share the smallest index among them.</param>
public sealed record ScanResult(
    IReadOnlyList<SliceDisagreement?> Slices,
    IReadOnlyList<IReadOnlyList<SliceQuality>> Quality,
    IReadOnlyList<Collusion> Collusions,
    IReadOnlyList<SharedRationale> SharedRationales,
    IReadOnlyList<CoordinatedTiming> Timings,
    IReadOnlyList<int> Groups);

/// <summary>
/// The adversary detectors over one project's single-label answers. The reference for each answer is the
/// trust-weighted consensus of the item's other annotators (leave-one-out), so nobody is compared with themselves,
/// when that consensus is clear (<see cref="Reference"/>), and the gold answer on gold items.
/// Two rounds: the second recomputes the consensus without the annotators the first one caught, so an adversary who
/// sat in the consensus of honest annotators does not make them look like dissenters. Cost: linear in the answers
/// (per item, pairs of its annotators) plus pairs of annotators; never all answers against all answers.
/// </summary>
public static class AdversaryScan
{
    /// <summary>Runs the slice, collusion, shared-rationale and timing detectors.</summary>
    /// <param name="itemSlices">Each item's slice, by item index.</param>
    /// <param name="answers">Real items' answers.</param>
    /// <param name="gold">Gold answers.</param>
    /// <param name="weights">Each annotator's trust before the detectors (gold-weighted), by index.</param>
    /// <param name="rationales">(annotator, text) of every rationale, in a fixed order.</param>
    /// <param name="submitted">Each annotator's submission times in seconds, by index.</param>
    /// <param name="alpha">Family-wise false-alarm rate of the collusion detector over the project.</param>
    /// <param name="falseDiscoveryRate">False discovery rate of the slice detector over the project.</param>
    /// <param name="minSliceAnswers">Fewest answers in a slice, and outside it, for the slice to be tested.</param>
    public static ScanResult Run(
        IReadOnlyList<string> itemSlices, IReadOnlyList<ScanAnswer> answers, IReadOnlyList<ScanGold> gold, IReadOnlyList<double> weights,
        IReadOnlyList<(int Annotator, string Text)> rationales, IReadOnlyList<IReadOnlyList<double>> submitted, double alpha, double falseDiscoveryRate,
        int minSliceAnswers)
    {
        var annotators = weights.Count;
        var items = answers.GroupBy(a => a.Item).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var first = Tally(items, itemSlices, gold, weights, annotators);
        var firstFired = SliceDisagreement.Detect(Tallies(first), falseDiscoveryRate, minSliceAnswers).Select(d => d?.Fires == true).ToList();
        var trimmed = weights.Select((w, a) => firstFired[a] ? 0 : w).ToList();
        var tallies = Tally(items, itemSlices, gold, trimmed, annotators);
        var slices = SliceDisagreement.Detect(Tallies(tallies), falseDiscoveryRate, minSliceAnswers);

        var rates = tallies.Select(t => (t.Values.Sum(v => v.ConsensusDisagreements + v.GoldSeen - v.GoldRight) + 1.0) / (t.Values.Sum(v => v.Compared) + 2.0)).ToList();
        var collusions = Collusion.Detect(Pairs(items, trimmed, rates), alpha);
        var shared = Quality.SharedRationales.Find(rationales, annotators);
        var timings = CoordinatedTiming.Detect(submitted, alpha);
        var groups = Enumerable.Range(0, annotators).ToArray();
        int Root(int a) => groups[a] == a ? a : groups[a] = Root(groups[a]);
        foreach (var (a, b) in collusions.Select(c => (c.Pair.A, c.Pair.B)).Concat(shared.Select(s => (s.A, s.B))).Concat(timings.Select(t => (t.A, t.B))))
        {
            var (ra, rb) = (Root(a), Root(b));
            groups[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }

        var quality = tallies.Select(t => (IReadOnlyList<SliceQuality>)[.. t.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new SliceQuality(
            s.Key, s.Value.Compared, s.Value.Compared == 0 ? null : Math.Round(1 - ((double)s.Value.ConsensusDisagreements / s.Value.Compared), 4), s.Value.GoldSeen, s.Value.GoldRight))]).ToList();
        return new ScanResult(slices, quality, collusions, shared, timings, [.. Enumerable.Range(0, annotators).Select(Root)]);
    }

    /// <summary>
    /// For each annotator, the slice where their group (the annotators linked to them) decides the largest share of
    /// labels, when it is above <paramref name="cap"/> in a slice with at least <see cref="InfluenceCap.MinAnnotators"/>
    /// annotators; null otherwise. Labels here are the weighted vote of the counted answers, the influence a group would
    /// lose if its answers were removed.
    /// </summary>
    public static IReadOnlyList<InfluenceCap?> Caps(
        IReadOnlyList<string> itemSlices, IReadOnlyList<ScanAnswer> answers, IReadOnlyList<double> weights, IReadOnlyList<int> groups, double cap)
    {
        var labelled = new Dictionary<string, int>(StringComparer.Ordinal);
        var people = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        var decided = new Dictionary<(int Group, string Slice), int>();
        foreach (var item in answers.GroupBy(a => a.Item).OrderBy(g => g.Key))
        {
            var votes = item.Select(a => (Group: groups[a.Annotator], a.Class, Weight: weights[a.Annotator])).Where(v => v.Weight > 0).ToList();
            if (votes.Count == 0)
                continue;
            var slice = itemSlices[item.Key];
            labelled[slice] = labelled.GetValueOrDefault(slice) + 1;
            if (!people.TryGetValue(slice, out var set))
                people[slice] = set = [];
            set.UnionWith(item.Where(a => weights[a.Annotator] > 0).Select(a => a.Annotator));
            foreach (var group in InfluenceCap.Pivotal(votes))
                decided[(group, slice)] = decided.GetValueOrDefault((group, slice)) + 1;
        }

        var members = groups.Select((g, a) => (g, a)).ToLookup(x => x.g, x => x.a);
        var worst = decided
            .Where(d => people[d.Key.Slice].Count >= InfluenceCap.MinAnnotators(cap))
            .Select(d => new InfluenceCap(d.Key.Slice, d.Value, labelled[d.Key.Slice], cap, members[d.Key.Group].Count() - 1) is var c && c.Fires ? (d.Key.Group, Cap: c) : (d.Key.Group, Cap: null))
            .Where(d => d.Cap is not null)
            .GroupBy(d => d.Group)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Cap!).OrderByDescending(c => c.Share).ThenBy(c => c.Slice, StringComparer.Ordinal).First());
        return [.. groups.Select(g => worst.GetValueOrDefault(g))];
    }

    private sealed class Counts
    {
        public int ConsensusDisagreements;
        public int Compared;
        public int GoldSeen;
        public int GoldRight;
    }

    private static IReadOnlyList<IReadOnlyList<SliceTally>> Tallies(List<Dictionary<string, Counts>> tallies) =>
        [.. tallies.Select(t => (IReadOnlyList<SliceTally>)[.. t.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new SliceTally(s.Key, s.Value.ConsensusDisagreements, s.Value.Compared, s.Value.GoldSeen - s.Value.GoldRight, s.Value.GoldSeen))])];

    private static List<Dictionary<string, Counts>> Tally(
        List<List<ScanAnswer>> items, IReadOnlyList<string> itemSlices, IReadOnlyList<ScanGold> gold, IReadOnlyList<double> weights, int annotators)
    {
        var tallies = Enumerable.Range(0, annotators).Select(_ => new Dictionary<string, Counts>(StringComparer.Ordinal)).ToList();
        Counts At(int annotator, string slice) =>
            tallies[annotator].TryGetValue(slice, out var counts) ? counts : tallies[annotator][slice] = new Counts();
        foreach (var item in items)
        {
            var totals = Totals(item, weights);
            var counted = item.Count(a => weights[a.Annotator] > 0);
            foreach (var answer in item)
            {
                var rest = new Dictionary<string, double>(totals, StringComparer.Ordinal);
                rest[answer.Class] -= weights[answer.Annotator];
                var others = counted - (weights[answer.Annotator] > 0 ? 1 : 0);
                if (Reference(rest, others) is not { } winner)
                    continue;
                var counts = At(answer.Annotator, itemSlices[answer.Item]);
                counts.Compared++;
                counts.ConsensusDisagreements += answer.Class == winner ? 0 : 1;
            }
        }

        foreach (var g in gold)
        {
            var counts = At(g.Annotator, g.Slice);
            counts.GoldSeen++;
            counts.GoldRight += g.Right ? 1 : 0;
        }

        return tallies;
    }

    /// <summary>For every two annotators of an item with a third to compare with: shared, and both against the rest together.</summary>
    private static List<PairTally> Pairs(List<List<ScanAnswer>> items, List<double> weights, List<double> rates)
    {
        var pairs = new Dictionary<(int A, int B), (int Shared, int Joint, double Expected)>();
        foreach (var item in items.Where(i => i.Count >= 3))
        {
            var totals = Totals(item, weights);
            for (var i = 0; i < item.Count; i++)
            {
                for (var j = i + 1; j < item.Count; j++)
                {
                    var (a, b) = (item[i], item[j]);
                    if (a.Annotator == b.Annotator)
                        continue;
                    var rest = new Dictionary<string, double>(totals, StringComparer.Ordinal);
                    rest[a.Class] -= weights[a.Annotator];
                    rest[b.Class] -= weights[b.Annotator];
                    if (Winner(rest) is not { } winner)
                        continue;
                    var key = (Math.Min(a.Annotator, b.Annotator), Math.Max(a.Annotator, b.Annotator));
                    var (shared, joint, expected) = pairs.GetValueOrDefault(key);
                    var others = item.Where(o => o.Annotator != a.Annotator && o.Annotator != b.Annotator && weights[o.Annotator] > 0).Select(o => rates[o.Annotator]).DefaultIfEmpty(0).Average();
                    var (ra, rb) = (rates[a.Annotator], rates[b.Annotator]);
                    pairs[key] = (shared + 1, joint + (a.Class == b.Class && a.Class != winner ? 1 : 0), expected + (ra * rb) + (others * (1 - ra) * (1 - rb)));
                }
            }
        }

        return [.. pairs.OrderBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2).Select(p => new PairTally(p.Key.Item1, p.Key.Item2, p.Value.Shared, p.Value.Joint, p.Value.Expected))];
    }

    private static Dictionary<string, double> Totals(List<ScanAnswer> item, IReadOnlyList<double> weights)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var answer in item)
            totals[answer.Class] = totals.GetValueOrDefault(answer.Class) + weights[answer.Annotator];
        return totals;
    }

    /// <summary>
    /// The consensus an answer is judged against: at least <see cref="MinReferenceAnswers"/> other counted answers, the
    /// leading class holding <see cref="MinReferenceShare"/> of their weight. A split or single other answer is no
    /// reference: one honest annotator's slip would count as everyone else's disagreement, and an adversary sitting in
    /// a two-person consensus would make the honest third look like the dissenter.
    /// </summary>
    private static string? Reference(Dictionary<string, double> rest, int others)
    {
        var total = rest.Values.Sum();
        return others < MinReferenceAnswers || Winner(rest) is not { } winner || rest[winner] < MinReferenceShare * total ? null : winner;
    }

    /// <summary>Fewest other answers that make a consensus to judge an answer against.</summary>
    public const int MinReferenceAnswers = 2;

    /// <summary>Least share of the others' weight the consensus must hold.</summary>
    public const double MinReferenceShare = 0.7;

    /// <summary>The class with the most weight; null when nothing weighs or two classes tie for the lead.</summary>
    private static string? Winner(Dictionary<string, double> totals)
    {
        var best = totals.Values.DefaultIfEmpty(0).Max();
        if (best <= 1e-12)
            return null;
        var leaders = totals.Where(t => t.Value >= best - 1e-12).Select(t => t.Key).ToList();
        return leaders.Count == 1 ? leaders[0] : null;
    }
}
