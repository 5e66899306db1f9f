namespace Verity.Core.Quality;

/// <summary>
/// Categorical annotations as flat arrays over dense ids: annotation a says worker
/// <c>Workers[a]</c> gave item <c>Items[a]</c> the class <c>Labels[a]</c>. Annotations are kept
/// sorted by item (stable), so the annotations of item i are <c>ItemStart[i]..ItemStart[i+1]</c>.
/// </summary>
public sealed class CategoricalLabels
{
    internal readonly int[] ItemOf;
    internal readonly int[] WorkerOf;
    internal readonly int[] LabelOf;
    internal readonly int[] Start;

    /// <summary>Builds the set; arrays are copied into item order. Class names are used as given.</summary>
    public CategoricalLabels(
        IReadOnlyList<string> itemNames,
        IReadOnlyList<string> workerNames,
        IReadOnlyList<string> classNames,
        ReadOnlySpan<int> items,
        ReadOnlySpan<int> workers,
        ReadOnlySpan<int> labels)
    {
        if (items.Length != workers.Length || items.Length != labels.Length)
            throw new ArgumentException("items, workers and labels must have the same length", nameof(labels));
        if (classNames.Count == 0 && items.Length > 0)
            throw new ArgumentException("at least one class is needed", nameof(classNames));

        ItemNames = [.. itemNames];
        WorkerNames = [.. workerNames];
        ClassNames = [.. classNames];
        var n = ItemNames.Length;
        Start = new int[n + 1];
        for (var a = 0; a < items.Length; a++)
        {
            CheckRange(items[a], n, nameof(items));
            CheckRange(workers[a], WorkerNames.Length, nameof(workers));
            CheckRange(labels[a], ClassNames.Length, nameof(labels));
            Start[items[a] + 1]++;
        }

        for (var i = 0; i < n; i++)
            Start[i + 1] += Start[i];

        ItemOf = new int[items.Length];
        WorkerOf = new int[items.Length];
        LabelOf = new int[items.Length];
        var next = Start[..n];
        for (var a = 0; a < items.Length; a++)
        {
            var slot = next[items[a]]++;
            ItemOf[slot] = items[a];
            WorkerOf[slot] = workers[a];
            LabelOf[slot] = labels[a];
        }
    }

    /// <summary>Item names by item index.</summary>
    public string[] ItemNames { get; }

    /// <summary>Worker names by worker index.</summary>
    public string[] WorkerNames { get; }

    /// <summary>Class names by class index (the order used for tie-breaking and reporting).</summary>
    public string[] ClassNames { get; }

    /// <summary>Number of items.</summary>
    public int ItemCount => ItemNames.Length;

    /// <summary>How many labels item <paramref name="item"/> has.</summary>
    public int LabelCount(int item) => Start[item + 1] - Start[item];

    /// <summary>Number of workers.</summary>
    public int WorkerCount => WorkerNames.Length;

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Length;

    /// <summary>Number of annotations.</summary>
    public int Count => ItemOf.Length;

    /// <summary>Item index of each annotation (sorted).</summary>
    public ReadOnlySpan<int> Items => ItemOf;

    /// <summary>Worker index of each annotation.</summary>
    public ReadOnlySpan<int> Workers => WorkerOf;

    /// <summary>Class index of each annotation.</summary>
    public ReadOnlySpan<int> Labels => LabelOf;

    /// <summary>Offsets: the annotations of item i are <c>ItemStart[i]</c> up to <c>ItemStart[i+1]</c>.</summary>
    public ReadOnlySpan<int> ItemStart => Start;

    /// <summary>
    /// Builds a set from interned tables; classes are re-ordered by <see cref="NameTable.SortNames"/>
    /// so that results do not depend on which class happened to appear first.
    /// </summary>
    public static CategoricalLabels Create(NameTable items, NameTable workers, NameTable classes, ReadOnlySpan<int> itemIds, ReadOnlySpan<int> workerIds, ReadOnlySpan<int> classIds)
    {
        var (sorted, newIndex) = NameTable.SortNames(classes.Names);
        var labels = new int[classIds.Length];
        for (var a = 0; a < labels.Length; a++)
            labels[a] = newIndex[classIds[a]];
        return new CategoricalLabels(items.Names, workers.Names, sorted, itemIds, workerIds, labels);
    }

    /// <summary>Builds a set from (item, worker, label) names, e.g. for tests and small imports.</summary>
    public static CategoricalLabels FromTriples(IEnumerable<(string Item, string Worker, string Label)> annotations)
    {
        var items = new NameTable();
        var workers = new NameTable();
        var classes = new NameTable();
        List<int> itemIds = [], workerIds = [], classIds = [];
        foreach (var (item, worker, label) in annotations)
        {
            itemIds.Add(items.Intern(item));
            workerIds.Add(workers.Intern(worker));
            classIds.Add(classes.Intern(label));
        }

        return Create(items, workers, classes, itemIds.ToArray(), workerIds.ToArray(), classIds.ToArray());
    }

    private static void CheckRange(int value, int count, string name)
    {
        if ((uint)value >= (uint)count)
            throw new ArgumentOutOfRangeException(name, value, $"index must be in 0..{count - 1}");
    }
}
