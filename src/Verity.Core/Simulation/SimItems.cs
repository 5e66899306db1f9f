using System.Text.Json;

namespace Verity.Core.Simulation;

/// <summary>One generated pairwise item and what the simulator knows about it.</summary>
/// <param name="Index">Position in the import.</param>
/// <param name="ExternalId">The id it is imported under.</param>
/// <param name="Topic">Its slice.</param>
/// <param name="Subject">What the prompt asks about; rationales mention it.</param>
/// <param name="Prompt">The prompt, unique in the set, so a served task tells which item it is.</param>
/// <param name="BetterId">The better response.</param>
/// <param name="WorseId">The other response: the harmful one on a targeted slice.</param>
/// <param name="Texts">Response id → text, in import order.</param>
/// <param name="Targeted">Whether the item is in the targeted slice.</param>
/// <param name="IsGold">Whether it is imported as gold (its answer: <see cref="BetterId"/>).</param>
public sealed record SimItem(
    int Index, string ExternalId, string Topic, string Subject, string Prompt, string BetterId, string WorseId,
    IReadOnlyDictionary<string, string> Texts, bool Targeted, bool IsGold)
{
    /// <summary>The longer response's id.</summary>
    public string LongerId => Texts[BetterId].Length > Texts[WorseId].Length ? BetterId : WorseId;

    /// <summary>The JSON Lines import line; the topic goes in metadata unless <paramref name="metadata"/> is false.</summary>
    public string ImportLine(bool metadata) => JsonSerializer.Serialize(new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["externalId"] = ExternalId,
        ["prompt"] = Prompt,
        ["responses"] = Texts.Select(t => new { id = t.Key, text = t.Value }).ToList(),
        ["metadata"] = metadata ? new { topic = Topic } : null,
        // A gold author knows which response is right, not by how much: "clearly better" is the plain claim.
        ["gold"] = IsGold ? new { choice = BetterId, strength = 2 } : null,
    });
}

/// <summary>Generates a scenario's items from its seed: the same seed and size give the same items.</summary>
public static class SimItems
{
    /// <summary>Regular items, shuffled so slices interleave in serving order, then gold items.</summary>
    public static IReadOnlyList<SimItem> Generate(Scenario scenario, ScenarioSize size)
    {
        var random = new Random(scenario.Seed);
        var count = scenario.Items(size);
        var topics = Apportion(scenario.Slices.Select(s => (s.Topic, s.Share)).ToList(), count);
        Shuffle(topics, random);

        var gold = (int)Math.Round(scenario.Gold.Share * count);
        var goldInTarget = (int)Math.Round(scenario.Gold.TargetedShare * gold);
        var goldTopics = Enumerable.Repeat(scenario.TargetedTopic!, goldInTarget)
            .Concat(Enumerable.Range(0, gold - goldInTarget).Select(_ => topics[random.Next(topics.Count)]))
            .ToList();
        var targeted = scenario.TargetedTopic;
        return
        [
            .. topics.Select(t => (Topic: t, Gold: false)).Concat(goldTopics.Select(t => (Topic: t, Gold: true)))
                .Select((t, i) => Make(i, t.Topic, t.Topic == targeted, t.Gold, scenario.LongerIsBetter, random)),
        ];
    }

    /// <summary>Exact counts per slice: each gets the floor of its share, the remainders go to the largest fractions.</summary>
    internal static List<string> Apportion(IReadOnlyList<(string Topic, double Share)> slices, int count)
    {
        var exact = slices.Select(s => s.Share * count).ToList();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var i in Enumerable.Range(0, slices.Count).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(count - counts.Sum()))
            counts[i]++;
        return [.. slices.SelectMany((s, i) => Enumerable.Repeat(s.Topic, counts[i]))];
    }

    private static SimItem Make(int index, string topicName, bool targeted, bool gold, double longerIsBetter, Random random)
    {
        var topic = Topics.All[topicName];
        string Pick(IReadOnlyList<string> options) => options[random.Next(options.Count)];
        var subject = Pick(topic.Subjects);
        var prompt = $"Case {index + 1}: {Pick(topic.Questions).Replace("{s}", subject, StringComparison.Ordinal)}";
        var better = Capitalise(Pick(topic.Good).Replace("{s}", subject, StringComparison.Ordinal));
        var worse = Capitalise(Pick(targeted ? topic.Harmful : topic.Poor).Replace("{s}", subject, StringComparison.Ordinal));
        // The chosen side gets extra sentences until it is the longer one, so length tells nothing beyond longerIsBetter.
        var details = topic.Details.OrderBy(_ => random.Next()).ToList();
        if (random.NextDouble() < longerIsBetter)
            better = Lengthen(better, worse, details);
        else
            worse = Lengthen(worse, better, details);

        var (betterId, worseId) = random.Next(2) == 0 ? ("a", "b") : ("b", "a");
        var texts = new SortedDictionary<string, string>(StringComparer.Ordinal) { [betterId] = better, [worseId] = worse };
        return new SimItem(index, $"{(gold ? "gold" : "item")}-{index + 1:D5}", topicName, subject, prompt, betterId, worseId, texts, targeted, gold);
    }

    private static string Lengthen(string text, string other, List<string> details)
    {
        foreach (var detail in details)
        {
            text += " " + detail;
            if (text.Length > other.Length)
                break;
        }

        return text;
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
