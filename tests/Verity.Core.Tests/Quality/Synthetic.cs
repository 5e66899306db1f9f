using Verity.Core.Quality;

namespace Verity.Core.Tests.Quality;

/// <summary>Seeded crowds with known truth, for property tests.</summary>
internal static class Synthetic
{
    /// <summary>
    /// Items with a uniform true class, each labelled by <paramref name="perItem"/> distinct workers
    /// whose accuracy is drawn from [minAccuracy, maxAccuracy]; errors are uniform over the other classes.
    /// </summary>
    public static (List<(string Item, string Worker, string Label)> Rows, Dictionary<string, string> Truth) Crowd(
        int seed, int items = 200, int workers = 20, int classes = 3, int perItem = 5, double minAccuracy = 0.55, double maxAccuracy = 0.95)
    {
        var random = new Random(seed);
        var accuracy = Enumerable.Range(0, workers).Select(_ => minAccuracy + random.NextDouble() * (maxAccuracy - minAccuracy)).ToArray();
        var rows = new List<(string, string, string)>();
        var truth = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < items; i++)
        {
            var t = random.Next(classes);
            truth[$"i{i}"] = $"c{t}";
            foreach (var w in Enumerable.Range(0, workers).OrderBy(_ => random.Next()).Take(perItem))
            {
                var label = random.NextDouble() < accuracy[w] ? t : (t + 1 + random.Next(classes - 1)) % classes;
                rows.Add(($"i{i}", $"w{w}", $"c{label}"));
            }
        }

        return (rows, truth);
    }

    /// <summary>The label each item received, by item name.</summary>
    public static Dictionary<string, string> Named(CategoricalLabels data, CategoricalResult result) =>
        Enumerable.Range(0, data.ItemCount).ToDictionary(i => data.ItemNames[i], i => data.ClassNames[result.Labels[i]], StringComparer.Ordinal);

    /// <summary>The confidence each item received, by item name.</summary>
    public static Dictionary<string, double> Confidence(CategoricalLabels data, CategoricalResult result) =>
        Enumerable.Range(0, data.ItemCount).ToDictionary(i => data.ItemNames[i], i => result.Confidence[i], StringComparer.Ordinal);

    /// <summary>Share of items whose label equals the truth.</summary>
    public static double Accuracy(CategoricalLabels data, CategoricalResult result, Dictionary<string, string> truth) =>
        Enumerable.Range(0, data.ItemCount).Count(i => truth[data.ItemNames[i]] == data.ClassNames[result.Labels[i]]) / (double)data.ItemCount;
}
