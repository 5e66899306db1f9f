namespace Verity.Core.Quality;

/// <summary>What a replay revealed and how each item ended.</summary>
/// <param name="Revealed">The labels the policy asked for: same items, workers and classes as the input.</param>
/// <param name="Stopped">Items that reached the target confidence.</param>
/// <param name="Exhausted">Items that reached the maximum without it.</param>
/// <param name="RanOut">Items whose recorded labels ran out while the policy wanted more.</param>
/// <param name="Rounds">Rounds played (one label per open item each).</param>
public sealed record OverlapReplayResult(CategoricalLabels Revealed, int Stopped, int Exhausted, int RanOut, int Rounds);

/// <summary>
/// Replays a recorded label set as if its overlap had been decided while it was collected, to
/// measure what a policy would have saved and cost. Each item's labels are revealed in recorded
/// order, one per round to every item the policy still wants more for; aggregate
/// <see cref="OverlapReplayResult.Revealed"/> with any method and score it against gold.
/// </summary>
/// <remarks>
/// With <see cref="OverlapModel.WorkerConfusion"/> the model is re-estimated from everything
/// revealed after each round, not after each label: a Dawid–Skene fit per label would cost a
/// fit per submission. Within a round every decision uses the model of the round before.
/// </remarks>
public static class OverlapReplay
{
    /// <summary>Reveals labels until the policy stops every item or the recorded labels run out.</summary>
    public static OverlapReplayResult Run(CategoricalLabels data, DynamicOverlap policy)
    {
        var revealed = new int[data.ItemCount];
        var available = new int[data.ItemCount];
        List<int> open = [];
        var (stopped, exhausted, ranOut, rounds) = (0, 0, 0, 0);
        for (var i = 0; i < data.ItemCount; i++)
        {
            available[i] = data.Start[i + 1] - data.Start[i];
            if (available[i] > 0)
                open.Add(i);
            else
                ranOut++;
        }

        var model = policy.EstimateModel(Subset(data, revealed));
        while (open.Count > 0)
        {
            rounds++;
            List<int> next = [];
            foreach (var i in open)
            {
                revealed[i]++;
                var seen = new Range(data.Start[i], data.Start[i] + revealed[i]);
                switch (policy.Decide(data.Workers[seen], data.Labels[seen], model))
                {
                    case OverlapDecision.Stop:
                        stopped++;
                        break;
                    case OverlapDecision.Exhausted:
                        exhausted++;
                        break;
                    case OverlapDecision.Continue when revealed[i] == available[i]:
                        ranOut++;
                        break;
                    default:
                        next.Add(i);
                        break;
                }
            }

            open = next;
            if (open.Count > 0 && policy.Options.Model == OverlapModel.WorkerConfusion)
                model = policy.EstimateModel(Subset(data, revealed));
        }

        return new OverlapReplayResult(Subset(data, revealed), stopped, exhausted, ranOut, rounds);
    }

    /// <summary>Fixed overlap: the first <paramref name="k"/> recorded labels of every item (all of them where it has fewer).</summary>
    public static CategoricalLabels FirstK(CategoricalLabels data, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var counts = new int[data.ItemCount];
        for (var i = 0; i < counts.Length; i++)
            counts[i] = Math.Min(k, data.Start[i + 1] - data.Start[i]);
        return Subset(data, counts);
    }

    /// <summary>The first <paramref name="counts"/>[i] labels of every item i.</summary>
    internal static CategoricalLabels Subset(CategoricalLabels data, int[] counts)
    {
        var total = counts.Sum();
        var (items, workers, labels) = (new int[total], new int[total], new int[total]);
        var next = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            for (var a = data.Start[i]; a < data.Start[i] + counts[i]; a++, next++)
                (items[next], workers[next], labels[next]) = (i, data.WorkerOf[a], data.LabelOf[a]);
        }

        return new CategoricalLabels(data.ItemNames, data.WorkerNames, data.ClassNames, items, workers, labels);
    }
}
