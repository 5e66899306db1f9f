namespace Verity.Core.Quality;

/// <summary>
/// Ratings for agreement: rating r says rater <c>Raters[r]</c> gave item <c>Items[r]</c> the value
/// <c>ValueNames[Values[r]]</c>. Missing ratings are simply absent. Values are ordered
/// (numerically when all are numbers), and kept sorted by item.
/// </summary>
public sealed class Ratings
{
    internal readonly int[] ItemOf;
    internal readonly int[] RaterOf;
    internal readonly int[] ValueOf;
    internal readonly int[] Start;

    /// <summary>Builds the set; <paramref name="values"/> index into <paramref name="valueNames"/>, which are taken in the given order.</summary>
    public Ratings(
        IReadOnlyList<string> itemNames,
        IReadOnlyList<string> raterNames,
        IReadOnlyList<string> valueNames,
        ReadOnlySpan<int> items,
        ReadOnlySpan<int> raters,
        ReadOnlySpan<int> values)
    {
        if (items.Length != raters.Length || items.Length != values.Length)
            throw new ArgumentException("items, raters and values must have the same length", nameof(values));
        ItemNames = [.. itemNames];
        RaterNames = [.. raterNames];
        ValueNames = [.. valueNames];
        var numbers = new double[ValueNames.Length];
        var numeric = true;
        for (var v = 0; v < numbers.Length && numeric; v++)
            numeric = double.TryParse(ValueNames[v], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out numbers[v]);
        NumericValues = numeric ? numbers : null;

        var n = ItemNames.Length;
        Start = new int[n + 1];
        for (var r = 0; r < items.Length; r++)
        {
            if ((uint)items[r] >= (uint)n || (uint)raters[r] >= (uint)RaterNames.Length || (uint)values[r] >= (uint)ValueNames.Length)
                throw new ArgumentOutOfRangeException(nameof(items), $"rating {r} refers to an unknown item, rater or value");
            Start[items[r] + 1]++;
        }

        for (var i = 0; i < n; i++)
            Start[i + 1] += Start[i];
        ItemOf = new int[items.Length];
        RaterOf = new int[items.Length];
        ValueOf = new int[items.Length];
        var next = Start[..n];
        for (var r = 0; r < items.Length; r++)
        {
            var slot = next[items[r]]++;
            ItemOf[slot] = items[r];
            RaterOf[slot] = raters[r];
            ValueOf[slot] = values[r];
        }
    }

    /// <summary>Item names by index.</summary>
    public string[] ItemNames { get; }

    /// <summary>Rater names by index.</summary>
    public string[] RaterNames { get; }

    /// <summary>Distinct values in order (numeric order when all are numbers).</summary>
    public string[] ValueNames { get; }

    /// <summary>The values as numbers, or null when some value is not a number.</summary>
    public double[]? NumericValues { get; }

    /// <summary>Number of items.</summary>
    public int ItemCount => ItemNames.Length;

    /// <summary>Number of raters.</summary>
    public int RaterCount => RaterNames.Length;

    /// <summary>Number of ratings.</summary>
    public int Count => ItemOf.Length;

    /// <summary>Builds a set from interned tables, ordering the values with <see cref="NameTable.SortNames"/>.</summary>
    public static Ratings Create(NameTable items, NameTable raters, NameTable values, ReadOnlySpan<int> itemIds, ReadOnlySpan<int> raterIds, ReadOnlySpan<int> valueIds)
    {
        var (sorted, newIndex) = NameTable.SortNames(values.Names);
        var mapped = new int[valueIds.Length];
        for (var r = 0; r < mapped.Length; r++)
            mapped[r] = newIndex[valueIds[r]];
        return new Ratings(items.Names, raters.Names, sorted, itemIds, raterIds, mapped);
    }

    /// <summary>Builds a set from (item, rater, value) names.</summary>
    public static Ratings FromTriples(IEnumerable<(string Item, string Rater, string Value)> ratings)
    {
        var items = new NameTable();
        var raters = new NameTable();
        var values = new NameTable();
        List<int> itemIds = [], raterIds = [], valueIds = [];
        foreach (var (item, rater, value) in ratings)
        {
            itemIds.Add(items.Intern(item));
            raterIds.Add(raters.Intern(rater));
            valueIds.Add(values.Intern(value));
        }

        return Create(items, raters, values, itemIds.ToArray(), raterIds.ToArray(), valueIds.ToArray());
    }

    /// <summary>A bootstrap sample: the listed items (repeats allowed) become the items of a new set.</summary>
    internal Ratings Resample(int[] picked)
    {
        var size = 0;
        foreach (var i in picked)
            size += Start[i + 1] - Start[i];
        var items = new int[size];
        var raters = new int[size];
        var values = new int[size];
        var at = 0;
        for (var j = 0; j < picked.Length; j++)
        {
            for (var r = Start[picked[j]]; r < Start[picked[j] + 1]; r++, at++)
            {
                items[at] = j;
                raters[at] = RaterOf[r];
                values[at] = ValueOf[r];
            }
        }

        var names = picked.Select(i => ItemNames[i]).ToArray();
        return new Ratings(names, RaterNames, ValueNames, items, raters, values);
    }
}
