namespace Verity.Core.Quality;

/// <summary>Interns names (items, workers, classes) to dense indices 0..n-1 in first-seen order.</summary>
public sealed class NameTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanIds;
    private readonly List<string> _names = [];

    /// <summary>Creates an empty table.</summary>
    public NameTable() => _spanIds = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Number of distinct names.</summary>
    public int Count => _names.Count;

    /// <summary>Names in index order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Returns the index of <paramref name="name"/>, adding it if new (no allocation when known).</summary>
    public int Intern(ReadOnlySpan<char> name)
    {
        if (_spanIds.TryGetValue(name, out var id))
            return id;
        var text = name.ToString();
        id = _names.Count;
        _ids.Add(text, id);
        _names.Add(text);
        return id;
    }

    /// <summary>
    /// Orders names numerically when all of them are numbers, else ordinally, so that class
    /// indices (and with them tie-breaking and ordinal distances) do not depend on input order.
    /// Returns the sorted names and the map from old index to new index.
    /// </summary>
    public static (string[] Sorted, int[] NewIndex) SortNames(IReadOnlyList<string> names)
    {
        var order = Enumerable.Range(0, names.Count).ToArray();
        var numbers = new double[names.Count];
        var numeric = true;
        for (var i = 0; i < names.Count && numeric; i++)
            numeric = double.TryParse(names[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out numbers[i]);
        if (numeric)
            Array.Sort(order, (a, b) => numbers[a] != numbers[b] ? numbers[a].CompareTo(numbers[b]) : string.CompareOrdinal(names[a], names[b]));
        else
            Array.Sort(order, (a, b) => string.CompareOrdinal(names[a], names[b]));

        var sorted = new string[names.Count];
        var newIndex = new int[names.Count];
        for (var i = 0; i < order.Length; i++)
        {
            sorted[i] = names[order[i]];
            newIndex[order[i]] = i;
        }

        return (sorted, newIndex);
    }
}
