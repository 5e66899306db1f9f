using System.Text.Json;

namespace Verity.Core.Items;

/// <summary>
/// A model's scores for one item, given by the requester at import or later: a score per response (a reward model's
/// output, any real number) or a probability per class label. They order the work under the uncertainty-first
/// policy and are recorded with every lease served while they were in force.
/// </summary>
public static class ModelScores
{
    /// <summary>The most entries one item's scores may have.</summary>
    public const int MaxEntries = 100;

    /// <summary>
    /// Reads a scores object (<c>{"a": 1.3, "b": -0.2}</c>); every key must name one of <paramref name="names"/> (the
    /// item's response ids and the project's labels). Returns the canonical JSON, or null after adding problems
    /// prefixed with <paramref name="path"/>.
    /// </summary>
    public static string? Parse(JsonElement element, IReadOnlyCollection<string> names, string path, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: must be an object of numbers, e.g. {{\"a\": 1.3, \"b\": -0.2}}");
            return null;
        }

        var scores = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var before = problems.Count;
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Contains(property.Name, StringComparer.Ordinal))
                problems.Add($"{path}.{property.Name}: not a response id or label of this item (expected {(names.Count == 0 ? "none" : string.Join(", ", names))})");
            else if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value) || !double.IsFinite(value))
                problems.Add($"{path}.{property.Name}: must be a finite number");
            else
                scores[property.Name] = value;
        }

        if (problems.Count == before && scores.Count == 0)
            problems.Add($"{path}: has no scores");
        if (scores.Count > MaxEntries)
            problems.Add($"{path}: at most {MaxEntries} scores");
        return problems.Count == before ? JsonSerializer.Serialize(scores) : null;
    }

    /// <summary>
    /// The model's probability for each answer: per-response scores are a reward model's, so the chance that each
    /// response is preferred is their softmax (Bradley–Terry); class scores are probabilities, normalised to sum to 1.
    /// </summary>
    public static IReadOnlyDictionary<string, double>? Distribution(string? scoresJson, IReadOnlyCollection<string> responseIds)
    {
        if (scoresJson is null)
            return null;
        var scores = JsonSerializer.Deserialize<Dictionary<string, double>>(scoresJson)!;
        if (scores.Keys.All(k => responseIds.Contains(k, StringComparer.Ordinal)))
        {
            var top = scores.Values.Max();
            var exp = scores.ToDictionary(s => s.Key, s => Math.Exp(s.Value - top), StringComparer.Ordinal);
            var sum = exp.Values.Sum();
            return exp.ToDictionary(e => e.Key, e => e.Value / sum, StringComparer.Ordinal);
        }

        var total = scores.Values.Sum(v => Math.Max(0, v));
        return total <= 0 ? null : scores.ToDictionary(s => s.Key, s => Math.Max(0, s.Value) / total, StringComparer.Ordinal);
    }
}
