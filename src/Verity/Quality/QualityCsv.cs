using System.Globalization;
using Verity.Core.Quality;

namespace Verity.Quality;

/// <summary>Reads the quality engine's CSV inputs into the dense structures of <see cref="Verity.Core.Quality"/>.</summary>
public static class QualityCsv
{
    /// <summary>Categorical labels: header <c>item,worker,label</c>, other columns ignored.</summary>
    public static CategoricalLabels ReadLabels(string path)
    {
        var csv = CsvReader.Open(path);
        var columns = csv.ReadHeader("item", "worker", "label");
        var items = new NameTable();
        var workers = new NameTable();
        var classes = new NameTable();
        List<int> itemIds = [], workerIds = [], classIds = [];
        while (csv.Read())
        {
            csv.RequireColumns(columns);
            itemIds.Add(items.Intern(csv.Required(columns[0], "item")));
            workerIds.Add(workers.Intern(csv.Required(columns[1], "worker")));
            classIds.Add(classes.Intern(csv.Required(columns[2], "label")));
        }

        if (itemIds.Count == 0)
            throw new InputException(path, csv.Line + 1, "no labels after the header");
        return CategoricalLabels.Create(items, workers, classes, itemIds.AsSpan(), workerIds.AsSpan(), classIds.AsSpan());
    }

    /// <summary>
    /// Gold answers (<c>item,label</c>) as a class index per item of <paramref name="labels"/>:
    /// −1 where an item has no gold, −2 where the gold label is not among the classes.
    /// </summary>
    public static int[] ReadGold(string path, CategoricalLabels labels)
    {
        var csv = CsvReader.Open(path);
        var columns = csv.ReadHeader("item", "label");
        var itemIndex = Index(labels.ItemNames);
        var classIndex = Index(labels.ClassNames);
        var gold = new int[labels.ItemCount];
        Array.Fill(gold, -1);
        while (csv.Read())
        {
            csv.RequireColumns(columns);
            var item = csv.Required(columns[0], "item");
            var label = csv.Required(columns[1], "label");
            if (itemIndex.TryGetValue(item.ToString(), out var i))
                gold[i] = classIndex.TryGetValue(label.ToString(), out var c) ? c : -2;
        }

        return gold;
    }

    /// <summary>Worker weights (<c>worker,weight</c>) aligned with the workers of <paramref name="labels"/>; unlisted workers weigh 1.</summary>
    public static double[] ReadWeights(string path, CategoricalLabels labels)
    {
        var csv = CsvReader.Open(path);
        var columns = csv.ReadHeader("worker", "weight");
        var workerIndex = Index(labels.WorkerNames);
        var weights = new double[labels.WorkerCount];
        Array.Fill(weights, 1.0);
        while (csv.Read())
        {
            csv.RequireColumns(columns);
            var worker = csv.Required(columns[0], "worker");
            if (!double.TryParse(csv.Required(columns[1], "weight"), NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || !(weight >= 0) || double.IsInfinity(weight))
                throw csv.Error($"weight '{csv[columns[1]]}' is not a finite non-negative number");
            if (workerIndex.TryGetValue(worker.ToString(), out var w))
                weights[w] = weight;
        }

        return weights;
    }

    /// <summary>Pairwise judgements: header <c>worker,left,right,winner</c>, winner is the left id, the right id or <c>tie</c>.</summary>
    public static PairwiseComparisons ReadComparisons(string path)
    {
        var csv = CsvReader.Open(path);
        var columns = csv.ReadHeader("worker", "left", "right", "winner");
        var items = new NameTable();
        var workers = new NameTable();
        List<int> workerIds = [], leftIds = [], rightIds = [];
        List<double> outcomes = [];
        while (csv.Read())
        {
            csv.RequireColumns(columns);
            var left = csv.Required(columns[1], "left");
            var right = csv.Required(columns[2], "right");
            var winner = csv.Required(columns[3], "winner");
            if (left.SequenceEqual(right))
                throw csv.Error("an item cannot be compared with itself");
            double outcome = winner.SequenceEqual(left) ? 1
                : winner.SequenceEqual(right) ? 0
                : winner.Equals("tie", StringComparison.OrdinalIgnoreCase) ? 0.5
                : throw csv.Error($"winner '{winner}' is neither '{left}', '{right}' nor 'tie'");
            workerIds.Add(workers.Intern(csv.Required(columns[0], "worker")));
            leftIds.Add(items.Intern(left));
            rightIds.Add(items.Intern(right));
            outcomes.Add(outcome);
        }

        if (workerIds.Count == 0)
            throw new InputException(path, csv.Line + 1, "no comparisons after the header");
        return new PairwiseComparisons(items.Names, workers.Names, workerIds.AsSpan(), leftIds.AsSpan(), rightIds.AsSpan(), outcomes.AsSpan());
    }

    /// <summary>Ratings for agreement: header <c>item,worker,value</c>; an empty value is a missing rating.</summary>
    public static Ratings ReadRatings(string path)
    {
        var csv = CsvReader.Open(path);
        var columns = csv.ReadHeader("item", "worker", "value");
        var items = new NameTable();
        var raters = new NameTable();
        var values = new NameTable();
        var seen = new HashSet<(int, int)>();
        List<int> itemIds = [], raterIds = [], valueIds = [];
        while (csv.Read())
        {
            csv.RequireColumns(columns);
            var item = items.Intern(csv.Required(columns[0], "item"));
            var rater = raters.Intern(csv.Required(columns[1], "worker"));
            var value = csv[columns[2]].Trim();
            if (value.IsEmpty)
                continue;
            if (!seen.Add((item, rater)))
                throw csv.Error($"worker '{raters.Names[rater]}' already rated item '{items.Names[item]}'");
            itemIds.Add(item);
            raterIds.Add(rater);
            valueIds.Add(values.Intern(value));
        }

        if (itemIds.Count == 0)
            throw new InputException(path, csv.Line + 1, "no ratings after the header");
        return Ratings.Create(items, raters, values, itemIds.AsSpan(), raterIds.AsSpan(), valueIds.AsSpan());
    }

    /// <summary>Quotes a field when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static Dictionary<string, int> Index(string[] names)
    {
        var index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
            index[names[i]] = i;
        return index;
    }
}

file static class ListSpans
{
    public static ReadOnlySpan<T> AsSpan<T>(this List<T> list) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
}
